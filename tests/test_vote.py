"""Whole-class vote mode: the ballot box, the tally, the class game's record of votes in
its save, and the class report's section."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.classroom.exercise import Exercise, load_exercise
from game.classroom.report import (
    build_class_report,
    class_report_html,
    class_report_markdown,
    class_report_text,
)
from game.classroom.vote import (
    CLASS_PLAYER,
    Ballot,
    ClassGame,
    Decision,
    FileWatch,
    ballot_box,
    cast_vote,
    class_game_file,
    class_vote_rows,
    read_ballots,
    tally,
)
from game.saves import TurnVotes, dumps_save, load_save, read_save_document

from .helpers import MINI, ROOT

V1 = ROOT / "tests" / "fixtures" / "saves_v1"


def exercise_file(tmp_path: Path) -> Path:
    path = tmp_path / "exercise.toml"
    path.write_text(
        f'[exercise]\ntitle = "Seminar"\nscenario = "{MINI.as_posix()}"\nseed = 11\n'
        'class_code = "c1"\nturn_limit = 6\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def exercise(tmp_path: Path) -> Exercise:
    return load_exercise(exercise_file(tmp_path))


def options(game: ClassGame) -> list[str]:
    decision = game.decision
    assert decision is not None
    item = game.scenario.item(decision.kind, decision.id)
    assert item is not None
    return [o.id for o in item.options]


def vote(game: ClassGame, voter: str, option: str) -> None:
    assert game.path is not None and game.decision is not None
    cast_vote(game.path, voter, game.decision, option)


class TestBallotBox:
    def test_a_changed_vote_replaces_the_first(self, tmp_path: Path) -> None:
        game = tmp_path / "class-game.toml"
        d = Decision(1, "card", "pressure")
        cast_vote(game, "Ann", d, "push")
        cast_vote(game, "Bob", d, "wait")
        cast_vote(game, "Ann", d, "wait")
        counted = tally(read_ballots(game), d, ["push", "wait"])
        assert counted.counts == (("push", 0), ("wait", 2))
        assert counted.top == "wait" and counted.total == 2
        assert counted.voters_for("wait") == ["Ann", "Bob"]

    def test_votes_on_other_decisions_do_not_count(self, tmp_path: Path) -> None:
        game = tmp_path / "class-game.toml"
        cast_vote(game, "Ann", Decision(1, "card", "pressure"), "push")
        cast_vote(game, "Bob", Decision(2, "card", "pressure"), "wait")
        counted = tally(read_ballots(game), Decision(2, "card", "pressure"), ["push", "wait"])
        assert counted.votes == {"Bob": "wait"}

    def test_a_line_being_written_or_not_a_vote_is_skipped(self, tmp_path: Path) -> None:
        game = tmp_path / "class-game.toml"
        cast_vote(game, "Ann", Decision(1, "card", "pressure"), "push")
        with ballot_box(game).open("a", encoding="utf-8") as box:
            box.write('not json\n["a list"]\n{"voter": "Eve", "turn": "1"}\n{"voter": "Bob"')
        assert [b.voter for b in read_ballots(game)] == ["Ann"]

    def test_a_tie_goes_to_the_first_option_and_nobody_voting_has_no_top(self) -> None:
        d = Decision(1, "card", "c")
        tied = [Ballot("a", d, "y"), Ballot("b", d, "x")]
        assert tally(tied, d, ["x", "y"]).top == "x"
        assert tally([], d, ["x", "y"]).top is None
        assert not tally([], d, ["x", "y"]).overrides("y")
        assert tally(tied, d, ["x", "y", "z"]).overrides("z")
        assert not tally(tied, d, ["x", "y", "z"]).overrides("y")

    @given(
        st.lists(
            st.tuples(st.sampled_from(["ann", "bob", "cy", "dee"]), st.sampled_from("xyz")),
            max_size=30,
        )
    )
    def test_the_tally_counts_each_voters_last_vote(self, cast: list[tuple[str, str]]) -> None:
        d = Decision(3, "event", "storm")
        counted = tally([Ballot(v, d, o) for v, o in cast], d, ["x", "y", "z"])
        last = dict(cast)
        assert counted.votes == last
        assert sum(n for _, n in counted.counts) == len(last)
        if last:
            top = counted.top
            assert top is not None
            assert all(n <= dict(counted.counts)[top] for _, n in counted.counts)

    def test_file_watch_sees_a_new_vote(self, tmp_path: Path) -> None:
        game = tmp_path / "class-game.toml"
        watch = FileWatch(ballot_box(game))
        assert not watch.changed()  # no box yet, as at the last look
        cast_vote(game, "Ann", Decision(1, "card", "pressure"), "push")
        assert watch.changed()
        assert not watch.changed()


class TestClassGame:
    def test_record_in_the_save_and_exact_replay(self, exercise: Exercise, tmp_path: Path) -> None:
        game = ClassGame.open(exercise, tmp_path)
        assert game.path == tmp_path / "c1" / "class-game.toml"
        first, second = options(game)[:2]
        for voter, option in (("Ann", first), ("Bob", second), ("Cy", second)):
            vote(game, voter, option)
        game.choose(second)  # the class's choice
        third, fourth = options(game)[:2]
        vote(game, "Ann", third)
        vote(game, "Bob", fourth)
        vote(game, "Cy", third)
        game.choose(fourth)  # against the class: noted
        game.close()

        loaded = load_save(game.path, scenario=exercise.scenario)
        assert loaded.meta.player == CLASS_PLAYER
        assert [(v.turn, v.chosen, v.overridden) for v in loaded.meta.votes] == [
            (1, second, False),
            (2, fourth, True),
        ]
        assert loaded.meta.votes[0].tally == ((first, 1), (second, 2))
        assert loaded.meta.votes[1].tally == ((third, 2), (fourth, 1))
        assert [e.option for e in loaded.state.log] == [second, fourth]
        # replayed exactly: the same document, byte for byte, and the votes kept
        assert dumps_save(loaded.scenario, loaded.state, loaded.meta) == game.path.read_text(
            encoding="utf-8"
        )
        again = ClassGame.open(exercise, tmp_path)
        assert again.path == game.path and again.votes == list(loaded.meta.votes)
        meters = tuple(m.id for m in exercise.scenario.meters)
        assert again.state.to_dict(meters) == loaded.state.to_dict(meters)
        again.close()

    def test_a_follower_reads_the_class_game_without_holding_it(
        self, exercise: Exercise, tmp_path: Path
    ) -> None:
        game = ClassGame.open(exercise, tmp_path)
        game.choose(options(game)[0])
        path = class_game_file(tmp_path, exercise)
        assert path == game.path
        follower = ClassGame.follow(load_save(path, scenario=exercise.scenario))
        assert follower.state.turn == game.state.turn == 2
        assert [i.option for i in follower.log] == [i.option for i in game.log]
        assert follower.votes[0].tally == ()
        assert not follower.votes[0].overridden  # nobody voted: nothing overridden
        game.close()

    def test_an_old_save_loads_unchanged(self) -> None:
        save = V1 / "mini-seed5.toml"  # made before vote mode, by format 1
        loaded = load_save(save, scenario_dir=MINI)
        assert loaded.meta.votes == () and read_save_document(save).votes == []
        assert "votes" not in dumps_save(loaded.scenario, loaded.state, loaded.meta)

    def test_a_students_save_has_no_votes_table(self, exercise: Exercise, tmp_path: Path) -> None:
        from game.session import Session

        student, _ = Session.join(exercise, tmp_path, "Ann")
        assert student.save() == ""
        assert student.path is not None
        assert "votes" not in student.path.read_text(encoding="utf-8")
        assert load_save(student.path, scenario=exercise.scenario).meta.votes == ()
        student.close()


def test_the_report_shows_the_votes_against_the_lens(exercise: Exercise, tmp_path: Path) -> None:
    game = ClassGame.open(exercise, tmp_path)
    while not game.over:
        choice = options(game)[0]
        vote(game, "Ann", choice)
        vote(game, "Bob", options(game)[-1])
        game.choose(options(game)[-1])
    game.close()
    assert game.path is not None
    rows = class_vote_rows([load_save(game.path, scenario=exercise.scenario)])
    assert len(rows) == len(game.votes) >= 1
    assert not any(r.overridden for r in rows)  # a tie: either is the class's choice
    assert not rows[0].lens_hidden  # the game is over: the lens is told
    report = build_class_report(game.path.parent, exercise, baseline_runs=0)
    text = class_report_text(report)
    assert "HOW THE CLASS VOTED" in text
    assert f"{rows[0].chosen}" in text
    assert f"The class voted on {len(rows)} decision" in text
    assert "the instructor took every vote's choice" in text
    assert "How the class voted" in class_report_markdown(report)
    assert "<h2>How the class voted</h2>" in class_report_html(report)


class TestCommands:
    def test_serve_vote_runs_the_voter_in_each_tab(self, tmp_path: Path) -> None:
        from game.classroom.serve import console_argv, play_argv, prepare

        from .test_serve_e2e import free_port

        path = exercise_file(tmp_path)
        config = prepare(saves="saves", exercise=path, port=free_port(), vote=True)
        argv = play_argv(config)
        assert argv[3:6] == ["vote", "--saves", str(config.saves)]
        assert argv[-2:] == ["--exercise", str(path.resolve())]
        assert console_argv(config)[3] == "console" and console_argv(config)[-1] == "--vote"
        assert play_argv(prepare(saves="s", exercise=path, port=free_port()))[3] == "play"

    def test_serve_vote_needs_an_exercise(self, capsys: pytest.CaptureFixture[str]) -> None:
        from game.cli import main

        assert main(["serve", "--vote", "--scenario", str(MINI)]) == 2
        assert "--vote: a class vote plays an exercise" in capsys.readouterr().err

    def test_a_second_console_is_refused(
        self, exercise: Exercise, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from game.cli import main

        game = ClassGame.open(exercise, tmp_path)
        args = ["console", "--vote", "--exercise", str(exercise.path), "--saves", str(tmp_path)]
        assert main(args) == 2
        assert "open in another window or tab" in capsys.readouterr().err
        game.close()


def test_the_reports_section_says_each_override() -> None:
    from game.classroom.vote import VoteRow, vote_lines

    rows = [
        VoteRow(1, "Talks", (("Keep talking", 3),), "Close talks", True, (), True),
        VoteRow(2, "Event: Storm", (), "Shelter", False, ("Dovish, rule calm",), False),
    ]
    lines = vote_lines(rows)
    assert lines[0] == "The class voted on 2 decisions; the instructor overrode the vote once."
    assert "     taken: Close talks (overridden by the instructor)" in lines
    assert "     the lens: hidden until the game ends" in lines
    assert "     voted: no votes" in lines and "     the lens: Dovish, rule calm" in lines


_ids = st.text("abcdefgh_", min_size=1, max_size=8)


@given(
    st.lists(
        st.builds(
            TurnVotes,
            turn=st.integers(1, 40),
            kind=st.sampled_from(["card", "event"]),
            id=_ids,
            chosen=_ids,
            tally=st.dictionaries(_ids, st.integers(1, 60), max_size=4).map(
                lambda d: tuple(d.items())
            ),
            overridden=st.booleans(),
        ),
        max_size=6,
    )
)
def test_any_record_of_votes_reads_back_as_written(votes: list[TurnVotes]) -> None:
    import tempfile

    from game.engine import new_game
    from game.saves import SaveMeta, write_save

    from .helpers import scenario_at

    mini = scenario_at(MINI)
    state = new_game(mini, 3, None)
    meta = SaveMeta(kind="autosave", player=CLASS_PLAYER, votes=tuple(votes))
    with tempfile.TemporaryDirectory() as folder:
        path = write_save(Path(folder) / "class-game.toml", mini, state, meta)
        loaded = load_save(path, scenario=mini)
    assert loaded.meta == meta
    assert loaded.state.to_dict(tuple(m.id for m in mini.meters)) == state.to_dict(
        tuple(m.id for m in mini.meters)
    )
