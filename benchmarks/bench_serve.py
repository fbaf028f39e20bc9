"""`offramp serve` under a class: N concurrent browser sessions, each taking a turn every
few seconds, with the server's response time and memory measured.

Run: .venv/bin/python benchmarks/bench_serve.py [--sessions 30] [--duration 60]
     [--interval 4] [--json FILE]
Needs /usr/bin/chromium and Playwright (the dev extra), like tests/test_serve_e2e.py.

One headless Chromium, one context (tab) per student, all driven at once with
Playwright's async API.  Every tab joins the shipped seminar exercise (turn limit raised
to the scenario's, so no game ends within the run) under its own name, then plays: pick an
option, confirm, close what follows, wait ``--interval`` seconds (randomised ±25%).

Measured:
- CPU per session start: before the class, ``--starts`` sessions opened one at a time
  over a websocket until the title screen shows, then closed; the CPU of the server's
  whole tree (server, zygote, each tab's client and game, reaped ones included) per
  session.  With OFFRAMP_COLD_START=1 in the environment the server starts every game as
  a fresh `offramp play` (no zygote): run both to compare;
- page load: HTTP GET / from this process, every 2 s through the run;
- session start: from opening the page until the title screen shows (the game forked from
  the zygote, or a fresh `offramp play` process: imports, scenario load, first frame);
- keypress response, timed in the page: from the keydown until the terminal receives
  its first output back (`first byte`), and until the screen shows the result (`pick`:
  the option is marked; `turn`: the next turn's board is drawn);
- memory: every second, RSS and PSS (shared pages split between processes, so totals are
  honest) of the server and all its descendants, from /proc; per-session figures are
  totals over the games and their tabs' clients divided by the number of games;
- CPU: the server's and its children's CPU time over the run (2 cores = 200%), and the
  turns the class took per second.

The browser runs on the same machine and takes CPU too; its share is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_serve_e2e import (  # noqa: E402
    CATCH_TERMINAL,
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREEN_TEXT,
    browser_missing,
    running_server,
    serve_log,
    write_exercise,
)

# In the page: time keypresses (keydown, capture phase, before xterm.js) and the
# terminal's next parsed write; wait for screen text on the terminal's writes rather
# than by polling, so 30 tabs on the same 2 cores cost the server as little as possible.
IN_PAGE = """
window.__key = {at: 0, first: 0};
document.addEventListener('keydown', () => {
  window.__key = {at: performance.now(), first: 0};
}, true);
window.__screen = SCREEN;
window.__waitFor = (pattern, unlike, timeoutMs) => new Promise((resolve, reject) => {
  const term = window.__offramp.terminal, re = new RegExp(pattern);
  let finished = false, sub = null, timer = null;
  const check = () => {
    if (finished) return;
    const text = window.__screen();
    if ((unlike === null || text !== unlike) && re.test(text)) {
      finished = true;
      if (sub) sub.dispose();
      clearTimeout(timer);
      resolve(performance.now());
    }
  };
  sub = term.onWriteParsed(check);
  timer = setTimeout(() => {
    if (finished) return;
    finished = true;
    sub.dispose();
    reject(new Error('timed out waiting for ' + pattern + ':\\n' + window.__screen()));
  }, timeoutMs);
  check();
});
const hook = () => {
  const term = window.__offramp && window.__offramp.terminal;
  if (!term) { setTimeout(hook, 50); return; }
  term.onWriteParsed(() => {
    if (window.__key.at && !window.__key.first) window.__key.first = performance.now();
  });
};
window.addEventListener('DOMContentLoaded', hook);
""".replace("SCREEN", SCREEN_TEXT.strip())
CHOICE_DID = "WHAT YOUR CHOICE DID"
"""The dialog after each confirmed choice (Enter closes it)."""
TICK = 1.0  # memory sampling period (s)
TIMEOUT_MS = 180_000
STALL_MS = 30_000


@dataclass
class Figures:
    """Everything measured."""

    page_load: list[float] = field(default_factory=list)
    start: list[float] = field(default_factory=list)
    first_byte: list[float] = field(default_factory=list)
    pick: list[float] = field(default_factory=list)
    turn: list[float] = field(default_factory=list)
    turns: int = 0
    stalls: int = 0
    """Keypresses that marked no option within 30 s (then the tab settles and goes on)."""
    errors: list[str] = field(default_factory=list)
    memory: list[dict[str, float]] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    start_cpu: list[float] = field(default_factory=list)
    """CPU-s of the server's whole tree per session started alone (to the title, then quit)."""
    join_s: float = 0.0
    """From the first tab opening to the last student at turn one."""
    play_start: float = 0.0
    warm: bool = False
    """Whether sessions were forked from the zygote."""


# --- /proc --------------------------------------------------------------------------


def descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB (0, 0 if it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    rss = re.search(r"^Rss:\s+(\d+)", text, re.M)
    pss = re.search(r"^Pss:\s+(\d+)", text, re.M)
    return (int(rss.group(1)) if rss else 0), (int(pss.group(1)) if pss else 0)


def cmdline(pid: int) -> list[bytes]:
    """A process's command line ([] if it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []


def parent(pid: int) -> int:
    """A process's parent id (0 if it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def is_zygote(pid: int) -> bool:
    """Whether a process is the server's zygote (not a game forked from it)."""
    zygote = [b"-m", b"game.classroom.zygote"]
    return cmdline(pid)[1:3] == zygote and cmdline(parent(pid))[1:3] != zygote


def is_play(pid: int) -> bool:
    """Whether a process is a session's game: an `offramp play` started cold, or a game
    forked from the zygote (not the zygote, nor a tab's client)."""
    return cmdline(pid)[1:4] == [b"-m", b"game.cli", b"play"] or is_zygote(parent(pid))


def is_client(pid: int) -> bool:
    """Whether a process is a tab's client of the zygote (game/classroom/spawn.py)."""
    return any(arg.endswith(b"spawn.py") for arg in cmdline(pid)[:3])


def cpu_seconds(pids: list[int], children: bool = True) -> float:
    """User + system CPU time of processes, with their reaped children unless told not."""
    tick = os.sysconf("SC_CLK_TCK")
    # utime stime cutime cstime are fields 14-17 (1-based); after the ")" split, 11-14
    fields_wanted = (11, 12, 13, 14) if children else (11, 12)
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(fields[i]) for i in fields_wanted) / tick
    return total


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def harness_pids() -> list[int]:
    """This benchmark's own process and Playwright's driver (node)."""
    out = [os.getpid()]
    for pid in descendants(os.getpid()):
        try:
            if os.readlink(f"/proc/{pid}/exe").endswith("/node"):
                out.append(pid)
        except OSError:
            continue
    return out


def sample_memory(server: int) -> dict[str, float]:
    """One memory sample of the server's process tree (MiB)."""
    pids = descendants(server)
    plays = [p for p in pids if is_play(p)]
    session = set(plays) | {p for p in pids if is_client(p)}  # a game and its tab's client
    rss = pss = play_rss = play_pss = zygote_rss = 0
    for pid in pids:
        r, p = memory_kib(pid)
        rss, pss = rss + r, pss + p
        if pid in session:
            play_rss, play_pss = play_rss + r, play_pss + p
        elif is_zygote(pid):
            zygote_rss += r
    server_rss, server_pss = memory_kib(server)
    return {
        "t": time.monotonic(),
        "cpu": cpu_seconds(pids),
        "sessions": len(plays),
        "rss": rss / 1024,
        "pss": pss / 1024,
        "server_rss": server_rss / 1024,
        "server_pss": server_pss / 1024,
        "zygote_rss": zygote_rss / 1024,
        "play_rss": play_rss / 1024 / max(1, len(plays)),
        "play_pss": play_pss / 1024 / max(1, len(plays)),
    }


def chromium_pids() -> list[int]:
    """Chromium's processes (to report the browser's CPU share)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                exe = os.readlink(f"/proc/{entry}/exe")
            except OSError:
                continue
            if "chromium" in exe:
                out.append(int(entry))
    return out


# --- a student ------------------------------------------------------------------------


async def shows(
    page: Any, pattern: str, unlike: str | None = None, timeout: float = TIMEOUT_MS
) -> float:
    """Wait until the screen matches (and differs from ``unlike``); return the page's
    time then (ms)."""
    done = await page.evaluate(
        "([p, u, t]) => window.__waitFor(p, u, t)", [pattern, unlike, timeout]
    )
    return float(done)


async def press(page: Any, key: str) -> float:
    """Press a key; return its keydown time in the page (ms)."""
    await page.keyboard.press(key)
    return float(await page.evaluate("window.__key.at"))


async def screen(page: Any) -> str:
    return str(await page.evaluate(SCREEN_TEXT))


async def settle(page: Any) -> str:
    """Close what a choice did and important news, and answer events, until the board
    shows; return the screen."""
    for _ in range(12):
        await shows(page, rf"Pick an option|IMPORTANT|EVENT|DEBRIEF|{CHOICE_DID}")
        await asyncio.sleep(0.4)  # let a dialog arrive after the board
        now = await screen(page)
        if "EVENT" in now:
            await page.keyboard.press("1")
            await shows(page, ".", unlike=now)
            await page.keyboard.press("Enter")
        elif "IMPORTANT" in now or CHOICE_DID in now:
            await page.keyboard.press("Enter")
        else:
            return now
        await shows(page, ".", unlike=now)
    return await screen(page)


@dataclass
class Class:
    """The students' shared clock: play starts when all have joined (or failed)."""

    sessions: int
    duration: float
    joined: int = 0
    all_in: asyncio.Event = field(default_factory=asyncio.Event)
    stop_at: float = 0.0
    join_time: float = 0.0

    def arrived(self, started: float) -> None:
        self.joined += 1
        if self.joined == self.sessions:
            self.join_time = time.monotonic() - started
            self.stop_at = time.monotonic() + self.duration
            self.all_in.set()


async def pause(seconds: float, until: float) -> None:
    """Sleep ``seconds``, but not past ``until``."""
    await asyncio.sleep(max(0.0, min(seconds, until - time.monotonic())))


async def student(
    n: int,
    browser: Any,
    url: str,
    figures: Figures,
    group: Class,
    interval: float,
    viewport: dict[str, int],
) -> None:
    """One student's tab: join, wait for the class, then a turn every ``interval`` seconds
    for the class's duration."""
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    await page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    await page.add_init_script(CATCH_TERMINAL)
    await page.add_init_script(IN_PAGE)
    opened = time.monotonic()
    try:
        await page.goto(url, wait_until="domcontentloaded")
        await page.wait_for_function("!!(window.__offramp && window.__offramp.terminal)")
        await shows(page, r"Class exercise")
        figures.start.append(time.monotonic() - opened)
        await page.click("#terminal")
        await page.keyboard.press("n")
        await shows(page, r"Type your name")
        await page.keyboard.type(f"Student {n:02d}")
        await page.keyboard.press("Enter")
        await shows(page, r"Begin")
        await page.keyboard.press("Enter")
        await shows(page, r"Turn 1 of")
        await settle(page)
        group.arrived(opened)
        await group.all_in.wait()
        rng = random.Random(n)
        await pause(rng.uniform(0, interval), group.stop_at)  # spread the class out
        while time.monotonic() < group.stop_at:
            text = await settle(page)  # a dialog may come late on a loaded machine
            if "DEBRIEF" in text:
                break
            found = re.search(r"Turn (\d+) of", text)
            turn = int(found.group(1)) if found else 0
            options = re.search(r"Pick an option: 1.(\d)", text)
            at = await press(page, str(rng.randint(1, int(options.group(1)) if options else 2)))
            try:
                done = await shows(page, r"chooses option", timeout=STALL_MS)
            except Exception:  # the key went to something else: settle and go on
                figures.stalls += 1
                continue
            first = float(await page.evaluate("window.__key.first"))
            figures.first_byte.append(first - at)
            figures.pick.append(done - at)
            at = await press(page, "Enter")
            done = await shows(page, rf"Turn {turn + 1} of|IMPORTANT|EVENT|DEBRIEF")
            figures.turn.append(done - at)
            figures.turns += 1
            await pause(interval * rng.uniform(0.75, 1.25), group.stop_at)
    except Exception as exc:  # report it, keep the others going
        figures.errors.append(f"student {n}: {type(exc).__name__}: {exc}"[:400])
        if not group.all_in.is_set():
            group.arrived(opened)
    finally:
        await context.close()


async def drive(url: str, args: argparse.Namespace, figures: Figures) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        group = Class(args.sessions, args.duration)
        width, height = (int(x) for x in args.viewport.split("x"))
        viewport = {"width": width, "height": height}
        await asyncio.gather(
            *(
                student(n, browser, url, figures, group, args.interval, viewport)
                for n in range(args.sessions)
            )
        )
        figures.join_s = group.join_time
        figures.play_start = group.stop_at - args.duration
        await browser.close()


# --- session starts, one at a time ------------------------------------------------------


def zygote_ready(server: int, timeout: float = 60) -> bool:
    """Wait until the server's zygote listens; False when it has none (a cold start)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        zygotes = [p for p in descendants(server) if is_zygote(p)]
        if not zygotes:
            return False
        if Path(cmdline(zygotes[0])[3].decode()).exists():
            return True
        time.sleep(0.1)
    return False


async def start_session(url: str) -> None:
    """Open a game's websocket as a tab does, until its title screen shows; then close it."""
    import aiohttp

    ws_url = url.replace("http", "ws") + "ws?width=105&height=33"
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url) as ws:
        seen = b""
        while b"Class exercise" not in seen:
            message = await ws.receive(timeout=TIMEOUT_MS / 1000)
            if message.type != aiohttp.WSMsgType.BINARY:
                if message.type == aiohttp.WSMsgType.TEXT:
                    continue
                raise RuntimeError(f"the session ended before its title: {message.type}")
            seen += message.data


def measure_starts(server: int, url: str, count: int, figures: Figures) -> None:
    """CPU of the server's tree (server, zygote, clients, games) per session start, one
    session at a time, each quit (and reaped) before the next."""
    baseline = len(descendants(server))
    for _ in range(count):
        before = cpu_seconds(descendants(server))
        try:
            asyncio.run(start_session(url))
        except Exception as exc:
            figures.errors.append(f"session start: {type(exc).__name__}: {exc}"[:300])
            return
        deadline = time.monotonic() + 30
        while len(descendants(server)) > baseline and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        figures.start_cpu.append(cpu_seconds(descendants(server)) - before)


# --- the run --------------------------------------------------------------------------


def watch(server: int, url: str, figures: Figures, done: threading.Event) -> None:
    """Sample memory and CPU every second and time a page load every two."""
    next_load = 0.0
    while not done.is_set():
        sample = sample_memory(server)
        sample["browser_cpu"] = cpu_seconds(chromium_pids())
        sample["harness_cpu"] = cpu_seconds(harness_pids(), children=False)
        sample["machine_cpu"] = machine_busy_seconds()
        figures.memory.append(sample)
        if time.monotonic() >= next_load:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                figures.page_load.append((time.perf_counter() - started) * 1000)
            except OSError as exc:
                figures.errors.append(f"page load: {exc}")
            next_load = time.monotonic() + 2
        done.wait(TICK)


def cpu_shares(figures: Figures) -> dict[str, float]:
    """CPU use (% of one core) of the server tree and of the browser, while the class
    joins and while it plays."""
    out: dict[str, float] = {}
    phases = {
        "join": [m for m in figures.memory if m["t"] <= figures.play_start],
        "play": [m for m in figures.memory if m["t"] >= figures.play_start],
    }
    for phase, samples in phases.items():
        if len(samples) < 2:
            continue
        first, last = samples[0], samples[-1]
        dt = last["t"] - first["t"]
        out[f"{phase}_s"] = dt
        out[f"{phase}_server_pct"] = 100 * (last["cpu"] - first["cpu"]) / dt
        for key in ("browser", "harness", "machine"):
            out[f"{phase}_{key}_pct"] = 100 * (last[f"{key}_cpu"] - first[f"{key}_cpu"]) / dt
        out[f"{phase}_other_pct"] = out[f"{phase}_machine_pct"] - sum(
            out[f"{phase}_{key}_pct"] for key in ("server", "browser", "harness")
        )
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(figures: Figures, args: argparse.Namespace, wall: float) -> dict[str, Any]:
    def stats(values: list[float]) -> dict[str, float]:
        return {
            "n": len(values),
            "median": statistics.median(values) if values else float("nan"),
            "p90": percentile(values, 0.9),
            "max": max(values) if values else float("nan"),
        }

    full = [m for m in figures.memory if m["sessions"] == args.sessions] or figures.memory
    peak = max(figures.memory, key=lambda m: m["pss"]) if figures.memory else {}
    return {
        "sessions": args.sessions,
        "duration_s": args.duration,
        "interval_s": args.interval,
        "wall_s": round(wall, 1),
        "class_joined_s": round(figures.join_s, 1),
        "warm": figures.warm,
        "start_cpu_s": stats(figures.start_cpu),
        "turns_per_s": figures.turns / args.duration,
        "turns": figures.turns,
        "stalls": figures.stalls,
        "page_load_ms": stats(figures.page_load),
        "session_start_s": stats(figures.start),
        "first_byte_ms": stats(figures.first_byte),
        "pick_ms": stats(figures.pick),
        "turn_ms": stats(figures.turn),
        "peak_total_rss_mib": max((m["rss"] for m in figures.memory), default=0),
        "peak_total_pss_mib": peak.get("pss", 0),
        "server_rss_mib": max((m["server_rss"] for m in figures.memory), default=0),
        "zygote_rss_mib": max((m["zygote_rss"] for m in figures.memory), default=0),
        "per_session_rss_mib": statistics.median([m["play_rss"] for m in full]) if full else 0,
        "per_session_pss_mib": statistics.median([m["play_pss"] for m in full]) if full else 0,
        "cpu": figures.cpu,
        "errors": figures.errors,
    }


def report(s: dict[str, Any]) -> str:
    def line(name: str, key: str, unit: str, scale: float = 1) -> str:
        v = s[key]
        return (
            f"  {name:<34} median {v['median'] * scale:7.1f} {unit}  p90 "
            f"{v['p90'] * scale:7.1f} {unit}  max {v['max'] * scale:7.1f} {unit}  (n={v['n']})"
        )

    cpu, starts = s["cpu"], s["start_cpu_s"]
    per_turn = cpu.get("play_server_pct", 0) / 100 * cpu.get("play_s", 0) / max(1, s["turns"])
    capacity = (os.cpu_count() or 1) / per_turn if per_turn else float("nan")
    return "\n".join(
        [
            f"offramp serve: {s['sessions']} browser sessions, a turn every ~{s['interval_s']} s "
            f"for {s['duration_s']} s ({s['turns']} turns taken, {s['stalls']} stalled picks), "
            f"{os.cpu_count()} cores",
            line("page load (HTTP GET /)", "page_load_ms", "ms"),
            line("session start (open -> title)", "session_start_s", "s "),
            f"  {'CPU per session start, alone':<34} median {starts['median']:7.2f} CPU-s "
            f"max {starts['max']:.2f} (n={starts['n']}; "
            f"{'forked from the zygote' if s['warm'] else 'cold: a fresh offramp play'})",
            f"  the whole class at turn one after {s['class_joined_s']:.1f} s",
            line("key -> first output", "first_byte_ms", "ms"),
            line("key -> option marked", "pick_ms", "ms"),
            line("Enter -> next turn drawn", "turn_ms", "ms"),
            f"  memory: peak total RSS {s['peak_total_rss_mib']:.0f} MiB, peak total PSS "
            f"{s['peak_total_pss_mib']:.0f} MiB (server + all sessions); server alone "
            f"{s['server_rss_mib']:.0f} MiB RSS, its zygote {s['zygote_rss_mib']:.0f} MiB RSS",
            f"  per session (its game and its tab's client): "
            f"RSS {s['per_session_rss_mib']:.0f} MiB, PSS {s['per_session_pss_mib']:.0f} MiB",
            *(
                f"  CPU while {phase}ing: machine {cpu.get(f'{phase}_machine_pct', 0):.0f}% of "
                f"{100 * (os.cpu_count() or 1)}% = server + sessions "
                f"{cpu.get(f'{phase}_server_pct', 0):.0f}%, browser "
                f"{cpu.get(f'{phase}_browser_pct', 0):.0f}%, Playwright + this script "
                f"{cpu.get(f'{phase}_harness_pct', 0):.0f}%, other programs "
                f"{cpu.get(f'{phase}_other_pct', 0):.0f}%"
                for phase in ("join", "play")
            ),
            f"  turns taken per second: {s['turns_per_s']:.2f} (at the students' pace)",
            f"  server + sessions CPU per turn taken (pick, confirm, news): {per_turn:.2f} CPU-s,"
            f" so {os.cpu_count()} cores could serve about {capacity:.0f} turns per second",
            f"  errors: {len(s['errors'])}" + "".join(f"\n    {e}" for e in s["errors"][:10]),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60, help="seconds of play")
    parser.add_argument("--interval", type=float, default=4, help="seconds between turns")
    parser.add_argument(
        "--viewport",
        default="1024x640",
        help="each tab's size in pixels (default 1024x640: about 105 x 33 cells)",
    )
    parser.add_argument(
        "--starts", type=int, default=5, help="sessions started one at a time first, for CPU"
    )
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    args = parser.parse_args()
    missing = browser_missing()
    if missing:
        print(f"bench_serve: {missing}", file=sys.stderr)
        return 2
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        folder = Path(tmp)
        exercise = write_exercise(folder)
        text = exercise.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^turn_limit = .*$", "turn_limit = 24", text)
        exercise.write_text(text, encoding="utf-8")
        cap = str(args.sessions)  # not the default cap, which may be lower on this machine
        serve_args = ("--exercise", str(exercise), "--saves", "saves", "--max-sessions", cap)
        with running_server(folder, *serve_args) as (url, srv):
            figures.warm = zygote_ready(srv.pid)
            measure_starts(srv.pid, url, args.starts, figures)
            done = threading.Event()
            watcher = threading.Thread(
                target=watch, args=(srv.pid, url, figures, done), daemon=True
            )
            started = time.monotonic()
            watcher.start()
            try:
                asyncio.run(drive(url, args, figures))
            finally:
                wall = time.monotonic() - started
                done.set()
                watcher.join()
            figures.cpu = cpu_shares(figures)
            for line in serve_log(folder).splitlines():
                if re.search(r"Traceback|Error|failed", line):
                    figures.errors.append(f"server: {line.strip()}"[:300])
            saves = sorted((folder / "saves" / "pols101").glob("*.toml"))
            if len(saves) != args.sessions:
                figures.errors.append(f"{len(saves)} saves for {args.sessions} sessions")
    result = summary(figures, args, wall)
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 1 if figures.errors else 0


if __name__ == "__main__":
    sys.exit(main())
