"""The engine runs compiled (mypyc) where the build could compile it, and CI insists."""

from __future__ import annotations

import importlib
import os
from importlib.machinery import EXTENSION_SUFFIXES

import pytest

import game.engine

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
