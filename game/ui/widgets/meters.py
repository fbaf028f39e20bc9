"""The meters panel: the escalation ladder and the secondary meters, read from the View.

Every meter shows its number, its label, its band and its change since last turn as text
(▲+3, ▼−2, =0); estimates show their uncertainty band as a range and as '▒' in the bar.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from game.engine.view import LadderView, MeterView, View
from game.ui.text import bar, delta_text


def ladder_content(ladder: LadderView, label: str, full: bool) -> Content:
    """The ladder: current rung, its name, the change, how close the top is."""
    change = delta_text(ladder.delta)
    parts: list[Content | str | tuple[str, str]] = [
        (label, "bold"),
        f"  rung {ladder.rung} of {ladder.top}  ",
        (change, "bold"),
        "\n",
        (ladder.name, "bold reverse" if ladder.rung else "bold"),
        "\n",
    ]
    steps = ladder.steps_to_top
    gauge = "■" * ladder.rung + "□" * (ladder.top - ladder.rung)
    if steps <= 0:
        near = "TOP REACHED"
    elif steps == 1:
        near = "1 rung below the top!"
    else:
        near = f"{steps} rungs below the top"
    parts += [gauge, " ", (near, "bold" if steps <= 1 else "")]
    if full:
        parts.append("\n")
        for number in range(ladder.top, -1, -1):
            here = number == ladder.rung
            mark = "▶" if here else " "
            line = f"{mark}{number:>2} {ladder.names[number]}"
            parts.append((line, "bold" if here else "$text-muted"))
            if number:
                parts.append("\n")
    return Content.assemble(*parts)


def meter_content(meter: MeterView, width: int) -> Content:
    """One meter in two lines: label, number, change; then its bar and band."""
    if meter.value is None:
        return Content.assemble((meter.label, "bold"), "  ", ("hidden", "italic"))
    low = meter.low if meter.low is not None else meter.value
    high = meter.high if meter.high is not None else meter.value
    if meter.visibility == "estimate":
        number = f"≈{meter.value}"
        band_text = f"est. {low}–{high}"
    else:
        number = f"{meter.value}"
        band_text = ""
    change = delta_text(meter.delta)
    head = f"{number} {change}"
    gap = max(1, width - len(meter.label) - len(head))
    gauge = bar(meter.value, low, high, meter.min, meter.max, min(10, max(width - 16, 6)))
    tail = " ".join(t for t in (meter.band, band_text) if t)
    return Content.assemble(
        (meter.label, "bold"),
        " " * gap,
        (head, "bold"),
        "\n",
        gauge,
        " ",
        (tail, "italic" if meter.visibility == "estimate" else ""),
    )


class LadderGauge(Static):
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
            self.update(ladder_content(self.ladder, self.label, self.full))


class MeterLine(Static):
    """One secondary meter."""

    meter: reactive[MeterView | None] = reactive(None, layout=True)

    def watch_meter(self) -> None:
        self._show()

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        if self.meter is not None:
            self.update(meter_content(self.meter, self.content_size.width or 26))


class MetersPanel(VerticalScroll, can_focus=True):
    """The ladder above the secondary meters; scrolls when the terminal is short."""

    view: reactive[View | None] = reactive(None)

    def __init__(
        self, ladder_label: str, meter_ids: tuple[str, ...], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.ladder_label = ladder_label
        self.meter_ids = meter_ids

    def compose(self) -> ComposeResult:
        yield LadderGauge(self.ladder_label, id="ladder")
        for meter_id in self.meter_ids:
            yield MeterLine(id=f"meter-{meter_id}", classes="meter")

    def watch_view(self, view: View | None) -> None:
        if view is None or not self.is_mounted:
            return
        self.query_one(LadderGauge).ladder = view.ladder
        for meter in view.meters:
            self.query_one(f"#meter-{meter.id}", MeterLine).meter = meter

    def on_mount(self) -> None:
        self.watch_view(self.view)
