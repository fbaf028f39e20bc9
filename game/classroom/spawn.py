"""The command a browser tab runs under `offramp serve`: a game from the warm zygote.

textual-serve starts one command per tab, with the tab's stdin, stdout and stderr.  This
one is tiny (the standard library only, run with ``python -S``): it hands those three
file descriptors, its command line, environment and working folder to the zygote
(:mod:`game.classroom.zygote`) over a Unix socket, and the zygote forks a game that has
already imported the app and loaded the content.  Then it stands in for the game: it
forwards SIGTERM, SIGHUP and SIGINT to it, and exits as the game did.

When the zygote is not there (not started yet, dead, or refusing), it ``exec``s the plain
command given after ``--`` instead: the same game, started cold.

    python -S spawn.py SOCKET -- PYTHON -m game.cli play ...
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys

FORWARDED = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
"""The signals passed on to the game (as if it had received them itself)."""
STDIO = (0, 1, 2)
REPLY_SECONDS = 10.0
"""How long the zygote may take to say whether it started the game."""


def client_argv(
    socket_path: str | os.PathLike[str], play: list[str], python: str | None = None
) -> list[str]:
    """The command a tab runs: this client, which asks the zygote at ``socket_path`` for
    the game and starts ``play`` itself when it cannot."""
    return [
        python or sys.executable,
        "-S",
        os.path.abspath(__file__),
        str(socket_path),
        "--",
        *play,
    ]


def request(argv: list[str]) -> bytes:
    """What the zygote is asked: the command line, environment and folder, length first."""
    body = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}).encode()
    return len(body).to_bytes(4, "big") + body


def hand_over(path: str, argv: list[str]) -> socket.socket | None:
    """Give the zygote this process's stdio and ``argv``; the connection once it has
    started the game, or None (it is not there, or refused)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(REPLY_SECONDS)
        conn.connect(path)
        message = request(argv)
        sent = socket.send_fds(conn, [message], list(STDIO))
        conn.sendall(message[sent:])
        reply = _line(conn)
    except OSError:
        conn.close()
        return None
    if not reply.startswith("started "):
        conn.close()
        return None
    conn.settimeout(None)
    return conn


def _line(conn: socket.socket) -> str:
    """One line from ``conn`` ('' at the end of the stream)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(1)
        if not chunk:
            return ""
        data += chunk
    return data.decode()


def stand_in(conn: socket.socket) -> int:
    """Forward signals to the game until the zygote reports its end; its exit status."""

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(OSError):  # the game has ended: its status is on the way
            conn.sendall(f"signal {signum}\n".encode())

    for signum in FORWARDED:
        signal.signal(signum, forward)
    while True:
        line = _line(conn)
        if not line:  # the zygote died; its games end with it
            return 1
        word, _, value = line.partition(" ")
        if word == "exit":
            return int(value)
        if word == "killed":  # end the same way, so the server sees what the game did
            killer = int(value)
            with contextlib.suppress(OSError, ValueError):  # SIGKILL has no handler
                signal.signal(killer, signal.SIG_DFL)
            os.kill(os.getpid(), killer)
            return 128 + killer


def main(argv: list[str]) -> int:
    """``SOCKET -- COMMAND...``: the game from the zygote at SOCKET, else COMMAND."""
    if len(argv) < 3 or argv[1] != "--":
        print("usage: spawn.py SOCKET -- COMMAND...", file=sys.stderr)
        return 2
    path, command = argv[0], argv[2:]
    conn = hand_over(path, command)
    if conn is None:
        os.execv(command[0], command)  # the plain way (it never returns)
    # Run with -S from its file: the folder holding `game` is not on the path yet.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from game.classroom.lifeline import end_with_server

    end_with_server()  # then the game's end: it is the zygote's child, and ends with it
    return stand_in(conn)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
