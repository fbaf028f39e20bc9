"""The decision fits the default terminal: at 80×24 every card and event of the shipped
scenario shows its title, its situation and every option's full text, with no scrolling
and no key pressed (read from the rendered screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from game.content import Scenario
from game.content.models import Card, Event
from game.engine import new_game
from game.engine.state import Decision, GameState
from game.session import Session
from game.ui.app import OffRampApp
from game.ui.screens.turn import TurnScreen
from game.ui.widgets.card import CardPanel

from .helpers import SHIPPED, scenario_at
from .ui_helpers import async_test, region_text, screen_lines, settle, words

SEED = 3


def pending(scenario: Scenario, item: Card | Event) -> GameState:
    """A new game whose decision owed now is ``item`` (a card, or an event's own choice)."""
    state = new_game(scenario, SEED, None, hidden=True).copy()
    state.pending = [Decision("event" if isinstance(item, Event) else "card", item.id)]
    return state


def decisions(scenario: Scenario) -> list[Card | Event]:
    """Every card, and every event with a choice of its own."""
    return [*scenario.cards, *(e for e in scenario.events if e.options)]


async def show(pilot: Pilot[Any], item: Card | Event) -> None:
    """The turn screen with ``item`` owed (on the card, an event too)."""
    app: OffRampApp = pilot.app  # type: ignore[assignment]
    app.session = Session(app.scenario, pending(app.scenario, item), app.saves)
    app.go_title()
    app.show_game()
    await pilot.pause()
    await pilot.pause()


def assert_shown(text: str, item: Card | Event, where: str) -> None:
    """The item's title, its situation and each option's whole text are in ``text``."""
    assert words(item.title) in text, f"{item.id}: title not in {where}: {text}"
    assert words(item.text) in text, f"{item.id}: situation not in {where}: {text}"
    for number, option in enumerate(item.options, start=1):
        assert f"{number} {words(option.text)}" in text, (
            f"{item.id}: option {number} not whole in {where}: {text}"
        )


class TestEveryDecisionFits:
    """At 80×24, the shipped scenario's cards and events are read whole, without a key."""

    @async_test
    async def test_every_card_and_event_at_80x24(self, tmp_path: Path) -> None:
        scenario = scenario_at(SHIPPED)
        app = OffRampApp(SHIPPED, tmp_path, scenario=scenario)
        items = decisions(scenario)
        assert any(len(i.options) == 4 for i in items)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for item in items:
                await show(pilot, item)
                assert isinstance(app.screen, TurnScreen)
                card = app.screen.query_one(CardPanel)
                assert_shown(region_text(screen_lines(app), card.region), item, "card")
                assert card.max_scroll_y == 0

    @async_test
    async def test_every_option_keeps_its_citations_somewhere_in_sight(
        self, tmp_path: Path
    ) -> None:
        """Picking an option on the longest card shows who argues for it, under the
        options, while every option stays in sight."""
        scenario = scenario_at(SHIPPED)
        item = max(
            decisions(scenario), key=lambda i: len(i.text) + sum(len(o.text) for o in i.options)
        )
        app = OffRampApp(SHIPPED, tmp_path, scenario=scenario)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await show(pilot, item)
            for number, option in enumerate(item.options, start=1):
                await pilot.press(str(number))
                await pilot.pause()
                card = app.screen.query_one(CardPanel)
                text = region_text(screen_lines(app), card.region)
                assert_shown(text, item, "card")
                first = option.citations[0].label()
                assert first in text
                assert f"chooses option {number}" in text


class TestAdvisorsAndNewsOnShortTerminals:
    """At 80×24 the advisors and the news take the card's place while looked at; the
    decision comes back with Escape, the same key again, or a pick."""

    @pytest.mark.parametrize("back", ["escape", "a", "2"])
    @async_test
    async def test_advisors_then_back_to_the_decision(self, tmp_path: Path, back: str) -> None:
        scenario = scenario_at(SHIPPED)
        item = scenario.card["ceasefire_deal"]
        app = OffRampApp(SHIPPED, tmp_path, scenario=scenario)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await show(pilot, item)
            await pilot.press("a")
            await pilot.pause()
            screen = "\n".join(screen_lines(app))
            assert "Advisors" in screen and "Esc: back to the decision" in screen
            assert words(item.options[0].text) not in words(screen)
            await pilot.press(back)
            await pilot.pause()
            card = app.screen.query_one(CardPanel)
            assert_shown(region_text(screen_lines(app), card.region), item, "card")
            assert ("chooses option 2" in "\n".join(screen_lines(app))) == (back == "2")

    @async_test
    async def test_news_and_log(self, tmp_path: Path) -> None:
        scenario = scenario_at(SHIPPED)
        app = OffRampApp(SHIPPED, tmp_path, scenario=scenario)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await show(pilot, scenario.card["ceasefire_deal"])
            await pilot.press("n")
            await pilot.pause()
            screen = "\n".join(screen_lines(app))
            assert "This turn — March 2022" in screen and "Nothing decided yet." in screen

    @async_test
    async def test_tall_terminal_shows_card_and_advisors_together(self, tmp_path: Path) -> None:
        scenario = scenario_at(SHIPPED)
        item = scenario.card["ceasefire_deal"]
        app = OffRampApp(SHIPPED, tmp_path, scenario=scenario)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await show(pilot, item)
            await pilot.press("a")
            await pilot.pause()
            lines = screen_lines(app)
            card = app.screen.query_one(CardPanel)
            assert_shown(region_text(lines, card.region), item, "card")
            assert "Benjamin Denison (000)" in "\n".join(lines)
            assert "Esc: back to the decision" not in "\n".join(lines)


class TestNotificationsHideNothing:
    """A notification on the turn screen never covers the decision card."""

    @pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
    @async_test
    async def test_saved_notice_leaves_the_card_whole(
        self, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        scenario = scenario_at(SHIPPED)
        item = scenario.card["ceasefire_deal"]
        app = OffRampApp(SHIPPED, tmp_path, scenario=scenario)
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            await show(pilot, item)
            await pilot.press("1", "s")
            await pilot.pause(0.2)
            toasts = list(app.screen.query("Toast"))
            assert toasts, "no notification shown"
            card = app.screen.query_one(CardPanel)
            assert all(not toast.region.overlaps(card.region) for toast in toasts)
            lines = screen_lines(app)
            assert "A copy of this turn is kept" in "\n".join(lines)
            assert_shown(region_text(lines, card.region), item, "card")
