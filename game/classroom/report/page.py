"""The class report as self-contained HTML pages (inline CSS and SVG, no script, no link):
the whole report, and one screen for the projector."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from game.classroom.report.charts import esc, line_chart_svg, outcome_chart_svg, swatch
from game.classroom.report.model import ClassReport, StudentResult, decision_title
from game.classroom.report.wording import (
    NO_SAVES,
    NOT_COUNTED,
    baseline_line,
    comparison_rows,
    divisive_cards,
    inject_lines,
    interval,
    lens_line,
    moment_text,
    most_common_ending,
    pct,
    status,
    summary,
)
from game.classroom.vote import vote_summary, vote_table

NO_SCRIPT = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
)
"""The pages' policy: their own inline style, nothing else (no script, no request)."""

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; vertical-align: top; }
th { background: #f2f2f2; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 1.6rem; }
figcaption { font-size: .9rem; color: #333; }
svg { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
ol.legend { columns: 2; padding-left: 0; list-style: none; font-size: .9rem; }
ol.legend li { break-inside: avoid; }
.note { color: #444; font-style: italic; }
.bar { display: inline-block; height: .8em; background: #0072B2; vertical-align: middle; }
"""


def bar(share: float, longest: float) -> str:
    """A share as a bar ``longest`` em long at 100%."""
    return f'<span class="bar" style="width:{share * longest:.2f}em"></span>'


def _legend(students: Sequence[StudentResult]) -> str:
    items = [
        f"<li>{swatch(i)} <b>{i + 1}</b> {esc(s.name)} — "
        f"{esc(s.ending_title) if s.finished else '<i>in progress</i>'}</li>"
        for i, s in enumerate(students)
    ]
    return '<ol class="legend">' + "".join(items) + "</ol>"


def _html_table(rows: Sequence[Sequence[str]], numeric_from: int = 1) -> str:
    """A table from already-escaped cells; the first row is the header."""
    head = "".join(f"<th>{c}</th>" for c in rows[0])
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i >= numeric_from else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows[1:]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def class_report_html(report: ClassReport) -> str:
    """The report as one self-contained HTML page: inline CSS and SVG, no script, no links."""
    r = report
    title = f"Class report: {r.scenario_title or '(no scenario)'}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        NO_SCRIPT,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
        "<p>",
        f"Folder: <code>{esc(r.folder)}</code><br>",
    ]
    if r.exercise_title:
        out.append(f"Exercise: {esc(r.exercise_title)}<br>")
    if lens := lens_line(r):
        out.append(f"{esc(lens)}<br>")
    if r.made:
        out.append(f"Made {esc(r.made)}<br>")
    out += [esc(summary(r)), "</p>"]
    if not r.students:
        out.append(f'<p class="note">{esc(NO_SAVES)}</p>')

    out.append("<h2>Outcomes</h2>")
    if r.finished:
        if r.in_progress:
            out.append(f'<p class="note">{esc(NOT_COUNTED)}</p>')
        out.append("<figure>")
        out.append(outcome_chart_svg(r.outcomes))
        out.append(
            f"<figcaption>Endings of the {len(r.finished)} finished games.</figcaption></figure>"
        )
        rows = [["Ending", "Students", "Share", "95% interval"]]
        rows += [[esc(e.title), str(e.count), pct(e.share), interval(e.ci95)] for e in r.outcomes]
        out.append(_html_table(rows))
    else:
        out.append('<p class="note">No game has finished yet.</p>')

    out.append("<h2>Compared with simulated players</h2>")
    if r.baseline:
        out.append(f"<p>{esc(baseline_line(r.baseline))}</p>")
        out.append(_html_table([[esc(c) for c in row] for row in comparison_rows(r)]))
        out.append("<ul>")
        out += [f"<li>{esc(row.label)}: {esc(row.description)}</li>" for row in r.baseline.rows]
        out.append("</ul>")
    else:
        out.append('<p class="note">No baseline was simulated.</p>')

    out.append("<h2>Choices on each card</h2>")
    if not r.choices:
        out.append('<p class="note">No decisions were taken.</p>')
    for card in r.choices:
        out.append(f"<h3>{esc(card.heading)}</h3>")
        rows = [["Option", "Chosen", "Share"]]
        for o in card.options:
            share = card.share(o)
            rows.append([esc(o.text), str(o.count), f"{bar(share, 8)} {pct(share)}"])
        out.append(_html_table(rows))

    if r.injects:
        out.append("<h2>Live injects</h2><ul>")
        out += [f"<li>{esc(line)}</li>" for line in inject_lines(r)]
        out.append("</ul>")

    if r.votes:
        out += ["<h2>How the class voted</h2>", f"<p>{esc(vote_summary(r.votes))}</p>"]
        rows = [[esc(c) for c in row] for row in vote_table(r.votes)]
        out.append(_html_table(rows, numeric_from=len(rows[0])))  # words, not figures

    out.append("<h2>Meter trajectories</h2>")
    if r.students:
        out.append(
            "<p>True values at the start of each turn, then the latest. Each line is numbered "
            "at its end and drawn in its own colour and pattern; a filled dot marks a finished "
            "game, a hollow dot a game in progress.</p>"
        )
    for m in r.meters:
        if not any(s.history.get(m.label) for s in r.students):
            continue
        out.append("<figure>")
        out.append(line_chart_svg(m, r.students))
        caption = f"{esc(m.label)}, {m.min}–{m.max}."
        if m.rungs:
            caption += " Rungs: " + "; ".join(f"{n} {esc(name)}" for n, name in enumerate(m.rungs))
        out.append(f"<figcaption>{caption}{_legend(r.students)}</figcaption>")
        out.append("</figure>")
        out.append(f"<details><summary>{esc(m.label)}: the values</summary>")
        rows = [["Student", "Values by turn"]]
        rows += [
            [f"{i + 1}. {esc(s.name)}", esc(" ".join(str(v) for v in s.history.get(m.label, ())))]
            for i, s in enumerate(r.students)
        ]
        out.append(_html_table(rows, numeric_from=2))
        out.append("</details>")

    out.append("<h2>Students</h2>")
    if not r.students:
        out.append('<p class="note">No students.</p>')
    for n, s in enumerate(r.students, start=1):
        out.append(f"<h3>{n}. {esc(s.name)}: {esc(status(s))}</h3>")
        facts = [f"File: <code>{esc(s.file)}</code>"]
        if s.total_score is not None:
            facts.append(f"total score {s.total_score}")
        out.append(f"<p>{'; '.join(facts)}.</p>")
        if s.moment:
            out.append(f"<p><b>Decisive moment</b>: {esc(moment_text(s.moment))}</p>")
        if s.path:
            rows = [["Turn", "Decision", "Choice"]]
            rows += [
                [
                    str(step.turn),
                    esc(decision_title(step.kind, step.title)),
                    esc(step.option),
                ]
                for step in s.path
            ]
            out.append(_html_table(rows, numeric_from=3))
        else:
            out.append('<p class="note">No decisions yet.</p>')

    if r.skipped:
        out.append("<h2>Skipped files</h2><ul>")
        out += [f"<li><code>{esc(name)}</code>: {esc(reason)}</li>" for name, reason in r.skipped]
        out.append("</ul>")

    out.append("<h2>Questions for discussion</h2>")
    if r.questions:
        out.append("<ol>" + "".join(f"<li>{esc(q)}</li>" for q in r.questions) + "</ol>")
    else:
        out.append('<p class="note">No questions for the endings and lens this class met.</p>')

    if r.notes:
        out.append("<h2>Notes</h2><ul>")
        out += [f"<li>{esc(note)}</li>" for note in r.notes]
        out.append("</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


_PROJECTOR_CSS = """
body { font-family: system-ui, sans-serif; margin: 2vh 3vw; line-height: 1.3;
       font-size: min(2vh, 1.3vw); }
p { margin: .8vh 0; }
h1 { font-size: 2em; margin: 0 0 .5vh; }
h2 { font-size: 1.35em; margin: 1.6vh 0 .8vh; }
h3 { font-size: 1.1em; margin: 0 0 .6vh; }
.made { color: #555; margin: 0; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 3vw; }
.split { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2vw; }
svg { width: 100%; height: auto; max-height: 38vh; font: 12px system-ui, sans-serif; }
ul, ol { margin: 0; }
ul.shares { list-style: none; padding: 0; display: grid; grid-template-columns: 5em auto 1fr;
            gap: .3vh .5em; }
ul.shares li { display: contents; }
.track { display: inline-block; width: 5em; height: 1em; background: #e6e6e6; margin-top: .15em; }
.bar { display: block; height: 1em; background: #0072B2; }
ol li { margin-bottom: .6vh; }
"""
SHARE_BAR_EM = 5
"""The length of a 100% bar on the projector (its grey track's)."""


def class_report_projector(report: ClassReport) -> str:
    """One screen for the projector: the endings, what simulated players did in the same
    crisis, the questions for the discussion, and the cards the class split on most;
    self-contained HTML, no script."""
    r = report
    title = r.exercise_title or r.scenario_title or "Class report"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        NO_SCRIPT,
        f"<title>{esc(title)}</title><style>{_PROJECTOR_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="made">{esc(summary(r))} · made {esc(r.made)}</p>',
        '<div class="grid"><section>',
        "<h2>How the games ended</h2>",
    ]
    reached = [e for e in r.outcomes if e.count]
    if reached:
        out.append(_share_list((e.share, f"{e.count} ({pct(e.share)})", e.title) for e in reached))
        others = len(r.outcomes) - len(reached)
        if others:
            other = "other ending" if others == 1 else f"other {others} endings"
            out.append(f"<p>No game ended in the {other}.</p>")
    else:
        out.append("<p>No game has finished yet.</p>")
    if r.baseline:
        best = [
            f"{esc(row.label)}: {pct(max(row.shares.values(), default=0.0))} "
            f"{esc(most_common_ending(r, row))}"
            for row in r.baseline.rows
        ]
        out.append("<h2>Simulated players in the same crisis</h2><ul>")
        out += [f"<li>{line}</li>" for line in best]
        out.append("</ul>")
    out.append("</section><section><h2>For discussion</h2><ol>")
    out += [f"<li>{esc(q)}</li>" for q in r.questions]
    out.append("</ol></section></div>")
    out.append("<h2>Where the class split</h2>")
    split = divisive_cards(r)
    if not split:
        out.append("<p>No card was faced often enough to compare.</p>")
    else:
        out.append('<div class="split">')
        for card in split:
            shares = ((card.share(o), pct(card.share(o)), o.text) for o in card.options)
            out.append(f"<section><h3>{esc(card.heading)}</h3>{_share_list(shares)}</section>")
        out.append("</div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _share_list(rows: Iterable[tuple[float, str, str]]) -> str:
    """(share, figure, text) rows as a list of bars on one scale, figures and texts aligned."""
    items = [
        f'<li><span class="track">{bar(share, SHARE_BAR_EM)}</span>'
        f"<span>{esc(figure)}</span><span>{esc(text)}</span></li>"
        for share, figure, text in rows
    ]
    return '<ul class="shares">' + "".join(items) + "</ul>"
