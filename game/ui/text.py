"""Small text helpers shared by the widgets: changes in words and glyphs, bars, glossary links.

Nothing here is shown by colour alone: every change carries a sign and an arrow, every
bar a number beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.style import Style

if TYPE_CHECKING:
    from game.content.models import Citation, GlossaryEntry
    from game.content.scenario import Scenario

MINUS = "−"


def pick_keys(count: int) -> str:
    """The number keys that pick among ``count`` options: '1–3' for three, '1' for one."""
    return "1" if count <= 1 else f"1–{count}"


def signed(delta: int) -> str:
    """A change as '+3', '−2' or '0' (with a real minus sign)."""
    if delta > 0:
        return f"+{delta}"
    if delta < 0:
        return f"{MINUS}{-delta}"
    return "0"


def delta_text(delta: int | None) -> str:
    """A change since last turn with an arrow: '▲+3', '▼−2', '=0' ('' when unknown)."""
    if delta is None:
        return ""
    if delta > 0:
        return f"▲{signed(delta)}"
    if delta < 0:
        return f"▼{signed(delta)}"
    return "=0"


def bar(value: int, low: int, high: int, lo: int, hi: int, width: int) -> str:
    """A gauge: '█' up to the band's low end, '▒' across the uncertainty band, '░' beyond."""
    width = max(width, 1)
    span = max(hi - lo, 1)

    def cells(x: int) -> int:
        return round((min(max(x, lo), hi) - lo) * width / span)

    solid = cells(low)
    band = max(cells(high) - solid, 0)
    if low == high:
        solid, band = cells(value), 0
    return "█" * solid + "▒" * band + "░" * (width - solid - band)


def cite(scenario: Scenario, citation: Citation) -> str:
    """A citation as 'Essay title (000 ¶8)'."""
    source = scenario.source.get(citation.source)
    name = source.title if source else citation.source
    return f"{name} ({citation.label()})"


def source_name(scenario: Scenario, source_id: str) -> str:
    """An essay's short name: its author if known, else its title."""
    source = scenario.source.get(source_id)
    if source is None:
        return source_id
    return source.author or source.title


# --- the glossary -------------------------------------------------------------------


_Compiled = tuple[re.Pattern[str] | None, dict[str, int]]
_CACHE: dict[int, tuple[Sequence[GlossaryEntry], _Compiled]] = {}


def _pattern(entries: Sequence[GlossaryEntry]) -> _Compiled:
    """One regular expression finding every term and alias (compiled once per glossary)."""
    cached = _CACHE.get(id(entries))
    if cached is not None and cached[0] is entries:
        return cached[1]
    compiled = _compile(entries)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(entries)] = (entries, compiled)
    return compiled


def _compile(entries: Sequence[GlossaryEntry]) -> _Compiled:
    names: dict[str, int] = {}
    for index, entry in enumerate(entries):
        for name in (entry.term, *entry.aliases):
            names.setdefault(name.casefold(), index)
    if not names:
        return None, names
    alternatives = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(n) for n in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), names


def glossary_terms(entries: Sequence[GlossaryEntry], text: str) -> list[int]:
    """Indices of the glossary entries whose term (or alias) appears in ``text``, in order."""
    pattern, names = _pattern(entries)
    if pattern is None:
        return []
    found: list[int] = []
    for match in pattern.finditer(text):
        index = names[match.group(0).casefold()]
        if index not in found:
            found.append(index)
    return found


def linked(entries: Sequence[GlossaryEntry], text: str) -> Content:
    """``text`` with each glossary term underlined and clickable (it opens the glossary)."""
    pattern, names = _pattern(entries)
    content = Content(text)
    if pattern is None:
        return content
    for match in pattern.finditer(text):
        index = names[match.group(0).casefold()]
        style = Style(underline=True) + Style.from_meta({"@click": f"app.look_up({index})"})
        content = content.stylize(style, match.start(), match.end())
    return content
