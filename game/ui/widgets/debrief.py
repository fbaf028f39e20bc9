"""Debrief widgets: what the meter chart shows (:class:`Chart`, drawn by
:mod:`game.ui.widgets.plot`), and the meters over time as text with block characters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from game.ui.text import signed

if TYPE_CHECKING:
    from game.content.scenario import Scenario
    from game.debrief import Debrief

LEVELS = " ▁▂▃▄▅▆▇█"


def column_chart(values: Sequence[int], low: int, high: int, rows: int, width: int) -> list[str]:
    """``values`` as columns of block characters, ``rows`` high, at most ``width`` wide."""
    if not values:
        return [""] * rows
    per = max(1, min(3, width // len(values)))
    span = max(high - low, 1)
    lines = []
    for row in range(rows):
        floor = (rows - 1 - row) * 8
        cells = []
        for value in values:
            level = round((min(max(value, low), high) - low) * rows * 8 / span)
            if value > low and level == 0:
                level = 1  # a value above the floor is never drawn as nothing
            cells.append(LEVELS[max(0, min(8, level - floor))] * per)
        lines.append("".join(cells))
    return lines


def turn_axis(count: int, per: int) -> str:
    """Turn numbers under the columns: 1 and every fifth turn labelled, others dotted."""
    marks = []
    for turn in range(1, count + 1):
        label = str(turn) if turn == 1 or turn % 5 == 0 else "·"
        marks.append(label.ljust(per)[:per] if len(label) <= per else "|".ljust(per))
    return "".join(marks)


def chart_content(
    history: Mapping[str, Sequence[int]],
    ranges: Mapping[str, tuple[int, int]],
    width: int,
    rows: int,
) -> Content:
    """Every meter's history: a headline with first, last, lowest and highest values, then
    a column chart with its scale on the left and turn numbers below."""
    parts: list[Content | str | tuple[str, str]] = []
    for label, values in history.items():
        if not values:
            continue
        low, high = ranges.get(label, (min(values), max(values)))
        if parts:
            parts.append("\n\n")
        change = values[-1] - values[0]
        sign = "▲" if change > 0 else "▼" if change < 0 else "="
        parts += [
            (label, "bold"),
            f"  {values[0]} → {values[-1]} ({sign}{signed(change)})"
            f"  lowest {min(values)}, highest {max(values)}",
        ]
        scale = max(len(str(high)), len(str(low)))
        lines = column_chart(values, low, high, rows, max(width - scale - 2, 8))
        for i, line in enumerate(lines):
            tick = str(high) if i == 0 else str(low) if i == rows - 1 else ""
            parts += ["\n", (f"{tick:>{scale}}", "dim"), "┤" if tick else "│", line]
        axis = turn_axis(len(values), max(1, min(3, max(width - scale - 2, 8) // len(values))))
        parts += ["\n", " " * scale, "└", (axis, "dim"), ("  turn (last: the end)", "dim italic")]
    if not parts:
        parts.append(("No history to draw.", "italic"))
    return Content.assemble(*parts)


class MeterChart(Widget):
    """The meters over the turns, one small column chart each; taller on tall terminals."""

    DEFAULT_CSS = """
    MeterChart { height: auto; }
    """

    history: reactive[dict[str, tuple[int, ...]]] = reactive(dict, layout=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ranges: dict[str, tuple[int, int]] = {}
        """Meter label -> (min, max), to draw each history to scale."""

    def render(self) -> Content:
        rows = 5 if self.app.size.height >= 34 else 3
        return chart_content(self.history, self.ranges, self.content_size.width or 76, rows)


ALL_METERS = "meters"
"""The chart view with every meter that shares the most common range, on one plot."""
LADDER = "ladder"
"""The chart view of the escalation ladder, its rungs named on the axis."""


@dataclass(frozen=True, slots=True)
class Chart:
    """One plot of the meter chart: which lines, on which scale, with which marks."""

    title: str
    series: tuple[tuple[str, tuple[int, ...]], ...]
    """(meter label, value at the start of each turn, then the end)."""
    low: int
    high: int
    bands: tuple[tuple[int, str], ...] = ()
    """(threshold, band name): where each band above the lowest begins."""
    rungs: tuple[str, ...] = ()
    """The ladder's rung names, bottom first (the escalation view only)."""
    moments: tuple[int, ...] = ()
    """Turns of the decisive moments among these lines."""
    xlabel: str = "turn"
    span: int = 0
    """Points on the turn axis: the longest game's, so every lens's chart has the same
    axis (0: this chart's own)."""


def chart_views(scenario: Scenario) -> list[tuple[str, str]]:
    """(view id, label) of every view the chart offers: all meters of the common range
    together, the ladder, then each meter alone."""
    low, high = _common_range(scenario)
    views = [(ALL_METERS, f"All meters ({low}–{high})")]
    views.append((LADDER, scenario.ladder.label))
    views += [(m.id, m.label) for m in scenario.meters if m.id != scenario.ladder.id]
    return views


def _common_range(scenario: Scenario) -> tuple[int, int]:
    ranges = Counter((m.min, m.max) for m in scenario.meters if m.id != scenario.ladder.id)
    return ranges.most_common(1)[0][0] if ranges else (0, 100)


def build_chart(scenario: Scenario, debrief: Debrief, view: str, lens: str) -> Chart:
    """The ``view`` of the game played under ``lens``: the player's own (the debrief's
    history, with its decisive moments) or a counterfactual's."""
    if lens == debrief.lens_id:
        history, name = debrief.history, f"Yours, {debrief.lens_name}"
        ending = debrief.ending_title
    else:
        cf = next(c for c in debrief.counterfactuals if c.lens == lens)
        history, name, ending = cf.history, cf.lens_name, cf.ending_title
    if view == ALL_METERS:
        low, high = _common_range(scenario)
        meters = [
            m for m in scenario.meters
            if m.id != scenario.ladder.id and (m.min, m.max) == (low, high)
        ]  # fmt: skip
    else:
        meters = [scenario.meter[scenario.ladder.id if view == LADDER else view]]
        low, high = meters[0].min, meters[0].max
    labels = {m.label for m in meters}
    bands: tuple[tuple[int, str], ...] = ()
    if len(meters) == 1 and view != LADDER:
        bands = tuple((b.min, b.label) for b in meters[0].bands if b.min > meters[0].min)
    moments: tuple[int, ...] = ()
    if lens == debrief.lens_id:
        moments = tuple(sorted({m.turn for m in debrief.moments if m.meter in labels}))
    return Chart(
        title=f"{name}: {ending}",
        series=tuple((m.label, history[m.label]) for m in meters if m.label in history),
        low=low,
        high=high,
        bands=bands,
        rungs=tuple(r.name for r in scenario.ladder.rungs) if view == LADDER else (),
        moments=moments,
        xlabel="turn · │ decisive moment" if moments else "turn",
        span=max(debrief.turn, *(cf.turns for cf in debrief.counterfactuals)) + 1,
    )
