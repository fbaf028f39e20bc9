"""A yes-or-no question before something the player may not mean, such as a new game
while another is unfinished."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.ui.widgets.footer import Footer


class ConfirmScreen(ModalScreen[bool]):
    """A question with Go on (Enter or y) and Back (Escape or n); True means go on."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#yes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Go on"),
        Binding("escape,n", "answer(False)", "Back", key_display="Esc"),
    ]

    def __init__(self, title: str, text: str, yes: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.text = text
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Static(Content(self.text), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    Content(f"{self.yes}  [Enter]"), id="yes", variant="primary", compact=True
                )
                yield Button(Content("Back  [Esc]"), id="no", compact=True)
        yield Footer()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
