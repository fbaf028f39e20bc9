"""Classroom plumbing: where a class's saves live, student names, and the inject inbox.

A class's folder is ``saves/<class_code>/``.  Live injects are lines appended to its
``injects.log``; every session applies the lines it has not applied yet at its next turn
and records them in its save (as inject entries of the choice log), so replays stay
exact.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.content.exercise import Exercise
    from game.content.scenario import Scenario
    from game.engine import GameState, TurnReport
    from game.saves import LoadedSave

INBOX = "injects.log"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def class_dir(saves: Path, class_code: str) -> Path:
    """The folder of a class's saves (the code is checked when the exercise loads)."""
    # Deferred: game.content.exercise imports pydantic and the loader (~140 ms), which
    # every caller has loaded already with its exercise; importing classroom need not.
    from game.content.exercise import CLASS_CODE

    if not CLASS_CODE.fullmatch(class_code):
        raise ValueError(f"bad class code {class_code!r}")
    return saves / class_code


def sanitize_name(name: str) -> str:
    """A student's name as a safe file name: letters, digits, '-', '_'; never a path."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("_", ascii_name).strip("_-")[:40]
    return cleaned or "student"


def student_save(saves: Path, class_code: str, name: str) -> Path:
    """The save file of a named student in a class."""
    return class_dir(saves, class_code) / f"{sanitize_name(name)}.toml"


def free_save_path(folder: Path, name: str) -> Path:
    """A new student's save file: ``<name>.toml``, or ``<name>-2.toml``… when taken."""
    base = sanitize_name(name)
    path = folder / f"{base}.toml"
    n = 2
    while path.exists():
        path = folder / f"{base}-{n}.toml"
        n += 1
    return path


def unfinished_game(saves: Path, exercise: Exercise, name: str) -> LoadedSave | None:
    """The student's game of this exercise still in play, to resume (None if there is
    none, it has ended, or its file does not load: a new file is used then and the old
    one is left as it is)."""
    from game.saves import SaveError, load_save

    path = student_save(saves, exercise.info.class_code, name)
    if not path.is_file():
        return None
    try:
        loaded = load_save(path, scenario=exercise.scenario)
    except SaveError:
        return None
    return loaded if loaded.state.ending is None else None


def push_inject(saves: Path, class_code: str, event_id: str) -> Path:
    """Append an inject to the class's inbox (an atomic O_APPEND write of one line)."""
    folder = class_dir(saves, class_code)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / INBOX
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, f"{event_id}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def read_injects(saves: Path, class_code: str) -> list[str]:
    """Every inject pushed to the class so far, in order (empty if none)."""
    path = class_dir(saves, class_code) / INBOX
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    # a line still being written has no newline yet: leave it for next time
    lines = text.split("\n")[:-1]
    return [line.strip() for line in lines if line.strip()]


class Inbox:
    """A session's reader of its class's inject inbox.

    ``read`` counts the inbox lines already taken (applied or skipped); it is stored in
    the save's meta so that a resumed session does not apply an inject twice.
    """

    def __init__(self, saves: Path, class_code: str, read: int = 0) -> None:
        self.saves = saves
        self.class_code = class_code
        self.read = read

    @classmethod
    def from_now(cls, saves: Path, class_code: str) -> Inbox:
        """An inbox reader that ignores what was pushed before the session began."""
        return cls(saves, class_code, len(read_injects(saves, class_code)))

    def take(self) -> list[str]:
        """The injects pushed since the last call, in order."""
        lines = read_injects(self.saves, self.class_code)
        fresh = lines[self.read :]
        self.read = max(self.read, len(lines))
        return fresh


def apply_injects(
    scenario: Scenario, state: GameState, events: list[str]
) -> tuple[GameState, list[str], list[str]]:
    """Queue each event for the next turn's news through the engine.

    Returns the new state, the events applied and the reasons others were skipped (an
    event this scenario does not have, or a game already over); an inject never stops a
    game.
    """
    from game.engine import EngineError, inject

    applied: list[str] = []
    skipped: list[str] = []
    for event in events:
        try:
            state = inject(scenario, state, event)
        except EngineError as exc:
            skipped.append(f"inject {event!r} skipped: {exc}")
        else:
            applied.append(event)
    return state, applied, skipped


def open_exercise(exercise: Exercise) -> tuple[GameState, TurnReport]:
    """The exercise's game at its first decision, with the opening report."""
    from game.engine import open_game

    return open_game(
        exercise.scenario,
        exercise.info.seed,
        exercise.lens,
        hidden=exercise.hidden,
        turn_limit=exercise.turn_limit,
        schedule=exercise.schedule,
        allowed_cards=exercise.allowed_cards,
    )
