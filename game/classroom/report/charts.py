"""The HTML report's charts as inline SVG: the endings as bars, each meter's trajectories
as one line per student (told apart by colour, pattern and number)."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

from game.classroom.report.model import EndingCount, MeterInfo, StudentResult
from game.classroom.report.wording import pct

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe–Ito colours, distinguishable with the common colour-vision deficiencies."""
DASHES = ("", "7 4", "2 3", "9 3 2 3")
"""Line patterns, so lines differ by more than colour."""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def line_style(index: int) -> tuple[str, str]:
    """Colour and dash pattern of the ``index``-th student's line."""
    return PALETTE[index % len(PALETTE)], DASHES[(index // len(PALETTE) + index) % len(DASHES)]


def swatch(index: int) -> str:
    colour, dash = line_style(index)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" '
        f'stroke="{colour}" stroke-width="2.5"{dash_attr}/></svg>'
    )


def _ticks(low: int, high: int, count: int = 4) -> list[int]:
    span = high - low
    if span <= 8:
        return list(range(low, high + 1))
    return sorted({low + round(span * k / count) for k in range(count + 1)})


def line_chart_svg(meter: MeterInfo, students: Sequence[StudentResult]) -> str:
    """One meter's trajectories as an inline SVG line chart: a polyline per student."""
    width, height = 680, 280
    left, right, top, bottom = 56, 40, 18, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    series = [(i, s.history.get(meter.label, ())) for i, s in enumerate(students)]
    points = max((len(v) for _, v in series), default=1)
    span = max(meter.max - meter.min, 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (points - 1) if points > 1 else plot_w / 2)

    def y(value: int) -> float:
        return top + plot_h * (meter.max - value) / span

    title_id = f"chart-{_slug(meter.id)}"
    out = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{esc(meter.label)}: one line per student</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
        'stroke="#999"/>',
    ]
    for value in _ticks(meter.min, meter.max):
        ty = y(value)
        out.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="#e3e3e3"/>'
        )
        label = str(value)
        tip = f"<title>{esc(meter.rungs[value])}</title>" if value < len(meter.rungs) else ""
        out.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{esc(label)}{tip}</text>'
        )
    step = max(1, math.ceil(points / 12))
    for i in range(0, points, step):
        tx = x(i)
        out.append(
            f'<line x1="{tx:.1f}" y1="{top + plot_h}" x2="{tx:.1f}" y2="{top + plot_h + 4}" '
            'stroke="#666"/>'
        )
        out.append(
            f'<text x="{tx:.1f}" y="{top + plot_h + 17}" text-anchor="middle">{i + 1}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">'
        "turn (the last point of each line: where the game ended or stands)</text>"
    )
    out.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">'
        f"{esc(meter.label)} ({meter.min}–{meter.max})</text>"
    )
    ends: dict[tuple[int, int], list[int]] = {}
    for i, values in series:
        if not values:
            continue
        colour, dash = line_style(i)
        student = students[i]
        coords = " ".join(f"{x(j):.1f},{y(v):.1f}" for j, v in enumerate(values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"'
            f"{dash_attr}><title>{esc(student.name)}: "
            f"{esc(', '.join(str(v) for v in values))}</title></polyline>"
        )
        ex, ey = x(len(values) - 1), y(values[-1])
        fill = colour if student.finished else "#fff"
        out.append(
            f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="3.5" fill="{fill}" stroke="{colour}" '
            'stroke-width="1.5"/>'
        )
        ends.setdefault((round(ex), round(ey)), []).append(i)
    # Lines ending at one point share one label ("4,5"); labels in one column are spread
    # out vertically so that none overprints another.
    last_y: dict[int, float] = {}
    for (px, py), ids in sorted(ends.items()):
        colour = line_style(ids[0])[0] if len(ids) == 1 else "#222"
        label = ",".join(str(i + 1) for i in ids)
        ly = max(py + 4.0, last_y.get(px, -math.inf) + 12)
        last_y[px] = ly
        out.append(f'<text x="{px + 6}" y="{ly:.0f}" fill="{colour}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out)


def outcome_chart_svg(outcomes: Sequence[EndingCount]) -> str:
    """The outcome distribution as an inline SVG bar chart (count and share on each bar)."""
    row, left, bar_w, right = 26, 250, 320, 110
    width, height = left + bar_w + right, row * len(outcomes) + 30
    top = (max((e.count for e in outcomes), default=0)) or 1
    out = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        'aria-labelledby="chart-outcomes">',
        '<title id="chart-outcomes">Endings reached by the class</title>',
    ]
    for n, e in enumerate(outcomes):
        cy = 8 + n * row
        label = e.title if len(e.title) <= 36 else e.title[:35] + "…"
        out.append(
            f'<text x="{left - 8}" y="{cy + 14}" text-anchor="end">{esc(label)}'
            f"<title>{esc(e.title)}</title></text>"
        )
        length = bar_w * e.count / top
        out.append(
            f'<rect x="{left}" y="{cy + 2}" width="{length:.1f}" height="{row - 8}" '
            'fill="#0072B2"/>'
        )
        out.append(
            f'<text x="{left + length + 6:.1f}" y="{cy + 14}">{e.count} ({pct(e.share)})</text>'
        )
    out.append(
        f'<line x1="{left}" y1="4" x2="{left}" y2="{height - 20}" stroke="#666"/>'
        f'<text x="{left}" y="{height - 4}">number of finished games</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text) or "meter"
