"""Snapshot tests: the title, turn, event, help and debrief screens at 80×24 and 120×40.

The mini scenario and a fixed seed make every picture deterministic; the saves folder is
a relative path inside a temporary working directory so no random path is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, TabbedContent

from game.engine import choices, choose, is_over, new_game
from game.engine.state import Decision
from game.session import Session
from game.ui.app import OffRampApp

from .helpers import MINI, SHIPPED, scenario_at
from .ui_helpers import settle

SEED = 3
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

SnapCompare = Callable[..., bool]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> OffRampApp:
    """The app on the mini scenario, saving into ./saves of a fresh directory."""
    monkeypatch.chdir(tmp_path)
    return OffRampApp(MINI, Path("saves"), seed=SEED)


async def begin(pilot: Pilot[Any]) -> None:
    """New game with the defaults (hidden lens, seed 3), through the briefing."""
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


class TestTitleSnapshots:
    """The title screen."""

    @pytest.mark.parametrize("size", SIZES)
    def test_title(self, snap_compare: SnapCompare, app: OffRampApp, size: tuple[int, int]) -> None:
        """Title: new game, continue (disabled: no autosave), load, help, quit."""
        assert snap_compare(app, terminal_size=size, run_before=settle)


class TestTurnSnapshots:
    """The turn screen."""

    @pytest.mark.parametrize("size", SIZES)
    def test_turn_one(
        self, snap_compare: SnapCompare, app: OffRampApp, size: tuple[int, int]
    ) -> None:
        """Turn one with option 1 picked: meters, ladder, card, advisors."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await begin(pilot)
            await pilot.press("1")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_turn_two_with_log(
        self, snap_compare: SnapCompare, app: OffRampApp, size: tuple[int, int]
    ) -> None:
        """Turn two after pushing: changes since last turn (▲▼), news and log shown."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await begin(pilot)
            await pilot.press("1", "enter")
            await pilot.pause()
            await pilot.press("enter")  # close the 'escalation up' moment
            await pilot.press("n")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_choice_effects(
        self, snap_compare: SnapCompare, app: OffRampApp, size: tuple[int, int]
    ) -> None:
        """After a confirm: what the choice did first (the hidden lens unnamed), the rest
        of the turn, the new escalation rung crossed, the news."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await begin(pilot)
            await pilot.press("1", "enter")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestFitSnapshots:
    """The shipped scenario's longest card, with four options, on the default terminal."""

    @pytest.mark.parametrize("size", SIZES)
    def test_longest_card(
        self,
        snap_compare: SnapCompare,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        size: tuple[int, int],
    ) -> None:
        """The ceasefire text, option 1 picked: at 80×24 one line a meter, the situation
        and all four options whole, option 1's citations under them; at 120×40 the full
        board."""
        monkeypatch.chdir(tmp_path)
        scenario = scenario_at(SHIPPED)
        app = OffRampApp(SHIPPED, Path("saves"), scenario=scenario)

        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            state = new_game(scenario, SEED, None, hidden=True).copy()
            state.pending = [Decision("card", "ceasefire_deal")]
            app.session = Session(scenario, state, app.saves)
            app.show_game()
            await pilot.pause()
            await pilot.press("1")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestEventSnapshots:
    """An event's own choice."""

    @pytest.mark.parametrize("size", SIZES)
    def test_event(self, snap_compare: SnapCompare, app: OffRampApp, size: tuple[int, int]) -> None:
        """The summit offer, scheduled at turn two, asks its question on the card, marked
        as an event."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            offramp: OffRampApp = pilot.app  # type: ignore[assignment]
            state = new_game(offramp.scenario, SEED, "dovish", schedule={2: ["summit"]})
            offramp.session = Session(offramp.scenario, state, offramp.saves)
            offramp.show_game()
            await pilot.pause()
            await pilot.press("2", "enter")
            await pilot.pause()
            await pilot.press("enter")  # close what the choice did
            await pilot.pause()
            await pilot.press("2")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestHelpSnapshots:
    """The help screen."""

    @pytest.mark.parametrize("size", SIZES)
    def test_help(self, snap_compare: SnapCompare, app: OffRampApp, size: tuple[int, int]) -> None:
        """Help over the turn screen: every key, how a turn works, reading the meters."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await begin(pilot)
            await pilot.press("question_mark")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestDebriefSnapshots:
    """The debrief."""

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("tab", ["ending", "chart", "lens"])
    def test_debrief(
        self, snap_compare: SnapCompare, app: OffRampApp, size: tuple[int, int], tab: str
    ) -> None:
        """A game of 'Wait' under a hidden lens: ending and scores, the meter chart (every
        0–100 meter, decisive moments marked, the other lens beside), lens reveal."""
        assert snap_compare(app, terminal_size=size, run_before=debrief_at(tab))

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("view", ["escalation", "stability"])
    def test_chart_view(
        self, snap_compare: SnapCompare, app: OffRampApp, size: tuple[int, int], view: str
    ) -> None:
        """The chart of one meter: the ladder with its rung names, stability with its band
        thresholds; the other lens's chart beside, on the same axes."""
        assert snap_compare(app, terminal_size=size, run_before=debrief_at("chart", view))


def debrief_at(tab: str, view: str = "") -> Callable[[Pilot[Any]], Any]:
    """Finish a game of 'Wait' (seed 3, hidden lens), open the debrief on ``tab`` and,
    on the chart, choose ``view``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        offramp: OffRampApp = pilot.app  # type: ignore[assignment]
        scenario = offramp.scenario
        state = new_game(scenario, SEED, None, hidden=True)
        while not is_over(state):
            options = [o.id for o in choices(scenario, state)]
            state, _ = choose(scenario, state, "wait" if "wait" in options else options[-1])
        offramp.session = Session(scenario, state, offramp.saves)
        offramp.show_debrief()
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#debrief-tabs", TabbedContent).active = f"tab-{tab}"
        if view:
            chosen = "ladder" if view == "escalation" else view
            screen.query_one("#chart-view", Select).value = chosen
        pilot.app.clear_notifications()
        await settle(pilot)

    return run_before
