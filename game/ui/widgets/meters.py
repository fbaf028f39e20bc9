"""The meters panel: the escalation ladder and the secondary meters, read from the View.

Every meter shows its number, its label, its band and its change since last turn as text
(▲+3, ▼−2, =0); estimates show their uncertainty band as a range and as '▒' in the bar.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from game.engine.view import LadderView, MeterView, View
from game.ui.text import bar, delta_text
from game.ui.widgets.prose import Doc, Prose


def ladder_doc(ladder: LadderView, label: str, full: bool) -> Doc:
    """The ladder: its change, the current rung's name, a gauge and how close the top is;
    with ``full``, every rung with a mark at the current one."""
    steps = ladder.steps_to_top
    if steps <= 0:
        near = "TOP REACHED"
    elif steps == 1:
        near = "1 rung below the top: the next one ends the game!"
    else:
        near = f"{steps} rungs below the top"
    gauge = "■" * ladder.rung + "□" * (ladder.top - ladder.rung)
    doc = Doc().add((label, "bold"), "  ", (delta_text(ladder.delta), "bold"))
    doc.add((ladder.name, "bold reverse" if ladder.rung else "bold"))
    doc.add(gauge, f" rung {ladder.rung} of {ladder.top}")
    doc.add((near, "bold" if steps <= 1 else "italic"))
    if full:
        for number in range(ladder.top, -1, -1):
            here = number == ladder.rung
            style = "bold" if here else "dim"
            doc.add((ladder.names[number], style), prefix=f"{'▶' if here else ' '}{number:>2} ")
    return doc


def meter_content(meter: MeterView, width: int) -> Content:
    """One meter in two lines: label, number and change; then bar, band and estimate range.

    When the label leaves no room for the number beside it, the number moves under it,
    beside the bar; the bar shrinks (to 4 cells) before anything wraps.
    """
    if meter.value is None:
        return Content.assemble((meter.label, "bold"), "\n", ("hidden until the debrief", "italic"))
    low = meter.low if meter.low is not None else meter.value
    high = meter.high if meter.high is not None else meter.value
    estimate = meter.visibility == "estimate"
    head = f"{'≈' if estimate else ''}{meter.value} {delta_text(meter.delta)}"
    spread = f"({low}–{high})" if estimate else ""

    def gauge(rest: str) -> str:
        cells = max(4, min(10, width - len(rest) - 1))
        return bar(meter.value or 0, low, high, meter.min, meter.max, cells)

    if len(meter.label) + 1 + len(head) <= width:
        tail = " ".join(t for t in (meter.band, spread) if t)
        gap = width - len(meter.label) - len(head)
        return Content.assemble(
            (meter.label, "bold"), " " * gap, (head, "bold"), "\n", gauge(tail), " ", tail
        )
    rest = " ".join(t for t in (head, spread, meter.band) if t)
    return Content.assemble(
        (meter.label, "bold"),
        "\n",
        gauge(rest),
        " ",
        (head, "bold"),
        " ",
        " ".join(t for t in (spread, meter.band) if t),
    )


class LadderGauge(Prose):
    """The escalation ladder: rung, name, change and distance to the top."""

    ladder: reactive[LadderView | None] = reactive(None)
    full: reactive[bool] = reactive(False)
    """Also list every rung (when there is room)."""

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label

    def watch_ladder(self) -> None:
        self._show()

    def watch_full(self) -> None:
        self._show()

    def _show(self) -> None:
        if self.ladder is not None:
            self.update(ladder_doc(self.ladder, self.label, self.full))


class MeterList(Widget):
    """The secondary meters, two lines each, in one widget (few widgets keep redraws fast)."""

    DEFAULT_CSS = """
    MeterList { height: auto; }
    """

    meters: reactive[tuple[MeterView, ...]] = reactive((), layout=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cache: tuple[int, tuple[MeterView, ...], list[Content]] | None = None

    def lines(self, width: int) -> list[Content]:
        """Every meter's lines, wrapped to ``width``."""
        if self._cache is None or self._cache[:2] != (width, self.meters):
            lines: list[Content] = []
            for meter in self.meters:
                # One cell short of the edge: the panel has no right padding (room is dear).
                for line in meter_content(meter, width - 1).split("\n"):
                    lines += line.wrap(max(width, 8))
            self._cache = (width, self.meters, lines)
        return self._cache[2]

    def text_of(self, meter_id: str) -> str:
        """One meter's text (for tests and plain reading)."""
        for meter in self.meters:
            if meter.id == meter_id:
                return meter_content(meter, self.content_size.width or 26).plain
        return ""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))


class MetersPanel(VerticalScroll, can_focus=True):
    """The ladder above the secondary meters; scrolls when the terminal is short."""

    view: reactive[View | None] = reactive(None)

    def __init__(self, ladder_label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ladder_label = ladder_label

    def compose(self) -> ComposeResult:
        yield LadderGauge(self.ladder_label, id="ladder")
        yield MeterList(id="meter-list")

    def watch_view(self, view: View | None) -> None:
        if view is None or not self.is_mounted:
            return
        self.query_one(LadderGauge).ladder = view.ladder
        self.query_one(MeterList).meters = view.meters

    def on_mount(self) -> None:
        self.watch_view(self.view)
