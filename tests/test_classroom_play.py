"""Playing a class exercise: names, the class folder, live injects, resuming."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from game.classroom.exercise import Exercise, load_exercise
from game.classroom.inbox import Inbox, push_inject, read_injects
from game.classroom.roster import file_stem
from game.cli import main
from game.content import load_scenario
from game.engine import Setup, choices, is_over
from game.plain import play_plain
from game.saves import GameInUse, LoadedSave, load_save
from game.session import Session
from game.timeline import describe_change
from game.ui.app import OffRampApp
from game.ui.screens.briefing import BriefingScreen
from game.ui.screens.name import NameScreen
from game.ui.screens.turn import TurnScreen
from game.ui.widgets.prose import Prose

from .helpers import MINI
from .ui_helpers import async_test, screen_lines, settle


def load(path: Path) -> LoadedSave:
    """Load a save of the mini scenario (not under content/)."""
    return load_save(path, scenario_dir=MINI)


def exercise_file(tmp_path: Path, ask_name: bool = True, extra: str = "") -> Path:
    path = tmp_path / "exercise.toml"
    path.write_text(
        f'[exercise]\ntitle = "Seminar"\nscenario = "{MINI.as_posix()}"\nseed = 11\n'
        f'class_code = "c1"\nask_name = {str(ask_name).lower()}\nturn_limit = 6\n'
        f'briefing = "Play quietly."\n{extra}',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def exercise(tmp_path: Path) -> Exercise:
    return load_exercise(exercise_file(tmp_path))


def plain(exercise: Exercise, saves: Path, answers: str, name: str | None = "Ann") -> str:
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
        name=name,
    )
    assert status == 0
    return out.getvalue()


def injects_in(path: Path) -> list[str]:
    return [e.id for e in load(path).state.log if e.kind == "inject"]


class TestPlainExercise:
    def test_plays_the_instructors_crisis(self, exercise: Exercise, tmp_path: Path) -> None:
        plain(exercise, tmp_path, "1\n")
        loaded = load(tmp_path / "c1" / "Ann.toml")
        assert loaded.state.seed == 11
        assert loaded.state.turn_limit == 6
        assert loaded.state.lens_hidden
        assert loaded.meta.player == "Ann" and loaded.meta.class_code == "c1"

    def test_inject_pushed_mid_game_is_in_the_save(self, tmp_path: Path) -> None:
        exercise = load_exercise(exercise_file(tmp_path, extra='late_joiners = "skip"\n'))
        push_inject(tmp_path, "c1", "storm")  # before the student joins: skipped
        plain(exercise, tmp_path, "1\n")
        save = tmp_path / "c1" / "Ann.toml"
        assert injects_in(save) == []
        push_inject(tmp_path, "c1", "summit")
        text = plain(exercise, tmp_path, "2\n")
        assert "Welcome back, Ann" in text
        assert "From your instructor: " in text
        assert injects_in(save) == ["summit"]
        loaded = load(save)
        assert loaded.meta.inbox_read == 2
        title = exercise.scenario.event["summit"].title
        assert text.index("From your instructor: ") < text.index(f"News: {title}")
        # resuming again does not apply it twice
        plain(exercise, tmp_path, "1\n")
        assert injects_in(save) == ["summit"]

    def test_a_late_joiner_catches_up_by_default(self, exercise: Exercise, tmp_path: Path) -> None:
        push_inject(tmp_path, "c1", "storm")  # pushed before this student joined
        text = plain(exercise, tmp_path, "1\n")
        assert f"From your instructor: {exercise.scenario.event['storm'].title}" in text
        assert injects_in(tmp_path / "c1" / "Ann.toml") == ["storm"]

    def test_finished_game_is_kept_and_a_new_file_used(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        plain(exercise, tmp_path, "1\n" * 50)
        first = tmp_path / "c1" / "Ann.toml"
        assert is_over(load(first).state)
        before = first.read_bytes()
        plain(exercise, tmp_path, "1\n")
        assert first.read_bytes() == before
        assert (tmp_path / "c1" / "Ann-2.toml").is_file()

    def test_name_asked_on_stdin(self, exercise: Exercise, tmp_path: Path) -> None:
        text = plain(exercise, tmp_path, "\nBo\n1\n", name=None)
        assert "Your name" in text
        assert (tmp_path / "c1" / "Bo.toml").is_file()

    def test_end_of_input_before_a_name(self, exercise: Exercise, tmp_path: Path) -> None:
        plain(exercise, tmp_path, "", name=None)
        assert not (tmp_path / "c1").exists() or not list((tmp_path / "c1").glob("*.toml"))

    def test_no_name_asked_gives_distinct_files(self, tmp_path: Path) -> None:
        exercise = load_exercise(exercise_file(tmp_path, ask_name=False))
        plain(exercise, tmp_path, "1\n", name=None)
        plain(exercise, tmp_path, "1\n", name=None)
        assert len(list((tmp_path / "c1").glob("student-*.toml"))) == 2


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/abs/path", "..", "a/b\\c", "名前", "", "\x1b[2J", "CON", ".x"]
)
def test_names_never_escape_the_class_folder(tmp_path: Path, name: str) -> None:
    stem = file_stem(name)
    assert (tmp_path / f"{stem}.toml").parent == tmp_path
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")
    assert stem not in ("", "CON") and stem.isprintable()


class TestSession:
    def test_injects_apply_once_and_survive_resume(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        session, resumed = Session.join(exercise, tmp_path, "Cy")
        assert not resumed
        assert session.save() == ""
        assert session.path == tmp_path / "c1" / "Cy.toml"
        push_inject(tmp_path, "c1", "summit")
        push_inject(tmp_path, "c1", "no_such_event")  # skipped, never stops the game
        result = session.choose(choices(session.scenario, session.state)[0].id)
        assert result.injected == (exercise.scenario.event["summit"].title,)
        assert len(result.skipped) == 1 and "no_such_event" in result.skipped[0]
        loaded = load(session.path)
        assert [e.id for e in loaded.state.log if e.kind == "inject"] == ["summit"]
        session.close()
        resumed = Session.resume(loaded, tmp_path, exercise)
        assert resumed.path == session.path
        assert resumed.player == "Cy"
        assert resumed.inbox is not None and resumed.inbox.read == 2
        assert resumed.take_injects() == ((), ())

    def test_named_save_writes_the_students_file(self, exercise: Exercise, tmp_path: Path) -> None:
        session, _ = Session.join(exercise, tmp_path, "Di")
        assert session.keep_copy() == tmp_path / "c1" / "Di.toml"
        assert sorted(p.name for p in (tmp_path / "c1").glob("*.toml")) == ["Di.toml"]


def test_inbox_ignores_a_line_being_written(tmp_path: Path) -> None:
    push_inject(tmp_path, "c1", "summit")
    with (tmp_path / "c1" / "injects.log").open("a") as f:
        f.write("sto")  # no newline yet
    inbox = Inbox(tmp_path, "c1")
    assert inbox.take() == ["summit"]
    with (tmp_path / "c1" / "injects.log").open("a") as f:
        f.write("rm\n")
    assert inbox.take() == ["storm"]
    assert read_injects(tmp_path, "c1") == ["summit", "storm"]


def test_estimates_are_not_told_during_play(tmp_path: Path) -> None:
    scenario = load_scenario(MINI)
    session = Session.start(scenario, tmp_path, Setup(seed=3, hidden=True))
    estimate = next(m.id for m in scenario.meters if m.visibility == "estimate")
    for _ in range(30):
        if session.over:
            break
        report = session.choose(choices(scenario, session.state)[0].id).report
        for change in report.changes:
            line = describe_change(scenario, session.state, change)
            if change.id == estimate and change.target == "meter" and not session.over:
                assert f"{change.before} →" not in line
                assert f"{change.delta:+d}" in line
            if change.id == estimate and session.over:
                assert f"{change.before} → {change.after}" in line


class TestCommand:
    def test_validate_warns_of_a_degenerate_turn_limit(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        short = tmp_path / "short"
        short.mkdir()
        path = exercise_file(short).read_text(encoding="utf-8")
        (short / "exercise.toml").write_text(
            path.replace("turn_limit = 6", "turn_limit = 1"), encoding="utf-8"
        )
        assert main(["validate", str(short / "exercise.toml")]) == 0
        err = capsys.readouterr().err
        assert "warning:" in err and "turn_limit = 1" in err
        assert main(["validate", str(exercise_file(tmp_path))]) == 0
        assert "warning:" not in capsys.readouterr().err

    def test_inject_takes_the_exercises_class(
        self, exercise: Exercise, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = str(exercise.path)
        saves = str(tmp_path)
        args = ["inject", "storm", "--exercise", path, "--saves", saves]
        assert main(args) == 2  # nobody of class c1 has started here
        assert "no class folder" in capsys.readouterr().err
        plain(exercise, tmp_path, "1\n")
        assert main([*args, "--class", "other"]) == 2
        assert "not this exercise's class" in capsys.readouterr().err
        assert not (tmp_path / "other").exists()
        assert main(args) == 0
        assert read_injects(tmp_path, "c1") == ["storm"]

    def test_exercise_sets_seed_and_lens(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = exercise_file(tmp_path)
        assert main(["play", "--plain", "--exercise", str(path), "--seed", "3"]) == 2
        assert "the exercise file sets these" in capsys.readouterr().err

    def test_name_needs_an_exercise(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["play", "--plain", "--name", "x"]) == 2
        assert "--name is for class exercises" in capsys.readouterr().err

    def test_broken_exercise_is_reported(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = exercise_file(tmp_path, extra='[[injects]]\nturn = 2\nevent = "nope"\n')
        assert main(["play", "--plain", "--exercise", str(path)]) == 2
        assert "exercise.toml:" in capsys.readouterr().err


class TestApp:
    """The Textual app joined to an exercise."""

    @async_test
    async def test_join_play_inject_resume(self, exercise: Exercise, tmp_path: Path) -> None:
        app = OffRampApp(MINI, tmp_path, exercise=exercise)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, NameScreen)
            await pilot.press("enter")  # no name yet: asked again
            await pilot.pause()
            assert isinstance(app.screen, NameScreen)
            for key in "Eve":
                await pilot.press(key)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, BriefingScreen)
            assert "From your instructor: Seminar" in app.screen.query_one(Prose).plain
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TurnScreen)
            push_inject(tmp_path, "c1", "summit")
            await pilot.press("2", "enter")
            await pilot.pause()
        save = tmp_path / "c1" / "Eve.toml"
        assert injects_in(save) == ["summit"]
        turn = load(save).state.turn

        app = OffRampApp(MINI, tmp_path, exercise=exercise)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await pilot.pause()
            for key in "Eve":
                await pilot.press(key)
            await pilot.press("enter")
            await pilot.pause()
            assert app.session is not None
            assert app.session.path == save
            assert app.session.state.turn == turn

    @async_test
    async def test_title_keys_say_what_the_menu_says(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        """In a class exercise the footer says "n Join the class", as the menu does."""
        app = OffRampApp(MINI, tmp_path, exercise=exercise)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            footer = screen_lines(app)[-1]
            assert "Join the class" in footer and "Continue mine" in footer
            assert "New game" not in footer

    @async_test
    async def test_name_given_on_the_command_line_is_not_asked(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        """`offramp play --exercise F --name Eve`: joining goes straight to the briefing,
        under that name; a name in use is asked for again instead."""
        app = OffRampApp(MINI, tmp_path, exercise=exercise, player="Eve")
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, BriefingScreen)
            assert app.session is not None and app.session.player == "Eve"
            second = OffRampApp(MINI, tmp_path, exercise=exercise, player="Eve")
            async with second.run_test(size=(100, 32)) as other:
                await settle(other)
                await other.press("n")
                await other.pause()
                assert isinstance(second.screen, NameScreen)  # Eve plays in the first


class TestTwoTabsUnderOneName:
    """A second window under a name already playing is told the name is in use."""

    def test_a_new_game_not_yet_saved_holds_its_name(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        first, _ = Session.join(exercise, tmp_path, "Ann")
        assert first.path is None  # nothing written yet: no file to guard
        with pytest.raises(GameInUse, match="name 'Ann' is in use"):
            Session.join(exercise, tmp_path, " Ann ")
        other, _ = Session.join(exercise, tmp_path, "Bea")  # another name plays on
        other.close()
        first.close()
        again, _ = Session.join(exercise, tmp_path, "Ann")  # free once the window closes
        again.close()

    def test_plain_mode_refuses_a_name_in_use(self, exercise: Exercise, tmp_path: Path) -> None:
        first, _ = Session.join(exercise, tmp_path, "Ann")
        assert first.save() == ""
        with pytest.raises(GameInUse):
            plain(exercise, tmp_path, "1\n")
        first.close()
        assert "Welcome back, Ann" in plain(exercise, tmp_path, "1\n")

    @async_test
    async def test_the_app_says_so_and_asks_again(self, exercise: Exercise, tmp_path: Path) -> None:
        first, _ = Session.join(exercise, tmp_path, "Eve")  # the other tab
        first.save()
        app = OffRampApp(MINI, tmp_path, exercise=exercise)
        async with app.run_test(size=(100, 32), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("n", "E", "v", "e", "enter")
            await pilot.pause()
            assert isinstance(app.screen, NameScreen)  # asked again
            assert any(n.title == "This name is in use" for n in app._notifications)
            assert app.session is None
            first.close()
            await pilot.press("E", "v", "e", "enter")  # the same name, now free
            await pilot.pause()
            assert app.session is not None and app.session.path == first.path
