"""The hold while the instructor has paused the class: the game waits before its next
choice and goes on where it was when the class resumes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

PAUSED = "Paused by your instructor"


class PausedScreen(ModalScreen[None]):
    """Covers the game while the class is paused; the app dismisses it on resume."""

    CSS_PATH = "dialogs.tcss"

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.resumed = False
        """Set when the class resumed while another screen covered this one."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="paused"):
            yield Static(PAUSED, classes="dialog-title")
            yield Static(
                "Your game waits here and goes on where it was when your instructor "
                "resumes the class. Nothing is lost.",
                classes="dialog-body",
            )

    def on_screen_resume(self) -> None:
        if self.resumed:
            self.dismiss(None)
