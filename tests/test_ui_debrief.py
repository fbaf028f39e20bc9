"""The debrief's keys: it opens with its text focused (PageDown scrolls it), ←/→ move
between tabs as the footer says, and the hidden lens is revealed without covering it."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll

from game.engine import choices, choose, is_over, new_game
from game.session import Session
from game.ui.app import OffRampApp
from game.ui.screens.debrief import DebriefScreen
from game.ui.widgets.prose import Prose

from .helpers import MINI, SHIPPED, scenario_at
from .ui_helpers import async_test, region_text, screen_lines, settle, words

SEED = 3


def finished(app: OffRampApp) -> Session:
    """A game of the app's scenario played to its end with the last option each time,
    under a hidden lens."""
    scenario = app.scenario
    state = new_game(scenario, SEED, None, hidden=True)
    while not is_over(state):
        state, _ = choose(scenario, state, choices(scenario, state)[-1].id)
    return Session(scenario, state, app.saves)


class TestDebriefKeys:
    """Reading the debrief with the keyboard."""

    @async_test
    async def test_opens_focused_pagedown_scrolls_arrows_change_tab(self, tmp_path: Path) -> None:
        app = OffRampApp(MINI, tmp_path, seed=SEED)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.session = finished(app)
            app.show_debrief()
            await settle(pilot)
            assert isinstance(app.screen, DebriefScreen)
            footer = screen_lines(app)[-1]
            assert "←→ Tabs" in footer
            ending = app.screen.query_one("#tab-ending .debrief-pane", VerticalScroll)
            assert app.focused is ending
            await pilot.press("right")
            await settle(pilot)
            timeline = app.screen.query_one("#tab-timeline .debrief-pane", VerticalScroll)
            assert app.focused is timeline
            assert timeline.max_scroll_y > 0
            await pilot.press("pagedown")
            await settle(pilot)
            assert timeline.scroll_y > 0
            await pilot.press("left")
            await settle(pilot)
            assert app.focused is ending

    @async_test
    async def test_hidden_lens_revealed_in_the_status_line_not_over_the_verdicts(
        self, tmp_path: Path
    ) -> None:
        scenario = scenario_at(SHIPPED)
        app = OffRampApp(SHIPPED, tmp_path, scenario=scenario)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            app.session = finished(app)
            app.show_debrief()
            await settle(pilot)
            await pilot.pause(0.2)
            assert isinstance(app.screen, DebriefScreen)
            debrief = app.screen.debrief
            assert debrief is not None and debrief.lens_was_hidden
            lines = screen_lines(app)
            status = " ".join(" ".join(lines[:2]).split())
            assert f"the hidden lens was {debrief.lens_name}" in status
            assert not list(app.screen.query("Toast"))
            shown = "\n".join(lines)
            ending = app.screen.query_one("#debrief-ending", Prose).plain
            assert "What the authors would say" in ending
            assert debrief.verdicts
            source, verdict = debrief.verdicts[0]
            pane = app.screen.query_one("#tab-ending .debrief-pane", VerticalScroll)
            # The first verdict is on screen, uncovered.
            assert f"{source}: {words(verdict)}" in region_text(lines, pane.region), shown
