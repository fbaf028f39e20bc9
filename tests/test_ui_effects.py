"""After each confirm, one view says what the choice did — its own effects first, then
what it set for later, the rest of the turn and the news — and closes with one key."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import new_game
from game.session import Session
from game.ui.app import OffRampApp
from game.ui.screens.turn import TurnScreen
from game.ui.widgets.card import CardPanel
from game.ui.widgets.effects import EffectsPanel
from game.ui.widgets.prose import Prose

from .helpers import MINI, SHIPPED
from .ui_helpers import async_test, reading, screen_lines, settle

SEED = 3


def thumb_rows(panel: EffectsPanel) -> list[int]:
    """The rows where the panel's scrollbar draws its thumb (its last column, in the
    scrollbar colour)."""
    thumb = panel.styles.scrollbar_color.rich_color
    rows = []
    for y in range(panel.size.height):
        segments = list(panel.render_line(y))
        style = segments[-1].style if segments else None
        if style is not None and style.bgcolor == thumb:
            rows.append(y)
    assert rows, "no scrollbar drawn"
    return rows


class TestChoiceEffectsView:
    """The view after a confirm, read from the rendered screen."""

    @pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
    @pytest.mark.parametrize("key", ["enter", "escape"])
    @async_test
    async def test_own_effects_first_then_news_one_key_closes(
        self, tmp_path: Path, key: str, size: tuple[int, int]
    ) -> None:
        app = OffRampApp(MINI, tmp_path, seed=SEED)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            scenario = app.scenario
            state = new_game(scenario, SEED, "hawkish", schedule={2: ["summit"]})
            app.session = Session(scenario, state, tmp_path)
            app.show_game()
            await pilot.pause()
            await pilot.press("1", "enter")
            await pilot.pause()
            panel = reading(app)
            assert panel is not None
            screen = "\n".join(screen_lines(app))
            order = [
                "WHAT YOUR CHOICE DID — Pressure",
                "Push hard",
                "What your choice did",
                "Stability 50 → 35 (−15) [scaled by lens Hawkish] — Pressure bites",
                "The lens's rules that acted on it",
                "Hawkish, rule pressure_pays (a ¶4)",
            ]
            places = [screen.find(text) for text in order]
            assert -1 not in places, screen
            assert places == sorted(places)
            full = panel.plain
            assert full.index("What your choice did") < full.index("News — December 2022")
            assert "Summit offer" in full[full.index("News — December 2022") :]
            await pilot.press(key)
            await pilot.pause()
            assert reading(app) is None
            turn = app.screen
            assert isinstance(turn, TurnScreen)
            card = turn.query_one(CardPanel)  # then the summit's own choice, on the card
            assert "Summit offer" in str(card.border_title) and card.has_class("-event")
            assert "Summit offer" in "\n".join(screen_lines(app))
            await pilot.press("n")  # the same in the log
            await pilot.pause()
            log = turn.query_one("#news-body", Prose).plain
            assert "Stability 50 → 35 (−15) [Push hard, scaled by lens Hawkish]" in log
            assert "lens rule: Hawkish, rule pressure_pays (a ¶4)" in log

    @async_test
    async def test_what_does_not_fit_scrolls_into_sight(self, tmp_path: Path) -> None:
        """At 80x24 what a choice on the shipped scenario did is taller than the panel:
        PgDn and End bring the rest, the news at the end, into sight; Home goes back."""
        app = OffRampApp(SHIPPED, tmp_path, seed=5)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            scenario = app.scenario
            app.session = Session(scenario, new_game(scenario, 5, None, hidden=True), tmp_path)
            app.show_game()
            await pilot.pause()
            while reading(app) is not None:  # the opening's alerts, if any
                await pilot.press("enter")
                await pilot.pause()
            await pilot.press("1", "enter")
            await pilot.pause()
            panel = reading(app)
            assert panel is not None
            last = " ".join(panel.plain.split()[-3:])  # the end of the last news item
            first = "You chose"
            screen = "\n".join(screen_lines(app))
            assert first in screen and last not in screen  # taller than the panel
            rows = thumb_rows(panel)
            assert rows == list(range(len(rows))) and len(rows) < panel.size.height  # at the top
            await pilot.press("pagedown")
            await pilot.pause()
            assert first not in "\n".join(screen_lines(app))
            await pilot.press("end")
            await pilot.pause()
            assert last in "\n".join(screen_lines(app))
            assert thumb_rows(panel)[-1] == panel.size.height - 1  # and at the bottom
            await pilot.press("home")
            await pilot.pause()
            assert first in "\n".join(screen_lines(app))

    @async_test
    async def test_a_hidden_lens_stays_hidden(self, tmp_path: Path) -> None:
        app = OffRampApp(MINI, tmp_path, seed=SEED)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            scenario = app.scenario
            app.session = Session(
                scenario, new_game(scenario, SEED, "hawkish", hidden=True), tmp_path
            )
            app.show_game()
            await pilot.pause()
            await pilot.press("1", "enter")
            await pilot.pause()
            panel = reading(app)
            assert panel is not None
            full = panel.plain
            assert "amplified or damped by the hidden lens" in full
            assert "Hawkish" not in full and "lens's rules" not in full
            await pilot.press("enter")
            await pilot.pause()
            assert reading(app) is None
