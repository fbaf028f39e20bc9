"""The meters panel: the escalation ladder and the secondary meters, read from the View.

Every meter shows its number, its label, its band and its change since last turn as text
(▲+3, ▼−2, =0); estimates show their uncertainty band as a range and as '▒' in the bar.
On short terminals (``compact``) the ladder takes one line and each meter one line, in
columns, so the decision card keeps the room.
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
from game.ui.widgets.onepass import ScrollWithLayout
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


def ladder_line(ladder: LadderView, label: str) -> Doc:
    """The ladder in one line: its change, the current rung's name, the rung's number and
    how far the top is."""
    steps = ladder.steps_to_top
    if steps <= 0:
        near = "TOP REACHED"
    elif steps == 1:
        near = "the next rung ends the game!"
    else:
        near = f"{steps} below the top"
    return Doc().add(
        (label, "bold"),
        " ",
        (delta_text(ladder.delta), "bold"),
        " ",
        (ladder.name, "bold reverse" if ladder.rung else "bold"),
        f" ({ladder.rung}/{ladder.top}) · ",
        (near, "bold" if steps <= 1 else "italic"),
    )


def short_label(meter: MeterView) -> str:
    """The label of a meter in one line: an estimate's '(est.)' goes, as its '≈' says it."""
    label = meter.label
    if meter.visibility == "estimate" and label.endswith(")") and " (est" in label:
        label = label[: label.rindex(" (est")]
    return label


def meter_reading(meter: MeterView) -> str:
    """The number and its change, as one line shows them: '70 ▼−3', '≈59 =0', 'hidden'."""
    if meter.value is None:
        return "hidden"
    mark = "≈" if meter.visibility == "estimate" else ""
    return f"{mark}{meter.value} {delta_text(meter.delta)}".rstrip()


def meter_lines(meters: tuple[MeterView, ...], width: int) -> list[Content]:
    """Every meter in one line, in as many columns as ``width`` holds (down each column
    first): label, number and change, then the band and an estimate's range if they fit.
    A label too long for its column is cut with '…'."""
    if not meters:
        return []
    gap = 2
    columns = max(1, min(len(meters), (width + gap) // (COLUMN + gap)))
    rows = -(-len(meters) // columns)
    col_width = (width - gap * (columns - 1)) // columns
    lines = [Content() for _ in range(rows)]
    for c in range(columns):
        group = meters[c * rows : (c + 1) * rows]
        if not group:
            break
        readings = [meter_reading(m) for m in group]
        reading_width = max(len(r) for r in readings)
        label_width = min(max(len(short_label(m)) for m in group), col_width - reading_width - 1)
        for row, (meter, reading) in enumerate(zip(group, readings, strict=True)):
            label = short_label(meter)
            if len(label) > label_width:
                label = label[: max(label_width - 1, 1)] + "…"
            cell = Content.assemble(
                (label.ljust(label_width), "bold"), " ", (reading.rjust(reading_width), "bold")
            )
            extras = [meter.band] if meter.band else []
            if meter.visibility == "estimate" and meter.low is not None:
                extras.append(f"({meter.low}–{meter.high})")
            for extra in extras:
                if cell.cell_length + 1 + len(extra) <= col_width:
                    cell = cell + Content(" " + extra)
            if c:
                lines[row] = lines[row].pad_right(c * (col_width + gap) - lines[row].cell_length)
            lines[row] = lines[row] + cell
    return lines


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


COLUMN = 34
"""The narrowest column of one-line meters."""


class LadderGauge(Prose):
    """The escalation ladder: rung, name, change and distance to the top."""

    ladder: reactive[LadderView | None] = reactive(None)
    full: reactive[bool] = reactive(False)
    """Also list every rung (when there is room)."""
    compact: reactive[bool] = reactive(False)
    """All in one line (on short terminals)."""

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label

    def watch_ladder(self) -> None:
        self._show()

    def watch_full(self) -> None:
        self._show()

    def watch_compact(self) -> None:
        self._show()

    def _show(self) -> None:
        if self.ladder is None:
            return
        if self.compact:
            self.update(ladder_line(self.ladder, self.label))
        else:
            self.update(ladder_doc(self.ladder, self.label, self.full))


class MeterList(Widget):
    """The secondary meters, two lines each (one, in columns, when ``compact``), in one
    widget (few widgets keep redraws fast)."""

    DEFAULT_CSS = """
    MeterList { height: auto; }
    """

    meters: reactive[tuple[MeterView, ...]] = reactive((), layout=True)
    compact: reactive[bool] = reactive(False, layout=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cache: tuple[int, tuple[MeterView, ...], bool, list[Content]] | None = None

    def lines(self, width: int) -> list[Content]:
        """Every meter's lines, wrapped to ``width``."""
        key = (width, self.meters, self.compact)
        if self._cache is None or self._cache[:3] != key:
            lines: list[Content] = []
            if self.compact:
                lines = meter_lines(self.meters, width)
            else:
                for meter in self.meters:
                    # One cell short of the edge: the panel has no right padding (room is dear).
                    for line in meter_content(meter, width - 1).split("\n"):
                        lines += line.wrap(max(width, 8))
            self._cache = (*key, lines)
        return self._cache[3]

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


class MetersPanel(ScrollWithLayout, VerticalScroll, can_focus=True):
    """The ladder above the secondary meters; scrolls when the terminal is short."""

    view: reactive[View | None] = reactive(None)
    compact: reactive[bool] = reactive(False)
    """One line for the ladder and one for each meter (on short terminals)."""

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

    def watch_compact(self, compact: bool) -> None:
        if self.is_mounted:
            self.query_one(LadderGauge).compact = compact
            self.query_one(MeterList).compact = compact

    def on_mount(self) -> None:
        self.watch_view(self.view)
        self.watch_compact(self.compact)
