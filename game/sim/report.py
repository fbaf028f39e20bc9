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
REPLAYED = 20
"""Games per strategy × lens replayed to tell why an event never fired."""


def best_explained(report: dict[str, Any]) -> str:
    """What the "best" column means, in words (the same in every output format)."""
    names = ", ".join(report["best_endings"]) or "none"
    return (
        "best = share of games ending in one of the best outcomes: the endings whose total "
        f"score (the sum of the criteria) is at least {BEST_FRACTION:.0%} of the top "
        f"ending's ({names})"
    )


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
            inside = _inside(scenario, games)
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
                    **inside,
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
        "dominant": _dominant(best_share, strategies, lenses, len(scenario.lenses)),
        "advocates": _advocates(scenario, groups, lenses),
    }


def _advocates(
    scenario: Scenario, groups: list[dict[str, Any]], lenses: Sequence[str]
) -> dict[str, Any]:
    """Under each lens, how each source's advocate scores: does the lens reward its author?
    Advocates with a policy for silent decisions (``advocate:S:random``) are ranked among
    those with the same policy, in a row of their own (``lens [random]``); an advocate
    overruled by another source (``advocate:S:T``) is nobody's own, and not ranked."""
    out: dict[str, Any] = {}
    for lens_id in lenses:
        lens = scenario.lens.get(lens_id)
        by_policy: dict[str, dict[str, float]] = {}
        for g in groups:
            kind, _, arg = g["strategy"].partition(":")
            policy = arg.partition(":")[2]
            if g["lens"] == lens_id and kind == "advocate" and policy not in scenario.source:
                by_policy.setdefault(policy, {})[g["strategy"]] = round(
                    sum(g["scores"].values()), 3
                )
        if lens is None:
            continue
        for policy, totals in sorted(by_policy.items()):
            ranking = sorted(totals, key=lambda k: (-totals[k], k))
            own = f"advocate:{lens.source}" + (f":{policy}" if policy else "")
            out[f"{lens_id} [{policy}]" if policy else lens_id] = {
                "mean_total_score": totals,
                "ranking": ranking,
                "own_advocate": own,
                "own_advocate_best": bool(ranking) and ranking[0] == own,
            }
    return out


def _inside(scenario: Scenario, games: Sequence[GameRecord]) -> dict[str, Any]:
    """What happened inside one strategy × lens's games: the ladder, the meters at the
    end, the dynamics and delayed effects that fired, and the events that never did."""
    n = len(games)
    rungs = {
        rung.id: round(sum(r.top_rung >= i for r in games) / n, 4) if n else 0.0
        for i, rung in enumerate(scenario.ladder.rungs)
    }
    meters = {}
    for i, meter in enumerate(scenario.meters):
        values = [r.meters[i] for r in games if len(r.meters) > i]
        if values:
            meters[meter.id] = {
                "min": min(values),
                "median": statistics.median(values),
                "max": max(values),
            }
    dynamics = Counter(d for r in games for d in r.dynamics)
    delayed = Counter(d for r in games for d in r.delayed)
    return {
        "rungs_reached": rungs,
        "meters_at_end": meters,
        "dynamics_fired": {k: round(v / n, 4) for k, v in sorted(dynamics.items())},
        "delayed_fired": {k: round(v / n, 4) for k, v in sorted(delayed.items())},
        "events_never_fired": _never_fired(scenario, games),
    }


def _never_fired(scenario: Scenario, games: Sequence[GameRecord]) -> dict[str, str]:
    """Each event no game fired, and why: inject only, a flag its condition needs that no
    game set, or what replaying a few of the games shows of its condition."""
    from game.engine.conditions import required_flags

    fired = {e for r in games for e in r.events}
    flags = {f for r in games for f in r.flags}
    why: dict[str, str] = {}
    unexplained = []
    for event in scenario.events:
        if event.id in fired:
            continue
        if event.inject_only:
            why[event.id] = (
                "inject only: fires when an exercise schedules it or an instructor pushes it"
            )
            continue
        cond = scenario.conditions.get(event.when)
        unset = [f for f in (required_flags(cond) if cond else ()) if f not in flags]
        if unset:
            why[event.id] = f"flag {unset[0]} never set (its condition needs it)"
        else:
            unexplained.append(event)
    if unexplained:
        held = _conditions_held(scenario, games[:REPLAYED])
        replayed = f"{min(len(games), REPLAYED)} replayed games"
        for event in unexplained:
            turns = held.get(event.id)
            if turns is None:
                why[event.id] = "not replayed"
            elif not turns:
                why[event.id] = f"condition never true (at any decision of {replayed})"
            else:
                chance = (
                    f" its chance ({event.chance:g}) never came up, or" if event.chance < 1 else ""
                )
                why[event.id] = (
                    f"condition true at {turns} decision{'s' if turns != 1 else ''} of {replayed}, "
                    f"but{chance} other events took the turn's places (max_events_per_turn)"
                )
    return dict(sorted(why.items()))


def _conditions_held(scenario: Scenario, games: Sequence[GameRecord]) -> dict[str, int]:
    """For each event, on how many decision points of these games its condition held
    (replayed from each game's seed and picks); empty if a game does not replay."""
    from game.engine import EngineError, choose, event_conditions, new_game

    held: Counter[str] = Counter()
    try:
        for record in games:
            state = new_game(scenario, record.seed, record.lens)
            for pick in (*record.picks, None):
                for event_id, holds in event_conditions(scenario, state).items():
                    held[event_id] += holds
                if pick is None:
                    break
                state, _ = choose(scenario, state, pick.split(".", 1)[1])
    except EngineError:  # games of an exercise's crisis do not replay from their seed
        return {}
    return {e.id: held[e.id] for e in scenario.events}


def _dominant(
    share: dict[tuple[str, str], float],
    strategies: Sequence[str],
    lenses: Sequence[str],
    every: int = 0,
) -> dict[str, Any]:
    """A strategy that reaches the best outcomes most often under every lens, if any."""
    winners = []
    for lens in lenses:
        top = max((share[(s, lens)] for s in strategies), default=0.0)
        winners.append({s for s in strategies if share[(s, lens)] == top and top > 0})
    common = set.intersection(*winners) if winners and len(strategies) > 1 else set()
    names = sorted(common)
    # with some lenses left out, say so: another lens might change the answer
    under = "under every lens" if len(lenses) >= every else "under every lens run"
    if names:
        text = (
            f"{' and '.join(names)} reach{'es' if len(names) == 1 else ''} the best outcomes "
            f"most often {under}: the lens does not change the best policy "
            "(a balance smell)"
        )
    else:
        text = f"no single strategy does best {under}"
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
        best_explained(report) + ".",
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
    lines += ["", "## Inside the games", ""]
    lines += _inside_lines(scenario, report, markdown=True)
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
                f"{k.split(':')[1]} {data['mean_total_score'][k]:.1f}" for k in data["ranking"]
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
    console.print(best_explained(report) + ".")
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
    console.print()
    console.print("Inside the games, per strategy × lens:")
    for line in _inside_lines(scenario, report, markdown=False):
        console.print(line, markup=False, highlight=False)
    return buffer.getvalue()


def _inside_lines(scenario: Scenario, report: dict[str, Any], markdown: bool) -> list[str]:
    """Per strategy × lens: rungs reached, meters at the end (min/median/max), dynamics
    and delayed effects fired, events never fired and why."""
    lines = [
        "Rungs: share of games reaching each rung. Meters at the end: min / median / max. "
        "Dynamics and delayed effects: share of games in which each changed something.",
    ]
    for g in report["groups"]:
        head = f"{g['strategy']} × {g['lens']} ({g['games']} games)"
        lines += ["", f"### {head}" if markdown else head]
        bullet = "- " if markdown else "  "
        rungs = ", ".join(f"{k} {v:.0%}" for k, v in g["rungs_reached"].items())
        lines.append(f"{bullet}rungs reached: {rungs}")
        meters = ", ".join(
            f"{k} {m['min']}/{m['median']:g}/{m['max']}" for k, m in g["meters_at_end"].items()
        )
        lines.append(f"{bullet}meters at the end: {meters}")
        for key, title in (("dynamics_fired", "dynamics"), ("delayed_fired", "delayed effects")):
            items = ", ".join(f"{k} {v:.0%}" for k, v in g[key].items()) or "none"
            lines.append(f"{bullet}{title}: {items}")
        never = g["events_never_fired"]
        lines.append(f"{bullet}events never fired ({len(never)}){':' if never else ': none'}")
        for event_id, why in never.items():
            lines.append(f"{bullet}  {event_id}: {why}")
    return lines
