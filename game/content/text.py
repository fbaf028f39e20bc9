"""Text that is safe to print: no control characters, no terminal escape sequences.

Content is checked when it loads (:data:`PRINTABLE` is the pattern every text field
must match).  Text that never passed that check — a save's metadata, a student's name —
goes through :func:`printable` before it is shown.
"""

from __future__ import annotations

import re

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
