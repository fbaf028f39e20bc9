"""Shared fixtures: the scenarios every engine property is checked against.

Plain helpers (paths, the `offramp` command, pickers) are in tests/helpers.py, Pilot
helpers in tests/ui_helpers.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.buildcheck import REBUILD, stale_extensions
from game.content import Scenario

from .helpers import MINI, SHIPPED, scenario_at

SCENARIO_DIRS = [MINI, SHIPPED]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test a compiled engine built from older sources than those on disk."""
    stale = stale_extensions()
    if stale:
        pytest.exit(f"the compiled engine is out of date ({'; '.join(stale)}): {REBUILD}", 2)


@pytest.fixture(scope="session", params=SCENARIO_DIRS, ids=lambda p: p.name)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    """Each scenario the engine must handle: the tiny fixture and the shipped one."""
    folder: Path = request.param
    return scenario_at(folder)


@pytest.fixture(scope="session")
def mini() -> Scenario:
    """The tiny test scenario."""
    return scenario_at(MINI)
