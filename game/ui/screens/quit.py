"""Asked before quitting a game whose current state is not on disk."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.session import Session
from game.ui.widgets.footer import Footer


class QuitScreen(ModalScreen[bool]):
    """'Your game is not saved': try to save, quit anyway, or stay; True means quit."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#save-quit"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save_quit", "Save and quit"),
        Binding("y", "quit_anyway", "Quit without saving"),
        Binding("escape,n", "stay", "Stay"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(classes="dialog-screen")
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="quit", classes="dialog"):
            yield Static("Quit?", classes="dialog-title")
            yield Static(
                "This turn is not saved (the last save failed). "
                "If you quit now, Continue will resume an earlier turn, or nothing.",
                classes="dialog-body",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    Content("Save and quit  [s]"), id="save-quit", variant="primary", compact=True
                )
                yield Button(
                    Content("Quit anyway  [y]"), id="quit-anyway", variant="error", compact=True
                )
                yield Button(Content("Stay  [Esc]"), id="stay", compact=True)
        yield Footer()

    @on(Button.Pressed, "#save-quit")
    def action_save_quit(self) -> None:
        """Try the autosave once more; quit if it works."""
        error = self.session.save()
        if error:
            self.notify(error, title="Still cannot save", severity="error", timeout=8, markup=False)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#quit-anyway")
    def action_quit_anyway(self) -> None:
        """Quit without saving."""
        self.dismiss(True)

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        """Back to the game."""
        self.dismiss(False)
