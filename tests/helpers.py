"""What several test modules share: the fixture scenarios, the real `offramp` command,
simple option pickers, and a game state built by hand for condition tests."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from game.content import CONTENT_ROOT, Scenario, load_scenario
from game.content.models import Option
from game.engine.state import GameState

ROOT = Path(__file__).resolve().parents[1]
"""The source checkout."""
MINI = ROOT / "tests" / "fixtures" / "mini"
"""The tiny test scenario."""
CUBA = ROOT / "tests" / "fixtures" / "cuba"
"""A second, complete scenario on another crisis."""
SHIPPED = CONTENT_ROOT / "ukraine"
"""The scenario the game ships with."""
OFFRAMP = [sys.executable, "-m", "game.cli"]
"""The `offramp` command, run from this checkout."""

_scenarios: dict[Path, Scenario] = {}


def writable_copy(folder: Path, tmp_path: Path) -> Path:
    """A fresh copy of a scenario folder that a test may edit."""
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target


def edit_toml(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a content file (a folder means its scenario.toml),
    asserting the file still says ``old``."""
    if path.is_dir():
        path = path / "scenario.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def scenario_at(folder: Path) -> Scenario:
    """Load a scenario once per test session."""
    if folder not in _scenarios:
        _scenarios[folder] = load_scenario(folder)
    return _scenarios[folder]


def offramp(
    *args: str, stdin: str = "", cwd: Path = ROOT, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real `offramp ARGS...` and capture its exit status and output."""
    return subprocess.run(
        [*OFFRAMP, *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


Picker = Callable[[Sequence[Option], random.Random], Option]
"""A scripted player: picks one of the options open now."""


def first(options: Sequence[Option], rnd: random.Random) -> Option:
    """The first option."""
    return options[0]


def last(options: Sequence[Option], rnd: random.Random) -> Option:
    """The last option."""
    return options[-1]


def anyone(options: Sequence[Option], rnd: random.Random) -> Option:
    """Any option, drawn from ``rnd``."""
    return rnd.choice(options)


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
