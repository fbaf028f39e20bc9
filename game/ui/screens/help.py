"""Help: every key, how a turn works, how to read the meters.

The keys are read from the app's and the screens' bindings (:func:`key_sections`), so a
key added there is listed here; :data:`DETAIL` only words what a key does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from game.ui.widgets.footer import Footer
from game.ui.widgets.prose import Doc, Prose

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

_KEY_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "tab": "Tab",
    "space": "Space",
}

DETAIL: dict[str, str] = {
    "help": "this help",
    "glossary": "glossary (underlined words: click them)",
    "command_palette": "command palette: every action, searchable",
    "app.focus_next": "move between panels",
    "app.focus_previous": "move between panels",
    "screen.copy_text": "copy the selected text",
    "toggle_dark": "light / dark theme (more themes in the palette)",
    "quit_game": "quit (asks if the game is not saved)",
    "quit": "quit at once, without asking even if the game is not saved",
    "restart_on_content": (
        "restart this game (same seed and lens) on the content as it is now (--watch)"
    ),
    "pick": "pick an option (or a click)",
    "move": "move between the options",
    "confirm": "confirm the picked option (or click it again)",
    "why": "advisors: quotes and why each effect would happen",
    "lower('advisors')": "show the advisors (short terminal: in the card's place)",
    "lower('news')": "show the news & log (short terminal: in the card's place)",
    "decision": "back to the card from the advisors or the news",
    "briefing": "read the briefing again",
    "save": "save now and keep a copy of this turn (the game saves every turn)",
    "new_game": "new game",
    "continue_game": "continue your latest game",
    "load_game": "load a save",
    "choose": "open the highlighted menu item",
    "next_tab": "previous / next tab (PageDown scrolls the text)",
    "chart_as_text": "the meter chart drawn, or as text",
    "export": "export the debrief to Markdown in the saves folder",
    "title": "back to the title screen",
}
"""What a key does, in the help's words, by its binding's action (with its arguments,
else without them); a binding missing here is described by its own tooltip."""


def key_name(key: str) -> str:
    """A key as the help writes it: 'ctrl+r' -> 'Ctrl+R', 'question_mark' -> '?'."""
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    *mods, last = key.split("+")
    last = _KEY_NAMES.get(last, last.upper() if len(last) > 1 or mods else last)
    return "+".join([*(m.capitalize() for m in mods), last])


def _keys_text(keys: list[str]) -> str:
    """Keys that do one thing: '1–4' for a run of digits, else 'a / b'."""
    if len(keys) > 2 and all(k.isdigit() and len(k) == 1 for k in keys):
        numbers = [int(k) for k in keys]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            return f"{numbers[0]}–{numbers[-1]}"
    return " / ".join(dict.fromkeys(key_name(k) for k in keys))


def key_lines(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) for ``bindings`` (as in a ``BINDINGS`` list), in order; the
    keys that do the same thing share a line, system bindings are left out."""
    lines: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        if binding.system:
            continue
        base = binding.action.split("(")[0]
        what = DETAIL.get(binding.action) or DETAIL.get(base)
        what = what or binding.tooltip or binding.description or binding.action
        lines.setdefault(what, []).append(binding.key)
    return [(_keys_text(keys), what) for what, keys in lines.items()]


def _class_bindings(cls: type[DOMNode]) -> list[BindingType]:
    """The bindings of ``cls`` and of the classes it inherits bindings from (its own
    first, then Textual's)."""
    return [b for base in cls.__mro__ for b in base.__dict__.get("BINDINGS", ())]


def key_sections(app: type[App[Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every key of ``app`` (the app's class), read from its bindings and its screens',
    by where it works."""
    from textual.screen import Screen

    from game.ui.screens.debrief import DebriefScreen
    from game.ui.screens.title import TitleMenu, TitleScreen
    from game.ui.screens.turn import TurnScreen
    from game.ui.widgets.card import OptionsBox

    everywhere = _class_bindings(app)
    if app.ENABLE_COMMAND_PALETTE:
        everywhere.append(Binding(app.COMMAND_PALETTE_BINDING, "command_palette"))
    everywhere += _class_bindings(Screen)
    return [
        ("Everywhere", key_lines(everywhere)),
        ("During a turn", key_lines([*TurnScreen.BINDINGS, *OptionsBox.BINDINGS])),
        ("On the title screen", key_lines([*TitleScreen.BINDINGS, *TitleMenu.BINDINGS])),
        ("In the debrief", key_lines(DebriefScreen.BINDINGS)),
    ]


HOW = (
    "Each turn opens with the news. Then a decision card: a dilemma with 2–4 options, "
    "each argued for or against by the essays (the advisors, cited essay ¶paragraph). "
    "Your choice moves the meters; the hidden or chosen lens — one author's theory — "
    "adds, removes or scales the effects. Escalation climbs a ladder of named rungs: "
    "its top ends the game. After each choice, in the card's place, you read what it "
    "did — its own effects first, then what it set for later, then the news (Enter "
    "brings the next card; the log keeps it). An event that needs your answer is the "
    "next card, marked ‼ EVENT."
)

METERS = (
    "Every meter shows its number, a bar, its band and its change since last turn as "
    "▲+3 / ▼−2 / =0. An estimate reads ≈52 with its range (est. 42–62); the bar shows "
    "the range as ▒. A hidden meter says 'hidden' until the debrief."
)


def help_doc(app: type[App[Any]]) -> Doc:
    """The help text for ``app`` (the app's class, whose keys it lists)."""
    doc = Doc()
    sections = key_sections(app)
    width = max(len(key) for _, keys in sections for key, _ in keys) + 2
    for group, keys in sections:
        doc.blank().add((group, "bold underline"))
        for key, what in keys:
            doc.add(what, prefix=f"  {key:<{width}}", indent=width + 2)
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
        self.query_one("#help-text", Prose).update(help_doc(type(self.app)))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)
