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
    from game.content.scenario import Scenario
    from game.engine import GameState, TurnReport
    from game.exercise import Exercise
    from game.saves import LoadedSave

INBOX = "injects.log"
DEFAULT_HOST = "127.0.0.1"
"""Where ``offramp serve`` listens unless told otherwise: this machine only."""
DEFAULT_PORT = 8000
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)]
)
"""Names Windows keeps for devices, refused as file names (class folders get copied)."""


def class_dir(saves: Path, class_code: str) -> Path:
    """The folder of a class's saves (the code is checked when the exercise loads)."""
    # Deferred: game.exercise imports pydantic and the loader (~140 ms), which
    # every caller has loaded already with its exercise; importing classroom need not.
    from game.exercise import CLASS_CODE

    if not CLASS_CODE.fullmatch(class_code):
        raise ValueError(f"bad class code {class_code!r}")
    return saves / class_code


def player_name(name: str) -> str:
    """A student's name as typed, in one canonical form: NFC, control characters and
    surrounding spaces removed, inner runs of spaces folded (the same person typing the
    same name twice gets the same name)."""
    name = unicodedata.normalize("NFC", name)
    kept = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return " ".join(kept.split())[:80]


def file_stem(name: str) -> str:
    """A student's name as a file name, in any script: letters, marks and digits of every
    script are kept, separators and punctuation become '_'; never a path, a hidden file or
    a reserved device name.  Different names may share a stem: the save's ``player`` is
    what identifies a student, the file name only has to be safe and readable."""
    out = []
    for c in player_name(name):
        cat = unicodedata.category(c)
        out.append(c if cat[0] in "LMN" or c in "-_" else "_")
    stem = re.sub(r"_+", "_", "".join(out)).strip("_-")[:40]
    if not stem or stem.lower() in _RESERVED:
        stem = f"student_{stem}" if stem else "student"
    return stem


def student_games(saves: Path, class_code: str, name: str) -> list[Path]:
    """The games of the student called ``name`` in a class, newest first: the saves whose
    ``player`` is that name (after :func:`player_name`), whatever their file is called."""
    from game.saves import SaveError, list_saves, read_save_document

    wanted = player_name(name)
    found = []
    for path in list_saves(class_dir(saves, class_code)):
        try:
            doc = read_save_document(path)
        except SaveError:
            continue
        if player_name(doc.meta.get("player", "")) == wanted:
            found.append(path)
    return found


def unfinished_game(saves: Path, exercise: Exercise, name: str) -> LoadedSave | None:
    """The student's game of this exercise still in play, to resume (None if there is
    none; an ended game or a file that does not load is left as it is, and a new game gets
    a file of its own)."""
    from game.saves import SaveError, is_finished, load_save, read_save_document

    for path in student_games(saves, exercise.info.class_code, name):
        try:
            if is_finished(read_save_document(path)):
                continue
            return load_save(path, scenario=exercise.scenario)
        except SaveError:
            continue
    return None


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
    from game.engine import opening

    return opening(exercise.scenario, exercise.setup)
