"""Monte Carlo runs: many games per strategy × lens, in parallel, reproducibly.

Each game's seed is derived from the master seed and the game's index, and results are
gathered in index order, so the report is identical whatever ``jobs`` is.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from game.content import Scenario, load_scenario
from game.engine import Setup, choices, choose, current_decision, new_game, outcome, start
from game.engine.rng import MASK, mix
from game.engine.rules import rules_for
from game.sim.strategies import Strategy, make_strategy


@dataclass(frozen=True, slots=True)
class GameRecord:
    """What the report needs from one simulated game."""

    strategy: str
    lens: str
    seed: int
    ending: str
    turns: int
    cards: tuple[str, ...]
    """Cards dealt, in order."""
    picks: tuple[str, ...]
    """Options chosen, as ``card_or_event.option``."""
    events: tuple[str, ...]
    """Events fired."""
    rules: tuple[str, ...]
    """Lens rules applied."""
    top_rung: int = 0
    """The highest rung of the ladder the game reached (0 = the bottom)."""
    meters: tuple[int, ...] = ()
    """Every meter's value at the end, in the scenario's order (the ladder first)."""
    dynamics: tuple[str, ...] = ()
    """Dynamics (``id`` or ``lens.id``) that changed something at least once."""
    delayed: tuple[str, ...] = ()
    """Causes (``card.option``, event, ``lens.rule``…) of delayed effects that came due."""
    flags: tuple[str, ...] = ()
    """Flags that were set at some point (at the start or by an effect)."""
    scores: tuple[int, ...] = ()
    """The game's score on each criterion, in the scenario's order (0 where unscored)."""
    total: int = 0
    """The scores' weighted total (``Outcome.total``)."""
    catastrophe: bool = False
    """Whether the ending is a catastrophe (never among the best outcomes)."""


@dataclass(frozen=True, slots=True)
class Job:
    """A slice of games to play: everything needed to play them in another process."""

    folder: str
    strategy: str
    lens: str
    master_seed: int
    strategy_index: int
    lens_index: int
    start: int
    stop: int
    crisis: Setup | None
    """The crisis every game shares (an exercise's), or None for the scenario's own with
    each game's seed."""


def game_seed(master: int, strategy_index: int, lens_index: int, game: int) -> int:
    """The seed of one game: independent of job layout and of PYTHONHASHSEED."""
    z = mix((master & MASK) ^ mix(strategy_index * 0x10001 + lens_index * 0x101 + 1))
    return mix((z + game) & MASK) >> 33


def play_one(
    scenario: Scenario,
    strategy_name: str,
    lens: str,
    seed: int,
    crisis: Setup | None = None,
    strategy: Strategy | None = None,
) -> GameRecord:
    """Play one game with a strategy under a lens and record it.

    ``strategy`` is ``make_strategy(scenario, strategy_name)`` made ahead of time (a batch
    of games shares one; strategies keep no state between games).
    """
    if strategy is None:
        strategy = make_strategy(scenario, strategy_name)
    rnd = random.Random(seed)
    state = (
        new_game(scenario, seed, lens)
        if crisis is None
        else start(scenario, replace(crisis, lens=lens, hidden=False))
    )
    cards: list[str] = []
    picks: list[str] = []
    events: list[str] = list(state.news)
    rules: set[str] = set()
    dynamics: set[str] = set()
    delayed: set[str] = set()
    flags: set[str] = set(state.flags)
    top = state.meters[0]
    while (decision := current_decision(state)) is not None:
        if decision.kind == "card":
            cards.append(decision.id)
        options = choices(scenario, state)
        option = strategy.pick(scenario, state, options, rnd)
        picks.append(f"{decision.id}.{option}")
        state, report = choose(scenario, state, option)
        events.extend(report.news)
        rules.update(report.rules_applied)
        flags |= state.flags
        if state.meters[0] > top:
            top = state.meters[0]
        for change in report.changes:
            if change.phase != "decision":  # dynamics run, and delayed effects fall due, later
                cause = change.cause
                if cause.kind == "dynamic":
                    dynamics.add(cause.ref)
                elif cause.kind == "delayed":
                    delayed.add(cause.ref)
    result = outcome(scenario, state)
    if result is None:  # the engine never leaves an unfinished game without a decision
        raise RuntimeError(f"seed {seed}: the game is not over but owes no decision")
    return GameRecord(
        strategy_name,
        lens,
        seed,
        result.ending.id,
        result.turn,
        tuple(cards),
        tuple(picks),
        tuple(events),
        tuple(sorted(rules)),
        top,
        tuple(state.meters),
        tuple(sorted(dynamics)),
        tuple(sorted(delayed)),
        tuple(sorted(flags)),
        tuple(result.scores.get(c.id, 0) for c in scenario.criteria),
        result.total,
        result.catastrophe,
    )


_worker_scenarios: dict[str, Scenario] = {}


def _run_job(job: Job) -> list[GameRecord]:
    scenario = _worker_scenarios.get(job.folder)
    if scenario is None:
        scenario = _worker_scenarios[job.folder] = load_scenario(job.folder)
    strategy = make_strategy(scenario, job.strategy)
    return [
        play_one(
            scenario,
            job.strategy,
            job.lens,
            game_seed(job.master_seed, job.strategy_index, job.lens_index, g),
            job.crisis,
            strategy,
        )
        for g in range(job.start, job.stop)
    ]


def simulate(
    scenario: Scenario,
    strategies: Sequence[str],
    lenses: Sequence[str],
    runs: int,
    seed: int = 0,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    crisis: Setup | None = None,
) -> list[GameRecord]:
    """Play ``runs`` games for every strategy × lens; records in a fixed order.

    With a ``crisis`` (an exercise's setup), every game plays its seed, turn limit,
    schedule and deck under each lens; the strategies still vary their picks."""
    for name in strategies:
        make_strategy(scenario, name)  # fail early on an unknown name
    jobs = jobs or os.cpu_count() or 1
    total = runs * len(strategies) * len(lenses)
    chunk = max(1, min(250, runs // max(1, jobs * 2) or 1))
    work = [
        Job(str(scenario.folder), s, lens, seed, si, li, start, min(runs, start + chunk), crisis)
        for si, s in enumerate(strategies)
        for li, lens in enumerate(lenses)
        for start in range(0, runs, chunk)
    ]
    done = 0
    results: list[GameRecord] = []
    if jobs == 1 or scenario.folder is None:
        _worker_scenarios[str(scenario.folder)] = scenario
        for job in work:
            batch = _run_job(job)
            results.extend(batch)
            done += len(batch)
            if progress:
                progress(done, total)
        return results
    # Workers started by fork inherit the loaded scenario and its compiled rules instead
    # of loading the folder again (others load it on their first job, as before).
    _worker_scenarios[str(scenario.folder)] = scenario
    rules_for(scenario)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for batch in pool.map(_run_job, work):
            results.extend(batch)
            done += len(batch)
            if progress:
                progress(done, total)
    return results


def scenario_folder(scenario: Scenario) -> Path:
    """The folder a scenario was loaded from (simulation workers reload it)."""
    if scenario.folder is None:
        raise ValueError("scenario has no folder")
    return scenario.folder
