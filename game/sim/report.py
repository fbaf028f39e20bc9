"""Balance reports from simulated games: endings, lengths, scores, coverage, dominance."""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from game.content import Scenario
from game.sim.runner import GameRecord

BEST_FRACTION = 0.8
"""An ending is among the best outcomes if its total score is within 80% of the top."""


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion, rounded outwards to 4 decimals.

    Rounding outwards keeps the interval around ``successes / n`` even when it is
    narrower than the rounding step (hundreds of thousands of games).
    """
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = min(p, math.floor(max(0.0, centre - half) * 10_000) / 10_000)
    hi = max(p, math.ceil(min(1.0, centre + half) * 10_000) / 10_000)
    return (lo, min(1.0, hi))


def _fixed_totals(scenario: Scenario) -> dict[str, int]:
    """The totals of the endings whose scores do not depend on the game (plain numbers on
    every criterion without a default score), catastrophes left out."""
    if any(c.score is not None for c in scenario.criteria):
        return {}
    totals: dict[str, int] = {}
    for e in scenario.endings:
        scores = [e.scores.get(c.id, 0) for c in scenario.criteria]
        if not e.catastrophe and all(isinstance(v, int) for v in scores):
            totals[e.id] = sum(
                int(v) * c.weight for v, c in zip(scores, scenario.criteria, strict=True)
            )
    return totals


def best_threshold(scenario: Scenario, records: Sequence[GameRecord] = ()) -> float:
    """The total a game needs to count among the best outcomes: BEST_FRACTION of the top
    total, that of the best ending (a fixed-score ending's total, or the mean total of the
    games that reached an ending whose scores follow the game); infinite when nothing
    scores.  A mean, not the single best game, so that one lucky game does not set it."""
    reached: dict[str, list[int]] = {}
    for r in records:
        if not r.catastrophe:
            reached.setdefault(r.ending, []).append(r.total)
    means = [statistics.fmean(totals) for totals in reached.values()]
    top = max([*_fixed_totals(scenario).values(), *means], default=0)
    return BEST_FRACTION * top if top > 0 else math.inf


def is_best(record: GameRecord, threshold: float) -> bool:
    """Whether a game reached one of the best outcomes: no catastrophe, a total near the top."""
    return not record.catastrophe and record.total >= threshold


def best_endings(scenario: Scenario, records: Sequence[GameRecord] = ()) -> list[str]:
    """Endings whose total score is within BEST_FRACTION of the top: the fixed-score ones
    that are, and those of the games that were (scores follow the game)."""
    threshold = best_threshold(scenario, records)
    found = {e for e, t in _fixed_totals(scenario).items() if t >= threshold}
    found |= {r.ending for r in records if is_best(r, threshold)}
    return sorted(found)


def build_report(
    scenario: Scenario,
    records: Sequence[GameRecord],
    strategies: Sequence[str],
    lenses: Sequence[str],
    runs: int,
    seed: int,
) -> dict[str, Any]:
    """The whole balance report as plain data (the JSON output)."""
    best = set(best_endings(scenario, records))
    threshold = best_threshold(scenario, records)
    groups = []
    best_share: dict[tuple[str, str], float] = {}
    for strategy in strategies:
        for lens in lenses:
            games = [r for r in records if r.strategy == strategy and r.lens == lens]
            n = len(games)
            counts = Counter(r.ending for r in games)
            turns = [r.turns for r in games]
            scores = {
                c.id: round(statistics.fmean(r.scores[k] for r in games), 3) if games else 0.0
                for k, c in enumerate(scenario.criteria)
            }
            share = sum(is_best(r, threshold) for r in games) / n if n else 0.0
            best_share[(strategy, lens)] = share
            groups.append(
                {
                    "strategy": strategy,
                    "lens": lens,
                    "games": n,
                    "endings": {
                        e.id: {
                            "count": counts[e.id],
                            "share": round(counts[e.id] / n, 4) if n else 0.0,
                            "ci95": list(wilson(counts[e.id], n)),
                        }
                        for e in scenario.endings
                        if counts[e.id]
                    },
                    "turns": {
                        "mean": round(statistics.fmean(turns), 3) if turns else 0.0,
                        "sd": round(statistics.pstdev(turns), 3) if turns else 0.0,
                        "median": statistics.median(turns) if turns else 0,
                        "min": min(turns, default=0),
                        "max": max(turns, default=0),
                    },
                    "scores": scores,
                    "best_share": round(share, 4),
                }
            )
    dealt = Counter(c for r in records for c in r.cards)
    picked = Counter(p for r in records for p in r.picks)
    fired = Counter(e for r in records for e in r.events)
    reached = Counter(r.ending for r in records)
    applied = Counter(rule for r in records for rule in r.rules)
    all_options = scenario.option_keys
    all_rules = [
        f"{lens.id}.{rule.id}"
        for lens in scenario.lenses
        for rule in lens.rules
        if lens.id in lenses
    ]
    return {
        "scenario": scenario.id,
        "runs": runs,
        "seed": seed,
        "games": len(records),
        "strategies": list(strategies),
        "lenses": list(lenses),
        "best_endings": sorted(best),
        "groups": groups,
        "cards": {
            "dealt": {c.id: dealt[c.id] for c in scenario.cards},
            "never_dealt": [c.id for c in scenario.cards if not dealt[c.id]],
        },
        "options": {
            "picked": {o: picked[o] for o in all_options},
            "never_picked": [o for o in all_options if not picked[o]],
        },
        "events": {
            "fired": {e.id: fired[e.id] for e in scenario.events},
            "never_fired": [e.id for e in scenario.events if not fired[e.id]],
        },
        "endings": {
            "reached": {e.id: reached[e.id] for e in scenario.endings},
            "never_reached": [e.id for e in scenario.endings if not reached[e.id]],
        },
        "lens_rules": {
            "applied": {r: applied[r] for r in all_rules},
            "never_applied": [r for r in all_rules if not applied[r]],
        },
        "dominant": _dominant(best_share, strategies, lenses),
        "advocates": _advocates(scenario, groups, lenses),
    }


def _advocates(
    scenario: Scenario, groups: list[dict[str, Any]], lenses: Sequence[str]
) -> dict[str, Any]:
    """Under each lens, how each source's advocate scores: does the lens reward its author?"""
    out: dict[str, Any] = {}
    for lens_id in lenses:
        lens = scenario.lens.get(lens_id)
        totals = {
            g["strategy"]: round(sum(g["scores"].values()), 3)
            for g in groups
            if g["lens"] == lens_id and g["strategy"].startswith("advocate:")
        }
        if not totals or lens is None:
            continue
        ranking = sorted(totals, key=lambda k: (-totals[k], k))
        own = f"advocate:{lens.source}"
        out[lens_id] = {
            "mean_total_score": totals,
            "ranking": ranking,
            "own_advocate": own,
            "own_advocate_best": bool(ranking) and ranking[0] == own,
        }
    return out


def _dominant(
    share: dict[tuple[str, str], float], strategies: Sequence[str], lenses: Sequence[str]
) -> dict[str, Any]:
    """A strategy that reaches the best outcomes most often under every lens, if any."""
    winners = []
    for lens in lenses:
        top = max((share[(s, lens)] for s in strategies), default=0.0)
        winners.append({s for s in strategies if share[(s, lens)] == top and top > 0})
    common = set.intersection(*winners) if winners and len(strategies) > 1 else set()
    names = sorted(common)
    if names:
        text = (
            f"{' and '.join(names)} reach{'es' if len(names) == 1 else ''} the best outcomes "
            "most often under every lens: the lens does not change the best policy "
            "(a balance smell)"
        )
    else:
        text = "no single strategy does best under every lens"
    return {
        "strategies": names,
        "explanation": text,
        "best_per_lens": {lens: sorted(w) for lens, w in zip(lenses, winners, strict=True)},
    }


def report_json(report: dict[str, Any]) -> str:
    """The report as JSON text (stable key order)."""
    return json.dumps(report, indent=2, sort_keys=True) + "\n"


def _ending_cells(scenario: Scenario, group: dict[str, Any]) -> str:
    parts = []
    for ending_id, data in sorted(group["endings"].items(), key=lambda kv: -kv[1]["count"]):
        lo, hi = data["ci95"]
        parts.append(f"{ending_id} {data['share']:.0%} [{lo:.0%}–{hi:.0%}]")
    return "; ".join(parts)


def report_markdown(scenario: Scenario, report: dict[str, Any]) -> str:
    """The report as a Markdown document."""
    lines = [
        f"# Balance report: {scenario.info.title}",
        "",
        f"{report['games']} games: {report['runs']} per strategy × lens, seed {report['seed']}.",
        f"Best outcomes (total score within {BEST_FRACTION:.0%} of the top): "
        + ", ".join(report["best_endings"]),
        "",
        "## Endings by strategy and lens",
        "",
        "| strategy | lens | endings (share [95% CI]) | turns mean ± sd (median) | best |",
        "|---|---|---|---|---|",
    ]
    for g in report["groups"]:
        t = g["turns"]
        lines.append(
            f"| {g['strategy']} | {g['lens']} | {_ending_cells(scenario, g)} | "
            f"{t['mean']:.1f} ± {t['sd']:.1f} ({t['median']}) | {g['best_share']:.0%} |"
        )
    lines += [
        "",
        "## Mean scores",
        "",
        "| strategy | lens | " + " | ".join(c.label for c in scenario.criteria) + " |",
        "|---|---|" + "---|" * len(scenario.criteria),
    ]
    for g in report["groups"]:
        cells = " | ".join(f"{g['scores'][c.id]:.1f}" for c in scenario.criteria)
        lines.append(f"| {g['strategy']} | {g['lens']} | {cells} |")
    lines += ["", "## Dominant strategy", "", report["dominant"]["explanation"] + ".", ""]
    for lens, names in report["dominant"]["best_per_lens"].items():
        lines.append(f"- best under {lens}: {', '.join(names) or '—'}")
    if report.get("advocates"):
        lines += [
            "",
            "## Does each lens reward its own author?",
            "",
            "Mean total score (sum of the criteria) of each essay's advocate, per lens.",
            "",
            "| lens | own advocate | ranking (mean total score) | own best? |",
            "|---|---|---|---|",
        ]
        for lens_id, data in report["advocates"].items():
            ranking = ", ".join(
                f"{k.split(':', 1)[1]} {data['mean_total_score'][k]:.1f}" for k in data["ranking"]
            )
            best = "yes" if data["own_advocate_best"] else "no"
            lines.append(f"| {lens_id} | {data['own_advocate']} | {ranking} | {best} |")
    lines += ["", "## Coverage", ""]
    for title, key, sub in [
        ("Cards never dealt", "cards", "never_dealt"),
        ("Options never picked", "options", "never_picked"),
        ("Events never fired", "events", "never_fired"),
        ("Endings never reached", "endings", "never_reached"),
        ("Lens rules never applied", "lens_rules", "never_applied"),
    ]:
        items = report[key][sub]
        lines.append(f"- **{title}** ({len(items)}): {', '.join(items) if items else 'none'}")
    lines += ["", "## Cards dealt", "", "| card | dealt |", "|---|---|"]
    for card, count in sorted(report["cards"]["dealt"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {card} | {count} |")
    return "\n".join(lines) + "\n"


def report_text(scenario: Scenario, report: dict[str, Any], width: int = 120) -> str:
    """The report as a readable terminal table (rendered with rich)."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    table = Table(title=f"{scenario.info.title}: {report['games']} games, seed {report['seed']}")
    for column in ("strategy", "lens", "endings (share [95% CI])", "turns", "best"):
        table.add_column(column, overflow="fold")
    for g in report["groups"]:
        t = g["turns"]
        table.add_row(
            g["strategy"],
            g["lens"],
            _ending_cells(scenario, g).replace("; ", "\n"),
            f"{t['mean']:.1f}±{t['sd']:.1f}",
            f"{g['best_share']:.0%}",
        )
    console.print(table)
    console.print(f"Dominant strategy: {report['dominant']['explanation']}.")
    for title, key, sub in [
        ("Cards never dealt", "cards", "never_dealt"),
        ("Events never fired", "events", "never_fired"),
        ("Endings never reached", "endings", "never_reached"),
        ("Lens rules never applied", "lens_rules", "never_applied"),
        ("Options never picked", "options", "never_picked"),
    ]:
        items = report[key][sub]
        console.print(f"{title} ({len(items)}): {', '.join(items) if items else 'none'}")
    return buffer.getvalue()
