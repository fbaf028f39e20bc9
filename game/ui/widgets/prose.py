"""Prose: paragraphs wrapped to the widget's width with hanging indents.

Textual wraps text to column 0; logs, timelines and citations read far better when a
wrapped line stays under its bullet.  A :class:`Doc` collects paragraphs; a
:class:`Prose` widget shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from game.ui.widgets.onepass import OneLayoutPass

Part = Content | str | tuple[str, str]


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph: a first-line prefix, the indent of later lines, the text."""

    prefix: str
    indent: int
    text: Content


class Doc:
    """Paragraphs being written, for a :class:`Prose` widget."""

    def __init__(self) -> None:
        self.paras: list[Para] = []

    def add(self, *parts: Part, prefix: str = "", indent: int | None = None) -> Doc:
        """A paragraph; wrapped lines are indented like the text after ``prefix``."""
        text = Content.assemble(*parts)
        self.paras.append(Para(prefix, len(prefix) if indent is None else indent, text))
        return self

    def blank(self) -> Doc:
        """An empty line (never two in a row, never first)."""
        if self.paras and self.paras[-1].text.plain:
            self.paras.append(Para("", 0, Content()))
        return self

    def plain(self) -> str:
        """The text without wrapping (for tests and exports)."""
        return "\n".join(p.prefix + p.text.plain for p in self.paras)


def wrap_paras(paras: Sequence[Para], width: int) -> list[Content]:
    """The paragraphs as lines at most ``width`` cells wide."""
    lines: list[Content] = []
    for para in paras:
        if not para.text.plain and not para.prefix:
            lines.append(Content())
            continue
        indent = min(para.indent, max(width - 8, 0))
        room = max(width - max(indent, len(para.prefix)), 8)
        for n, line in enumerate(para.text.wrap(room) or [Content()]):
            lead = para.prefix if n == 0 else " " * indent
            lines.append(Content(lead) + line)
    return lines


class Prose(OneLayoutPass, Widget):
    """Paragraphs with hanging indents; height follows the wrapped text."""

    DEFAULT_CSS = """
    Prose { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.paras: tuple[Para, ...] = ()
        self._cache: tuple[int, list[Content]] | None = None

    def update(self, doc: Doc | Sequence[Para]) -> None:
        """Show new paragraphs."""
        self.paras = tuple(doc.paras if isinstance(doc, Doc) else doc)
        self._cache = None
        self.refresh(layout=True)

    @property
    def plain(self) -> str:
        """The text, unwrapped."""
        return "\n".join(p.prefix + p.text.plain for p in self.paras)

    def _lines(self, width: int) -> list[Content]:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, wrap_paras(self.paras, width))
        return self._cache[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))
