"""Build hook: compile the engine's hot modules with mypyc where this machine can.

The engine stays ordinary, type-checked Python.  mypyc (mypy's own compiler, which
also builds black, mypy and tomli) turns the modules below into C extensions that run
the same code about five times faster (benchmarks/bench_core.py, compiled against pure;
see docs/engine-speed.md): it is what lets the engine reach its speed targets (issue 2:
50,000 turns a second; issue 4: 10,000 simulated games in 5 s).

Everything else about the package lives in pyproject.toml.  With no C compiler, or
with ``OFFRAMP_PURE=1`` in the environment, the same modules install uncompiled and
behave identically, only slower.  An editable install (``pip install -e .``) builds
the extensions next to their sources (``game/engine/*.so``, git-ignored); after editing
one of these modules, install again (the test suite refuses to run a stale build) or
delete the ``.so`` files to run the source.
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, setup

COMPILED = [
    "game/engine/rng.py",
    "game/engine/state.py",
    "game/engine/conditions.py",
    "game/engine/rules.py",
    "game/engine/core.py",
]


def compiled_engine() -> list[Extension]:
    if os.environ.get("OFFRAMP_PURE"):
        return []
    try:
        from mypyc.build import mypycify

        extensions: list[Extension] = mypycify(
            ["--explicit-package-bases", *COMPILED], opt_level="3", group_name="offramp_engine"
        )
    except (Exception, SystemExit) as exc:  # mypyc missing or failing: build the source
        print(f"warning: not compiling the engine ({exc!r}); it runs as Python", file=sys.stderr)
        return []
    for ext in extensions:
        ext.optional = True  # no working C compiler: warn, and install the pure-Python engine
    return extensions


setup(ext_modules=compiled_engine())
