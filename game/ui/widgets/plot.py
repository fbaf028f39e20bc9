"""The debrief's meter chart drawn by plotext: lines with axes, the decisive moments and
the band thresholds marked, the rung names on the escalation axis.

This module imports textual_plotext (and plotext), which costs about 40 ms: the debrief
screen imports it only when the Chart tab is first shown.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual_plotext import PlotextPlot

from game.ui.widgets.debrief import Chart

MARKERS = ("•", "+", "x", "o", "*", "#", "%", "@")
"""One marker per line, so lines are told apart without colour."""


def short(label: str, width: int) -> str:
    """``label`` cut to ``width`` characters, with an ellipsis when cut."""
    return label if len(label) <= width else label[: max(width - 1, 1)] + "…"


def value_ticks(low: int, high: int, most: int) -> list[int]:
    """Round values from ``low`` to ``high`` for the value axis, at most ``most`` + 1."""
    span = max(high - low, 1)
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= most), span)
    first = -(-low // step) * step
    return list(range(first, high + 1, step))


class HistoryPlot(PlotextPlot):
    """One game's meters over the turns, as :class:`Chart` describes them."""

    DEFAULT_CSS = """
    HistoryPlot { height: 1fr; min-height: 8; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart: Chart | None = None

    def show(self, chart: Chart) -> None:
        """Draw ``chart`` (at the next refresh, to the widget's size)."""
        self.chart = chart
        self.refresh()

    def render(self) -> RenderResult:
        chart = self.chart
        plt = self.plt
        plt.clear_figure()
        if chart is None:
            return super().render()
        width, height = self.size.width, self.size.height
        # plotext leaves out a title or label wider than the plot area: cut them to fit
        plt.title(short(chart.title, max(width - 10, 8)))
        count = max(chart.span, *(len(values) for _, values in chart.series))
        xs = list(range(1, count + 1))
        for n, (label, values) in enumerate(chart.series):
            plt.plot(
                xs[: len(values)],
                list(values),
                marker=MARKERS[n % len(MARKERS)],
                label=short(label, 24) if len(chart.series) > 1 else None,
            )
        for value, label in chart.bands:
            plt.hline(value, "gray")
            plt.text(short(label, 12), x=count, y=value, alignment="right", color="gray")
        for turn in chart.moments:
            plt.vline(turn + 0.5, "red")
        plt.xlim(1, max(count, 2))
        plt.ylim(chart.low, chart.high)
        step = max(1, round(count / max(width // 8, 1)))
        ticks = [x for x in xs if x == 1 or x % step == 0]
        plt.xticks([float(x) for x in ticks], [str(x) for x in ticks])
        if chart.rungs:
            names = [short(name, max(width // 4, 8)) for name in chart.rungs]
            plt.yticks([float(i) for i in range(len(names))], names)
        else:
            ticks = value_ticks(chart.low, chart.high, max(height // 4, 2))
            plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])
        plt.xlabel(short(chart.xlabel, max(width - 10, 8)))
        return super().render()
