"""Where games live: every game has a file of its own, no game's file is written by
another game or another window, names of every script are kept apart, and nothing read
from a save file is trusted."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.classroom.exercise import Exercise, load_exercise
from game.classroom.roster import file_stem, player_name
from game.cli import main
from game.content import load_scenario
from game.engine import Setup, choices
from game.saves import GameInUse, SaveError, latest_unfinished, load_save, read_save_document
from game.session import Session

MINI = Path(__file__).parent / "fixtures" / "mini"
NAMES = ["Дмитрий", "王伟", "محمد", "Ольга", "..", "!!!", "Ann", "ann", "a/b", "a_b", "Zoë"]


def exercise_at(tmp_path: Path) -> Exercise:
    path = tmp_path / "exercise.toml"
    path.write_text(
        f'[exercise]\ntitle = "Seminar"\nscenario = "{MINI.as_posix()}"\nseed = 11\n'
        'class_code = "c1"\nturn_limit = 6\n',
        encoding="utf-8",
    )
    return load_exercise(path)


def play(session: Session, turns: int) -> None:
    for _ in range(turns):
        if session.over:
            return
        result = session.choose(choices(session.scenario, session.state)[-1].id)
        assert result.save_error == ""


def plain(saves: Path, *extra: str) -> int:
    """`offramp play --plain` on the mini scenario, reading the (patched) stdin."""
    return main(["play", "--plain", "--scenario", str(MINI), "--saves", str(saves), *extra])


class TestOwnFile:
    """Starting a game never writes another game's file."""

    def test_new_game_beside_an_unfinished_one(self, tmp_path: Path) -> None:
        scenario = load_scenario(MINI)
        first = Session.start(scenario, tmp_path, Setup(seed=3))
        play(first, 3)
        assert first.path is not None
        before = first.path.read_bytes()
        first.close()
        second = Session.start(scenario, tmp_path, Setup(seed=3))  # the same seed, even
        assert second.save() == ""
        assert second.path != first.path
        assert first.path.read_bytes() == before
        assert load_save(first.path, scenario=scenario).state.log == first.state.log
        second.close()
        assert latest_unfinished(tmp_path) == second.path

    def test_a_file_that_does_not_load_is_left_as_it_is(self, tmp_path: Path) -> None:
        scenario = load_scenario(MINI)
        broken = tmp_path / "mini-seed3.toml"
        broken.write_bytes(b"not a save at all\n")
        session = Session.start(scenario, tmp_path, Setup(seed=3))
        assert session.save() == ""
        assert broken.read_bytes() == b"not a save at all\n"
        assert session.path == tmp_path / "mini-seed3-2.toml"

    def test_plain_mode_with_no_input_keeps_the_game_in_play(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        scenario = load_scenario(MINI)
        game = Session.start(scenario, tmp_path, Setup(seed=5))
        play(game, 4)
        game.close()
        assert game.path is not None
        before = game.path.read_bytes()
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        assert plain(tmp_path) == 0
        assert game.path.read_bytes() == before
        assert len(list(tmp_path.glob("*.toml"))) == 2

    def test_plain_continue_goes_on_with_the_latest_game(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("2\n2\n"))
        assert plain(tmp_path, "--seed", "4") == 0
        (path,) = tmp_path.glob("*.toml")
        turn = load_save(path, scenario_dir=MINI).state.turn
        monkeypatch.setattr("sys.stdin", io.StringIO("2\n"))
        assert plain(tmp_path, "--continue") == 0
        assert list(tmp_path.glob("*.toml")) == [path]
        assert load_save(path, scenario_dir=MINI).state.turn == turn + 1

    def test_a_game_is_played_in_one_window_only(self, tmp_path: Path) -> None:
        scenario = load_scenario(MINI)
        game = Session.start(scenario, tmp_path, Setup(seed=5))
        play(game, 1)
        assert game.path is not None
        with pytest.raises(GameInUse, match="open in another window"):
            Session.resume(load_save(game.path, scenario=scenario), tmp_path)
        assert latest_unfinished(tmp_path) is None  # Continue passes over it
        game.close()
        assert latest_unfinished(tmp_path) == game.path
        again = Session.resume(load_save(game.path, scenario=scenario), tmp_path)
        assert again.path == game.path
        again.close()

    def test_a_kept_copy_is_never_written_again(self, tmp_path: Path) -> None:
        scenario = load_scenario(MINI)
        game = Session.start(scenario, tmp_path, Setup(seed=5))
        play(game, 1)
        copy = game.keep_copy()
        before = copy.read_bytes()
        game.close()
        resumed = Session.resume(load_save(copy, scenario=scenario), tmp_path)
        play(resumed, 1)
        assert copy.read_bytes() == before
        assert resumed.path not in (copy, game.path)
        resumed.close()


class TestNotSaved:
    """A game that could not be saved says so, and the command fails."""

    def test_plain_mode_exits_non_zero(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        blocker = tmp_path / "a-file"
        blocker.write_text("x", encoding="utf-8")
        monkeypatch.setattr("sys.stdin", io.StringIO("1\n"))
        assert plain(blocker) == 1
        out = capsys.readouterr().out
        assert "could NOT be saved" in out and "Saved in" not in out


class TestNames:
    """Students' names in every script: kept, kept apart, never a path."""

    def test_each_name_its_own_game(self, tmp_path: Path) -> None:
        exercise = exercise_at(tmp_path)
        paths = {}
        for n, name in enumerate(NAMES):
            session, resumed = Session.join(exercise, tmp_path, name)
            assert not resumed
            play(session, 1 + n % 2)
            paths[name] = session.path
            session.close()
        assert len(set(paths.values())) == len(NAMES)
        for name, path in paths.items():
            assert path is not None and path.parent == tmp_path / "c1"
            session, resumed = Session.join(exercise, tmp_path, name)
            assert resumed and session.path == path and session.player == player_name(name)
            session.close()
        assert (tmp_path / "c1" / "Дмитрий.toml").is_file()

    def test_the_same_name_twice_is_refused_while_open(self, tmp_path: Path) -> None:
        exercise = exercise_at(tmp_path)
        first, _ = Session.join(exercise, tmp_path, "Ann")
        play(first, 1)
        with pytest.raises(GameInUse):
            Session.join(exercise, tmp_path, "Ann")
        first.close()

    @settings(max_examples=60, deadline=None)
    @given(st.text(min_size=1, max_size=30))
    def test_stems_are_safe(self, name: str) -> None:
        stem = file_stem(name)
        assert stem and stem.isprintable() and "/" not in stem and "\\" not in stem
        assert not stem.startswith(".") and len(stem) <= 48

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=4, unique=True))
    def test_distinct_names_never_share_a_file(self, tmp_path: Path, names: list[str]) -> None:
        folder = tmp_path / f"run{time.monotonic_ns()}"
        exercise = exercise_at(tmp_path)
        files: dict[str, Path] = {}
        for name in names:
            session, resumed = Session.join(exercise, folder, name)
            if resumed:  # the same person: names equal once canonical
                assert files[player_name(name)] == session.path
            else:
                assert session.save() == ""
                assert session.path is not None
                files[session.player] = session.path
            session.close()
        assert len(set(files.values())) == len(files)


class TestTwoPlayers:
    """Any order of new game, play, quit and continue, for two students: no choice that
    was reported saved is lost, and no game takes another's moves."""

    @settings(
        max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        st.lists(
            st.tuples(st.sampled_from(["Ann", "王伟"]), st.sampled_from(["join", "play", "quit"])),
            max_size=14,
        )
    )
    def test_no_saved_choice_is_lost(self, tmp_path: Path, actions: list[tuple[str, str]]) -> None:
        folder = tmp_path / f"run{time.monotonic_ns()}"
        exercise = exercise_at(tmp_path)
        open_: dict[str, Session] = {}
        saved: dict[str, tuple[Path, int]] = {}  # what each student was told is saved
        for who, action in actions:
            if action == "join" and who not in open_:
                session, resumed = Session.join(exercise, folder, who)
                if who in saved and resumed:
                    path, length = saved[who]
                    assert session.path == path and len(session.state.log) == length
                open_[who] = session
            elif action == "play" and who in open_:
                session = open_[who]
                play(session, 1)
                if session.on_disk and session.path is not None:
                    saved[who] = (session.path, len(session.state.log))
            elif action == "quit" and who in open_:
                open_.pop(who).close()
        for session in open_.values():
            session.close()
        for who, (path, length) in saved.items():
            loaded = load_save(path, scenario=exercise.scenario)
            assert loaded.meta.player == who
            assert len(loaded.state.log) >= length


class TestUntrustedFiles:
    """A save names its scenario; it never points the game at a path or a device."""

    def write_game(self, tmp_path: Path) -> Path:
        session = Session.start(load_scenario(MINI), tmp_path, Setup(seed=2))
        play(session, 1)
        session.close()
        assert session.path is not None
        return session.path

    def test_a_scenario_that_is_a_path_is_refused_at_once(self, tmp_path: Path) -> None:
        path = self.write_game(tmp_path)
        text = path.read_text(encoding="utf-8").replace('scenario = "mini"', 'scenario = "/"')
        path.write_text(text, encoding="utf-8")
        begun = time.monotonic()
        with pytest.raises(SaveError, match="not one of the scenarios"):
            load_save(path)
        assert time.monotonic() - begun < 2

    def test_a_fifo_is_not_read(self, tmp_path: Path) -> None:
        fifo = tmp_path / "game.toml"
        os.mkfifo(fifo)
        with pytest.raises(SaveError, match="not a regular file"):
            read_save_document(fifo)

    def test_a_link_to_a_device_is_not_read(self, tmp_path: Path) -> None:
        link = tmp_path / "game.toml"
        link.symlink_to("/dev/zero")
        with pytest.raises(SaveError, match="symbolic link"):
            read_save_document(link)
        assert latest_unfinished(tmp_path) is None


def test_plain_says_an_unfinished_game_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new plain game beside an unfinished one names it and how to resume it."""
    monkeypatch.setattr("sys.stdin", io.StringIO("2\n"))
    assert plain(tmp_path, "--seed", "4") == 0
    (first,) = tmp_path.glob("*.toml")
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert plain(tmp_path, "--seed", "4") == 0
    out = capsys.readouterr().out
    assert f"Your unfinished game in {first} stays saved" in out and "--continue" in out
