"""Help: every key, how a turn works, how to read the meters."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.ui.widgets.footer import Footer
from game.ui.widgets.prose import Doc, Prose

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("?", "this help"),
            ("g", "glossary (underlined words: click them)"),
            ("Ctrl+P", "command palette: every action, searchable"),
            ("Tab / Shift+Tab", "move between panels"),
            ("F2", "light / dark theme (more themes in the palette)"),
            ("q", "quit (asks if the game is not saved)"),
        ),
    ),
    (
        "During a turn",
        (
            ("1–4", "pick an option (or arrows, or a click)"),
            ("Enter", "confirm the picked option (or click it again)"),
            ("w", "advisors: quotes and why each effect would happen"),
            ("a / n", "show advisors / news & log (short terminal: in the card's place)"),
            ("Esc", "back to the card from the advisors or the news"),
            ("b", "read the briefing again"),
            ("s", "save now and keep a copy of this turn (the game saves every turn)"),
        ),
    ),
    (
        "Title and debrief",
        (
            ("n / c / l", "new game / continue your latest game / load a save"),
            ("← / →", "debrief: previous / next tab (PageDown scrolls the text)"),
            ("v", "debrief: the meter chart drawn, or as text"),
            ("e", "debrief: export to Markdown in the saves folder"),
            ("t", "debrief: back to the title screen"),
        ),
    ),
)

HOW = (
    "Each turn opens with the news. Then a decision card: a dilemma with 2–4 options, "
    "each argued for or against by the essays (the advisors, cited essay ¶paragraph). "
    "Your choice moves the meters; the hidden or chosen lens — one author's theory — "
    "adds, removes or scales the effects. Escalation climbs a ladder of named rungs: "
    "its top ends the game. After each choice a window says what it did — its own "
    "effects first, then what it set for later, then the news (Enter closes it; the log "
    "keeps it). Events that need your answer appear in a window you cannot miss."
)

METERS = (
    "Every meter shows its number, a bar, its band and its change since last turn as "
    "▲+3 / ▼−2 / =0. An estimate reads ≈52 with its range (est. 42–62); the bar shows "
    "the range as ▒. A hidden meter says 'hidden' until the debrief."
)


def help_doc() -> Doc:
    """The help text."""
    doc = Doc()
    for group, keys in KEYS:
        doc.blank().add((group, "bold underline"))
        for key, what in keys:
            doc.add(what, prefix=f"  {key:<16}", indent=18)
    doc.blank().add(("How a turn works", "bold underline")).add(HOW)
    doc.blank().add(("Reading the meters", "bold underline")).add(METERS)
    return doc


class HelpScreen(ModalScreen[None]):
    """Keys and how to play."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#help-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", key_display="Esc"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Static("Help", classes="dialog-title")
            with VerticalScroll(id="help-body", classes="dialog-body"):
                yield Prose(id="help-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Close  [Esc]"), id="close", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-text", Prose).update(help_doc())

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)
