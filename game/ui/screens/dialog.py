"""The base of every dialog: a modal screen over the dimmed board, drawn once.

A :class:`~textual.screen.ModalScreen` shows the screen below through its translucent
background. Each time the dialog's own background is repainted, Textual composes that
whole screen again (every line of every widget, cut and joined) and tints it segment by
segment; opening a dialog repaints it three times (resume, resize, the first layout of
its content) over a board that has not changed: about 12 ms of CPU each at 100x30, a
third of a turn that opens a dialog (benchmarks/bench_ui.py). :class:`Dialog` keeps the
dimmed board until the board reports a change (Textual refreshes the dialog with the
board's changed regions) or the size or colour differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen
from textual.strip import Strip, StripRenderable
from textual.visual import RenderOptions, RichVisual, Visual

if TYPE_CHECKING:
    from typing import Self

    from textual.color import Color
    from textual.geometry import Region
    from textual.screen import Screen
    from textual.style import Style

ResultType = TypeVar("ResultType")


class _Tinted:
    """Lines of the board with the dialog's translucent background over them (what
    Textual's BackgroundScreen draws, from lines already composed)."""

    def __init__(self, board: list[Strip], color: Color) -> None:
        self.board = board
        self.color = color

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        segments = console.render(StripRenderable(self.board), options)
        return BackgroundScreen.process_segments(segments, self.color)


class _Behind(RichVisual):
    """The dimmed board, composed and tinted again only for another size or style."""

    def __init__(self, dialog: Dialog[Any], board: Screen[Any], color: Color) -> None:
        super().__init__(dialog, _Tinted([], color))
        self.board = board
        self.color = color
        self._drawn: tuple[tuple[int, int | None, object], list[Strip]] | None = None

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        key = (width, height, style.rich_style)
        if options.selection is None and self._drawn is not None and self._drawn[0] == key:
            return self._drawn[1]
        self._renderable = _Tinted(self.board._compositor.render_strips(), self.color)
        strips = super().render_strips(width, height, style, options)
        self._drawn = (key, strips)
        return strips


class Dialog(ModalScreen[ResultType]):
    """A modal screen that keeps the dimmed board below it until the board changes."""

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._behind: _Behind | None = None

    def render(self) -> RenderableType | Visual:  # type: ignore[override]
        rendered = super().render()
        if not isinstance(rendered, BackgroundScreen):
            return rendered
        kept = self._behind
        if kept is None or kept.board is not rendered.screen or kept.color != rendered.color:
            kept = self._behind = _Behind(self, rendered.screen, rendered.color)
        return kept

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        # Textual passes the regions of the screen below that changed (and only then
        # regions): the board must be composed again.
        if regions:
            self._behind = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
