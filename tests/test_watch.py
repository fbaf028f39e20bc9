"""Hot reload: edits are noticed, broken edits reported, games rebased on new content."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from game.content import load_scenario
from game.content.watch import ScenarioWatcher
from game.engine import EngineError, choices, choose, new_game
from game.engine.replay import rebase
from game.ui.app import OffRampApp
from game.ui.screens.turn import TurnScreen

from .helpers import MINI
from .ui_helpers import async_test, start_game


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
    rebased, steps = rebase(new, state)
    assert len(steps) == len(state.log)
    assert rebased.log == state.log
    assert rebased.meters != state.meters


def test_rebase_refuses_when_the_log_no_longer_fits(folder: Path) -> None:
    old = load_scenario(folder)
    state = new_game(old, 3, "hawkish")
    state, _ = choose(old, state, "push")
    touch_edit(folder / "scenario.toml", 'id = "push"', 'id = "shove"')
    with pytest.raises(EngineError, match="no longer replays"):
        rebase(load_scenario(folder), state)


async def wait_for_note(pilot: Pilot[int], text: str, seconds: float = 8.0) -> str:
    """The first notification containing ``text``, waiting for the watcher's poll."""
    for _ in range(int(seconds / 0.1)):
        for note in pilot.app._notifications:
            if text in note.message or text in note.title:
                return f"{note.title}\n{note.message}"
        await pilot.pause(0.1)
    raise AssertionError(f"no notification with {text!r}")


@async_test
async def test_play_watch_reports_errors_then_reloads(folder: Path, tmp_path: Path) -> None:
    """`offramp play --watch`: a broken edit is shown with file and line while play goes on
    with the last good content; the fixed edit is taken into the game in play."""
    app = OffRampApp(folder, tmp_path / "saves", seed=3, watch=True)
    async with app.run_test(size=(110, 32)) as pilot:
        await start_game(pilot)
        await pilot.press("1", "enter")
        await pilot.pause()
        session = app.session
        assert session is not None
        before = session.state
        scenario = folder / "scenario.toml"
        touch_edit(scenario, 'when = "stability < 45"', 'when = "stability < < 45"')
        note = await wait_for_note(pilot, "problem")
        assert f"{scenario}:" in note and "events[0].when" in note
        assert session.state is before
        touch_edit(scenario, 'when = "stability < < 45"', 'when = "stability < 45"')
        touch_edit(scenario, '"Pressure bites"', '"Pressure really bites"')
        await wait_for_note(pilot, "replayed on the edited content")
        assert app.session is session and session.state.to_dict(
            tuple(m.id for m in session.scenario.meters)
        ) == before.to_dict(tuple(m.id for m in session.scenario.meters))
        assert any("Pressure really bites" in line for item in session.log for line in item.changes)
        assert isinstance(app.screen, TurnScreen)


def status_text(app: OffRampApp) -> str:
    from textual.widgets import Static

    turn = next(s for s in reversed(app.screen_stack) if isinstance(s, TurnScreen))
    return str(turn.query_one("#status", Static).render())


@async_test
async def test_fixed_edit_clears_its_notice_and_ctrl_r_restarts_on_it(
    folder: Path, tmp_path: Path
) -> None:
    """Under --watch the status line names the content; a fixed edit takes the error
    notice away; Ctrl+R starts the game again, same seed and lens, on the edited content."""
    app = OffRampApp(folder, tmp_path / "saves", seed=3, watch=True)
    async with app.run_test(size=(110, 32)) as pilot:
        await start_game(pilot)
        await pilot.press("1", "enter")
        await pilot.pause()
        session = app.session
        assert session is not None
        fingerprint = session.scenario.fingerprint
        assert f"content: mini {fingerprint[:6]}" in status_text(app)
        scenario = folder / "scenario.toml"
        touch_edit(scenario, 'when = "stability < 45"', 'when = "stability =< 45"')
        note = await wait_for_note(pilot, "problem")
        assert "did you mean '<='?" in note
        touch_edit(scenario, 'when = "stability =< 45"', 'when = "stability < 44"')
        await wait_for_note(pilot, "replayed on the edited content")
        assert not [n for n in app._notifications if "problem" in n.title]
        edited = app.session.scenario.fingerprint if app.session else ""
        assert edited != fingerprint
        assert f"content: mini {edited[:6]} (edited " in status_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        restarted = app.session
        assert restarted is not None and restarted is not session
        assert restarted.state.turn == 1 and restarted.state.seed == 3
        assert restarted.scenario.fingerprint == edited
        assert isinstance(app.screen, TurnScreen)


@async_test
async def test_no_restart_key_without_watch(folder: Path, tmp_path: Path) -> None:
    """Without --watch, Ctrl+R does nothing and the status line shows the title."""
    app = OffRampApp(folder, tmp_path / "saves", seed=3)
    async with app.run_test(size=(110, 32)) as pilot:
        await start_game(pilot)
        session = app.session
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.session is session
        assert "content:" not in status_text(app) and "Mini crisis" in status_text(app)
