"""Vote mode in the apps (Pilot): three students' tabs vote on the class game while the
instructor's console shows the tally, takes the class's choice, then overrides it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from game.classroom.exercise import Exercise, load_exercise
from game.classroom.vote import ClassGame, class_game_file
from game.saves import load_save
from game.ui import vote_console, voter
from game.ui.screens.briefing import BriefingScreen
from game.ui.screens.confirm import ConfirmScreen
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.name import NameScreen
from game.ui.vote_console import ConsoleScreen, TallyPanel, VoteConsoleApp
from game.ui.voter import VoterApp, VoteScreen

from .test_vote import exercise_file
from .ui_helpers import async_test, reading, region_text, screen_lines, settle

POLL = 0.05


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Look at the class folder every 50 ms rather than every second."""
    monkeypatch.setattr(voter, "POLL", POLL)
    monkeypatch.setattr(vote_console, "POLL", POLL)


@pytest.fixture
def exercise(tmp_path: Path) -> Exercise:
    return load_exercise(exercise_file(tmp_path))


async def wait_until(pilot: Pilot[Any], condition: Any, what: str) -> None:
    """Pause until ``condition()`` holds (at most 5 s)."""
    for _ in range(100):
        if condition():
            return
        await pilot.pause(POLL)
    raise AssertionError(f"timed out waiting for {what}")


def status(app: Any) -> str:
    return screen_lines(app)[0]


@asynccontextmanager
async def console_at_turn_one(exercise: Exercise, saves: Path) -> AsyncIterator[Pilot[Any]]:
    """The instructor's console, past the title and the briefing."""
    app = VoteConsoleApp(exercise, saves, ClassGame.open(exercise, saves))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)  # read to the class on the projector
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)
        yield pilot
    assert isinstance(app.session, ClassGame)
    app.session.close()


@asynccontextmanager
async def voter_tab(exercise: Exercise, saves: Path, name: str) -> AsyncIterator[Pilot[Any]]:
    """A student's tab, named and on the class game's card."""
    app = VoterApp(exercise, saves)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*name, "enter")
        await pilot.pause()
        yield pilot


async def vote(pilot: Pilot[Any], number: int) -> None:
    await pilot.press(str(number), "enter")
    await pilot.pause()


def tally_text(app: VoteConsoleApp) -> str:
    panel = app.screen.query_one(TallyPanel)
    return f"{panel.border_title} {region_text(screen_lines(app), panel.region)}"


@async_test
async def test_three_voters_a_confirm_and_an_override(exercise: Exercise, tmp_path: Path) -> None:
    async with AsyncExitStack() as stack:
        console = await stack.enter_async_context(console_at_turn_one(exercise, tmp_path))
        tabs = [
            await stack.enter_async_context(voter_tab(exercise, tmp_path, name))
            for name in ("Ann", "Bob", "Cy")
        ]
        for tab in tabs:
            assert isinstance(tab.app.screen, VoteScreen)
            assert "Turn 1 of 6" in status(tab.app) and "Your vote: none yet" in status(tab.app)
        ann, bob, cy = tabs
        await vote(ann, 1)
        await vote(bob, 1)
        await vote(bob, 2)  # changed: Bob's first vote no longer counts
        await vote(cy, 2)
        assert "Your vote: 2 · Wait" in status(bob.app)
        app = console.app
        assert isinstance(app, VoteConsoleApp)
        await wait_until(console, lambda: "Votes: 3" in tally_text(app), "the tally")
        assert "2 · Wait ◀ the class's choice" in tally_text(app)

        await console.press("c")  # the class's choice
        await console.pause()
        assert reading(app) is not None  # what the class's choice did
        await console.press("enter")
        await console.pause()
        for tab in tabs:
            await wait_until(tab, lambda t=tab: "Turn 2 of 6" in status(t.app), "turn 2")
            assert "Your vote: none yet" in status(tab.app)
        assert "Votes: 0 of 3" in tally_text(app)  # three students voted in this game

        await vote(ann, 2)
        await wait_until(console, lambda: "Votes: 1 of 3" in tally_text(app), "a first vote")
        await vote(ann, 1)
        await vote(bob, 1)
        await vote(cy, 2)
        await wait_until(console, lambda: "Votes: 3" in tally_text(app), "the second tally")
        await console.press("2", "enter")  # against the class
        await console.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await console.press("enter")
        await console.pause()
        assert reading(app) is not None  # what the class's choice did

    path = class_game_file(tmp_path, exercise)
    assert path is not None
    record = load_save(path, scenario=exercise.scenario).meta.votes
    assert [(v.turn, v.chosen, v.overridden) for v in record] == [
        (1, "wait", False),
        (2, "keep", True),
    ]
    assert record[0].tally == (("push", 1), ("wait", 2))
    assert record[1].tally == (("close", 2), ("keep", 1))


@async_test
async def test_an_override_can_be_taken_back(exercise: Exercise, tmp_path: Path) -> None:
    async with AsyncExitStack() as stack:
        console = await stack.enter_async_context(console_at_turn_one(exercise, tmp_path))
        tab = await stack.enter_async_context(voter_tab(exercise, tmp_path, "Ann"))
        await vote(tab, 1)
        app = console.app
        assert isinstance(app, VoteConsoleApp)
        await wait_until(console, lambda: "Votes: 1" in tally_text(app), "the vote")
        await console.press("2", "enter")
        await console.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await console.press("escape")  # back: nothing taken
        await console.pause()
        assert isinstance(app.screen, ConsoleScreen)
        assert app.session is not None and app.session.state.turn == 1


@async_test
async def test_a_reopened_tab_shows_its_vote_and_waits_for_the_game(
    exercise: Exercise, tmp_path: Path
) -> None:
    async with voter_tab(exercise, tmp_path, "Ann") as tab:
        assert not isinstance(tab.app.screen, VoteScreen)  # no class game yet: waiting
        await tab.pause(POLL * 4)
        said = [n.title for n in tab.app._notifications]
        assert said.count("Waiting for the class game") == 1  # said once, not each look
        game = ClassGame.open(exercise, tmp_path)
        await wait_until(tab, lambda: isinstance(tab.app.screen, VoteScreen), "the class game")
        await vote(tab, 2)
    async with voter_tab(exercise, tmp_path, "Ann") as tab:
        assert "Your vote: 2 · Wait" in status(tab.app)
        counted = game.tally()
        assert counted is not None and counted.votes == {"Ann": "wait"}
    game.close()


@async_test
async def test_the_tab_shows_the_class_games_debrief(exercise: Exercise, tmp_path: Path) -> None:
    game = ClassGame.open(exercise, tmp_path)
    async with voter_tab(exercise, tmp_path, "Ann") as tab:
        while not game.over:
            decision = game.decision
            assert decision is not None
            item = game.scenario.item(decision.kind, decision.id)
            assert item is not None
            game.choose(item.options[0].id)
            await tab.pause(POLL * 3)
        await wait_until(tab, lambda: isinstance(tab.app.screen, DebriefScreen), "the debrief")
        await wait_until(tab, lambda: tab.app.screen.debrief is not None, "the debrief built")
    game.close()


@async_test
async def test_the_console_plays_the_class_game_to_its_debrief(
    exercise: Exercise, tmp_path: Path
) -> None:
    async with console_at_turn_one(exercise, tmp_path) as console:
        app = console.app
        await console.press("c")  # nobody has voted: nothing is taken
        await console.pause()
        assert isinstance(app.screen, ConsoleScreen) and app.session is not None
        assert app.session.state.turn == 1
        for _ in range(40):
            if isinstance(app.screen, DebriefScreen):
                break
            await console.press(
                *(("1", "enter") if isinstance(app.screen, ConsoleScreen) else ("enter",))
            )
            await console.pause()
        assert isinstance(app.screen, DebriefScreen)
        await wait_until(console, lambda: app.screen.debrief is not None, "the debrief built")
        game = app.session
        assert isinstance(game, ClassGame) and game.over
        record = game.votes
        assert len(record) == len(game.state.log) and not any(v.overridden for v in record)


@async_test
async def test_a_name_votes_in_one_tab_at_a_time(exercise: Exercise, tmp_path: Path) -> None:
    game = ClassGame.open(exercise, tmp_path)
    async with voter_tab(exercise, tmp_path, "Ann") as first:
        assert isinstance(first.app.screen, VoteScreen)
        async with voter_tab(exercise, tmp_path, "Ann") as second:
            assert isinstance(second.app.screen, NameScreen)  # asked again
            said = [n.title for n in second.app._notifications]
            assert "That name is in use" in said
            await second.press(*"Ann B.", "enter")
            await second.pause()
            assert isinstance(second.app.screen, VoteScreen)
            assert "You: Ann B." in status(second.app)
    async with voter_tab(exercise, tmp_path, "Ann") as again:  # the first tab has closed
        assert isinstance(again.app.screen, VoteScreen)
    game.close()
