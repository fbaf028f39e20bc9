"""The report's sentences and figures as text, the same in every format: shares, a
student's status, the summary line, the live injects, the class-versus-simulation table."""

from __future__ import annotations

from game.classroom.report.model import (
    Baseline,
    BaselineRow,
    CardChoices,
    ClassReport,
    StudentResult,
)
from game.debrief import Moment


def pct(share: float) -> str:
    return f"{share:.0%}"


def interval(ci: tuple[float, float]) -> str:
    """A 95% interval of a share: "12%–40%"."""
    return f"{pct(ci[0])}–{pct(ci[1])}"


def plural(count: int, word: str) -> str:
    """``word`` as ``count`` of it needs: "save", "saves"."""
    return word if count == 1 else f"{word}s"


def status(student: StudentResult) -> str:
    if student.finished:
        return f"{student.ending_title}, turn {student.turns}"
    return f"in progress, at turn {student.turns}"


def moment_text(moment: Moment) -> str:
    change = moment.after - moment.before
    text = (
        f"turn {moment.turn}: {moment.meter} {moment.before} → {moment.after} "
        f"({change:+d}), {moment.cause}"
    )
    if moment.citations:
        text += f" [{', '.join(moment.citations)}]"
    return text


def summary(report: ClassReport) -> str:
    done, going = len(report.finished), len(report.in_progress)
    saves, skipped = len(report.students), len(report.skipped)
    parts = [f"{saves} {plural(saves, 'save')} read"]
    parts.append(f"{done} finished, {going} in progress")
    if report.skipped:
        parts.append(f"{skipped} {plural(skipped, 'file')} skipped")
    return "; ".join(parts) + "."


def lens_line(report: ClassReport) -> str:
    if not report.lens:
        return ""
    how = "hidden from the students" if report.lens_hidden else "named to the students"
    return f"Lens: {report.lens_name} ({report.lens}), {how}."


def baseline_line(baseline: Baseline) -> str:
    c = baseline.crisis
    where = "the exercise" if baseline.source == "exercise" else f"the save {baseline.source}"
    injects = len(c.scheduled())
    return (
        f"{baseline.runs} simulated games per strategy under lens {baseline.lens_name}, "
        f"seed {c.seed}, turn limit {c.turn_limit}, {injects} scheduled "
        f"{plural(injects, 'inject')}, "
        f"{'every card' if c.allowed_cards is None else f'{len(c.allowed_cards)} cards'} "
        f"(as in {where})."
    )


NO_SAVES = "No save in this folder could be replayed: there is nothing to report yet."
NOT_COUNTED = "Games still in progress are not counted here (their paths are listed below)."


def inject_lines(report: ClassReport) -> list[str]:
    """Each live inject: who took it at which turns, and what they chose next."""
    lines = []
    for inj in report.injects:
        turns = ", ".join(str(t) for t in inj.turns)
        head = (
            f"{inj.title}: received by {inj.students} {plural(inj.students, 'student')} "
            f"({plural(len(inj.turns), 'turn')} {turns})"
        )
        nxt = "; ".join(f"{text} ({n})" for text, n in inj.next_choices[:3])
        lines.append(f"{head}; chosen next: {nxt}" if nxt else head)
    return lines


def divisive_cards(report: ClassReport, most: int = 3) -> list[CardChoices]:
    """The cards the class split on most (faced at least twice): the smallest share for
    the most chosen option first."""
    faced = [c for c in report.choices if c.total >= 2 and len(c.options) > 1]
    return sorted(faced, key=lambda c: max(o.count for o in c.options) / c.total)[:most]


def comparison_rows(report: ClassReport) -> list[list[str]]:
    """Ending × (class, each strategy) shares, header first; endings nobody reached omitted."""
    baseline = report.baseline
    rows = baseline.rows if baseline else ()
    header = ["Ending", f"Class (n={len(report.finished)})", *(row.label for row in rows)]
    body = []
    for e in report.outcomes:
        shares = [row.shares.get(e.ending, 0.0) for row in rows]
        if e.count or any(shares):
            body.append([e.title, pct(e.share), *(pct(s) for s in shares)])
    return [header, *body]


def most_common_ending(report: ClassReport, row: BaselineRow) -> str:
    if not row.shares:
        return ""
    ending = max(row.shares, key=lambda e: row.shares[e])
    titles = {e.ending: e.title for e in report.outcomes}
    return titles.get(ending, ending)
