"""The one error type for content: every problem with its file, line and key path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.content.text import one_line

KeyPath = tuple[str | int, ...]


def format_key_path(path: KeyPath) -> str:
    """Render ('cards', 3, 'options', 0, 'text') as 'cards[3].options[0].text'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""

    file: Path
    line: int | None
    key_path: KeyPath
    message: str
    severity: str = "error"
    """"error" (the content cannot load), "warning" (it loads, but is likely a mistake;
    `offramp validate --strict` refuses it) or "info" (something worth knowing)."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        key = format_key_path(self.key_path)
        message = self.message if self.severity == "error" else f"{self.severity}: {self.message}"
        text = f"{where}: {key}: {message}" if key else f"{where}: {message}"
        return one_line(text)  # a key or a file name may hold escapes: print them inert


class ContentError(Exception):
    """Content that cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(
            problems, key=lambda p: (str(p.file), p.line or 0, format_key_path(p.key_path))
        )
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the content:\n"
            + "\n".join(str(p) for p in self.problems)
        )
