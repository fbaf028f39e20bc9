"""What your choice did: shown after each confirm, the choice's own effects first.

Read from the session's :class:`~game.timeline.ChoiceEffects` (which keeps unsaid what
the player may not see): the changes the choice made, the lens rules that acted on it
(not while the lens is hidden), the delayed effects it set, the rest of the turn, the
thresholds crossed, then the news.  Enter or Escape closes it; the log keeps the same.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from game.session import Alert
from game.timeline import ChoiceEffects
from game.ui.screens.dialog import Dialog
from game.ui.widgets.footer import Footer
from game.ui.widgets.prose import Doc, Prose


def effects_doc(effects: ChoiceEffects, alerts: tuple[Alert, ...], date: str) -> Doc:
    """The choice, what it did, what it set for later, the rest of the turn, the news."""
    doc = Doc().add(("You chose", "bold underline")).add(effects.option, prefix="  ")
    if effects.argued:
        doc.add((effects.argued, "italic dim"), prefix="  ")
    doc.blank().add(("What your choice did", "bold underline"))
    for line in effects.changes:
        doc.add(line, prefix="  • ")
    if not effects.changes:
        doc.add(("Nothing changed at once.", "italic"), prefix="  ")
    if effects.rules:
        doc.blank().add(("The lens's rules that acted on it", "bold underline"))
        for line in effects.rules:
            doc.add(line, prefix="  • ")
    if effects.scheduled:
        doc.blank().add(("Set for later", "bold underline"))
        for line in effects.scheduled:
            doc.add(line, prefix="  • ")
    if effects.then or effects.notes:
        doc.blank().add(("Also this turn", "bold underline"))
        for line in effects.then:
            doc.add(line, prefix="  • ")
        for note in effects.notes:
            doc.add((f"({note})", "italic dim"), prefix="  ")
    crossed = [a for a in alerts if a.kind != "event"]
    if crossed:
        doc.blank().add(("Thresholds crossed", "bold underline"))
        for alert in crossed:
            doc.add((alert.title, "bold"), prefix="  ")
            for line in alert.text.splitlines():
                doc.add(line, prefix="    ")
    doc.blank().add((f"News — {date}", "bold underline"))
    for title, text, important in effects.news:
        doc.add((title, "bold"), prefix="  ‼ " if important else "  • ")
        doc.add(text, prefix="    ")
    if not effects.news:
        doc.add(("No news.", "italic"), prefix="  ")
    return doc


class EffectsScreen(Dialog[None]):
    """What the choice just made did; Enter or Escape goes back to the board."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#effects-body"  # arrows and PageDown scroll a long turn
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Continue", key_display="⏎"),
        Binding("escape", "close", "Continue", show=False),
    ]

    def __init__(self, effects: ChoiceEffects, alerts: tuple[Alert, ...], date: str) -> None:
        """``date``: the date of the turn the choice opened (its news)."""
        super().__init__(classes="dialog-screen")
        self.effects = effects
        self.alerts = alerts
        self.date = date

    def compose(self) -> ComposeResult:
        important = any(a.kind in ("rung", "band") for a in self.alerts) or any(
            important for _, _, important in self.effects.news
        )
        with Vertical(id="effects", classes="dialog -important" if important else "dialog"):
            yield Static(
                Content.assemble(("WHAT YOUR CHOICE DID", "bold"), f" — {self.effects.title}"),
                classes="dialog-title",
            )
            with VerticalScroll(id="effects-body", classes="dialog-body"):
                yield Prose(id="effects-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Continue  [Enter]"), id="ok", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#effects-text", Prose).update(
            effects_doc(self.effects, self.alerts, self.date)
        )

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        """Back to the board."""
        self.dismiss(None)
