"""UI benchmarks against bare Textual apps, in the same run and the same harness.

Run: .venv/bin/python benchmarks/bench_ui.py [--runs N] [--turns N] [--no-tmux]
Targets (issue 3): cold start to the first interactive frame <= 1.3x the bare app; peak
memory <= 1.5x; keypress-to-redraw on the turn screen, median <= 50 ms.
Targets (issue 12 §6): a whole turn <= 1.5x the CPU of a full redraw of a bare board;
closing a dialog <= 50 ms CPU.

- A whole turn, in CPU time (time.process_time, so other programs on the machine do not
  count), headless under Pilot at 100x30: every key press from one decision to the next
  (pick, confirm, then each dialog the choice opened: an event's pick and confirm, an
  alert's Enter), each press followed by Pilot's pause (the frame drawn). Closing a
  dialog is the Enter that closes it, until the board is drawn again.
- A full redraw of a bare board: a bare app of 39 `Static`s in three scrolling panes
  (with header and footer) whose texts all change on one key, the same press and pause.

- Cold start: a fresh interpreter per run (imports included), timed from just before
  `python` starts until the app's first screen has been refreshed and can take keys.
- Peak memory: the child's max RSS at that moment.
- Keypress to redraw, two ways on the turn screen at 100x30:
  * in a real terminal (tmux): from `send-keys` until `capture-pane` shows the screen
    changed (alternating option keys 1 and 2), polled every ~2 ms: what a user sees,
    including tmux's own delay;
  * in-process, headless, with Textual's Pilot (press + pause), against the bare app
    (a key that changes its Static) in the same harness: the harness itself costs most
    of that figure, so the two are compared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
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


async def bare_keypress_latencies(presses: int) -> list[float]:
    """The same Pilot measurement on a bare app whose key binding updates a Static."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        BINDINGS = [("1", "show('1')", "One"), ("2", "show('2')", "Two")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello", id="text")
            yield Footer()

        def action_show(self, key: str) -> None:
            self.query_one("#text", Static).update(f"pressed {key}")

    times: list[float] = []
    async with Bare().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for i in range(presses):
            t0 = time.perf_counter()
            await pilot.press("1" if i % 2 == 0 else "2")
            await pilot.pause()
            times.append(time.perf_counter() - t0)
    return times


async def turn_cpu(saves: Path, turns: int) -> tuple[list[float], list[float]]:
    """CPU seconds of each whole turn, and of each close of what the choice did (or of a
    dialog), on the shipped scenario."""
    sys.path.insert(0, str(ROOT))
    from textual.screen import ModalScreen

    from game.content import resolve_scenario_dir
    from game.ui.app import OffRampApp
    from game.ui.widgets.effects import EffectsPanel

    app = OffRampApp(resolve_scenario_dir(None), saves, seed=7)
    whole: list[float] = []
    closes: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:

        async def press(key: str) -> None:
            await pilot.press(key)
            await pilot.pause()

        def reading() -> bool:
            """A dialog, or what the choice did in the card's place, waits for Enter."""
            screen = app.screen
            if isinstance(screen, ModalScreen):
                return True
            return any(panel.display for panel in screen.query(EffectsPanel))

        app.start_new_game(seed=7, lens=None, hidden=True, show_briefing=False)
        await pilot.pause()
        await pilot.pause()
        while reading():  # the opening report
            await press("enter")
        for _ in range(turns):
            if app.session is None or app.session.over:
                break
            t0 = time.process_time()
            await press("1")
            await press("enter")
            while reading():
                t1 = time.process_time()
                await press("enter")
                closes.append(time.process_time() - t1)
            whole.append(time.process_time() - t0)
    return whole, closes


async def bare_redraw_cpu(presses: int) -> list[float]:
    """CPU seconds of a key that changes the text of all 39 Statics of a bare board."""
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, VerticalScroll
    from textual.widgets import Footer, Header, Static

    class Board(App[None]):
        BINDINGS = [("1", "show(1)", "One"), ("2", "show(2)", "Two")]

        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal():
                for pane in range(3):
                    with VerticalScroll():
                        for line in range(13):
                            yield Static(f"pane {pane}, item {line}: " + "text " * 12)
            yield Footer()

        def action_show(self, key: int) -> None:
            for n, text in enumerate(self.query(Static).results(Static)):
                text.update(f"key {key}, item {n}: " + "words " * (8 + (n + key) % 5))

    times: list[float] = []
    async with Board().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for i in range(presses):
            t0 = time.process_time()
            await pilot.press("1" if i % 2 == 0 else "2")
            await pilot.pause()
            times.append(time.process_time() - t0)
    return times


def tmux_keypress_latencies(saves: str, presses: int) -> list[float] | None:
    """Seconds from tmux send-keys to a changed screen, on the real `offramp` turn screen
    (None when tmux is missing)."""
    if shutil.which("tmux") is None:
        return None
    socket = f"offramp-bench-{os.getpid()}"
    offramp = Path(sys.executable).parent / "offramp"
    cmd = f"'{offramp}' play --saves '{saves}' --seed 7"

    def t(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False
        ).stdout

    def screen() -> str:
        return t("capture-pane", "-p", "-t", "bench")

    def wait_for(text: str, limit: float = 20.0) -> None:
        end = time.monotonic() + limit
        while text not in screen():
            if time.monotonic() > end:
                raise RuntimeError(f"timed out waiting for {text!r}:\n{screen()}")
            time.sleep(0.05)

    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "bench", "-x", "100", "-y", "30", cmd],
        check=True,
        env={**env, "TERM": "xterm-256color"},
        cwd=ROOT,
    )
    try:
        wait_for("New game")
        time.sleep(1.0)  # the scenario loads behind the title
        t("send-keys", "-t", "bench", "n")
        wait_for("Lens")
        t("send-keys", "-t", "bench", "C-s")
        wait_for("Begin turn one")
        t("send-keys", "-t", "bench", "Enter")
        wait_for("Turn 1 of")
        time.sleep(0.5)
        times: list[float] = []
        for i in range(presses):
            before = screen()
            t0 = time.perf_counter()
            t("send-keys", "-t", "bench", "1" if i % 2 == 0 else "2")
            while screen() == before:
                if time.perf_counter() - t0 > 5:
                    raise RuntimeError("the screen did not change after a key")
            times.append(time.perf_counter() - t0)
            time.sleep(0.05)
        return times
    finally:
        t("kill-server")


def summary(lat: list[float]) -> str:
    lat = sorted(lat)
    p90 = lat[int(len(lat) * 0.9)]
    return f"median {statistics.median(lat) * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--turns", type=int, default=16)
    parser.add_argument("--no-tmux", action="store_true", help="skip the real-terminal test")
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
        bare_redraw = asyncio.run(bare_redraw_cpu(40))
        with tempfile.TemporaryDirectory() as turn_saves:
            whole, closes = asyncio.run(turn_cpu(Path(turn_saves), args.turns))
        redraw = statistics.median(bare_redraw)
        turn = statistics.median(whole)
        print(
            f"a whole turn, CPU (median of {len(whole)}): {turn * 1000:.0f} ms; a full redraw "
            f"of a bare board: {redraw * 1000:.1f} ms = {turn / redraw:.2f}x (target <= 1.5x)"
        )
        if closes:
            print(
                f"closing what the choice did, CPU (median of {len(closes)}): "
                f"{statistics.median(closes) * 1000:.1f} ms (target <= 50 ms)"
            )
        real = None if args.no_tmux else tmux_keypress_latencies(saves, 40)
        if real is None:
            print("keypress to redraw in a real terminal: skipped")
        else:
            print(
                f"keypress to redraw in a real terminal (tmux): {summary(real)} "
                "(target median <= 50 ms)"
            )
        ours = asyncio.run(keypress_latencies(Path(saves), 60))
        bare = asyncio.run(bare_keypress_latencies(60))
        print(f"keypress to redraw under Pilot: offramp {summary(ours)}; bare app {summary(bare)}")


if __name__ == "__main__":
    main()
