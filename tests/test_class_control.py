"""The instructor's console as a game sees it: pause, end and messages, through the class
folder's control files, in the session, plain mode and the app; an ended game replays."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game import plain as plain_mode
from game.classroom.control import (
    MAX_MESSAGE,
    Control,
    one_line,
    read_messages,
    read_state,
    send_message,
    stamp,
    write_state,
)
from game.classroom.exercise import Exercise, load_exercise
from game.classroom.report import build_class_report, class_report_text
from game.debrief import build_debrief
from game.engine import EngineError, choices, choose, end_game, is_over, new_game, outcome
from game.engine.replay import final_state
from game.engine.setup import Setup
from game.plain import play_plain
from game.saves import load_save
from game.session import Session
from game.timeline import ENDED_BY_INSTRUCTOR, render_timeline
from game.ui.app import OffRampApp
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.paused import PAUSED, PausedScreen
from game.ui.screens.turn import TurnScreen
from game.ui.widgets.card import CardPanel

from .helpers import MINI, offramp, scenario_at
from .test_classroom_play import exercise_file
from .ui_helpers import async_test, screen_lines, settle


@pytest.fixture
def exercise(tmp_path: Path) -> Exercise:
    return load_exercise(exercise_file(tmp_path))


def first_option(session: Session) -> str:
    return choices(session.scenario, session.state)[0].id


class TestControlFiles:
    def test_state_defaults_to_running_and_is_replaced_whole(self, tmp_path: Path) -> None:
        assert read_state(tmp_path, "c1") == "running"
        write_state(tmp_path, "c1", "paused")
        assert read_state(tmp_path, "c1") == "paused"
        write_state(tmp_path, "c1", "ended")
        assert read_state(tmp_path, "c1") == "ended"
        assert [p.name for p in (tmp_path / "c1").iterdir()] == ["class.state"]  # no temp left
        with pytest.raises(ValueError):
            write_state(tmp_path, "c1", "frozen")  # type: ignore[arg-type]

    def test_messages_are_one_line_each_and_read_once(self, tmp_path: Path) -> None:
        reader = Control(tmp_path, "c1")
        send_message(tmp_path, "c1", "Five minutes\nleft\x1b[2J")
        assert reader.take_messages() == ["Five minutes left [2J"]
        assert reader.take_messages() == []
        send_message(tmp_path, "c1", "Back to work")
        assert reader.take_messages() == ["Back to work"]
        assert Control.from_now(tmp_path, "c1").take_messages() == []
        with pytest.raises(ValueError):
            send_message(tmp_path, "c1", "  \n ")

    @settings(max_examples=60, deadline=None)
    @given(texts=st.lists(st.text(max_size=300), max_size=6))
    def test_every_message_comes_back_as_one_line(self, texts: list[str]) -> None:
        """Whatever is typed, each message sent is read back once, on one printable line,
        in order; an empty one is refused and nothing is written for it."""
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            saves = Path(folder)
            sent = []
            for text in texts:
                try:
                    send_message(saves, "c1", text)
                except ValueError:
                    assert one_line(text) == ""
                else:
                    sent.append(one_line(text))
            read = read_messages(saves, "c1")
            assert read == sent
            assert all(m and m.isprintable() and len(m) <= MAX_MESSAGE for m in read)

    def test_a_line_being_written_waits(self, tmp_path: Path) -> None:
        send_message(tmp_path, "c1", "one")
        with (tmp_path / "c1" / "messages.log").open("a") as f:
            f.write("tw")
        assert read_messages(tmp_path, "c1") == ["one"]

    def test_the_stamp_changes_with_each_write(self, tmp_path: Path) -> None:
        before = stamp(tmp_path, "c1")
        write_state(tmp_path, "c1", "paused")
        paused = stamp(tmp_path, "c1")
        send_message(tmp_path, "c1", "hello")
        assert len({before, paused, stamp(tmp_path, "c1")}) == 3


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), picks=st.lists(st.integers(0, 3), max_size=8))
def test_an_ended_game_replays_to_the_same_end(seed: int, picks: list[int]) -> None:
    """Wherever the instructor ends a game, its log replays to the same state, ended by
    the instructor with the scenario's default ending."""
    scenario = scenario_at(MINI)
    state = new_game(scenario, seed)
    for pick in picks:
        if is_over(state):
            break
        options = choices(scenario, state)
        state, _ = choose(scenario, state, options[pick % len(options)].id)
    if is_over(state):
        with pytest.raises(EngineError):
            end_game(scenario, state)
        return
    ended = end_game(scenario, state)
    result = outcome(scenario, ended)
    assert result is not None and result.termination == "instructor"
    assert result.ending.id == scenario.info.default_ending
    again = final_state(scenario, Setup.of(ended), ended.log)
    meters = tuple(m.id for m in scenario.meters)
    assert again.to_dict(meters) == ended.to_dict(meters)
    assert again.termination == "instructor"


class TestSession:
    def test_pause_is_read_and_holds_nothing_by_itself(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        session, _ = Session.join(exercise, tmp_path, "Ann")
        assert not session.heed_class().paused
        write_state(tmp_path, "c1", "paused")
        news = session.heed_class()
        assert news.paused and not news.ended and not session.over
        write_state(tmp_path, "c1", "running")
        assert not session.heed_class().paused

    def test_messages_are_shown_once_even_across_a_resume(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        send_message(tmp_path, "c1", "before you came")  # not for a game begun later
        session, _ = Session.join(exercise, tmp_path, "Ann")
        assert session.heed_class().messages == ()
        send_message(tmp_path, "c1", "Read the card twice")
        assert session.heed_class().messages == ("Read the card twice",)
        assert session.heed_class().messages == ()
        assert session.path is not None
        session.close()
        again, resumed = Session.join(exercise, tmp_path, "Ann")
        assert resumed
        assert again.heed_class().messages == ()
        send_message(tmp_path, "c1", "Last turn")
        assert again.heed_class().messages == ("Last turn",)
        again.close()

    def test_end_ends_the_game_and_its_save_replays(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        session, _ = Session.join(exercise, tmp_path, "Ann")
        session.choose(first_option(session))
        write_state(tmp_path, "c1", "ended")
        news = session.heed_class()
        assert news.ended and session.over and news.save_error == ""
        assert not session.heed_class().ended  # once
        assert session.path is not None
        loaded = load_save(session.path, scenario_dir=MINI)
        assert loaded.state.termination == "instructor"
        assert loaded.state.log[-1].kind == "end"
        assert "ended by your instructor" in render_timeline(loaded.scenario, loaded.history())
        replayed = offramp("replay", str(session.path), "--scenario", str(MINI))
        assert replayed.returncode == 0, replayed.stderr
        turn = loaded.state.turn
        assert f"Turn {turn}: ended by your instructor\n\nEnding (turn {turn})" in replayed.stdout
        debrief = build_debrief(loaded.scenario, loaded.state)
        assert debrief.timeline[-1].title == ENDED_BY_INSTRUCTOR
        for cf in debrief.counterfactuals:  # the other lenses end where the class did
            assert cf.turns == loaded.state.turn
        report = class_report_text(build_class_report(tmp_path / "c1", exercise, 0))
        assert "Ann" in report and debrief.ending_title in report
        session.close()

    def test_a_free_game_has_no_console(self, tmp_path: Path) -> None:
        session = Session.start(scenario_at(MINI), tmp_path, Setup(seed=1))
        write_state(tmp_path, "c1", "ended")
        assert session.heed_class().state == "running"
        assert not session.over


def play(exercise: Exercise, saves: Path, answers: str) -> str:
    out = io.StringIO()
    status = play_plain(
        exercise.scenario,
        seed=None,
        lens=None,
        hidden=True,
        save_dir=saves,
        stdin=io.StringIO(answers),
        stdout=out,
        exercise=exercise,
        name="Ann",
    )
    assert status == 0
    return out.getvalue()


class TestPlain:
    def test_paused_holds_until_resumed(
        self, exercise: Exercise, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(plain_mode, "PAUSE_POLL", 0.01)
        write_state(tmp_path, "c1", "paused")
        send_message(tmp_path, "c1", "old news")  # sent before Ann joined

        def resume() -> None:
            time.sleep(0.3)
            send_message(tmp_path, "c1", "Coffee is over")
            time.sleep(0.1)
            write_state(tmp_path, "c1", "running")

        helper = threading.Thread(target=resume)
        helper.start()
        started = time.monotonic()
        text = play(exercise, tmp_path, "1\n")
        helper.join()
        assert time.monotonic() - started >= 0.3
        assert "old news" not in text
        held = text.index(f"{PAUSED}.")
        said = text.index("Message from your instructor: Coffee is over")
        goes_on = text.index("Your instructor resumed the class")
        assert held < said < goes_on < text.index("Choose 1 to")

    def test_ended_goes_to_the_debrief(self, exercise: Exercise, tmp_path: Path) -> None:
        play(exercise, tmp_path, "1\n")
        write_state(tmp_path, "c1", "ended")
        text = play(exercise, tmp_path, "1\n")
        assert "Choose 1 to" not in text
        assert "Your instructor has ended the exercise." in text
        assert f"{ENDED_BY_INSTRUCTOR}." in text
        assert text.index("ended the exercise") < text.index("Debrief.")
        state = load_save(tmp_path / "c1" / "Ann.toml", scenario_dir=MINI).state
        assert state.termination == "instructor"


async def _join(pilot: object, app: OffRampApp, name: str = "Eve") -> None:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("n")  # type: ignore[attr-defined]
    for key in name:
        await pilot.press(key)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]  # the briefing
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, TurnScreen)


class TestApp:
    """The app polls the control files while it plays."""

    @async_test
    async def test_pause_message_resume_and_end(self, exercise: Exercise, tmp_path: Path) -> None:
        app = OffRampApp(MINI, tmp_path, exercise=exercise)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await _join(pilot, app)
            assert app.session is not None
            turn = app.session.state.turn
            send_message(tmp_path, "c1", "Two minutes left")
            app.poll_class()
            await pilot.pause(0.2)
            card = app.screen.query_one(CardPanel)
            toasts = list(app.screen.query("Toast"))
            assert toasts and all(not t.region.overlaps(card.region) for t in toasts)
            assert "Two minutes left" in "\n".join(screen_lines(app))
            app.clear_notifications()
            write_state(tmp_path, "c1", "paused")
            send_message(tmp_path, "c1", "Eyes on the screen, please")
            app.poll_class()
            await pilot.pause(0.2)
            assert isinstance(app.screen, PausedScreen)
            shown = "\n".join(screen_lines(app))
            assert PAUSED in shown
            assert "Eyes on the screen, please" in shown  # the notification is on top
            await pilot.press("1", "enter", "?")  # nothing gets through the pause
            await pilot.pause()
            assert isinstance(app.screen, PausedScreen)
            assert app.session.state.turn == turn
            write_state(tmp_path, "c1", "running")
            app.poll_class()
            await pilot.pause()
            assert isinstance(app.screen, TurnScreen)
            write_state(tmp_path, "c1", "ended")
            await pilot.press("1", "enter")  # the choice heeds the console first
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            assert app.session.over and app.session.state.termination == "instructor"
            assert app.session.state.turn == turn
            await app.workers.wait_for_complete()  # the debrief is built before the app ends
            await pilot.pause()
            default = exercise.scenario.ending[exercise.scenario.info.default_ending]
            assert f"{default.title} · ended by your instructor" in screen_lines(app)[0]
            send_message(tmp_path, "c1", "Compare your endings with a neighbour")
            write_state(tmp_path, "c1", "paused")  # a finished game is not held
            app.poll_class()
            await pilot.pause(0.2)
            assert isinstance(app.screen, DebriefScreen)
            assert "Compare your endings" in "\n".join(screen_lines(app))

    @async_test
    async def test_the_app_polls_by_itself(self, exercise: Exercise, tmp_path: Path) -> None:
        app = OffRampApp(MINI, tmp_path, exercise=exercise)
        async with app.run_test(size=(100, 32)) as pilot:
            await _join(pilot, app, "Flo")
            write_state(tmp_path, "c1", "ended")
            for _ in range(40):
                await pilot.pause(0.1)
                if isinstance(app.screen, DebriefScreen):
                    break
            assert isinstance(app.screen, DebriefScreen)
            await app.workers.wait_for_complete()  # the debrief is built before the app ends
            await pilot.pause()
