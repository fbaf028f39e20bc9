"""The class's folder and its students: where a class's saves live, and student names.

A class's folder is ``saves/<class_code>/``; each student's game is a file in it, named
after the student (:func:`file_stem`) and identified by the save's ``player``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.classroom.exercise import Exercise
    from game.saves import GameLock, LoadedSave

_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)]
)
"""Names Windows keeps for devices, refused as file names (class folders get copied)."""


def class_dir(saves: Path, class_code: str) -> Path:
    """The folder of a class's saves (the code is checked when the exercise loads)."""
    # Deferred: game.classroom.exercise imports pydantic and the loader (~140 ms), which
    # every caller has loaded already with its exercise; importing classroom need not.
    from game.classroom.exercise import CLASS_CODE

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


def claim_name(saves: Path, class_code: str, name: str) -> GameLock:
    """Hold a student's name in a class while one window plays under it (a lock beside the
    saves, named after a digest of the name: file stems may be shared); raise GameInUse,
    saying so, when another window holds it.  Two tabs under one name would otherwise
    each start or resume a game of that student."""
    from game.saves import GameInUse, GameLock

    folder = class_dir(saves, class_code)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(player_name(name).encode("utf-8")).hexdigest()[:16]
    lock = GameLock(folder / f"player-{digest}")
    try:
        lock.acquire()
    except GameInUse as exc:
        raise GameInUse(
            f"the name {player_name(name)!r} is in use in class {class_code}: a game under it "
            "is open in another window or tab. Close it there, or join under another name."
        ) from exc
    return lock


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
