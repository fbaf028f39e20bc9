"""Hot reload for designers: notice edited scenario files, reload and re-check them.

The watcher polls the folder's TOML files (names, sizes, modification times); it needs
no extra dependency and costs a few stat calls a second.  On a change it loads the
scenario again: the result is the new :class:`Scenario`, or the :class:`ContentError`
that says what is wrong — the caller keeps playing on the last good content (and
replays its game on the new one with :func:`game.engine.replay.rebase`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.content.errors import ContentError
from game.content.loader import load_scenario, toml_files
from game.content.scenario import Scenario

Stamp = tuple[tuple[str, int, int], ...]


def stamp(folder: Path) -> Stamp:
    """A cheap fingerprint of the folder's TOML files: (name, size, mtime in ns)."""
    out = []
    for path in toml_files(folder):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.relative_to(folder).as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(out)


@dataclass
class Reload:
    """The outcome of a reload: new content, or the problems that kept the old."""

    scenario: Scenario | None
    error: ContentError | None


class ScenarioWatcher:
    """Polls a scenario folder; :meth:`poll` returns a Reload when the files changed."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._stamp = stamp(self.folder)

    def poll(self) -> Reload | None:
        """None if nothing changed; otherwise the reloaded scenario or its errors."""
        current = stamp(self.folder)
        if current == self._stamp:
            return None
        self._stamp = current
        try:
            return Reload(load_scenario(self.folder), None)
        except ContentError as exc:
            return Reload(None, exc)
