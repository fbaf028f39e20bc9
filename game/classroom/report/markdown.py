"""The class report as a Markdown document, with tables and sparklines."""

from __future__ import annotations

import html

from game.classroom.report.model import ClassReport, decision_title
from game.classroom.report.wording import (
    NO_SAVES,
    NOT_COUNTED,
    baseline_line,
    comparison_rows,
    inject_lines,
    interval,
    lens_line,
    moment_text,
    pct,
    status,
    summary,
)
from game.classroom.vote import vote_summary, vote_table
from game.debrief import sparkline


def _md(text: str) -> str:
    """Text made safe for one Markdown table cell (and inert as HTML)."""
    flat = " ".join(html.escape(text, quote=False).split())
    return flat.replace("|", "\\|") or " "


def class_report_markdown(report: ClassReport) -> str:
    """The report as a Markdown document, with tables and sparklines."""
    r = report
    out = [f"# Class report: {_md(r.scenario_title or '(no scenario)')}", ""]
    facts = [f"Folder: `{_md(str(r.folder))}`"]
    if r.exercise_title:
        facts.append(f"Exercise: {_md(r.exercise_title)}")
    if lens := lens_line(r):
        facts.append(_md(lens))
    facts.append(summary(r))
    out += ["  \n".join(facts), ""]
    if not r.students:
        out += [f"*{NO_SAVES}*", ""]

    out += ["## Outcomes", ""]
    if r.finished:
        if r.in_progress:
            out += [f"*{NOT_COUNTED}*", ""]
        out += ["| Ending | Students | Share | 95% interval |", "|---|---:|---:|---|"]
        for e in r.outcomes:
            out.append(f"| {_md(e.title)} | {e.count} | {pct(e.share)} | {interval(e.ci95)} |")
    else:
        out.append("*No game has finished yet.*")
    out.append("")

    out += ["## Compared with simulated players", ""]
    if r.baseline:
        out += [_md(baseline_line(r.baseline)), ""]
        rows = comparison_rows(r)
        out.append("| " + " | ".join(_md(c) for c in rows[0]) + " |")
        out.append("|---|" + "---:|" * (len(rows[0]) - 1))
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows[1:]]
        out += ["", "Strategies:", ""]
        out += [f"- {_md(row.label)}: {_md(row.description)}" for row in r.baseline.rows]
    else:
        out.append("*No baseline was simulated.*")
    out.append("")

    out += ["## Choices on each card", ""]
    if not r.choices:
        out += ["*No decisions were taken.*", ""]
    for card in r.choices:
        out += [f"### {_md(card.heading)}", ""]
        out += ["| Option | Chosen | Share |", "|---|---:|---:|"]
        for o in card.options:
            share = card.share(o)
            out.append(f"| {_md(o.text)} | {o.count} | {pct(share)} |")
        out.append("")

    out += ["## Meter trajectories", ""]
    out += [
        "True values at the start of each turn, then the latest; each sparkline is drawn "
        "to the meter's full range.",
        "",
    ]
    for m in r.meters:
        rows_m = [(s, s.history.get(m.label, ())) for s in r.students]
        rows_m = [(s, v) for s, v in rows_m if v]
        if not rows_m:
            continue
        out += [f"### {_md(m.label)} ({m.min}–{m.max})", ""]
        out += ["| Student | Trend | First | Lowest | Highest | Last |"]
        out += ["|---|---|---:|---:|---:|---:|"]
        for s, values in rows_m:
            line = sparkline(values, m.min, m.max)
            out.append(
                f"| {_md(s.name)} | `{line}` | {values[0]} | {min(values)} | {max(values)} "
                f"| {values[-1]} |"
            )
        out.append("")

    if r.injects:
        out += ["## Live injects", ""]
        out += [f"- {_md(line)}" for line in inject_lines(r)]
        out.append("")

    if r.votes:
        out += ["## How the class voted", "", vote_summary(r.votes), ""]
        table = vote_table(r.votes)
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table[:1]]
        out.append("|---:|---|---|---|---|")
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table[1:]]
        out.append("")

    out += ["## Students", ""]
    if r.students:
        out += ["| # | Student | Ending | Turns | Score | Decisive moment |"]
        out += ["|---:|---|---|---:|---:|---|"]
        for n, s in enumerate(r.students, start=1):
            ending = s.ending_title if s.finished else "*in progress*"
            score = "" if s.total_score is None else str(s.total_score)
            moment = moment_text(s.moment) if s.moment else ""
            out.append(
                f"| {n} | {_md(s.name)} | {_md(ending) if s.finished else ending} "
                f"| {s.turns} | {score} | {_md(moment)} |"
            )
        out.append("")
        for n, s in enumerate(r.students, start=1):
            out += [f"### {n}. {_md(s.name)}: {_md(status(s))}", ""]
            if s.path:
                out += ["| Turn | Decision | Choice |", "|---:|---|---|"]
                for step in s.path:
                    title = decision_title(step.kind, step.title)
                    out.append(f"| {step.turn} | {_md(title)} | {_md(step.option)} |")
            else:
                out.append("*No decisions yet.*")
            out.append("")
    else:
        out += ["*No students.*", ""]

    if r.skipped:
        out += ["## Skipped files", ""]
        out += [f"- `{_md(name)}`: {_md(reason)}" for name, reason in r.skipped]
        out.append("")

    out += ["## Questions for discussion", ""]
    if r.questions:
        out += [f"{n}. {_md(q)}" for n, q in enumerate(r.questions, start=1)]
    else:
        out.append("*No questions for the endings and lens this class met.*")
    out.append("")

    if r.notes:
        out += ["## Notes", ""]
        out += [f"- {_md(note)}" for note in r.notes]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
