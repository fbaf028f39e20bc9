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

INBOX = "injects.log"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def class_dir(saves: Path, class_code: str) -> Path:
    """The folder of a class's saves (the code is checked when the exercise loads)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}", class_code):
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
