"""Files of lines in a class's folder: the inject inbox, the instructor's messages, the
ballot box of a class vote.

A line is added with one ``O_APPEND`` write and made durable before the call returns, so
writers in several processes never interleave and a crash loses at most the line being
written; readers take only whole lines, leaving a line still being written (no newline
yet) for their next read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Self


def append_line(path: Path, line: str) -> Path:
    """Add ``line`` (one line, without its newline) to the file, creating it and its
    folder if need be; raise OSError when it cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, f"{line}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def whole_lines(path: Path) -> list[str]:
    """The file's whole lines, in order (none if there is no file yet)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return text.split("\n")[:-1]


class LineCursor:
    """Takes each line of one of these files once, in order: a game's reader of its
    class's inbox or messages.

    ``read`` counts the lines taken; a game keeps it in its save's meta, so that resumed
    it takes none twice."""

    def __init__(self, read: int = 0) -> None:
        self.read = read

    def lines(self) -> list[str]:
        """Every line of the file so far (each reader reads its own file)."""
        raise NotImplementedError

    def skip_all(self) -> Self:
        """Take nothing of what is there now (a game that begins late)."""
        self.read = len(self.lines())
        return self

    def take_new(self) -> list[str]:
        """The lines added since the last call, in order."""
        lines = self.lines()
        fresh = lines[self.read :]
        self.read = max(self.read, len(lines))
        return fresh
