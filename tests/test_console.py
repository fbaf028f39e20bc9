"""The instructor's console (`offramp console`) on a class folder that students' sessions
write while it runs: the students, pause and resume, an inject, a message, the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.classroom.control import read_state
from game.classroom.exercise import Exercise, load_exercise
from game.classroom.inbox import read_injects
from game.cli import main
from game.engine import choices
from game.session import Session
from game.ui.console import ConsoleApp, InjectScreen, MessageScreen, StudentRow
from game.ui.screens.confirm import ConfirmScreen

from .test_classroom_play import exercise_file
from .ui_helpers import async_test, screen_lines


@pytest.fixture
def exercise(tmp_path: Path) -> Exercise:
    return load_exercise(exercise_file(tmp_path))


def play_turn(session: Session) -> None:
    session.choose(choices(session.scenario, session.state)[0].id)


async def look(pilot: Any) -> str:
    """Have the console look at the folder now; the screen as text."""
    app = pilot.app
    await app.workers.wait_for_complete()
    app.show_class(*app.read_class())
    await pilot.pause()
    await pilot.pause()
    return "\n".join(screen_lines(app))


def rows(app: ConsoleApp) -> dict[str, StudentRow]:
    return {row.game.player: row for row in app.query(StudentRow)}


class TestConsole:
    @pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
    @async_test
    async def test_students_come_play_and_leave(
        self, exercise: Exercise, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        """Each student's row: name, connected, turn, rung, sparklines; then the ending."""
        app = ConsoleApp(exercise, tmp_path)
        async with app.run_test(size=size) as pilot:
            shown = await look(pilot)
            assert "No student has joined yet" in shown
            ann, _ = Session.join(exercise, tmp_path, "Ann")
            ann.save()
            bo, _ = Session.join(exercise, tmp_path, "Bo")
            bo.save()
            shown = await look(pilot)
            assert set(rows(app)) == {"Ann", "Bo"}
            assert "2 students, 2 connected, 0 finished" in shown
            for _ in range(2):
                play_turn(ann)
            bo.close()
            shown = await look(pilot)
            row = rows(app)["Ann"]
            assert row.game.turn == ann.state.turn and row.game.connected
            assert all(len(series) == ann.state.turn for series in row.game.history)
            assert f"{ann.state.turn:>2}/6" in shown
            rung = ann.scenario.ladder.rungs[ann.state.meters[0]].name
            assert rung[:8] in shown
            assert not rows(app)["Bo"].game.connected
            assert "2 students, 1 connected" in shown
            while not ann.over:
                play_turn(ann)
            shown = await look(pilot)
            assert rows(app)["Ann"].game.ending
            assert "1 finished" in shown
            assert "Endings so far" in shown and "Rungs now" in shown
            assert all(len(line.rstrip()) <= size[0] for line in shown.splitlines())
            ann.close()

    @async_test
    async def test_pause_and_resume(self, exercise: Exercise, tmp_path: Path) -> None:
        ann, _ = Session.join(exercise, tmp_path, "Ann")
        app = ConsoleApp(exercise, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("p")
            shown = await look(pilot)
            assert read_state(tmp_path, "c1") == "paused"
            assert "PAUSED" in shown
            assert ann.heed_class().paused
            await pilot.press("p")
            shown = await look(pilot)
            assert "RUNNING" in shown and not ann.heed_class().paused
        ann.close()

    @async_test
    async def test_push_an_inject(self, exercise: Exercise, tmp_path: Path) -> None:
        ann, _ = Session.join(exercise, tmp_path, "Ann")
        ann.save()
        app = ConsoleApp(exercise, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, InjectScreen)
            first = sorted(exercise.scenario.events, key=lambda e: not e.inject_only)[0]
            await pilot.press("enter")  # the highlighted event: the first
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert read_injects(tmp_path, "c1") == []  # not before it is confirmed
            await pilot.press("enter")
            shown = await look(pilot)
            assert read_injects(tmp_path, "c1") == [first.id]
            assert f"1. {first.title}"[:30] in shown
            result = ann.choose(choices(ann.scenario, ann.state)[0].id)
            assert result.injected == (first.title,)
            await pilot.press("i", "escape")  # thought better of it
            await pilot.pause()
            assert read_injects(tmp_path, "c1") == [first.id]
        ann.close()

    @async_test
    async def test_send_a_message(self, exercise: Exercise, tmp_path: Path) -> None:
        ann, _ = Session.join(exercise, tmp_path, "Ann")
        app = ConsoleApp(exercise, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, MessageScreen)
            await pilot.press(*"Five minutes left", "enter")
            shown = await look(pilot)
            assert ann.heed_class().messages == ("Five minutes left",)
            assert "“Five minutes left”" in shown  # the last message, for the instructor
        ann.close()

    @async_test
    async def test_end_the_exercise(self, exercise: Exercise, tmp_path: Path) -> None:
        ann, _ = Session.join(exercise, tmp_path, "Ann")
        ann.save()
        app = ConsoleApp(exercise, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("e", "escape")  # asked first: Back leaves it running
            await pilot.pause()
            assert read_state(tmp_path, "c1") == "running"
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert read_state(tmp_path, "c1") == "ended"
            assert ann.heed_class().ended and ann.over
            shown = await look(pilot)
            assert "ENDED" in shown
            assert rows(app)["Ann"].game.ending == exercise.scenario.ending[ann.state.ending].title
        ann.close()

    @async_test
    async def test_it_refreshes_by_itself(self, exercise: Exercise, tmp_path: Path) -> None:
        """A student who joins shows within a few seconds, with nothing pressed."""
        app = ConsoleApp(exercise, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            ann, _ = Session.join(exercise, tmp_path, "Ann")
            ann.save()
            for _ in range(50):
                await pilot.pause(0.1)
                if "Ann" in rows(app):
                    break
            assert "Ann" in rows(app)
            await app.workers.wait_for_complete()
            ann.close()


def test_console_needs_an_exercise(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:  # argparse: the subcommand's usage, exit 2
        main(["console"])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert "--exercise" in err and "offramp console" in err
