"""The class's control files: the instructor's console tells every game of a class to
pause, resume or end, and sends one-line messages.

Two files in the class folder, beside the inject inbox: ``class.state`` holds one word,
``running``, ``paused`` or ``ended`` (written whole: a temporary file in the same folder,
then ``os.replace``); ``messages.log`` is append-only, one message a line (each an atomic
``O_APPEND`` write, as :func:`~game.classroom.inbox.push_inject` does).  A game keeps how
many messages it has shown in its save's meta, like the inbox's ``read``, so the
console, the server and the games restart independently and nothing is lost or shown
twice.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Literal, get_args

from game.classroom.lines import LineCursor, append_line, whole_lines
from game.classroom.roster import class_dir

ClassState = Literal["running", "paused", "ended"]
"""Where the class is: playing, held by the instructor, or over."""
STATE_FILE = "class.state"
MESSAGES = "messages.log"
MAX_MESSAGE = 200
"""The longest message, in characters (one line of a wide screen)."""


def one_line(text: str) -> str:
    """A message as it is stored and shown: printable, on one line, at most
    :data:`MAX_MESSAGE` characters."""
    kept = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(kept.split())[:MAX_MESSAGE]


def write_state(saves: Path, class_code: str, state: ClassState) -> Path:
    """Set the class's state, atomically (a reader sees the old word or the new one)."""
    if state not in get_args(ClassState):
        raise ValueError(f"unknown class state {state!r}")
    folder = class_dir(saves, class_code)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STATE_FILE
    fd, tmp = tempfile.mkstemp(prefix=f".{STATE_FILE}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), 0o644)
            fh.write(f"{state}\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def read_state(saves: Path, class_code: str) -> ClassState:
    """The class's state: ``running`` when the instructor has set none (or the file does
    not say a known word)."""
    try:
        word = (class_dir(saves, class_code) / STATE_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "running"
    return word if word in ("paused", "ended") else "running"  # type: ignore[return-value]


def send_message(saves: Path, class_code: str, text: str) -> Path:
    """Append a one-line message to every student of the class; raise ValueError for an
    empty one."""
    line = one_line(text)
    if not line:
        raise ValueError("an empty message")
    return append_line(class_dir(saves, class_code) / MESSAGES, line)


def read_messages(saves: Path, class_code: str) -> list[str]:
    """Every message sent to the class so far, in order (a line still being written is
    left for next time)."""
    lines = whole_lines(class_dir(saves, class_code) / MESSAGES)
    return [one_line(line) for line in lines if line.strip()]


def stamp(saves: Path, class_code: str) -> tuple[int, ...]:
    """A cheap fingerprint of the control files (their sizes and change times, one
    ``stat`` each): a game polls this and reads the files only when it changes."""
    folder = class_dir(saves, class_code)
    out: list[int] = []
    for name in (STATE_FILE, MESSAGES):
        try:
            info = os.stat(folder / name)
        except OSError:
            out += [-1, -1]
        else:
            out += [info.st_mtime_ns, info.st_size]
    return tuple(out)


class Control(LineCursor):
    """A game's reader of its class's control files (``read``: the messages already
    shown, so that a resumed game shows none twice)."""

    def __init__(self, saves: Path, class_code: str, read: int = 0) -> None:
        super().__init__(read)
        self.saves = saves
        self.class_code = class_code

    @classmethod
    def from_now(cls, saves: Path, class_code: str) -> Control:
        """A reader that does not show the messages sent before the game began."""
        return cls(saves, class_code).skip_all()

    def lines(self) -> list[str]:
        return read_messages(self.saves, self.class_code)

    @property
    def state(self) -> ClassState:
        """The class's state now."""
        return read_state(self.saves, self.class_code)

    def stamp(self) -> tuple[int, ...]:
        """See :func:`stamp`."""
        return stamp(self.saves, self.class_code)

    def take_messages(self) -> list[str]:
        """The messages sent since the last call, in order."""
        return self.take_new()
