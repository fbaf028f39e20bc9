"""The engine runs compiled (mypyc) where the build could compile it, and CI insists."""

from __future__ import annotations

import importlib
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import game.engine
from game.buildcheck import stale_extensions

HOT = ["rng", "state", "conditions", "rules", "core"]  # setup.py's COMPILED list


def test_compiled_flag_matches_the_loaded_modules() -> None:
    loaded = [
        str(importlib.import_module(f"game.engine.{name}").__file__).endswith(
            tuple(EXTENSION_SUFFIXES)
        )
        for name in HOT
    ]
    mixed = dict(zip(HOT, loaded, strict=True))
    assert all(loaded) or not any(loaded), f"a partly compiled engine: {mixed}"
    assert all(loaded) == game.engine.COMPILED


def test_ci_runs_the_compiled_engine() -> None:
    """`.ci/run` sets OFFRAMP_REQUIRE_COMPILED: there the build must have compiled the
    engine, so that the suite tests what users run (mypyc's stricter typing included)."""
    if not os.environ.get("OFFRAMP_REQUIRE_COMPILED"):
        pytest.skip("OFFRAMP_REQUIRE_COMPILED is not set")
    assert game.engine.COMPILED, "the engine was not compiled: see the pip install output"


def test_a_compiled_module_older_than_its_source_is_reported(tmp_path: Path) -> None:
    """After an edit (or a git pull) the old build would silently run old rules."""
    engine = tmp_path / "game" / "engine"
    engine.mkdir(parents=True)
    ext = engine / "core.cpython-311-x86_64-linux-gnu.so"
    fresh = engine / "rng.cpython-311-x86_64-linux-gnu.so"
    for path in (ext, fresh, engine / "core.py", engine / "rng.py"):
        path.write_text("")
    for path, when in ((ext, 1_000), (engine / "core.py", 2_000), (fresh, 3_000)):
        os.utime(path, (when, when))
    os.utime(engine / "rng.py", (2_000, 2_000))
    # not a source checkout (no pyproject.toml): an installed package is never "stale"
    assert stale_extensions(engine) == []
    (tmp_path / "pyproject.toml").write_text("")
    assert stale_extensions(engine) == [
        "core.py is newer than core.cpython-311-x86_64-linux-gnu.so"
    ]
    os.utime(ext, (2_500, 2_500))  # rebuilt
    assert stale_extensions(engine) == []
