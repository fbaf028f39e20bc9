"""Coverage mode, in the spirit of ChoiceScript's quicktest.

Plays games that steer towards what has not been tried yet — each decision takes the
option picked least so far — and lists what was never exercised: options, event
conditions (seen true and seen false), lens rules, endings; and any state where the
engine broke an invariant.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from game.content import Scenario
from game.engine import (
    EngineError,
    GameState,
    choices,
    choose,
    current_decision,
    event_conditions,
    is_over,
    new_game,
    outcome,
)
from game.engine.rules import rules_for


def _invariant_problem(scenario: Scenario, state: GameState) -> str | None:
    rules = rules_for(scenario)
    for i, value in enumerate(state.meters):
        if not rules.lo[i] <= value <= rules.hi[i]:
            return f"meter {rules.meter_ids[i]} = {value} is outside its range"
    if not is_over(state):
        decision = current_decision(state)
        if decision is None:
            return "no decision and no ending (a dead end)"
        n = len(choices(scenario, state))
        if not 2 <= n <= 4:
            return f"decision {decision.id} offers {n} options"
    elif state.turn > state.turn_limit:
        return f"game ran past its turn limit ({state.turn})"
    return None


def run_coverage(
    scenario: Scenario,
    lenses: Sequence[str],
    runs: int,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Play ``runs`` steering games per lens and report what was never exercised."""
    picked: Counter[str] = Counter()
    seen_true: set[str] = set()
    seen_false: set[str] = set()
    applied: set[str] = set()
    reached: set[str] = set()
    dealt: set[str] = set()
    failures: list[dict[str, Any]] = []
    total = runs * len(lenses)
    done = 0
    # inject-only events fire only when pushed: push one per game, in turn
    injectable = [e.id for e in scenario.events if e.inject_only]
    for li, lens in enumerate(lenses):
        for game in range(runs):
            game_seed = seed * 1_000_003 + li * 10_007 + game
            rnd = random.Random(game_seed)
            schedule = {}
            if injectable:
                turn = 1 + game % max(1, scenario.info.turn_limit // 2)
                schedule = {turn: [injectable[game % len(injectable)]]}
            state = new_game(scenario, game_seed, lens, schedule=schedule)
            steps = 0
            while True:
                problem = _invariant_problem(scenario, state)
                if problem:
                    failures.append(
                        {
                            "lens": lens,
                            "seed": game_seed,
                            "turn": state.turn,
                            "log": len(state.log),
                            "problem": problem,
                        }
                    )
                    break
                for event_id, holds in event_conditions(scenario, state).items():
                    (seen_true if holds else seen_false).add(event_id)
                decision = current_decision(state)
                if decision is None:  # over: _invariant_problem rules out a dead end
                    result = outcome(scenario, state)
                    if result is not None:
                        reached.add(result.ending.id)
                    break
                if decision.kind == "card":
                    dealt.add(decision.id)
                options = choices(scenario, state)
                keys = [f"{decision.id}.{o.id}" for o in options]
                fewest = min(picked[k] for k in keys)
                pick = rnd.choice([k for k in keys if picked[k] == fewest])
                picked[pick] += 1
                try:
                    state, report = choose(scenario, state, pick.split(".", 1)[1])
                except EngineError as exc:  # pragma: no cover - would be an engine bug
                    failures.append(
                        {
                            "lens": lens,
                            "seed": game_seed,
                            "turn": state.turn,
                            "log": len(state.log),
                            "problem": str(exc),
                        }
                    )
                    break
                applied.update(report.rules_applied)
                steps += 1
            done += 1
            if progress:
                progress(done, total)
    rules = [
        f"{lens.id}.{r.id}" for lens in scenario.lenses for r in lens.rules if lens.id in lenses
    ]
    # Only conditions the engine consults can be reported: an inject-only event fires
    # when pushed whatever its `when`, and an event without a `when` cannot be false.
    events = [e.id for e in scenario.events if not e.inject_only]
    conditional = [e.id for e in scenario.events if not e.inject_only and e.when.strip() != "true"]
    return {
        "scenario": scenario.id,
        "games": total,
        "options_never_taken": [o for o in scenario.option_keys if not picked[o]],
        "cards_never_dealt": [c.id for c in scenario.cards if c.id not in dealt],
        "event_conditions_never_true": [e for e in events if e not in seen_true],
        "event_conditions_never_false": [e for e in conditional if e not in seen_false],
        "lens_rules_never_applied": [r for r in rules if r not in applied],
        "endings_never_reached": [e.id for e in scenario.endings if e.id not in reached],
        "invariant_failures": failures,
    }


TERMS = (
    (
        "Steering games",
        "games in which every decision takes the option picked least often so far (ties "
        "broken by the seed), so that every option gets its turn; each game also pushes "
        "one inject-only event, in turn",
    ),
    (
        "Event conditions never true",
        "events whose `when` was false at every decision of every game, so they most "
        "likely never fired (inject-only events are left out: they fire whatever their "
        "`when`)",
    ),
    (
        "Event conditions never false",
        "events whose `when` held at every decision: the condition never held an event "
        "back, so it may be wrong (events without a `when` are left out)",
    ),
    (
        "Invariant failures",
        "states the engine must never produce: a meter outside its range, a game with "
        "neither a decision nor an ending, a decision with fewer than 2 or more than 4 "
        "options, a game past its turn limit. Each is a bug to report; any makes "
        "`offramp simulate --coverage` exit 1",
    ),
)
"""What each term of the coverage report means (printed with it; the guide too)."""


def coverage_text(report: dict[str, Any]) -> str:
    """The coverage report as readable lines, its terms defined at the end."""
    lines = [f"Coverage of {report['scenario']} over {report['games']} steering games:"]
    for key, title in [
        ("options_never_taken", "Options never taken"),
        ("cards_never_dealt", "Cards never dealt"),
        ("event_conditions_never_true", "Event conditions never true"),
        ("event_conditions_never_false", "Event conditions never false"),
        ("lens_rules_never_applied", "Lens rules never applied"),
        ("endings_never_reached", "Endings never reached"),
    ]:
        items = report[key]
        lines.append(f"- {title} ({len(items)}): {', '.join(items) if items else 'none'}")
    failures = report["invariant_failures"]
    lines.append(f"- Invariant failures ({len(failures)}): " + ("none" if not failures else ""))
    for f in failures:
        lines.append(f"    lens {f['lens']} seed {f['seed']} turn {f['turn']}: {f['problem']}")
    lines += ["", "Terms:"]
    lines += [f"  {term}: {meaning}." for term, meaning in TERMS]
    return "\n".join(lines) + "\n"
