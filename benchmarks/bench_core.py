"""Benchmarks for the game core: content load + validation, and engine turns per second.

Run: .venv/bin/python benchmarks/bench_core.py [SCENARIO_DIR]
Targets (issue 2): load + validate <= 50 ms; >= 50,000 engine turns/s on one core.
A "turn" here is one call to `choose` (one decision resolved, plus the news and deal
that follow it), on games played with seeded random choices.  Turns per second are
measured in CPU time of this process (`time.process_time`), which runs on one core, so
other load on the machine does not count against the engine.
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
from game.engine import choices, choose, is_over, new_game  # noqa: E402


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


def main() -> None:
    folder = resolve_scenario_dir(sys.argv[1] if len(sys.argv) > 1 else None)
    load = bench_load(folder)
    print(f"scenario: {folder}")
    print(
        f"load + validate: median {statistics.median(load) * 1000:.1f} ms, "
        f"min {min(load) * 1000:.1f} ms over {len(load)} runs (target <= 50 ms)"
    )
    turns, games, elapsed = bench_turns(folder)
    print(
        f"engine: {turns / elapsed:,.0f} turns/s of CPU time on one core "
        f"({games / elapsed:,.0f} games/s, {turns / max(games, 1):.1f} turns/game; "
        "target >= 50,000 turns/s)"
    )


if __name__ == "__main__":
    main()
