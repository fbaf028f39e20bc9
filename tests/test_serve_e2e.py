"""`offramp serve` end to end: a real headless Chromium plays a class exercise in the browser.

The server runs on a free loopback port in a temporary folder; the browser types the
student's name and plays turns by pressing keys in the xterm.js terminal; meanwhile the
facilitator pushes an inject with `offramp inject`; the test then finds the student's save
under saves/<class>/ and checks that its replayed log holds the inject.

Needs Debian's Chromium (/usr/bin/chromium) and Playwright's Python package (a dev
extra); `.ci/run` installs Chromium, so CI always runs this test.  Elsewhere it is skipped
with the reason.  The helpers here are shared with benchmarks/bench_serve.py.

A second test caps the class at one game: a second tab says the class is full.  A third
runs the instructor's console in a tab beside two students': pause, resume, an inject.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("OFFRAMP_CHROMIUM", "/usr/bin/chromium")
# This machine has no network: without these flags Chromium hangs on connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}  # about 140 x 40 cells at textual-serve's 16px

# textual-serve's page keeps its xterm.js Terminal in a closure and draws on a canvas, so
# the page text says nothing.  Before the page's script runs, catch the object that owns
# the Terminal when it sets its `fitAddon`, and keep it as window.__offramp.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'fitAddon', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'fitAddon',
      {value, writable: true, configurable: true, enumerable: true});
    window.__offramp = this;
  },
});
"""
# The terminal's screen as text, one line per row (xterm.js's buffer API).
SCREEN_TEXT = """() => {
  const term = window.__offramp && window.__offramp.terminal;
  if (!term) return '';
  const buffer = term.buffer.active, rows = [];
  for (let i = 0; i < term.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}"""


def browser_missing() -> str:
    """Why the browser tests cannot run here ('' when they can)."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    return ""


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def offramp(*args: str) -> list[str]:
    """The command line of `offramp ARGS` with this interpreter."""
    return [sys.executable, "-m", "game.cli", *args]


def write_exercise(folder: Path) -> Path:
    """The shipped seminar exercise, its scenario given as an absolute path."""
    text = (ROOT / "content" / "exercises" / "seminar.toml").read_text(encoding="utf-8")
    scenario = (ROOT / "content" / "ukraine").as_posix()
    text, n = re.subn(r'(?m)^scenario = "[^"]*"', f'scenario = "{scenario}"', text)
    assert n == 1, "seminar.toml has no scenario line"
    path = folder / "seminar.toml"
    path.write_text(text, encoding="utf-8")
    return path


@contextlib.contextmanager
def running_server(
    folder: Path, *serve_args: str, port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`offramp serve` on a free loopback port, run in ``folder``; yields its URL."""
    port = port or free_port()
    log = (folder / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        offramp("serve", "--host", "127.0.0.1", "--port", str(port), *serve_args),
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                raise AssertionError(
                    f"offramp serve exited {server.returncode}: {serve_log(folder)}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"offramp serve did not answer: {serve_log(folder)}")
            time.sleep(0.1)
        yield url, server
    finally:
        stop_server(server)
        log.close()


def stop_server(server: subprocess.Popen[str]) -> None:
    """Ctrl+C the server (as a facilitator would); kill its group if it lingers."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    # the sessions' play processes are in the server's process group
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)


def serve_log(folder: Path) -> str:
    """What the server printed so far."""
    path = folder / "serve.log"
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def launch_browser(playwright: Any) -> Any:
    """Headless Debian Chromium, driven by Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_game(browser: Any, url: str) -> Any:
    """A new page with the game, its terminal caught; off-line font requests refused."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    # The page asks fonts.googleapis.com for a font: fail that at once (no network).
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    page.add_init_script(CATCH_TERMINAL)
    page.goto(url, wait_until="domcontentloaded")
    return page


class Screen:
    """The game's terminal in one browser page: read it, wait for text, press keys."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def text(self) -> str:
        """The terminal's screen as text."""
        return str(self.page.evaluate(SCREEN_TEXT))

    def wait_for(self, *patterns: str, timeout: float = 30, changed_from: str | None = None) -> str:
        """Wait until the screen shows one of the regular expressions; return the screen."""
        deadline = time.monotonic() + timeout
        while True:
            now = self.text()
            if (changed_from is None or now != changed_from) and any(
                re.search(p, now) for p in patterns
            ):
                return now
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {patterns}; screen:\n{now}")
            time.sleep(0.05)

    def steady(self, quiet: float = 0.3, timeout: float = 30) -> str:
        """Wait until the screen has not changed for ``quiet`` seconds; return it."""
        deadline = time.monotonic() + timeout
        last, since = self.text(), time.monotonic()
        while time.monotonic() - since < quiet:
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen never settled; screen:\n{last}")
            time.sleep(0.05)
            now = self.text()
            if now != last:
                last, since = now, time.monotonic()
        return last

    def focus(self) -> None:
        """Put the keyboard in the terminal."""
        self.page.click("#terminal")

    def press(self, key: str) -> None:
        """Press a key in the terminal."""
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        """Type text in the terminal."""
        self.page.keyboard.type(text)

    def settle(self) -> str:
        """Close what follows a choice (what it did, important news, an event's own choice)
        until the board (or the debrief) shows; return the screen."""
        for _ in range(12):
            self.wait_for(r"Pick an option|IMPORTANT|CHOICE DID|EVENT|DEBRIEF")
            now = self.steady()
            if "EVENT" in now:
                self.press("1")
                self.wait_for(r".", changed_from=now, timeout=10)
                self.press("Enter")
            elif "IMPORTANT" in now or "CHOICE DID" in now:
                self.press("Enter")
            else:
                return now
            self.wait_for(r".", changed_from=now, timeout=10)
        return self.text()

    def take_turn(self, option: int) -> str:
        """Pick an option on the card, confirm it, close what follows; return the screen."""
        before = self.wait_for(r"Turn \d+ of")
        turn = int(re.findall(r"Turn (\d+) of", before)[0])
        self.press(str(option))
        self.wait_for(r"chooses option")
        self.press("Enter")
        self.wait_for(rf"Turn {turn + 1} of|IMPORTANT|CHOICE DID|EVENT|DEBRIEF")
        return self.settle()


def join_exercise(screen: Screen, name: str) -> str:
    """From the title screen: join the class under ``name`` and reach turn one."""
    screen.wait_for(r"Class exercise")
    screen.focus()
    screen.press("n")
    screen.wait_for(r"Type your name")
    screen.type(name)
    screen.press("Enter")
    screen.wait_for(r"Begin turn one|Begin")
    screen.press("Enter")
    screen.wait_for(r"Turn 1 of")
    return screen.settle()


def need_browser() -> None:
    """Skip the test without a browser, or fail where one is required (CI sets
    OFFRAMP_REQUIRE_BROWSER=1 after installing Chromium, so it never skips silently)."""
    reason = browser_missing()
    if reason and os.environ.get("OFFRAMP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"OFFRAMP_REQUIRE_BROWSER=1 but {reason}")
    if reason:
        pytest.skip(reason)


def test_browser_plays_exercise_and_inject_is_saved(tmp_path: Path) -> None:
    """A student plays in the browser; an inject pushed mid-game lands in their save."""
    need_browser()
    from playwright.sync_api import sync_playwright

    from game.saves import load_save

    exercise = write_exercise(tmp_path)
    saves = tmp_path / "saves"
    name = "Ada Lovelace/../../etc"  # sanitised: the save cannot leave saves/pols101/
    with (
        running_server(tmp_path, "--exercise", str(exercise), "--saves", "saves") as (url, _),
        sync_playwright() as playwright,
    ):
        browser = launch_browser(playwright)
        try:
            screen = Screen(open_game(browser, url))
            join_exercise(screen, name)
            screen.take_turn(1)
            screen.take_turn(2)
            pushed = subprocess.run(
                offramp(
                    "inject",
                    "--class",
                    "pols101",
                    "peace_feeler",
                    "--exercise",
                    str(exercise),
                    "--saves",
                    str(saves),
                ),
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert pushed.returncode == 0, pushed.stderr
            screen.take_turn(1)
            screen.take_turn(2)
        finally:
            browser.close()

    files = sorted((saves / "pols101").glob("*.toml"))
    assert [f.name for f in files] == ["Ada_Lovelace_etc.toml"], files
    loaded = load_save(files[0])
    log = loaded.state.log
    injects = [entry for entry in log if entry.kind == "inject"]
    assert [entry.id for entry in injects] == ["peace_feeler"], log
    assert sum(entry.kind == "card" for entry in log) >= 4
    assert loaded.meta.player == name
    assert (saves / "pols101" / "injects.log").read_text() == "peace_feeler\n"
    assert "Traceback" not in serve_log(tmp_path)


def test_a_browser_past_the_cap_is_told_the_class_is_full(tmp_path: Path) -> None:
    """With --max-sessions 1, a second tab says the class is full instead of showing a
    terminal; once the first tab's game has ended, its Restart button starts a game."""
    need_browser()
    from playwright.sync_api import sync_playwright

    mini = str(ROOT / "tests" / "fixtures" / "mini")
    full = "The class is full (1 game running); ask your instructor."
    with (
        running_server(tmp_path, "--scenario", mini, "--max-sessions", "1") as (url, _),
        sync_playwright() as playwright,
    ):
        browser = launch_browser(playwright)
        try:
            first = Screen(open_game(browser, url))
            first.wait_for(r"New game")
            second = open_game(browser, url)
            said = second.locator(".closed-dialog .message").filter(has_text=full)
            said.wait_for(timeout=30_000)  # visible: the page's "Session ended" dialog
            first.page.close()
            second.click(".closed-dialog button")
            Screen(second).wait_for(r"New game")
        finally:
            browser.close()
    assert "Traceback" not in serve_log(tmp_path)


def console_address(folder: Path, url: str) -> str:
    """The instructor's console address the server printed, on this test's host."""
    found = re.search(r"Instructor's console .*: https?://[^/\s]+(/console/\S+)", serve_log(folder))
    assert found, serve_log(folder)
    return url.rstrip("/") + found.group(1)


def test_the_console_pauses_resumes_and_injects_in_two_browsers(tmp_path: Path) -> None:
    """Two students play in their tabs while the instructor's console, in a third tab,
    shows them, pauses the class (both hold, a choice waits), resumes it, and pushes an
    inject (picked and confirmed) that lands in both students' saves."""
    need_browser()
    from playwright.sync_api import sync_playwright

    from game.content import load_scenario
    from game.saves import load_save

    exercise = write_exercise(tmp_path)
    saves = tmp_path / "saves"
    pushed = sorted(
        load_scenario(ROOT / "content" / "ukraine").events, key=lambda e: not e.inject_only
    )[0]
    with (
        running_server(tmp_path, "--exercise", str(exercise), "--saves", "saves") as (url, _),
        sync_playwright() as playwright,
    ):
        browser = launch_browser(playwright)
        try:
            ann = Screen(open_game(browser, url))
            join_exercise(ann, "Ann")
            bob = Screen(open_game(browser, url))
            join_exercise(bob, "Bob")
            ann.take_turn(1)
            console = Screen(open_game(browser, console_address(tmp_path, url)))
            console.wait_for(r"2 students, 2 connected")
            console.focus()
            console.wait_for(r"Ann .*●")

            console.press("p")
            console.wait_for(r"PAUSED")
            for student in (ann, bob):
                student.wait_for(r"Paused by your instructor", timeout=15)
            turn = re.findall(r"Turn (\d+) of", ann.text())[0]
            ann.press("1")
            ann.press("Enter")
            time.sleep(1.5)
            assert "Paused by your instructor" in ann.text()  # the choice waited
            console.press("p")
            console.wait_for(r"RUNNING")
            for student in (ann, bob):
                student.wait_for(r"Pick an option", timeout=15)
            assert f"Turn {turn} of" in ann.text()  # where it was

            console.press("i")
            console.wait_for(r"Push an inject")
            console.press("Enter")
            console.wait_for(r"Push this inject")
            console.press("Enter")
            console.wait_for(rf"1\. {re.escape(pushed.title[:20])}")
            ann.take_turn(1)
            bob.take_turn(2)
            ann.take_turn(1)
            console.wait_for(r"Ann .*●")
        finally:
            browser.close()

    for name in ("Ann", "Bob"):
        log = load_save(saves / "pols101" / f"{name}.toml").state.log
        assert [e.id for e in log if e.kind == "inject"] == [pushed.id], (name, log)
    assert (saves / "pols101" / "class.state").read_text() == "running\n"
    assert "Traceback" not in serve_log(tmp_path)
