"""`offramp serve` without a browser: the command each session runs, argument and content
checks, a port in use, the page, a websocket session, Ctrl+C."""

from __future__ import annotations

import asyncio
import shlex
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from game.cli import build_parser, main
from game.serve import (
    ServeConfig,
    ServeError,
    check_address,
    play_argv,
    play_command,
    prepare,
)
from tests.test_serve_e2e import ROOT, free_port, running_server, serve_log, write_exercise


def test_play_command_quotes_absolute_paths(tmp_path: Path) -> None:
    folder = tmp_path / "a folder; rm -rf ~"
    config = ServeConfig(saves=folder / "saves", exercise=folder / "class's.toml")
    command = play_command(config, python="/opt/py thon/bin/python")
    assert shlex.split(command) == [
        "/opt/py thon/bin/python",
        "-m",
        "game.cli",
        "play",
        "--saves",
        str(folder / "saves"),
        "--exercise",
        str(folder / "class's.toml"),
    ]


def test_play_command_without_exercise_names_the_scenario(tmp_path: Path) -> None:
    config = ServeConfig(saves=tmp_path, scenario=tmp_path / "mini")
    argv = play_argv(config)
    assert argv[0] == sys.executable
    assert argv[-2:] == ["--scenario", str(tmp_path / "mini")]


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


@pytest.mark.slow
def test_server_page_session_and_ctrl_c(tmp_path: Path) -> None:
    """The page points the browser's websocket at the address it asked for; a websocket
    session runs the game; Ctrl+C stops the server and its sessions cleanly."""
    mini = str(ROOT / "tests" / "fixtures" / "mini")
    with running_server(tmp_path, "--scenario", mini) as (url, server):
        request = urllib.request.Request(url, headers={"Host": "classroom.example:8123"})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode()
        assert 'data-session-websocket-url="ws://classroom.example:8123/ws"' in page
        assert "<div>Off-Ramp</div>" in page
        assert "googleapis" not in page  # no web font to wait for on a closed network
        assert "js/textual.js" in page
        screen = asyncio.run(first_screen(url.replace("http", "ws") + "ws?width=100&height=30"))
        assert "New game" in screen, screen
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    log = serve_log(tmp_path)
    assert f"Open {url.rstrip('/')} in a browser" in log
    assert f"Saves go to {tmp_path / 'saves'}/" in log
    assert "server stopped" in log
    assert "Traceback" not in log


async def first_screen(ws_url: str, timeout: float = 30) -> str:
    """What a websocket session sends until the title screen's menu shows."""
    import aiohttp

    received = b""
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url) as ws:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while b"New game" not in received and loop.time() < deadline:
            try:
                message = await ws.receive(timeout=max(0.1, deadline - loop.time()))
            except TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
    return received.decode("utf-8", "replace")


def test_readme_documents_browser_play() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Browser play for a class" in readme
    assert "offramp serve --exercise" in readme
