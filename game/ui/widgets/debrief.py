"""Debrief widgets: the meters over time drawn with block characters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from game.ui.text import signed

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
