"""Shared fixtures: the scenarios every engine property is checked against."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.content import CONTENT_ROOT, Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
SHIPPED = CONTENT_ROOT / "ukraine"
SCENARIO_DIRS = [MINI, SHIPPED]

_cache: dict[Path, Scenario] = {}


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
