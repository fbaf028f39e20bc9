"""The class report as plain text for a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from game.classroom.report.model import ClassReport
from game.classroom.report.wording import (
    NO_SAVES,
    NOT_COUNTED,
    baseline_line,
    comparison_rows,
    inject_lines,
    lens_line,
    moment_text,
    pct,
    status,
    summary,
)
from game.classroom.vote import vote_lines
from game.debrief import sparkline


def class_report_text(report: ClassReport) -> str:
    """The report as plain text for a terminal."""
    r = report
    title = r.scenario_title or "(no scenario)"
    out = [f"Class report: {title} — {r.folder}"]
    if r.exercise_title:
        out.append(f"Exercise: {r.exercise_title}")
    if lens := lens_line(r):
        out.append(lens)
    out += [summary(r), ""]
    if not r.students:
        out += [NO_SAVES, ""]

    if r.finished:
        out.append(f"OUTCOMES ({len(r.finished)} finished games)")
        if r.in_progress:
            out.append(f"  {NOT_COUNTED}")
        width = max(len(e.title) for e in r.outcomes)
        for e in r.outcomes:
            bar = "█" * round(e.share * 20)
            out.append(f"  {e.title:<{width}}  {e.count:>3}  {pct(e.share):>4}  {bar}".rstrip())
        out.append("")

    if r.baseline:
        out.append("COMPARED WITH SIMULATED PLAYERS")
        out.append(f"  {baseline_line(r.baseline)}")
        out += _text_table(comparison_rows(r), indent="  ")
        out.append("")

    if r.choices:
        out.append("CHOICES ON EACH CARD")
        for card in r.choices:
            out.append(f"  {card.heading} (faced {card.total} times)")
            for o in card.options:
                out.append(f"    {o.count:>3}  {o.text}")
        out.append("")

    if r.injects:
        out.append("LIVE INJECTS")
        out += [f"  {line}" for line in inject_lines(r)]
        out.append("")

    if r.votes:
        out.append("HOW THE CLASS VOTED")
        out += [f"  {line}" for line in vote_lines(r.votes)]
        out.append("")

    if r.students:
        out.append("STUDENTS")
        for n, s in enumerate(r.students, start=1):
            out.append(f"  {n}. {s.name} — {status(s)}")
            if s.moment:
                out.append(f"     Decisive moment: {moment_text(s.moment)}")
            for step in s.path:
                kind = "event: " if step.kind == "event" else ""
                out.append(f"     T{step.turn:<3} {kind}{step.title} → {step.option}")
            for m in r.meters:
                values = s.history.get(m.label, ())
                if values:
                    line = sparkline(values, m.min, m.max)
                    out.append(f"     {m.label}: {line} {values[0]} → {values[-1]}")
        out.append("")

    if r.skipped:
        out.append("SKIPPED FILES")
        out += [f"  {name}: {reason}" for name, reason in r.skipped]
        out.append("")

    if r.questions:
        out.append("QUESTIONS FOR DISCUSSION")
        out += [f"  {n}. {q}" for n, q in enumerate(r.questions, start=1)]
        out.append("")

    if r.notes:
        out.append("NOTES")
        out += [f"  - {note}" for note in r.notes]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _text_table(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append(indent + "  ".join(cells).rstrip())
    return lines
