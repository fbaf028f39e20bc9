"""Modals that must not be missed: an event's own choice, and important moments."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from game.content.models import Card, Event
from game.content.scenario import Scenario
from game.session import Alert
from game.ui.screens.dialog import Dialog
from game.ui.text import linked, pick_keys
from game.ui.widgets.card import PICK_BINDINGS, OptionsBox
from game.ui.widgets.footer import Footer
from game.ui.widgets.prose import Doc, Prose


class EventScreen(Dialog[str | None]):
    """News that demands an answer: the event, its options; returns the chosen option id."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#event-options"
    BINDINGS: ClassVar[list[BindingType]] = [
        *PICK_BINDINGS,
        Binding("escape", "board", "Look at the board", tooltip="Close; answer on the card"),
    ]

    def __init__(self, scenario: Scenario, item: Card | Event) -> None:
        super().__init__(classes="dialog-screen")
        self.scenario = scenario
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(id="event", classes="dialog"):
            yield Static(
                Content.assemble(("‼ EVENT — your decision: ", "bold"), (self.item.title, "bold")),
                classes="dialog-title",
            )
            with VerticalScroll(classes="dialog-body"):
                yield Static(linked(self.scenario.glossary, self.item.text), id="event-text")
                yield OptionsBox(id="event-options")
                yield Static(
                    Content.styled(
                        f"Pick with {pick_keys(len(self.item.options))} or a click, confirm "
                        "with Enter. Escape looks at the board first (the choice stays on "
                        "the card).",
                        "italic",
                    ),
                    id="event-hint",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    Content("Confirm  [Enter]"), id="confirm", variant="primary", compact=True
                )
                yield Button(Content("Look at the board  [Esc]"), id="board", compact=True)
        yield Footer()

    @property
    def option_count(self) -> int:
        """How many options the player picks among (the footer's pick keys say so)."""
        return len(self.item.options)

    def on_mount(self) -> None:
        self.query_one(OptionsBox).set_options(self.item.options)

    def action_pick(self, number: int) -> None:
        """Pick option ``number`` (1-based)."""
        box = self.query_one(OptionsBox)
        if box.pick(number - 1):
            box.focus()

    def action_confirm(self) -> None:
        """Choose the picked option."""
        self.query_one(OptionsBox).confirm()

    def action_board(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#board")
    def _board(self) -> None:
        self.action_board()

    @on(OptionsBox.NothingPicked)
    def _nothing(self) -> None:
        self.notify("Pick an option first.", severity="warning", timeout=3, markup=False)

    @on(OptionsBox.Chosen)
    def _chosen(self, message: OptionsBox.Chosen) -> None:
        message.stop()
        self.dismiss(message.option.id)


def alerts_doc(alerts: tuple[Alert, ...]) -> Doc:
    """The alerts, each a headline and what it means."""
    doc = Doc()
    for alert in alerts:
        doc.blank().add((alert.title, "bold"))
        for line in alert.text.splitlines():
            doc.add(line, prefix="  ")
    return doc


class AlertScreen(Dialog[None]):
    """What must not be missed: a new escalation rung, a band crossed, important news."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Continue", key_display="⏎"),
        Binding("escape", "close", "Continue", show=False),
    ]

    def __init__(self, alerts: tuple[Alert, ...]) -> None:
        super().__init__(classes="dialog-screen")
        self.alerts = alerts

    def compose(self) -> ComposeResult:
        with Vertical(id="moment", classes="dialog"):
            yield Static("‼ IMPORTANT", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Prose(id="moments-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Continue  [Enter]"), id="ok", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#moments-text", Prose).update(alerts_doc(self.alerts))

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        """Back to the board."""
        self.dismiss(None)
