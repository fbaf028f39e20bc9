"""The title screen: new game, continue, load a save, help, quit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Static

from game.content.text import fill
from game.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.content.scenario import Scenario

LOGO = """\
 ▄▀▀▄ █▀▀ █▀▀   █▀▀▄ ▄▀▀▄ █▄ ▄█ █▀▀▄
 █  █ █▀  █▀  ▀ █▄▄▀ █▄▄█ █ ▀ █ █▄▄▀
 ▀▄▄▀ ▀   ▀     ▀  ▀ ▀  ▀ ▀   ▀ ▀   """


SUMMARY_LIMIT = 240
"""Characters of a scenario's summary the title screen shows (content/README.md says so)."""


def first_sentences(text: str, limit: int) -> str:
    """As many whole sentences of ``text`` as fit in ``limit`` characters, ending with
    "…" whenever something was left out (the briefing has the rest).

    >>> first_sentences("One. Two is longer.", 10)
    'One. …'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - 1  # for " …" after a sentence's last character
    cut = max(text.rfind(". ", 0, room), text.rfind("? ", 0, room), text.rfind("! ", 0, room))
    return text[: cut + 1] + " …" if cut > 0 else text[: limit - 1] + "…"


MENU = (
    ("new", "New game", "n", "screen.new_game"),
    ("continue", "Continue", "c", "screen.continue_game"),
    ("load", "Load a save", "l", "screen.load_game"),
    ("help", "Help", "?", "app.help"),
    ("quit", "Quit", "q", "app.quit_game"),
)


class TitleMenu(Widget, can_focus=True):
    """The title menu: keys n, c, l, ?, q act at once; arrows and Enter, or a click, too.

    One light widget rather than five buttons: the title is the first frame drawn, and
    every widget there delays it.
    """

    DEFAULT_CSS = """
    TitleMenu { width: 30; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    highlighted: reactive[int] = reactive(0, repaint=True)
    unavailable: reactive[frozenset[str]] = reactive(frozenset(), repaint=True)
    """Items shown as unavailable (Continue with no game to continue)."""
    renamed: reactive[dict[str, str]] = reactive(dict, repaint=True)
    """Item labels that differ from the menu's (in a class exercise)."""

    def render(self) -> Content:
        lines = []
        for index, (item, label, key, action) in enumerate(MENU):
            label = self.renamed.get(item, label)
            here = index == self.highlighted and self.has_focus
            off = item in self.unavailable
            text = f"{'▶' if here else ' '} {label:<15}[{key}]"
            style = "dim" if off else ("bold reverse" if here else "bold")
            lines.append(Content.styled(text, style).stylize(Style.from_meta({"@click": action})))
        return Content("\n").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        self.highlighted = (self.highlighted + step) % len(MENU)

    async def action_choose(self) -> None:
        await self.run_action(MENU[self.highlighted][3])


class TitleScreen(Screen[None]):
    """The first screen.  It shows what the app hands it (the scenario, what Continue
    resumes) and posts :class:`TitleScreen.Chosen` for the app to act on."""

    # Its styles (title.tcss) are loaded by the app: as the default screen it is never pushed.
    AUTO_FOCUS = "TitleMenu"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game"),
        Binding("c", "continue_game", "Continue", tooltip="Continue your latest game"),
        Binding("l", "load_game", "Load"),
    ]

    class Chosen(Message):
        """The player chose a menu item: "new", "continue" or "load"."""

        def __init__(self, item: str) -> None:
            super().__init__()
            self.item = item

    def __init__(self, exercise: str | None = None) -> None:
        """``exercise``: "title (class code)" in a class exercise, whose menu differs."""
        super().__init__()
        self.exercise = exercise

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(LOGO, id="logo")
            yield Static("A policy wargame of regime security and escalation", id="tagline")
            yield Static(Content("Loading the scenario…"), id="scenario-title")
            yield Static(id="scenario-summary")
            with Center(id="menu"):
                yield TitleMenu()
            yield Static(id="autosave-note")
        yield Footer()

    EXERCISE_ITEMS: ClassVar[dict[str, str]] = {
        "new": "Join the class",
        "continue": "Continue mine",
        "load": "Load mine",
    }
    """The menu's items in a class exercise (the footer's keys say the same)."""

    def describe_key(self, action: str) -> str | None:
        """The footer's word for a key (see Footer): the menu's, in a class exercise."""
        if self.exercise is None:
            return None
        item = action.removesuffix("_game")
        return self.EXERCISE_ITEMS.get(item)

    def on_mount(self) -> None:
        if self.exercise is not None:
            menu = self.query_one(TitleMenu)
            menu.renamed = dict(self.EXERCISE_ITEMS)
            note = f"Class exercise: {self.exercise}"
            self.query_one("#autosave-note", Static).update(Content(note))

    def show_scenario(self, scenario: Scenario, turn_limit: int | None = None) -> None:
        """Name the scenario once it has loaded; its summary tells a game of
        ``turn_limit`` turns (an exercise's), by default the scenario's."""
        info = scenario.info
        self.query_one("#scenario-title", Static).update(Content(info.title))
        text = fill(info.summary, turn_limit or info.turn_limit, info.months_per_turn)
        summary = first_sentences(text, SUMMARY_LIMIT) if text else ""
        self.query_one("#scenario-summary", Static).update(Content(summary))
        self.query_one("#scenario-summary").display = bool(summary)

    def show_continue(self, resumes: str | None) -> None:
        """Say what Continue resumes ("turn 5 of 24 · …"), or that there is nothing to
        continue (None)."""
        if self.exercise is not None:
            return
        menu = self.query_one(TitleMenu)
        menu.unavailable = frozenset() if resumes else frozenset({"continue"})
        note = f"Continue: {resumes}" if resumes else "(no game to continue yet)"
        self.query_one("#autosave-note", Static).update(Content(note))

    def action_new_game(self) -> None:
        """Start a new game (in a class exercise: join it)."""
        self.post_message(self.Chosen("new"))

    def action_continue_game(self) -> None:
        """Resume the latest game."""
        self.post_message(self.Chosen("continue"))

    def action_load_game(self) -> None:
        """List the saves to load one (in a class exercise: the student's own game)."""
        self.post_message(self.Chosen("load"))
