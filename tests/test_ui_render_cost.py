"""What a turn must not redo: the key footer is not rebuilt for the same keys, and a
dialog's dimmed board follows the board below it (benchmarks/bench_ui.py measures)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from textual.widgets._footer import FooterKey

from game.ui.app import OffRampApp
from game.ui.screens.dialog import Dialog
from game.ui.screens.turn import TurnScreen
from game.ui.widgets.footer import Footer

from .helpers import MINI
from .ui_helpers import async_test, start_game


def footer_keys(app: OffRampApp) -> list[FooterKey]:
    """The key widgets of the current screen's footer."""
    return list(app.screen.query_one(Footer).query(FooterKey))


class TestFooter:
    """The footer shows each screen's keys and is rebuilt only when they change."""

    @async_test
    async def test_same_keys_are_not_rebuilt(self, tmp_path: Path) -> None:
        """Picking an option and closing a dialog keep the turn screen's key widgets."""
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            keys = footer_keys(app)
            assert any(key.description == "Save" for key in keys)
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, Dialog)
            assert [key.description for key in footer_keys(app)] == ["Continue"]
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, TurnScreen)
            assert footer_keys(app) == keys

    @async_test
    async def test_changed_keys_are_shown(self, tmp_path: Path) -> None:
        """Each screen's footer shows that screen's keys, the turn's after the title's."""
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            described = {key.description for key in footer_keys(app)}
            assert {"Pick", "Confirm", "Save", "Why?"} <= described


class TestDialogBoard:
    """A dialog dims the board as it is now, not as it was when first drawn."""

    @async_test
    async def test_board_below_a_dialog_is_the_new_board(self, tmp_path: Path) -> None:
        """After a choice opens an alert, the board shown dimmed below it is the next
        turn's."""
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, Dialog)
            assert "Turn&#160;2&#160;of" in app.export_screenshot()

    @async_test
    async def test_a_change_below_a_dialog_shows(self, tmp_path: Path) -> None:
        """What changes on the board while a dialog is open shows through it at once."""
        app = OffRampApp(MINI, tmp_path, seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await start_game(pilot)
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, Dialog)
            board = app.screen_stack[-2]
            board.query_one("#status", Static).update("Changed below the dialog")
            await pilot.pause()
            assert "Changed&#160;below&#160;the&#160;dialog" in app.export_screenshot()
