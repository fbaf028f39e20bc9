"""`offramp serve`: the game in students' browsers, through textual-serve.

Each browser tab that opens the page gets its own ``offramp play`` process (the same
Textual app as in a terminal), started with the exercise or scenario and the save folder
given to ``serve``, as absolute paths so the server's working directory does not matter.
The process is forked from a warm zygote that has imported the app and loaded the content
(:mod:`game.classroom.zygote`), or started cold while the zygote is not ready, or always
with ``OFFRAMP_COLD_START=1``.
With an exercise, each student's game autosaves to ``saves/<class>/<name>.toml`` and reads
the class's inject inbox, exactly as ``offramp play --exercise`` does in a terminal.

The server listens on 127.0.0.1 unless another host is given.  Content is checked before
the server starts (bad content: the problems, exit 2); a port that is taken is a clear
:class:`ServeError`, not a traceback.

With an exercise, the instructor's console (:mod:`game.ui.console`) runs in a
browser too, at an address printed when the server starts: ``/console/<token>``, the
token drawn with :func:`secrets.token_urlsafe`; any other address under ``/console/``
is a 404, so students cannot reach it.  Each console tab runs its own
``offramp console`` (:func:`console_argv`), outside the cap on games.

Under a class: the page never repeats the request's ``Host`` header (:func:`page_base`);
at most ``--max-sessions`` games run at once, and a browser past that is told the class is
full; every game ends with the server, even after ``kill -9`` (:mod:`game.classroom.lifeline`); a
bad request is one log line on stderr (:class:`LogLine`).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.classroom.lifeline import SERVER_PID
from game.classroom.spawn import client_argv

if TYPE_CHECKING:
    from aiohttp import web

from game.classroom import DEFAULT_HOST, DEFAULT_PORT

ANY_HOST = {"", "0.0.0.0", "::", "*"}
MOST_SESSIONS = 40
"""The default cap on games at once: a large class (see :func:`default_max_sessions`)."""
SESSION_MIB = 60
"""About the memory one game takes, with room: 42-48 MiB PSS measured for a game and its
tab's client, forked or cold, 60-69 MiB RSS (docs/scaling.md)."""
PLACE_WAIT = 3.0
"""Seconds a browser past the cap waits for a game to end before it is turned away."""
SHUTDOWN_WAIT = 5.0
"""Seconds the server waits, at Ctrl+C, for the games it told to quit to have quit."""
GAME_ENVIRONMENT = {
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
}
"""What textual-serve sets for each game that Textual reads as it is imported: the zygote
starts with it (a game asked with other values starts cold)."""
ZYGOTE_SOCKET = "zygote.sock"
COLD_START = "OFFRAMP_COLD_START"
"""Set to 1, every game starts as a fresh ``offramp play`` (no zygote): for comparison."""


class ServeError(Exception):
    """The server cannot start (a port in use, an unknown host); the message says why."""


@dataclass(frozen=True)
class ServeConfig:
    """What to serve and where."""

    saves: Path
    """The top save folder (absolute)."""
    exercise: Path | None = None
    """The class's exercise file (absolute), or None for free play."""
    scenario: Path | None = None
    """The scenario folder (absolute) for free play without an exercise."""
    title: str = "Off-Ramp"
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    public_url: str | None = None
    """The address browsers use (behind a proxy); default: the one each browser loaded the
    page from (the page names its script and websocket by path)."""
    max_sessions: int = MOST_SESSIONS
    """The most games running at once; a browser past it is told the class is full."""
    console_token: str = ""
    """The secret part of the console's address (with an exercise; '' without)."""
    vote: bool = False
    """A class vote: each tab votes on the class game (``offramp vote``) instead of
    playing a game of its own."""


def play_argv(config: ServeConfig, python: str | None = None) -> list[str]:
    """The command each browser session runs: this interpreter's ``offramp play`` (in a
    class vote, ``offramp vote``)."""
    command = "vote" if config.vote else "play"
    argv = [python or sys.executable, "-m", "game.cli", command, "--saves", str(config.saves)]
    if config.exercise is not None:
        argv += ["--exercise", str(config.exercise)]
    elif config.scenario is not None:
        argv += ["--scenario", str(config.scenario)]
    return argv


def console_argv(config: ServeConfig, python: str | None = None) -> list[str]:
    """The command each console tab runs: this interpreter's ``offramp console`` on the
    served exercise and save folder (``--vote`` in a class vote: the class game and its
    tally)."""
    if config.exercise is None:
        raise ValueError("the console needs an exercise")
    return [
        *(python or sys.executable, "-m", "game.cli", "console"),
        *("--saves", str(config.saves), "--exercise", str(config.exercise)),
        *(["--vote"] if config.vote else []),
    ]


def play_command(
    config: ServeConfig,
    python: str | None = None,
    server_pid: int | None = None,
    zygote: Path | None = None,
) -> str:
    """:func:`play_argv` as one shell command line (see :func:`shell_command`).

    With the socket of a ``zygote``, the command is the client that has the game forked
    from it, and starts :func:`play_argv` itself when it cannot
    (:mod:`game.classroom.zygote`)."""
    argv = play_argv(config, python)
    if zygote is not None:
        argv = client_argv(zygote, argv, python)
    return shell_command(argv, server_pid)


def shell_command(argv: list[str], server_pid: int | None = None) -> str:
    """``argv`` as one shell command line (textual-serve runs it with a shell).

    The shell ``exec``s it, so it is the server's own child, and tells it the server's
    pid: it ends when the server dies (:mod:`game.classroom.lifeline`)."""
    command = "exec " + shlex.join(argv)
    if server_pid is not None:
        command = f"{SERVER_PID}={server_pid} {command}"
    return command


def prepare(
    *,
    saves: str | Path,
    exercise: str | Path | None = None,
    scenario: str | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    max_sessions: int | None = None,
    vote: bool = False,
) -> ServeConfig:
    """Check the content and the address; return what to serve.

    Raises ContentError for an exercise or scenario that does not load (every problem
    listed) and :class:`ServeError` for an address the server cannot listen on.
    """
    from game.content import load_scenario, resolve_scenario_dir

    title = "Off-Ramp"
    exercise_path = scenario_dir = None
    if exercise is not None:
        from game.classroom.exercise import load_exercise

        exercise_path = Path(exercise).resolve()
        loaded = load_exercise(exercise_path)
        title = f"Off-Ramp: {loaded.info.title}"
    else:
        scenario_dir = resolve_scenario_dir(scenario).resolve()
        load_scenario(scenario_dir)
    check_address(host, port)
    if public_url is not None:
        check_public_url(public_url)
    return ServeConfig(
        saves=Path(saves).resolve(),
        exercise=exercise_path,
        scenario=scenario_dir,
        title=title,
        host=host,
        port=port,
        public_url=public_url.rstrip("/") if public_url else None,
        max_sessions=default_max_sessions() if max_sessions is None else max_sessions,
        console_token=secrets.token_urlsafe(24) if exercise_path is not None else "",
        vote=vote,
    )


def default_max_sessions(meminfo: Path = Path("/proc/meminfo")) -> int:
    """How many games to allow by default: :data:`MOST_SESSIONS`, or fewer if the memory
    available now holds fewer at :data:`SESSION_MIB` each (at least one).

    Memory is the limit that breaks a machine (out of memory, every game dies); CPU only
    slows turns down.  Without /proc/meminfo (not Linux): :data:`MOST_SESSIONS`."""
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            name, _, value = line.partition(":")
            if name == "MemAvailable":
                available_mib = int(value.split()[0]) // 1024  # the file says kB
                return max(1, min(MOST_SESSIONS, available_mib // SESSION_MIB))
    except (OSError, ValueError, IndexError):
        pass
    return MOST_SESSIONS


def class_full(running: int) -> str:
    """What a browser past the cap is told: the reason its websocket is closed for, which
    the page shows (at most 123 bytes)."""
    games = "1 game" if running == 1 else f"{running} games"
    return f"The class is full ({games} running); ask your instructor."


def check_address(host: str, port: int) -> None:
    """Raise ServeError unless the server could listen on ``host:port`` now."""
    if not 1 <= port <= 65535:
        raise ServeError(f"port {port} is out of range (1-65535)")
    bind_host = None if host in ANY_HOST else host
    try:
        infos = socket.getaddrinfo(
            bind_host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        raise ServeError(f"unknown host {host!r}: {exc.strerror}") from exc
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as probe:
            # as aiohttp does: a port in TIME_WAIT is free, one with a listener is not
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                with contextlib.suppress(OSError):
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                raise ServeError(_bind_problem(host, port, exc)) from exc


def check_public_url(url: str) -> None:
    """Raise ServeError unless ``url`` is an http or https address a page can name."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ServeError(
            f"--public-url {url!r}: give the address browsers use, "
            "like https://class.example.edu or http://10.0.0.5:8000"
        )


def _bind_problem(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use (another `offramp serve`?); "
            "stop it or choose another with --port"
        )
    if exc.errno == errno.EACCES:
        return f"no permission to listen on port {port} (ports below 1024 need root)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def console_url(config: ServeConfig) -> str:
    """The instructor's console in a browser ('' without an exercise)."""
    if not config.console_token:
        return ""
    return f"{shown_url(config)}/console/{config.console_token}"


def start_zygote(
    folder: Path, play: list[str], environ: Mapping[str, str] = GAME_ENVIRONMENT
) -> tuple[subprocess.Popen[bytes], Path]:
    """The zygote (:mod:`game.classroom.zygote`), started in the background for the
    ``offramp play`` command line ``play``, and the socket it listens at once warm, in
    ``folder`` (which must be private: whoever connects gets a game).  ``environ``: what
    textual-serve sets for a game."""
    path = folder / ZYGOTE_SOCKET
    process = subprocess.Popen(
        [sys.executable, "-m", "game.classroom.zygote", str(path), *play],
        stdin=subprocess.DEVNULL,
        env={**os.environ, **environ, SERVER_PID: str(os.getpid())},
    )
    return process, path


def shown_url(config: ServeConfig) -> str:
    """The address to tell people: the public URL, or this host and port."""
    if config.public_url:
        return config.public_url
    host = config.host
    if host in ANY_HOST:
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{config.port}"


def page_base(config: ServeConfig, own_page: bool = True) -> str:
    """The start of every URL in the page: ``--public-url``, else nothing (paths only).

    Never the request's ``Host``: a forged one (``Host: evil.example``) would send the
    browser's script and websocket there, and a caching proxy would keep that page for
    everyone.  Paths are resolved by the browser against the address it loaded the page
    from (right behind 0.0.0.0, a LAN name, a tunnel); the websocket's by
    :data:`PAGE_SCRIPT`.  Without our page (``own_page`` False), the address the server
    listens on."""
    if config.public_url:
        return config.public_url
    return "" if own_page else shown_url(config)


def websocket_url(base: str) -> str:
    """The game's websocket under ``base`` (``http`` becomes ``ws``, ``https`` ``wss``)."""
    if base.startswith("https:"):
        return f"wss:{base[6:]}/ws"
    if base.startswith("http:"):
        return f"ws:{base[5:]}/ws"
    return f"{base}/ws"


_WEB_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)

# Before textual-serve's script connects: resolve its websocket path against the page's
# own address (older browsers refuse a relative websocket URL), as ws: or wss:.  When the
# server closes the websocket with a reason (the class is full), the page's "Session
# ended" dialog says it.
PAGE_SCRIPT = """<script>
      (() => {
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          constructor(url, protocols) {
            const absolute = new URL(url, window.location.href);
            if (absolute.protocol === "http:") absolute.protocol = "ws:";
            if (absolute.protocol === "https:") absolute.protocol = "wss:";
            super(absolute.href, protocols);
            this.addEventListener("close", (event) => {
              const message = document.querySelector(".closed-dialog .message");
              if (event.reason && message) message.textContent = event.reason;
            });
          }
        };
      })();
    </script>
  </head>"""


def page_template(folder: Path) -> Path | None:
    """textual-serve's page template, made Off-Ramp's, written to ``folder``.

    Without its web-font link: on a classroom network without internet access the request
    to fonts.googleapis.com can hang, and the page starts the game only once it has loaded;
    the terminal uses the browser's monospace font at once.  With :data:`PAGE_SCRIPT`, so
    the page can name its websocket by path.  None (keep textual-serve's own) if the
    template is not as expected."""
    import textual_serve

    original = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    try:
        text = original.read_text(encoding="utf-8")
    except OSError:
        return None
    page, fonts = _WEB_FONT.subn("", text)
    page, heads = page.replace("</head>", PAGE_SCRIPT), page.count("</head>")
    if fonts != 1 or heads != 1:
        return None
    (folder / "app_index.html").write_text(page, encoding="utf-8")
    return folder


class LogLine(logging.Formatter):
    """Each log record on one line: time, level, message.

    An error a client caused (a malformed request, a dropped connection) is named with its
    message and no traceback: a browser or a scanner sending garbage says nothing about the
    server's code, and a class's console should not scroll 150 lines for it.  Any other
    error keeps its traceback (a bug to report)."""

    def __init__(self, client_errors: tuple[type[BaseException], ...]) -> None:
        super().__init__(datefmt="%H:%M:%S")
        self.client_errors = client_errors

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            said = str(error)
            text += f": {type(error).__name__}" + (f": {said}" if said and said != text else "")
        one_line = " ".join(text.split())
        line = f"{self.formatTime(record, self.datefmt)} {record.levelname} {one_line}"
        if record.exc_info and error is not None and not isinstance(error, self.client_errors):
            line += "\n" + self.formatException(record.exc_info)
        return line


def client_errors() -> tuple[type[BaseException], ...]:
    """The errors a client's request or connection causes, not the server's code."""
    from aiohttp import web
    from aiohttp.http_exceptions import HttpProcessingError

    return (HttpProcessingError, web.HTTPException, ConnectionError)


def serve(config: ServeConfig) -> int:
    """Run the server until Ctrl+C (or SIGTERM); return the exit status."""
    import aiohttp_jinja2
    from aiohttp import WSCloseCode, web
    from textual_serve.server import Server, to_int

    log = logging.getLogger("offramp.serve")

    console = (
        shell_command(console_argv(config), server_pid=os.getpid()) if config.console_token else ""
    )

    class OffRampServer(Server):
        """textual-serve's server with Off-Ramp's start message, page and console."""

        @property
        def command(self) -> str:
            return session_command.get()

        @command.setter
        def command(self, value: str) -> None:
            pass  # textual-serve's __init__ sets it: ours is `session_command`

        def __init__(self, templates: Path | None) -> None:
            super().__init__(command, host=config.host, port=config.port, title=config.title)
            self.sessions: set[asyncio.Task[Any]] = set()
            if templates is not None:
                self.templates_path = templates
            self.base = page_base(config, own_page=templates is not None)

        def initialize_logging(self) -> None:
            # textual-serve's shows each error as a rich traceback with its locals.
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(LogLine(client_errors()))
            logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app: web.Application) -> None:
            url = shown_url(config)
            what = f"exercise {config.exercise}" if config.exercise else f"{config.scenario}"
            print(f"Off-Ramp: serving {what}", flush=True)
            print(f"Saves go to {config.saves}/", flush=True)
            print(f"At most {config.max_sessions} games at once (--max-sessions).", flush=True)
            if config.vote:
                print("A class vote: each tab votes on the class game.", flush=True)
                print(f"Open {url} in a browser (one voter per tab). Ctrl+C stops.", flush=True)
            else:
                print(f"Open {url} in a browser (one game per tab). Ctrl+C stops.", flush=True)
            if config.console_token:
                print(
                    f"Instructor's console (keep this address to yourself): {console_url(config)}",
                    flush=True,
                )

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            if config.console_token:
                app.router.add_get("/console/{token}", self.handle_console)
                app.router.add_get("/console/{token}/ws", self.handle_console_websocket)
            return app

        def check_token(self, request: web.Request) -> str:
            """The console's path under the page's base; a 404 for any other token."""
            token = request.match_info.get("token", "")
            if not secrets.compare_digest(token.encode(), config.console_token.encode()):
                raise web.HTTPNotFound()
            return f"{self.base}/console/{token}"

        async def handle_console(self, request: web.Request) -> web.Response:
            return self.page(request, websocket_url(self.check_token(request)), "console")

        async def handle_console_websocket(self, request: web.Request) -> Any:
            self.check_token(request)
            bad = self.refuse_bad_handshake(request)
            if bad is not None:
                return bad
            session_command.set(console)  # this request's task only
            return await Server.handle_websocket(self, request)

        async def on_shutdown(self, app: web.Application) -> None:
            # Close every session now (each app is told to quit) rather than waiting
            # for the browsers to go away, and wait for them to have quit: a session
            # still stopping when aiohttp closes the loop leaves its game's pipes to the
            # garbage collector, which then fails on the closed loop (a traceback in the
            # server's log at Ctrl+C).
            tasks = list(self.sessions)
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=SHUTDOWN_WAIT)

        async def handle_index(self, request: web.Request) -> web.Response:
            return self.page(request, websocket_url(self.base))

        def page(self, request: web.Request, websocket: str, what: str = "") -> web.Response:
            """The page of a game (or the console) whose websocket is at ``websocket``."""
            # textual-serve's own builds every URL from the request's Host header.
            context = {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": websocket,
                "config": {"static": {"url": f"{self.base}/static/"}},
                "application": {"name": f"{self.title} ({what})" if what else self.title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        def refuse_bad_handshake(self, request: web.Request) -> web.Response | None:
            """A 400 (and one log line) for a request that is not a websocket's."""
            if web.WebSocketResponse().can_prepare(request).ok:
                return None
            # textual-serve's would log the failed handshake, then aiohttp its own.
            log.warning(
                "bad request from %s: %s %s without a websocket handshake",
                request.remote,
                request.method,
                request.raw_path,
            )
            return web.Response(status=400, text="Open the game's page, not its websocket.\n")

        async def handle_websocket(self, request: web.Request) -> Any:
            bad = self.refuse_bad_handshake(request)
            if bad is not None:
                return bad
            # A student who reloads the page is back before their old game has quit.
            loop = asyncio.get_running_loop()
            deadline = loop.time() + PLACE_WAIT
            while len(self.sessions) >= config.max_sessions and loop.time() < deadline:
                await asyncio.sleep(0.1)
            running = len(self.sessions)
            if running >= config.max_sessions:
                log.warning("the class is full: turned a browser away (%d games running)", running)
                refused = web.WebSocketResponse()
                await refused.prepare(request)
                reason = class_full(running).encode("utf-8")
                await refused.close(code=WSCloseCode.TRY_AGAIN_LATER, message=reason)
                return refused
            # Counted from here (no await in between) until its game has quit.
            task = asyncio.current_task()
            if task is not None:
                self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                if task is not None:
                    self.sessions.discard(task)

    with tempfile.TemporaryDirectory(prefix="offramp-serve-") as tmp:
        folder = Path(tmp)  # private (mode 0700): its socket is the server's alone
        zygote = socket_path = None
        if os.environ.get(COLD_START) != "1":
            zygote, socket_path = start_zygote(folder, play_argv(config))
        command = play_command(config, server_pid=os.getpid(), zygote=socket_path)
        # textual-serve runs `self.command` for each websocket: a console's websocket sets
        # its own (started cold: not the zygote's command), for its request's task only.
        session_command: ContextVar[str] = ContextVar("session_command", default=command)
        server = OffRampServer(page_template(folder))
        try:
            server.serve()
        except OSError as exc:  # lost the race for the port since check_address
            raise ServeError(_bind_problem(config.host, config.port, exc)) from exc
        finally:
            if zygote is not None:
                zygote.terminate()
                zygote.wait()
    print("Off-Ramp: server stopped.", flush=True)
    return 0
