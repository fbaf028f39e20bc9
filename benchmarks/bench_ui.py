"""UI benchmarks against a bare Textual app (header, one static, footer), same run.

Run: .venv/bin/python benchmarks/bench_ui.py [--runs N]
Targets (issue 3): cold start to the first interactive frame <= 1.3x the bare app; peak
memory <= 1.5x; keypress-to-redraw on the turn screen, median <= 50 ms.

- Cold start: a fresh interpreter per run (imports included), timed from just before
  `python` starts until the app's first screen has been refreshed and can take keys.
- Peak memory: the child's max RSS at that moment.
- Keypress to redraw: in-process, headless, on the turn screen at 100x30: time from
  sending a key until the app has processed it and repainted (Pilot press + pause).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import resource, sys, time
T0 = float(sys.argv[1])
which = sys.argv[2]
if which == "bare":
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello")
            yield Footer()

    app = Bare()
else:
    from pathlib import Path
    from game.content import resolve_scenario_dir
    from game.ui.app import OffRampApp

    app = OffRampApp(resolve_scenario_dir(None), Path(sys.argv[3]))

def ready() -> None:
    elapsed = time.time() - T0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{elapsed:.6f} {rss}", flush=True)
    app.exit()

app.call_after_refresh(lambda: app.call_after_refresh(ready))
app.run(headless=True)
"""


def cold_start(which: str, saves: str) -> tuple[float, int]:
    """(seconds to first interactive frame, max RSS in KiB) of one fresh process."""
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, repr(t0), which, saves],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


async def keypress_latencies(saves: Path, presses: int) -> list[float]:
    """Seconds from key to repaint on the turn screen, for alternating option keys."""
    sys.path.insert(0, str(ROOT))
    from game.content import resolve_scenario_dir
    from game.ui.app import OffRampApp

    app = OffRampApp(resolve_scenario_dir(None), saves, seed=7)
    times: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_new_game(seed=7, lens=None, hidden=True, show_briefing=False)  # type: ignore[attr-defined]
        await pilot.pause()
        for i in range(presses):
            key = "1" if i % 2 == 0 else "2"
            t0 = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as saves:
        results: dict[str, list[tuple[float, int]]] = {"bare": [], "offramp": []}
        cold_start("bare", saves)  # warm the OS file cache for both
        cold_start("offramp", saves)
        for _ in range(args.runs):
            for which in results:
                results[which].append(cold_start(which, saves))
        bare_t = statistics.median(t for t, _ in results["bare"])
        ours_t = statistics.median(t for t, _ in results["offramp"])
        bare_m = max(m for _, m in results["bare"])
        ours_m = max(m for _, m in results["offramp"])
        print(
            f"cold start to first frame (median of {args.runs}): bare {bare_t * 1000:.0f} ms, "
            f"offramp {ours_t * 1000:.0f} ms = {ours_t / bare_t:.2f}x (target <= 1.3x)"
        )
        print(
            f"peak memory: bare {bare_m / 1024:.1f} MiB, offramp {ours_m / 1024:.1f} MiB "
            f"= {ours_m / bare_m:.2f}x (target <= 1.5x)"
        )
        lat = asyncio.run(keypress_latencies(Path(saves), 60))
        lat.sort()
        print(
            "keypress to redraw on the turn screen: "
            f"median {statistics.median(lat) * 1000:.1f} ms, "
            f"p90 {lat[int(len(lat) * 0.9)] * 1000:.1f} ms (target median <= 50 ms)"
        )


if __name__ == "__main__":
    main()
