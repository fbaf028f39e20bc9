"""One layout pass per change for the widgets a turn redraws, and scrolling that leaves
no stale picture behind.

When a layout gives a widget a new virtual (scrollable) size, Textual sets its
``virtual_size`` reactive, which asks for a second layout of the whole screen and a
repaint of the whole widget, though the first layout already placed everything at that
size (and updated the scrollbars). After a choice that was a second pass over the screen
and the effects drawn twice (benchmarks/bench_ui.py). Widgets with this mixin keep the
new virtual size without asking for it; a change of their real size still repaints them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget

if TYPE_CHECKING:
    WidgetMixin = Widget
else:
    WidgetMixin = object
    """The base of a mixin for Textual widgets: ``Widget`` to the type checker, but not a
    Textual class at run time. Textual inherits a widget's CSS (its DEFAULT_CSS and the
    type names selectors match) only along the first Textual class among each class's
    bases: a mixin that subclassed Widget, listed first, cut a VerticalScroll off from
    its own CSS (``overflow-y: auto``), and the panels could not scroll."""


class OneLayoutPass(WidgetMixin):
    """Mixin, listed before the Textual widget class it modifies."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class ScrollWithLayout(WidgetMixin):
    """Mixin for the turn screen's scrolling panels: a scroll lays the screen out again.

    Textual scrolls by a fast path that maps only the widgets in sight and rebuilds its
    map of the whole screen later, when first asked. If a panel is hidden or shown in
    between (what the choice did giving way to the card, the advisors to the card), that
    rebuild already sees the new panels, the next layout finds nothing changed, and the
    hidden panel stays on the screen where it was. A layout with each scroll keeps the
    map whole; a scroll costs one layout, a few milliseconds, at the reader's pace.
    """

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.refresh(layout=True)
