"""Benchmarks for the game core: content load + validation, and engine turns per second.

Run: .venv/bin/python benchmarks/bench_core.py [SCENARIO_DIR]
Targets (issue 2): load + validate <= 50 ms; >= 50,000 engine turns/s on one core.
A "turn" here is one call to `choose` (one decision resolved, plus the news and deal
that follow it), on games played with seeded random choices.  Turns per second are
measured in CPU time of this process (`time.process_time`), which runs on one core, so
other load on the machine does not count against the engine.  Still, this shared
virtual machine's speed drifts by up to a third over minutes, so the figure is the
median of seven 3-second runs, each followed by a fixed pure-Python loop (the
"calibration") whose time says how fast the machine was running just then.  The engine
is the mypyc-compiled build when the install could compile it (see setup.py); the first
line says which.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.content import load_scenario, resolve_scenario_dir  # noqa: E402
from game.engine import COMPILED, choices, choose, is_over, new_game  # noqa: E402


def bench_load(folder: Path, repeats: int = 30) -> list[float]:
    """Wall time (s) of load_scenario, fresh each time (no cache)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        load_scenario(folder)
        times.append(time.perf_counter() - t0)
    return times


def bench_turns(folder: Path, seconds: float = 3.0) -> tuple[int, int, float]:
    """Play random games for about `seconds` of CPU time; return (turns, games, CPU s)."""
    scenario = load_scenario(folder)
    lenses = [lens.id for lens in scenario.lenses] or [None]
    rnd = random.Random(1)
    new_game(scenario, 0, lenses[0])  # compile the rules outside the timed loop
    turns = games = 0
    t0 = time.process_time()
    deadline = t0 + seconds
    while time.process_time() < deadline:
        state = new_game(scenario, rnd.randrange(1 << 30), lenses[games % len(lenses)])
        while not is_over(state):
            options = choices(scenario, state)
            state, _ = choose(scenario, state, options[rnd.randrange(len(options))].id)
            turns += 1
        games += 1
    return turns, games, time.process_time() - t0


def calibrate() -> float:
    """CPU seconds of a fixed pure-Python loop: about 0.06 s on this machine at its best."""
    t0 = time.process_time()
    sum(i * i for i in range(1_000_000))
    return time.process_time() - t0


def main() -> None:
    folder = resolve_scenario_dir(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"engine: {'compiled (mypyc)' if COMPILED else 'pure Python'}; scenario: {folder}")
    load = bench_load(folder)
    print(
        f"load + validate: median {statistics.median(load) * 1000:.1f} ms, "
        f"min {min(load) * 1000:.1f} ms over {len(load)} runs (target <= 50 ms)"
    )
    rates, calibration, turns, games = [], [], 0, 0
    for _ in range(7):
        t, g, elapsed = bench_turns(folder)
        rates.append(t / elapsed)
        turns, games = turns + t, games + g
        calibration.append(calibrate())
    rates.sort()
    print(
        f"engine: median {statistics.median(rates):,.0f} turns/s of CPU time on one core "
        f"(7 runs of 3 s: {rates[0]:,.0f} to {rates[-1]:,.0f}; {turns / games:.1f} "
        "turns/game; target >= 50,000 turns/s)"
    )
    print(
        f"calibration loop: median {statistics.median(calibration) * 1000:.0f} ms "
        f"({min(calibration) * 1000:.0f} to {max(calibration) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
