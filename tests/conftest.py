"""Shared fixtures: the scenarios every engine property is checked against."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.buildcheck import REBUILD, stale_extensions
from game.content import CONTENT_ROOT, Scenario, load_scenario
from game.engine.state import GameState

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
SHIPPED = CONTENT_ROOT / "ukraine"
SCENARIO_DIRS = [MINI, SHIPPED]

_cache: dict[Path, Scenario] = {}


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test a compiled engine built from older sources than those on disk."""
    stale = stale_extensions()
    if stale:
        pytest.exit(f"the compiled engine is out of date ({'; '.join(stale)}): {REBUILD}", 2)


def scenario_at(folder: Path) -> Scenario:
    """Load a scenario once per test session."""
    if folder not in _cache:
        _cache[folder] = load_scenario(folder)
    return _cache[folder]


@pytest.fixture(scope="session", params=SCENARIO_DIRS, ids=lambda p: p.name)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    """Each scenario the engine must handle: the tiny fixture and the shipped one."""
    folder: Path = request.param
    return scenario_at(folder)


@pytest.fixture(scope="session")
def mini() -> Scenario:
    """The tiny test scenario."""
    return scenario_at(MINI)


def context(
    meters: list[int],
    turn: int = 1,
    month: int = 3,
    flags: set[str] | None = None,
    seen: set[str] | None = None,
) -> GameState:
    """A game state holding just what a condition reads (the rest at its defaults)."""
    return GameState(
        "test",
        0,
        "",
        False,
        99,
        turn=turn,
        month=month,
        meters=meters,
        flags=set() if flags is None else flags,
        seen=set() if seen is None else seen,
    )
