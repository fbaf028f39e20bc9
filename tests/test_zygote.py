"""Games forked from the warm zygote: started as textual-serve starts a game (a shell
command with the tab's pipes), they play as a fresh `offramp play` would, cost a fraction
of its CPU, relay their exit and signals through the tab's client, end with the client or
the zygote, and fall back to the plain command when the zygote cannot serve them."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.classroom import spawn
from game.classroom.serve import (
    GAME_ENVIRONMENT,
    ServeConfig,
    play_argv,
    play_command,
    start_zygote,
)

from .helpers import MINI
from .test_serve import child_processes, process_state

START_CPU_S = 0.5
"""The most CPU a game may take from its tab's command to its title screen."""


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ServeConfig, int]]:
    """A zygote for free play on the mini scenario: (its socket, the config, its pid)."""
    folder = tmp_path_factory.mktemp("zygote")
    folder.chmod(0o700)
    config = ServeConfig(saves=folder / "saves", scenario=MINI)
    process, path = start_zygote(folder, play_argv(config))
    try:
        deadline = time.monotonic() + 60
        while not path.exists():
            assert process.poll() is None, "the zygote died as it warmed up"
            assert time.monotonic() < deadline, "the zygote never listened"
            time.sleep(0.05)
        yield path, config, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def tab(command: str) -> subprocess.Popen[bytes]:
    """A game started as textual-serve starts one: a shell command, three pipes."""
    return subprocess.Popen(
        command,
        shell=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **GAME_ENVIRONMENT, "COLUMNS": "100", "ROWS": "30"},
    )


def read_until(game: subprocess.Popen[bytes], wanted: bytes, timeout: float = 30) -> bytes:
    """The game's output until ``wanted`` shows in it."""
    assert game.stdout is not None
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        assert time.monotonic() < deadline, f"no {wanted!r} in {seen[-400:]!r}"
        chunk = os.read(game.stdout.fileno(), 65536)
        assert chunk, f"the game ended before {wanted!r}: {seen[-400:]!r}"
        seen += chunk
    return seen


def quit_game(game: subprocess.Popen[bytes]) -> None:
    """What textual-serve sends when the tab closes: a "quit" meta packet."""
    assert game.stdin is not None
    payload = json.dumps({"type": "quit"}).encode()
    game.stdin.write(b"M" + len(payload).to_bytes(4, "big") + payload)
    game.stdin.flush()


def cpu_seconds(pid: int, children: bool) -> float:
    """A process's CPU time (with that of its reaped children, or not), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    wanted = fields[11:15] if children else fields[11:13]
    return sum(int(v) for v in wanted) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def started(warm: tuple[Path, ServeConfig, int]) -> Iterator[subprocess.Popen[bytes]]:
    """A warm game at its title screen; killed at the end if it is still there."""
    path, config, _ = warm
    game = tab(play_command(config, server_pid=os.getpid(), zygote=path))
    try:
        read_until(game, b"Mini crisis")
        yield game
    finally:
        if game.poll() is None:
            game.kill()
        game.wait(timeout=10)


def games_of(zygote_pid: int) -> list[int]:
    """The games the zygote runs now (not those ended and not yet reaped)."""
    return [pid for pid in child_processes(zygote_pid) if process_state(pid) not in ("", "Z")]


def forked_game(zygote_pid: int) -> int:
    """The one game the zygote runs now."""
    (game,) = games_of(zygote_pid)
    return game


def wait_gone(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while process_state(pid) not in ("", "Z"):
        assert time.monotonic() < deadline, f"process {pid} is still running"
        time.sleep(0.05)


def test_a_warm_game_starts_for_a_fraction_of_a_cold_ones_cpu(
    warm: tuple[Path, ServeConfig, int],
) -> None:
    """From the tab's command to the title screen and out, the client and the forked game
    take at most START_CPU_S together (a cold `offramp play` takes about 0.5-1 s)."""
    _, _, zygote_pid = warm
    before = cpu_seconds(zygote_pid, children=True)
    with started(warm) as game:
        client = game.pid
        assert child_processes(client) == []  # the game is not the client's child...
        forked = forked_game(zygote_pid)  # ...but the zygote's
        client_cpu = cpu_seconds(client, children=True)
        quit_game(game)
        assert game.wait(timeout=30) == 0
    wait_gone(forked)
    deadline = time.monotonic() + 10
    while forked in child_processes(zygote_pid):  # reaped: its CPU is the zygote's now
        assert time.monotonic() < deadline
        time.sleep(0.05)
    game_cpu = cpu_seconds(zygote_pid, children=True) - before
    assert 0 < game_cpu + client_cpu <= START_CPU_S, (game_cpu, client_cpu)


def test_the_client_forwards_sigterm_and_relays_the_exit(
    warm: tuple[Path, ServeConfig, int],
) -> None:
    with started(warm) as game:
        forked = forked_game(warm[2])
        game.send_signal(signal.SIGTERM)  # the web driver quits the app cleanly on it
        assert game.wait(timeout=30) == 0
    wait_gone(forked)


def test_a_game_killed_is_reported_killed(warm: tuple[Path, ServeConfig, int]) -> None:
    with started(warm) as game:
        os.kill(forked_game(warm[2]), signal.SIGKILL)
        assert game.wait(timeout=30) == -signal.SIGKILL


def test_the_game_ends_with_its_client(warm: tuple[Path, ServeConfig, int]) -> None:
    with started(warm) as game:
        forked = forked_game(warm[2])
        game.kill()  # kill -9: no signal forwarded; its connection closes
        wait_gone(forked)


@pytest.mark.parametrize("why", ["no zygote", "another command"])
def test_the_client_starts_the_plain_command_when_the_zygote_cannot(
    warm: tuple[Path, ServeConfig, int], tmp_path: Path, why: str
) -> None:
    path, _, zygote_pid = warm
    cold = [sys.executable, "-c", "import sys; print('cold', flush=True); sys.exit(3)"]
    socket_path = tmp_path / "none.sock" if why == "no zygote" else path
    result = subprocess.run(
        spawn.client_argv(socket_path, cold), capture_output=True, timeout=30, check=False
    )
    assert (result.returncode, result.stdout) == (3, b"cold\n"), result.stderr
    assert games_of(zygote_pid) == []


def test_the_zygote_refuses_a_game_with_other_textual_settings(
    warm: tuple[Path, ServeConfig, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual read its settings as the zygote imported it: a game asked with others would
    not get them, so it is refused (and its client starts it cold)."""
    path, config, zygote_pid = warm
    for name, value in GAME_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TEXTUAL_FPS", "30")
    with (
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn,
        open(os.devnull, "rb+") as null,
    ):
        conn.settimeout(10)
        conn.connect(str(path))
        socket.send_fds(conn, [spawn.request(play_argv(config))], [null.fileno()] * 3)
        assert (
            conn.makefile("rb").readline() == b"refused Textual settings differ from the zygote's\n"
        )
    assert games_of(zygote_pid) == []
