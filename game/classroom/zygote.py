"""The zygote: one warm process that forks each browser's game, so a tab's game starts in
a fraction of the CPU a fresh ``offramp play`` takes (Python, Textual and pydantic
imported, the content loaded: about half a CPU-second per tab otherwise).

`offramp serve` starts it as its own child (:func:`game.classroom.serve.start_zygote`),
with the environment textual-serve gives games; it imports the app, loads the exercise or
scenario once, and listens on a Unix socket in the server's private folder.  Each tab's
command is the tiny client :mod:`game.classroom.spawn`, which sends its stdin, stdout and
stderr (``SCM_RIGHTS``), command line, environment and folder.  The zygote forks; the
child takes the three descriptors and runs ``offramp play`` from :func:`game.cli.main` as
a fresh process would.  The zygote reports the child's end to its client (``exit N`` or
``killed SIG``), and the child takes the signals the client forwards.

Lifelines: the zygote ends with the server (:mod:`game.classroom.lifeline`); each child
ends with the zygote (the parent-death signal), and with its client (the end of the
client's connection).  A request the zygote cannot serve warm (another command, or
Textual settings it was not started with) is refused and the client starts the game cold.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import sys
import threading
import traceback
from collections.abc import Mapping
from pathlib import Path

from game.classroom.lifeline import SERVER_PID, end_with_parent, end_with_server

MAX_REQUEST = 1 << 20
"""The largest request read (a command line and an environment)."""
REQUEST_SECONDS = 5.0
"""How long a client may take to send its request."""
WARM_PREFIX = "TEXTUAL"
"""Textual reads these environment variables once, as it is imported: a request must bring
the zygote's own values to be served warm."""


def warm(play: list[str]) -> list[str]:
    """Import what a game needs and load its content once; the arguments of
    :func:`game.cli.main` for ``play`` (``PYTHON -m game.cli play ...``)."""
    if play[1:3] != ["-m", "game.cli"]:
        raise SystemExit(f"zygote: not an `offramp` command: {play}")
    import textual.drivers.web_driver  # noqa: F401  (the driver textual-serve names)

    import game.cli
    import game.ui.app

    args = play[3:]
    parsed = game.cli.build_parser().parse_args(args)
    if parsed.exercise:
        from game.classroom.exercise import load_exercise

        load_exercise(Path(parsed.exercise))
    else:
        from game.content import load_scenario, resolve_scenario_dir

        load_scenario(resolve_scenario_dir(parsed.scenario))
    return args


class Zygote:
    """The listening socket, and the games forked from it with their clients."""

    def __init__(self, path: Path, play: list[str]) -> None:
        self.path = path
        self.play = play
        self.warm_env = _warm_env(os.environ)
        self.children: dict[int, socket.socket] = {}
        self.pid = os.getpid()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.wake_r, self.wake_w = os.pipe()

    def serve(self) -> None:
        """Fork a game for each client, report each game's end, until killed."""
        for fd in (self.wake_r, self.wake_w):
            os.set_blocking(fd, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the loop through the pipe
        self.listen()
        events = selectors.DefaultSelector()
        events.register(self.listener, selectors.EVENT_READ)
        events.register(self.wake_r, selectors.EVENT_READ)
        while True:
            for key, _ in events.select():
                if key.fileobj is self.listener:
                    self.accept()
                else:
                    with contextlib.suppress(BlockingIOError):
                        os.read(self.wake_r, 4096)
            self.reap()

    def listen(self) -> None:
        """Listen at :attr:`path`, which appears only once connections are accepted."""
        making = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            making.unlink()
        self.listener.bind(str(making))
        self.listener.listen(64)
        os.replace(making, self.path)

    def accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        fds: list[int] = []
        try:
            conn.settimeout(REQUEST_SECONDS)
            fds, request = _receive(conn)
            problem = self.refusal(fds, request)
            if problem:
                conn.sendall(f"refused {problem}\n".encode())
                conn.close()
                return
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                self.child(conn, fds, request, zygote=self.pid)  # never returns
            self.children[pid] = conn
            conn.sendall(f"started {pid}\n".encode())
        except (OSError, ValueError) as exc:
            print(f"offramp zygote: a bad request: {exc}", file=sys.stderr, flush=True)
            conn.close()
        finally:
            for fd in fds:
                os.close(fd)

    def refusal(self, fds: list[int], request: dict[str, object]) -> str:
        """Why this request cannot be served warm ('' when it can)."""
        argv, env, cwd = request.get("argv"), request.get("env"), request.get("cwd")
        if len(fds) != 3:
            return "three file descriptors expected (stdin, stdout, stderr)"
        if not (isinstance(argv, list) and isinstance(env, dict) and isinstance(cwd, str)):
            return "a command line, an environment and a folder expected"
        if argv[1:3] != ["-m", "game.cli"] or argv[3:] != self.play:
            return "not the game this zygote warmed"
        if _warm_env(env) != self.warm_env:
            return "Textual settings differ from the zygote's"
        return ""

    def reap(self) -> None:
        """Tell the clients of the games that ended how they ended."""
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is None:
                continue
            if os.WIFSIGNALED(status):
                report = f"killed {os.WTERMSIG(status)}\n"
            else:
                report = f"exit {os.waitstatus_to_exitcode(status)}\n"
            with contextlib.suppress(OSError):
                conn.sendall(report.encode())
            conn.close()

    def child(
        self, conn: socket.socket, fds: list[int], request: dict[str, object], zygote: int
    ) -> None:
        """In the forked game: become the client's process, run the game, exit."""
        status = 1
        try:
            signal.set_wakeup_fd(-1)
            for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            if not end_with_parent(zygote):
                os._exit(1)
            os.setpgid(0, 0)  # a Ctrl+C in the server's terminal comes through the client
            self.listener.close()
            os.close(self.wake_r)
            os.close(self.wake_w)
            for other in self.children.values():
                other.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            fds.clear()
            env = request["env"]
            assert isinstance(env, dict)
            env.pop(SERVER_PID, None)  # this game's lifeline is the zygote, not the server
            os.environ.clear()
            os.environ.update(env)
            os.chdir(str(request["cwd"]))
            conn.settimeout(None)
            threading.Thread(target=_listen_to_client, args=(conn,), daemon=True).start()
            from game.cli import main

            status = main(self.play)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(status)


def _warm_env(env: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in env.items() if k.startswith(WARM_PREFIX)}


def _receive(conn: socket.socket) -> tuple[list[int], dict[str, object]]:
    """A client's file descriptors and request (a length, then JSON)."""
    data, fds, _flags, _address = socket.recv_fds(conn, 65536, 3)
    if len(data) < 4:
        raise ValueError("no request")
    size = int.from_bytes(data[:4], "big")
    if size > MAX_REQUEST:
        raise ValueError(f"a request of {size} bytes")
    body = data[4:]
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise ValueError("the request was cut short")
        body += chunk
    request = json.loads(body)
    if not isinstance(request, dict):
        raise ValueError("the request is not an object")
    return fds, request


def _listen_to_client(conn: socket.socket) -> None:
    """In a game: take the signals its client forwards; end when the client has gone."""
    buffer = b""
    while True:
        try:
            chunk = conn.recv(256)
        except OSError:
            chunk = b""
        if not chunk:
            os.kill(os.getpid(), signal.SIGTERM)
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            word, _, value = line.decode().partition(" ")
            if word == "signal" and value.isdigit():
                os.kill(os.getpid(), int(value))


def main(argv: list[str]) -> int:
    """``SOCKET PYTHON -m game.cli play ...``: warm up, then serve at SOCKET."""
    end_with_server()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops it (Ctrl+C goes there)
    path, play = Path(argv[0]), argv[1:]
    args = warm(play)
    try:
        Zygote(path, args).serve()
    except OSError as exc:  # the server goes on: its games start cold
        print(f"offramp: games start cold (no zygote at {path}: {exc})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
