"""Text that is safe to print: no control characters, no terminal escape sequences.

Content is checked when it loads (:data:`PRINTABLE` is the pattern every text field
must match).  Text that never passed that check — a save's metadata, a student's name —
goes through :func:`printable` before it is shown.
"""

from __future__ import annotations

import re
from typing import Final

PRINTABLE = r"^[^\x00-\x08\x0B-\x1F\x7F-\x9F]*$"
"""Text with no control character but newline and tab: no C0, DEL or C1 (ESC is C0)."""

_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F\x7F-\x9F]")
_ANY_CONTROL = re.compile(r"[\x00-\x1F\x7F-\x9F]")
_SEQUENCE = re.compile(
    r"""
      \x1B\[ [\x30-\x3F]* [\x20-\x2F]* [\x40-\x7E]?         # CSI: colours, cursor moves
    | \x9B   [\x30-\x3F]* [\x20-\x2F]* [\x40-\x7E]?         # the same, as one C1 byte
    | [\x1B][\]PX^_] [^\x07\x1B\x9C\n]* (?:\x07|\x1B\\|\x9C)?  # OSC, DCS...: titles, links
    | [\x90\x98\x9D\x9E\x9F] [^\x07\x1B\x9C\n]* (?:\x07|\x1B\\|\x9C)?
    | \x1B [\x20-\x2F]* [\x30-\x7E]?                        # any other escape
    """,
    re.VERBOSE,
)
"""A terminal escape sequence: removed whole, so no '[31m' is left behind."""


def printable(text: str) -> str:
    """``text`` without control characters or escape sequences; newlines and tabs stay.

    >>> printable("Ann\\x1b[31m Smith\\x07\\n")
    'Ann Smith\\n'
    """
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


def first_control(text: str) -> int | None:
    """The index of the first character :data:`PRINTABLE` refuses, or None."""
    found = _CONTROL.search(text)
    return found.start() if found else None


def one_line(text: str) -> str:
    """``text`` with every control character (newline and tab too) written as ``\\xNN``."""
    return _ANY_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# --- placeholders: game text that follows the game's real length ----------------------

PLACEHOLDERS: Final = {
    "turn_limit": "the game's number of turns, e.g. 24 (an exercise's, when it sets one)",
    "months": "the months those turns span (turns × `months_per_turn`), e.g. 24",
    "duration": 'that span in words: "two years", "18 months", "ten months"',
    "Duration": 'the same with a capital, to begin a sentence: "Two years"',
}
"""The placeholders a briefing, summary, role or ending text may use, and what each
becomes (see :func:`fill`)."""

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\s]*)\}")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


FILLED: Final = "the scenario's `summary` and `role`, the briefing and the endings' `text`"
"""Where the game fills in placeholders (the loader checks them there)."""


def placeholders(text: str) -> list[str]:
    """The names of the ``{name}`` placeholders of ``text``, in order (``{{`` and ``}}``
    are braces, not placeholders)."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) is not None]


def duration(months: int) -> str:
    """A span of months in words: 'two years', 'one year', '18 months', 'ten months'."""
    if months % 12 == 0 and months:
        years = months // 12
        count = _WORDS[years] if years < len(_WORDS) else str(years)
        return f"{count} year{'s' if years != 1 else ''}"
    count = _WORDS[months] if months < len(_WORDS) else str(months)
    return f"{count} month{'s' if months != 1 else ''}"


def fill(text: str, turn_limit: int, months_per_turn: int) -> str:
    """``text`` with its placeholders (:data:`PLACEHOLDERS`) filled in for a game of
    ``turn_limit`` turns of ``months_per_turn`` months: the one place game text learns
    the game's real length.  An unknown placeholder stays as written (the loader refuses
    one in content).

    >>> fill("At most {months} months. {Duration} on; {{braces}}.", 10, 1)
    'At most 10 months. Ten months on; {braces}.'
    """
    if "{" not in text and "}" not in text:
        return text
    months = turn_limit * months_per_turn
    words = duration(months)
    values = {
        "turn_limit": str(turn_limit),
        "months": str(months),
        "duration": words,
        "Duration": words[:1].upper() + words[1:],
    }

    def one(m: re.Match[str]) -> str:
        whole = m.group(0)
        if whole in ("{{", "}}"):
            return whole[0]
        return values.get(m.group(1), whole)

    return _PLACEHOLDER.sub(one, text)
