"""A served game ends with its server, however the server dies (even ``kill -9``).

`offramp serve` starts each browser's ``offramp play`` as its own child (the shell it
goes through ``exec``s it) with :data:`SERVER_PID` set.  :func:`end_with_server`, called
as that play process starts, asks Linux to send it SIGTERM when its parent dies
(``PR_SET_PDEATHSIG``); elsewhere a thread polls for a new parent once a second.  The
Textual web driver answers SIGTERM by quitting the app cleanly; the game has autosaved
(atomically) after every turn, so nothing is lost.

Games forked from the zygote (:mod:`game.classroom.zygote`) hang on a chain instead: the
zygote ends with the server, each game with the zygote (:func:`end_with_parent`), and
with the tab's client.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import MutableMapping

SERVER_PID = "OFFRAMP_SERVER_PID"
"""The environment variable naming the process of the server that started this game."""
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def end_with_server(environ: MutableMapping[str, str] = os.environ) -> None:
    """If `offramp serve` started this process, make it end when the server does.

    Raises SystemExit if the server is already gone (it died before this could be set up).
    Does nothing without :data:`SERVER_PID` (``offramp play`` in a terminal)."""
    named = environ.pop(SERVER_PID, "")  # not for this process's own children
    if not named.isdigit():
        return
    server = int(named)
    if not end_with_parent(server):
        print(f"offramp: the server that started this game (pid {server}) is gone", file=sys.stderr)
        raise SystemExit(0)


def end_with_parent(parent: int) -> bool:
    """Have this process sent SIGTERM when ``parent``, its parent now, dies; whether
    ``parent`` is still its parent once that is set up (if not, it died already)."""
    if not parent_death_signal(signal.SIGTERM):
        threading.Thread(target=_watch, args=(parent,), name="lifeline", daemon=True).start()
    return os.getppid() == parent


def parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies; whether it did."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(server: int, every: float = 1.0) -> None:
    # An orphan is adopted by another process: its parent id changes.
    while os.getppid() == server:
        time.sleep(every)
    os.kill(os.getpid(), signal.SIGTERM)
