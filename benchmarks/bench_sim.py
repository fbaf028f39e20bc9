"""Benchmarks for the simulator: 10,000 games wall time, and scaling with content size.

Run: .venv/bin/python benchmarks/bench_sim.py [SCENARIO_DIR] [--games N] [--jobs N]
Targets (issue 4): 10,000 simulated games of the shipped scenario in <= 5 s wall on this
2-core machine; time growing linearly or better with content 10x larger.

The larger content is the scenario with every card and event copied (new ids, same
conditions and effects) 2x, 5x and 10x, written to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.content import load_scenario, resolve_scenario_dir  # noqa: E402
from game.content.loader import toml_files  # noqa: E402
from game.engine import COMPILED  # noqa: E402
from game.sim import simulate  # noqa: E402


def scaled_copy(folder: Path, factor: int, target: Path) -> Path:
    """Write `folder` with every card and event copied `factor` times into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in toml_files(folder):
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        for key in ("cards", "events"):
            items = data.get(key)
            if items:
                copies = [
                    {**item, "id": f"{item['id']}_x{k}"} for k in range(1, factor) for item in items
                ]
                data[key] = items + copies
        out = target / path.relative_to(folder)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(tomli_w.dumps(data), encoding="utf-8")
    return target


def time_games(folder: Path, games: int, jobs: int) -> tuple[float, float]:
    """(load seconds, simulate seconds) for `games` random games spread over the lenses."""
    t0 = time.perf_counter()
    scenario = load_scenario(folder)
    load = time.perf_counter() - t0
    lenses = [lens.id for lens in scenario.lenses]
    runs = max(1, games // len(lenses))
    t0 = time.perf_counter()
    records = simulate(scenario, ["random"], lenses, runs, seed=1, jobs=jobs)
    elapsed = time.perf_counter() - t0
    assert len(records) == runs * len(lenses)
    return load, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?")
    parser.add_argument("--games", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    folder = resolve_scenario_dir(args.scenario)
    load, elapsed = time_games(folder, args.games, args.jobs)
    engine = "compiled (mypyc)" if COMPILED else "pure Python"
    print(f"engine: {engine}; scenario: {folder}; {os.cpu_count()} cores, --jobs {args.jobs}")
    print(
        f"{args.games:,} random games: {elapsed:.2f} s wall ({args.games / elapsed:,.0f} games/s; "
        "target <= 5 s)"
    )
    scale_games = max(200, args.games // 10)
    print(f"scaling ({scale_games:,} games each, --jobs {args.jobs}):")
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (1, 2, 5, 10):
            big = scaled_copy(folder, factor, Path(tmp) / f"x{factor}")
            load, elapsed = time_games(big, scale_games, args.jobs)
            per_game = elapsed / scale_games * 1000
            base = base or per_game
            print(
                f"  content x{factor:<2}: load {load * 1000:6.1f} ms, "
                f"{per_game:.3f} ms/game ({per_game / base:.2f}x of x1)"
            )


if __name__ == "__main__":
    main()
