"""`offramp serve` without a browser: the command each session runs, argument and content
checks, a port in use, the page, a websocket session, Ctrl+C."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from game.classroom.lifeline import SERVER_PID, end_with_server
from game.classroom.serve import (
    COLD_START,
    PLACE_WAIT,
    ServeConfig,
    ServeError,
    check_address,
    console_argv,
    console_url,
    default_max_sessions,
    page_base,
    page_template,
    play_argv,
    play_command,
    prepare,
    websocket_url,
)
from game.cli import build_parser, main
from game.saves import load_save
from tests.test_serve_e2e import ROOT, free_port, running_server, serve_log, write_exercise

MINI = ROOT / "tests" / "fixtures" / "mini"


def test_play_command_quotes_absolute_paths(tmp_path: Path) -> None:
    folder = tmp_path / "a folder; rm -rf ~"
    config = ServeConfig(saves=folder / "saves", exercise=folder / "class's.toml")
    command = play_command(config, python="/opt/py thon/bin/python", server_pid=4321)
    assert shlex.split(command) == [
        "OFFRAMP_SERVER_PID=4321",  # the game ends with its server (game.classroom.lifeline)
        "exec",  # no shell between the server and its game
        "/opt/py thon/bin/python",
        "-m",
        "game.cli",
        "play",
        "--saves",
        str(folder / "saves"),
        "--exercise",
        str(folder / "class's.toml"),
    ]


def test_play_command_runs_the_game_as_the_shells_own_process(tmp_path: Path) -> None:
    """What the shell runs sees the server's pid, with the shell's own pid: exec'd."""
    config = ServeConfig(saves=tmp_path, scenario=tmp_path / "mini")
    command = play_command(config, server_pid=4321)
    script = "import os; print(os.environ['OFFRAMP_SERVER_PID'], os.getpid())"
    command = command.replace(shlex.join(play_argv(config)), shlex.join(["python3", "-c", script]))
    shell = subprocess.run(
        ["/bin/sh", "-c", f"echo $$; {command}"], capture_output=True, text=True, timeout=30
    )
    shell_pid, server_pid, game_pid = shell.stdout.split()
    assert server_pid == "4321" and game_pid == shell_pid


def test_play_command_without_exercise_names_the_scenario(tmp_path: Path) -> None:
    config = ServeConfig(saves=tmp_path, scenario=tmp_path / "mini")
    argv = play_argv(config)
    assert argv[0] == sys.executable
    assert argv[-2:] == ["--scenario", str(tmp_path / "mini")]


def test_a_game_started_by_no_server_runs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SERVER_PID, raising=False)
    end_with_server()  # nothing to do: `offramp play` in a terminal


def test_a_game_whose_server_is_already_gone_does_not_start() -> None:
    environ = {SERVER_PID: str(os.getppid() + 1)}  # not this process's parent
    with pytest.raises(SystemExit):
        end_with_server(environ)
    assert SERVER_PID not in environ  # not passed on to the game's own children


@pytest.mark.parametrize("pdeathsig", [True, False], ids=["prctl", "polling"])
def test_a_game_ends_when_its_parent_is_killed(pdeathsig: bool) -> None:
    """The lifeline with Linux's parent-death signal, and the polling used elsewhere."""
    game = (
        "import sys, time; import game.classroom.lifeline as lifeline\n"
        "if sys.argv[1] == 'poll': lifeline.parent_death_signal = lambda signum: False\n"
        "lifeline.end_with_server(); print('playing', flush=True); time.sleep(60)\n"
    )
    server = (
        "import os, subprocess, sys, time\n"
        f"env = dict(os.environ, {SERVER_PID}=str(os.getpid()))\n"
        "game = subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]], env=env)\n"
        "print(game.pid, flush=True); time.sleep(60)\n"
    )
    mode = "prctl" if pdeathsig else "poll"
    with subprocess.Popen(
        [sys.executable, "-c", server, game, mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as parent:
        try:
            assert parent.stdout is not None
            child = int(parent.stdout.readline())
            assert parent.stdout.readline() == "playing\n"
            parent.kill()
            parent.wait(timeout=10)
            deadline = time.monotonic() + 10
            while process_state(child) not in ("", "Z"):
                assert time.monotonic() < deadline, "the game outlived its parent"
                time.sleep(0.05)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(parent.pid, signal.SIGKILL)


def test_defaults_listen_on_localhost_only() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.saves) == ("127.0.0.1", 8000, "saves")
    assert args.exercise is None and args.scenario is None


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_bad_port_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", port])
    assert exit_.value.code == 2
    assert "a port is a number from 1 to 65535" in capsys.readouterr().err


def test_max_sessions_below_one_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--max-sessions", "0"]) == 2
    assert "--max-sessions: at least 1 game, not 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("available_kib", "cap"), [(24_000_000, 40), (1_048_576, 17), (10_000, 1), (None, 40)]
)
def test_default_max_sessions_fits_the_memory(
    available_kib: int | None, cap: int, tmp_path: Path
) -> None:
    """40 games, fewer if the memory available holds fewer at 60 MiB each (1 GiB: 17)."""
    meminfo = tmp_path / "meminfo"
    if available_kib is not None:
        meminfo.write_text(
            f"MemTotal:       32000000 kB\nMemFree:  100 kB\nMemAvailable: {available_kib} kB\n",
            encoding="ascii",
        )
    assert default_max_sessions(meminfo) == cap


def test_exercise_and_scenario_together_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exercise = write_exercise(tmp_path)
    assert main(["serve", "--exercise", str(exercise), "--scenario", "ukraine"]) == 2
    assert "--scenario" in capsys.readouterr().err


def test_bad_exercise_prints_problems_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[exercise]\ntitle = "x"\nscenario = "ukraine"\nseed = 1\nclass_code = "../up"\n',
        encoding="utf-8",
    )
    assert main(["serve", "--exercise", str(bad), "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert "bad.toml:5: exercise.class_code" in err
    assert "1 problem found." in err


def test_missing_scenario_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--scenario", str(tmp_path / "nowhere")]) == 2
    assert "problem" in capsys.readouterr().err


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(ServeError, match="already in use"):
            check_address("127.0.0.1", port)
        result = subprocess.run(
            [sys.executable, "-m", "game.cli", "serve", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_host_is_a_clear_error() -> None:
    with pytest.raises(ServeError, match=r"unknown host|not an address"):
        check_address("no-such-host.invalid", free_port())


def test_prepare_checks_the_exercise_and_resolves_paths(tmp_path: Path) -> None:
    exercise = write_exercise(tmp_path)
    config = prepare(saves="saves", exercise=exercise, port=free_port())
    assert config.title == "Off-Ramp: Seminar 5: Off-ramps and escalation"
    assert config.exercise == exercise.resolve()
    assert config.saves.is_absolute() and config.scenario is None
    assert play_argv(config)[-2:] == ["--exercise", str(exercise.resolve())]


def test_page_urls_follow_the_public_url_only() -> None:
    """Behind a proxy every URL starts with --public-url; otherwise the page names paths,
    which the browser resolves against the address it loaded the page from."""
    config = ServeConfig(saves=Path("/s"), public_url="https://class.example/offramp")
    assert page_base(config) == "https://class.example/offramp"
    assert websocket_url(page_base(config)) == "wss://class.example/offramp/ws"
    plain = ServeConfig(saves=Path("/s"), host="10.0.0.5", port=8123)
    assert websocket_url(page_base(plain)) == "/ws"
    # without Off-Ramp's page (a textual-serve whose template changed): the listening address
    assert websocket_url(page_base(plain, own_page=False)) == "ws://10.0.0.5:8123/ws"


@pytest.mark.parametrize("url", ["class.example", "ftp://x", "http://", "http://x/?a=1"])
def test_bad_public_url_is_a_clear_error(url: str, tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="--public-url"):
        prepare(saves=tmp_path, scenario=str(MINI), port=free_port(), public_url=url)


def test_page_template_resolves_the_websocket_path(tmp_path: Path) -> None:
    """The page turns its websocket path into a ws: URL before textual.js connects (on
    window.onload, after every script in the page has run)."""
    folder = page_template(tmp_path)
    assert folder == tmp_path
    page = (tmp_path / "app_index.html").read_text(encoding="utf-8")
    assert "googleapis" not in page  # no web font to wait for on a closed network
    assert "new URL(url, window.location.href)" in page


def raw_request(url: str, request: bytes) -> str:
    """The server's raw answer to the bytes of a request, as text."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer.decode("utf-8", "replace")


def raw_get(url: str, path: str, host: str) -> str:
    """The raw HTTP answer to ``GET path`` with this ``Host`` header, as text."""
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    return raw_request(url, request.encode("ascii"))


@pytest.mark.slow
def test_server_page_session_and_ctrl_c(tmp_path: Path) -> None:
    """The page names its script, styles and websocket without the request's Host header;
    a websocket session runs the game; Ctrl+C stops the server and its sessions cleanly."""
    with running_server(tmp_path, "--scenario", str(MINI)) as (url, server):
        page = raw_get(url, "/", "evil.example:666")
        assert page.startswith("HTTP/1.1 200 OK")
        assert "evil.example" not in page
        assert 'data-session-websocket-url="/ws"' in page
        assert '<script src="/static/js/textual.js">' in page
        assert "<div>Off-Ramp</div>" in page
        screen = asyncio.run(first_screen(url.replace("http", "ws") + "ws?width=100&height=30"))
        assert "New game" in screen, screen
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    log = serve_log(tmp_path)
    assert f"Open {url.rstrip('/')} in a browser" in log
    assert f"Saves go to {tmp_path / 'saves'}/" in log
    assert "server stopped" in log
    assert "Traceback" not in log


@pytest.mark.slow
@pytest.mark.parametrize("cold", [False, True], ids=["warm", "cold"])
def test_games_start_from_the_zygote_and_end_at_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cold: bool
) -> None:
    """Once the zygote is warm, a tab's game is forked from it (with OFFRAMP_COLD_START=1,
    a fresh `offramp play`, the server's child); Ctrl+C in the server's terminal (the
    signal to its whole process group) stops the server and the game cleanly."""
    if cold:
        monkeypatch.setenv(COLD_START, "1")
    with running_server(tmp_path, "--scenario", str(MINI)) as (url, server):
        deadline = time.monotonic() + 60
        while not cold and not warm_socket(server.pid):
            assert time.monotonic() < deadline, "the zygote never listened"
            time.sleep(0.05)
        game, parent, status = asyncio.run(ctrl_c_at_title(url, server))
        assert (parent == server.pid) == cold
        assert status == 0
        deadline = time.monotonic() + 10
        while process_state(game) not in ("", "Z"):
            assert time.monotonic() < deadline, "the game outlived the server"
            time.sleep(0.05)
    assert "Traceback" not in serve_log(tmp_path)


def warm_socket(server: int) -> bool:
    """Whether the server's zygote listens (its socket exists)."""
    for child in child_processes(server):
        argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        if argv[1:3] == [b"-m", b"game.classroom.zygote"]:
            return Path(argv[3].decode()).exists()
    return False


async def ctrl_c_at_title(url: str, server: subprocess.Popen[str]) -> tuple[int, int, int]:
    """Open a session until its title screen shows, then Ctrl+C the server's terminal (a
    SIGINT to its process group); the game's id, its parent's and the server's status."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        ws = await join(http, url.replace("http", "ws") + "ws?width=100&height=30")
        (game,) = game_processes(server.pid)
        parent = int(Path(f"/proc/{game}/stat").read_text().rsplit(")", 1)[1].split()[1])
        os.killpg(server.pid, signal.SIGINT)
        status = await asyncio.to_thread(server.wait, 30)
        await ws.close()
    return game, parent, status


@pytest.mark.slow
def test_bad_requests_log_one_line_each(tmp_path: Path) -> None:
    """`curl .../ws` (no websocket handshake), a malformed request and TLS sent to the
    plain port each get a 400 and at most one line on the console, no traceback."""
    with running_server(tmp_path, "--scenario", str(MINI)) as (url, _):
        answer = raw_get(url, "/ws", "127.0.0.1")
        assert answer.startswith("HTTP/1.1 400 ") and "Open the game's page" in answer
        answer = raw_request(url, b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n")
        assert answer.startswith("HTTP/1.0 400 ")
        answer = raw_request(url, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64))
        assert answer.startswith("HTTP/1.0 400 ")  # aiohttp does not log this one
        assert raw_get(url, "/", "127.0.0.1").startswith("HTTP/1.1 200 OK")
    said = serve_log(tmp_path)
    problems = re.findall(r"(?m)^\d\d:\d\d:\d\d .*", said)
    assert len(problems) == 2, said
    assert "Traceback" not in said and not re.search(r"(?m)^\s", said), said
    assert problems[0].endswith(
        "WARNING bad request from 127.0.0.1: GET /ws without a websocket handshake"
    )
    assert "ERROR Error handling request from 127.0.0.1: BadHttpMessage: 400" in problems[1]
    assert "Invalid header token" in problems[1]


@pytest.mark.slow
def test_a_full_class_turns_browsers_away_until_a_game_ends(tmp_path: Path) -> None:
    """With --max-sessions 2, a third websocket is closed with the reason (the page shows
    it); a game that ends frees its place at once (a student reloading the page)."""
    with running_server(tmp_path, "--scenario", str(MINI), "--max-sessions", "2") as (url, _):
        asyncio.run(class_of_two(url))
    log = serve_log(tmp_path)
    assert "At most 2 games at once" in log
    assert log.count("the class is full: turned a browser away (2 games running)") == 1


async def class_of_two(url: str) -> None:
    import aiohttp

    ws_url = url.replace("http", "ws") + "ws?width=100&height=30"
    full = "The class is full (2 games running); ask your instructor."
    async with aiohttp.ClientSession() as http:
        first, second = await asyncio.gather(join(http, ws_url), join(http, ws_url))
        async with http.get(url) as page:  # the page itself is always served
            assert page.status == 200
        async with http.ws_connect(ws_url) as third:
            closing = await third.receive(timeout=PLACE_WAIT + 10)
            assert closing.type == aiohttp.WSMsgType.CLOSE
            assert (closing.data, closing.extra) == (aiohttp.WSCloseCode.TRY_AGAIN_LATER, full)
        await first.close()  # and at once, before its game has quit: a new game starts
        fourth = await join(http, ws_url)
        await asyncio.gather(second.close(), fourth.close())


@pytest.mark.slow
def test_games_end_when_the_server_is_killed(tmp_path: Path) -> None:
    """kill -9 of the server: its session's game quits within seconds rather than running
    on as an orphan, and so do the zygote and the tab's client; the game's file is intact."""
    saves = tmp_path / "saves"
    with running_server(tmp_path, "--scenario", str(MINI)) as (url, server):
        left = asyncio.run(start_game_then_kill(url, server, saves))
        deadline = time.monotonic() + 10
        for pid in left:
            while process_state(pid) not in ("", "Z"):  # a zombie has ended (not reaped)
                assert time.monotonic() < deadline, f"{pid} outlived its server: {left}"
                time.sleep(0.05)
    (game,) = saves.glob("*.toml")
    loaded = load_save(game, MINI)  # replays the log and checks the snapshot
    assert loaded.state.turn == 1
    assert not list(saves.glob("*.tmp")) and not list(saves.glob(".*.tmp"))  # no .tmp left


async def start_game_then_kill(url: str, server: subprocess.Popen[str], saves: Path) -> list[int]:
    """Start a free game over a websocket, wait for its first save, then kill -9 the server
    with the websocket still open; return the ids of the game and the server's other
    processes (the game first)."""
    import aiohttp

    ws_url = url.replace("http", "ws") + "ws?width=100&height=30"
    async with aiohttp.ClientSession() as http:
        ws = await join(http, ws_url, until=b"Mini crisis")  # the scenario has loaded
        await ws.send_json(["stdin", "n"])
        await receive_until(ws, b"Start")
        await ws.send_json(["stdin", "\x13"])  # ctrl+s: start the game; it saves
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while not list(saves.glob("*.toml")):
            assert loop.time() < deadline, "the game never saved"
            await asyncio.sleep(0.05)
        games = game_processes(server.pid)
        assert len(games) == 1, games
        others = child_processes(server.pid)
        server.kill()
        server.wait(timeout=10)
        await ws.close()
    return games + others


def game_processes(server: int) -> list[int]:
    """The games a server runs: its children running `offramp play` (started cold) and
    its zygote's children (forked warm)."""
    games = []
    for child in child_processes(server):
        argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        if argv[1:4] == [b"-m", b"game.cli", b"play"]:
            games.append(child)
        elif argv[1:3] == [b"-m", b"game.classroom.zygote"]:
            games += child_processes(child)
    return games


def child_processes(parent: int) -> list[int]:
    """The ids of the processes whose parent is ``parent`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def process_state(pid: int) -> str:
    """A process's state letter (R, S, Z...), or '' when it no longer exists."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


async def receive_until(ws: Any, wanted: bytes, timeout: float = 30) -> bytes:
    """What a websocket session sends until ``wanted`` shows in it."""
    import aiohttp

    received = b""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while wanted not in received:
        message = await ws.receive(timeout=max(0.1, deadline - loop.time()))
        assert message.type == aiohttp.WSMsgType.BINARY, message
        received += message.data
    return received


async def join(http: Any, ws_url: str, until: bytes = b"New game") -> Any:
    """A websocket session left open once it shows the title screen (its menu)."""
    ws = await http.ws_connect(ws_url)
    await receive_until(ws, until)
    return ws


async def first_screen(ws_url: str, timeout: float = 30, until: bytes = b"New game") -> str:
    """What a websocket session sends until ``until`` shows (the title screen's menu)."""
    import aiohttp

    received = b""
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url) as ws:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while until not in received and loop.time() < deadline:
            try:
                message = await ws.receive(timeout=max(0.1, deadline - loop.time()))
            except TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
    return received.decode("utf-8", "replace")


def test_console_command_names_the_exercise_and_saves(tmp_path: Path) -> None:
    config = ServeConfig(saves=tmp_path / "saves", exercise=tmp_path / "class.toml")
    argv = console_argv(config, python="/py")
    assert argv == [
        *("/py", "-m", "game.cli", "console"),
        *("--saves", str(tmp_path / "saves"), "--exercise", str(tmp_path / "class.toml")),
    ]
    with pytest.raises(ValueError):
        console_argv(ServeConfig(saves=tmp_path, scenario=tmp_path))


def test_each_server_draws_its_own_console_token(tmp_path: Path) -> None:
    exercise = write_exercise(tmp_path)
    first = prepare(saves=tmp_path, exercise=exercise, port=free_port())
    second = prepare(saves=tmp_path, exercise=exercise, port=free_port())
    assert len(first.console_token) >= 32 and first.console_token != second.console_token
    assert console_url(first).endswith(f"/console/{first.console_token}")
    assert console_url(prepare(saves=tmp_path, scenario=str(MINI), port=free_port())) == ""


@pytest.mark.slow
def test_the_console_has_an_address_only_the_instructor_knows(tmp_path: Path) -> None:
    """The server prints the console's secret address; it serves the console's page and
    runs `offramp console` on its websocket; any other token is a 404."""
    exercise = write_exercise(tmp_path)
    with running_server(tmp_path, "--exercise", str(exercise)) as (url, _):
        found = re.search(r"Instructor's console .*: (http://\S+)", serve_log(tmp_path))
        assert found, serve_log(tmp_path)
        path = urllib.parse.urlsplit(found.group(1)).path
        token = path.rsplit("/", 1)[1]
        page = raw_get(url, path, "127.0.0.1")
        assert page.startswith("HTTP/1.1 200 OK")
        assert f'data-session-websocket-url="{path}/ws"' in page
        for wrong in ("/console/", f"/console/{token[:-1]}", "/console/x/ws", f"{path}x/ws"):
            assert raw_get(url, wrong, "127.0.0.1").startswith("HTTP/1.1 404 "), wrong
        ws = url.replace("http", "ws").rstrip("/") + f"{path}/ws?width=100&height=30"
        screen = asyncio.run(first_screen(ws, until=b"No student has joined yet"))
        assert "No student has joined yet" in screen and "New game" not in screen
    assert "Traceback" not in serve_log(tmp_path)


def test_readme_documents_browser_play() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Browser play for a class" in readme
    assert "offramp serve --exercise" in readme
