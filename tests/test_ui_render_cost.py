"""The key footer, drawn as one line of one widget so that a turn's new keys only repaint
it (benchmarks/bench_ui.py measures the turn's cost): it shows the keys that work now,
and a click on one presses it."""

from __future__ import annotations

from pathlib import Path

from game.ui.app import OffRampApp
from game.ui.screens.help import HelpScreen
from game.ui.widgets.footer import Footer

from .helpers import MINI
from .ui_helpers import async_test, reading, screen_lines, start_game


def footer_descriptions(app: OffRampApp) -> list[str]:
    """What the current screen's footer shows, key by key."""
    return [key.description for key in app.screen.query_one(Footer).keys]


class TestFooter:
    """The footer shows the keys that work now, drawn in one line of one widget."""

    @async_test
    async def test_keys_follow_what_is_shown(self, tmp_path: Path) -> None:
        """The decision's keys, then Continue while what the choice did is shown (and
        not Confirm, which Enter does not do then), then the decision's keys again."""
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            decision = footer_descriptions(app)
            assert {"Pick", "Confirm", "Save", "Why?"} <= set(decision)
            assert "Continue" not in decision
            await pilot.press("1", "enter")
            await pilot.pause()
            assert reading(app) is not None
            shown = footer_descriptions(app)
            assert "Continue" in shown and "Confirm" not in shown
            assert "⏎ Continue" in screen_lines(app)[-1]
            await pilot.press("enter")
            await pilot.pause()
            assert reading(app) is None
            assert footer_descriptions(app) == decision

    @async_test
    async def test_a_click_on_a_key_presses_it(self, tmp_path: Path) -> None:
        """Clicking a key in the footer does what the key does (here: Help)."""
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            line = screen_lines(app)[-1]
            column = line.index("Help")
            await pilot.click(Footer, offset=(column, 0))
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)


class TestPickRepaint:
    """A pick repaints only the lines of the two options it changes (and keeps the rest
    drawn): what the screen shows must still be the pick just made."""

    @async_test
    async def test_the_screen_marks_the_latest_pick_only(self, tmp_path: Path) -> None:
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            before = screen_lines(app)
            for key in ("1", "2", "1", "2"):
                await pilot.press(key)
                await pilot.pause()
                marked = [line for line in screen_lines(app) if "▶" in line]
                assert len(marked) == 1, marked
                assert f"▶{key} " in marked[0]
            # back to no pick on the next card: after the choice, nothing is marked,
            # and the footer reads as it did on the decision
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            after = screen_lines(app)
            assert not any("▶" in line for line in after if "┃" in line)
            assert after[-1] == before[-1]
