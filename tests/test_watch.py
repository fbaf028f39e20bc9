"""Hot reload: edits are noticed, broken edits reported, games rebased on new content."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from game.content import load_scenario
from game.content.watch import ScenarioWatcher, rebase
from game.engine import EngineError, choices, choose, new_game

from .conftest import MINI


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def touch_edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_no_change_no_reload(folder: Path) -> None:
    assert ScenarioWatcher(folder).poll() is None


def test_good_edit_reloads(folder: Path) -> None:
    watcher = ScenarioWatcher(folder)
    touch_edit(folder / "scenario.toml", 'title = "Mini crisis"', 'title = "Edited"')
    result = watcher.poll()
    assert result is not None and result.scenario is not None
    assert result.scenario.info.title == "Edited"
    assert watcher.poll() is None


def test_broken_edit_reports_file_and_line(folder: Path) -> None:
    watcher = ScenarioWatcher(folder)
    touch_edit(folder / "scenario.toml", "cooldown = 0", 'cooldown = "x"')
    result = watcher.poll()
    assert result is not None and result.scenario is None and result.error is not None
    assert any("scenario.toml:" in str(p) and "cooldown" in str(p) for p in result.error.problems)


def test_rebase_replays_the_game_on_new_numbers(folder: Path) -> None:
    old = load_scenario(folder)
    state = new_game(old, 3, "hawkish")
    state, _ = choose(old, state, choices(old, state)[0].id)
    touch_edit(folder / "scenario.toml", "add = -10", "add = -20")
    new = load_scenario(folder)
    rebased = rebase(new, state)
    assert rebased.log == state.log
    assert rebased.meters != state.meters


def test_rebase_refuses_when_the_log_no_longer_fits(folder: Path) -> None:
    old = load_scenario(folder)
    state = new_game(old, 3, "hawkish")
    state, _ = choose(old, state, "push")
    touch_edit(folder / "scenario.toml", 'id = "push"', 'id = "shove"')
    with pytest.raises(EngineError, match="no longer replays"):
        rebase(load_scenario(folder), state)
