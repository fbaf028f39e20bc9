"""Prose: paragraphs wrapped to the widget's width with hanging indents.

Textual wraps text to column 0; logs, timelines and citations read far better when a
wrapped line stays under its bullet.  A :class:`Doc` collects paragraphs; a
:class:`Prose` widget shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style as RichStyle
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions
from textual.widget import Widget

from game.ui.widgets.onepass import OneLayoutPass, WidgetMixin

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


class ProseLines(WidgetMixin):
    """Mixin: paragraphs kept as wrapped lines (per width) and drawn line by line."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.paras: tuple[Para, ...] = ()
        self._wrapped: dict[int, list[Content]] = {}
        """The lines by width, for these paragraphs: a layout may ask at two widths (with
        and without a scrollbar beside the text)."""
        self._strips: dict[tuple[int, int], Strip] = {}
        """Lines drawn, by (width, line), for these paragraphs in this style."""
        self._look: tuple[Style, RenderOptions, RichStyle | None] | None = None
        """The style, render options and link style every line is drawn with (until the
        style changes)."""

    def _set_paras(self, doc: Doc | Sequence[Para]) -> None:
        self.paras = tuple(doc.paras if isinstance(doc, Doc) else doc)
        self._wrapped.clear()
        self._strips.clear()

    @property
    def plain(self) -> str:
        """The text, unwrapped."""
        return "\n".join(p.prefix + p.text.plain for p in self.paras)

    def _lines(self, width: int) -> list[Content]:
        lines = self._wrapped.get(width)
        if lines is None:
            if len(self._wrapped) > 3:  # a terminal being resized
                self._wrapped.clear()
            lines = self._wrapped[width] = wrap_paras(self.paras, width)
        return lines

    def _line(self, lines: list[Content], index: int, width: int) -> Strip:
        """Line ``index`` of ``lines`` (wrapped at ``width``), drawn once."""
        if width <= 0 or not 0 <= index < len(lines):  # (no room: not laid out yet)
            return Strip.blank(max(width, 0), self.visual_style.rich_style)
        selection = self.text_selection
        if selection is None and not self.screen._selecting:
            key = (width, index)
            strip = self._strips.get(key)
            if strip is None:
                strip = self.draw_line(lines[index], width).apply_offsets(0, index)
                self._strips[key] = strip
            return strip
        # The mouse is selecting, or text is selected: drawn as Textual draws selected
        # text, links plain while the mouse selects, the selection in its own style.
        line = lines[index]
        span = None if selection is None else selection.get_span(index)
        if span is not None:
            start, end = span
            look = Style.from_styles(self.screen.get_component_styles("screen--selection"))
            line = line.stylize(look, start, len(line) if end == -1 else end)
        strip = self.draw_line(line, width, links=not self.screen._selecting)
        return strip.apply_offsets(0, index)

    def draw_line(self, line: Content, width: int, links: bool = True) -> Strip:
        """One line, as ``Visual.to_strips`` draws it (left-aligned; links plain unless
        ``links``), with the style and the link style worked out once, not for every
        line: they cost three times the line itself, and what the choice did is thirty
        lines.

        Its cells carry no selection offsets (where in the text they are): ``_line``
        gives them the line's own, so that the mouse selects what it is over."""
        if self._look is None:
            link = self.link_style if self.auto_links and not self.is_container else None
            # the widget's styles as the rules, as Textual's own to_strips passes them
            rules = self.styles
            options = RenderOptions(self._get_style, rules, None, None)  # type: ignore[arg-type]
            self._look = (self.visual_style, options, link)
        style, options, link = self._look
        strip = line.render_strips(width, 1, style, options)[0]
        return strip if link is None or not links else strip._apply_link_style(link)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._look = None


class Prose(ProseLines, OneLayoutPass, Widget):
    """Paragraphs with hanging indents; height follows the wrapped text."""

    # The lines are wrapped here, once (wrap_paras): Textual need not wrap them again.
    DEFAULT_CSS = """
    Prose { height: auto; text-wrap: nowrap; }
    """

    def update(self, doc: Doc | Sequence[Para]) -> None:
        """Show new paragraphs."""
        self._set_paras(doc)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))

    def render_line(self, y: int) -> Strip:
        """Line ``y`` alone: a long text in a short scrolling panel (the log) draws the
        lines in sight, not all of them (Textual's own render_line draws every line of
        the widget first). Lines already wrapped are drawn as they are."""
        width = self.content_size.width
        return self._line(self._lines(width), y, width)


class ProseView(ProseLines, ScrollView):
    """Paragraphs in a panel that scrolls them itself: one widget that draws its border,
    its lines and its scrollbar in one pass. (A scrolling container around a
    :class:`Prose` draws every line of its own, blank under the text, then the text's;
    Textual's scrollbar is a widget of its own, laid out when it comes or goes, drawn
    again after every layout, and with it whatever lies under its column.)

    The scrollbar is one column, drawn with the lines in the scrollbar colours of the
    panel's CSS, while the text is taller than the panel. Textual's own is kept in the
    layout at no width (``overflow-y: scroll`` lets the keys and the wheel scroll)."""

    DEFAULT_CSS = """
    ProseView {
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 0;
        text-wrap: nowrap;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._width = 0
        """The width the lines are wrapped to (the panel's, less the scrollbar if any)."""
        self._room: Size | None = None
        """The panel's inside at its last layout (hidden, it has none)."""
        self._bar: tuple[RichStyle, Strip, Strip] | None = None
        """See _bar_style."""

    def update(self, doc: Doc | Sequence[Para]) -> None:
        """Show new paragraphs, from the top."""
        self._set_paras(doc)
        self.scroll_to(0, 0, animate=False, immediate=True)
        if self._room is not None:  # sized now, so that the layout showing it is the only one
            self._fit(self._room)
        self.refresh()

    def _fit(self, room: Size) -> None:
        """Wrap to the panel's width, less a column for the scrollbar when the text is
        taller than the panel, and scroll over that many lines."""
        width = room.width
        if len(self._lines(width)) > room.height:
            width = max(width - 1, 1)
        self._width = width
        self.virtual_size = Size(width, len(self._lines(width)))

    def on_resize(self) -> None:
        self._room = self.content_region.size
        self._fit(self._room)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._bar = None

    def draw_line(self, line: Content, width: int, links: bool = True) -> Strip:
        """The line padded to the width: the scrollbar, when shown, follows it."""
        strip = super().draw_line(line, width, links)
        return strip.adjust_cell_length(width, self._bar_style()[0])

    def render(self) -> Content:
        return Content("\n").join(self._lines(self._width))

    def render_line(self, y: int) -> Strip:
        """The line in sight at row ``y`` (only the lines in sight are drawn), and its
        cell of the scrollbar."""
        width = self._width
        lines = self._lines(width)
        line = self._line(lines, self.scroll_offset.y + y, width)
        room = self._room
        if room is None or width >= room.width:  # the text fits: no scrollbar
            return line
        return Strip.join([line, self._bar_cell(y, len(lines), room.height)])

    def _bar_cell(self, y: int, total: int, seen: int) -> Strip:
        """Row ``y`` of a scrollbar over ``total`` lines of which ``seen`` are in sight."""
        _, track, thumb = self._bar_style()
        size = max(1, round(seen * seen / total))
        start = round(self.scroll_offset.y * (seen - size) / max(total - seen, 1))
        return thumb if start <= y < start + size else track

    def _bar_style(self) -> tuple[RichStyle, Strip, Strip]:
        """The panel's own style (to pad lines with), and the scrollbar's track and thumb
        cells (until the style changes)."""
        if self._bar is None:
            styles = self.styles
            track = RichStyle(bgcolor=styles.scrollbar_background.rich_color)
            thumb = RichStyle(bgcolor=styles.scrollbar_color.rich_color)
            own = self.visual_style.rich_style
            self._bar = (own, Strip.blank(1, track), Strip.blank(1, thumb))
        return self._bar
