"""Asked at the start of a class exercise: the student's name, for the class report."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from game.ui.widgets.footer import Footer


class NameScreen(ModalScreen[str | None]):
    """The student's name (None when cancelled)."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#name"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, exercise_title: str, class_code: str) -> None:
        super().__init__(classes="dialog-screen")
        self.exercise_title = exercise_title
        self.class_code = class_code

    def compose(self) -> ComposeResult:
        with Vertical(id="student-name", classes="dialog"):
            yield Static(Content(self.exercise_title), classes="dialog-title")
            yield Static(
                Content(
                    f"Class {self.class_code}. Type your name as your instructor should see "
                    "it in the class report, then press Enter. If you played before under "
                    "this name, your game continues where you left it."
                ),
                classes="dialog-body",
            )
            yield Input(placeholder="Your name", max_length=60, id="name")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Start  [Enter]"), id="start", variant="primary", compact=True)
                yield Button(Content("Cancel  [Esc]"), id="cancel", compact=True)
        yield Footer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Start with the name typed (a name is needed)."""
        name = self.query_one("#name", Input).value.strip()
        if not name:
            self.notify("Please type your name first.", severity="warning", timeout=4)
            self.query_one("#name", Input).focus()
            return
        self.dismiss(name)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Back to the title."""
        self.dismiss(None)
