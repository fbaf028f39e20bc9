"""Benchmark: how much of the player's game the debrief's counterfactuals replay.

Run: .venv/bin/python benchmarks/bench_counterfactual.py [SCENARIO_DIR] [--games N]
Target (issue 12 §3): under each other lens, a median of at least 80% of the player's
decisions replayed (the same card or event at the same turn, taken as the player took
it), over 1,000 simulated games.  Before the counterfactual replayed the game's script
(and before rng_version 2), the shipped scenario gave a median of 27% (10th percentile
11%); since, 95.5% (10th percentile 74%).

Each game is played to its end under its seed's hidden lens, by the scenario's default
strategies and ``random`` in turn; then the debrief's counterfactual plays it under
every other lens.  A decision is *replayed* when the counterfactual met it at the same
turn and took the player's option; the rest came up only in the player's game (the
counterfactual took the closest option by tags where it met something else).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.content import Scenario, load_scenario, resolve_scenario_dir  # noqa: E402
from game.debrief import play_counterfactual  # noqa: E402
from game.engine import COMPILED, GameState, choices, is_over, new_game  # noqa: E402
from game.engine import choose as engine_choose  # noqa: E402
from game.sim import default_strategy_names, make_strategy  # noqa: E402
from game.sim.runner import game_seed  # noqa: E402
from game.timeline import DECISIONS  # noqa: E402


def played_game(scenario: Scenario, seed: int, strategy_name: str) -> GameState:
    """A finished game under the seed's hidden lens, played by ``strategy_name``."""
    strategy = make_strategy(scenario, strategy_name)
    rnd = random.Random(seed)
    state = new_game(scenario, seed, None, hidden=True)
    while not is_over(state):
        option = strategy.pick(scenario, state, choices(scenario, state), rnd)
        state, _ = engine_choose(scenario, state, option)
    return state


def replay_shares(
    scenario: Scenario, games: int, master_seed: int = 12
) -> tuple[dict[str, list[float]], dict[str, list[int | None]]]:
    """Lens -> the share of the player's decisions its counterfactual replayed, per game
    (games with no decision are left out), and "all" -> every share; and the same for
    the turn the games diverged (None: never)."""
    names = ["random", *default_strategy_names(scenario)]
    shares: dict[str, list[float]] = {lens.id: [] for lens in scenario.lenses}
    diverged: dict[str, list[int | None]] = {lens.id: [] for lens in scenario.lenses}
    for g in range(games):
        seed = game_seed(master_seed, 0, 0, g)
        state = played_game(scenario, seed, names[g % len(names)])
        decisions = sum(1 for e in state.log if e.kind in DECISIONS)
        if not decisions:
            continue
        for lens in scenario.lenses:
            if lens.id == state.lens:
                continue
            play = play_counterfactual(scenario, state, lens.id)
            shares[lens.id].append((decisions - play.unused) / decisions)
            diverged[lens.id].append(play.diverged)
    shares["all"] = [x for lens in scenario.lenses for x in shares[lens.id]]
    diverged["all"] = [x for lens in scenario.lenses for x in diverged[lens.id]]
    return shares, diverged


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values`` (statistics' 'inclusive' method)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[round(q * 100) - 1] if 0 < q < 1 else (min(values) if q <= 0 else max(values))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?")
    parser.add_argument("--games", type=int, default=1000)
    args = parser.parse_args()
    folder = resolve_scenario_dir(args.scenario)
    scenario = load_scenario(folder)
    t0 = time.perf_counter()
    shares, diverged = replay_shares(scenario, args.games)
    elapsed = time.perf_counter() - t0
    engine = "compiled (mypyc)" if COMPILED else "pure Python"
    print(f"engine: {engine}; scenario: {folder}; {args.games:,} games in {elapsed:.1f} s")
    print("share of the player's decisions replayed under each other lens (target: median >= 80%)")
    for lens, values in shares.items():
        if not values:
            continue
        print(
            f"  {lens:<22} median {statistics.median(values):6.1%}   "
            f"10th percentile {percentile(values, 0.1):6.1%}   "
            f"mean {statistics.fmean(values):6.1%}   ({len(values):,} counterfactuals)"
        )
    print("turn from which the games diverged")
    for lens, turns in diverged.items():
        at = [t for t in turns if t is not None]
        if turns:
            median = f"median turn {statistics.median(at):4.1f}" if at else "never"
            print(f"  {lens:<22} {median}   never diverged: {1 - len(at) / len(turns):6.1%}")


if __name__ == "__main__":
    main()
