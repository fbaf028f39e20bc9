"""The title screen: new game, continue, load a save, help, quit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from game.content.scenario import Scenario
    from game.ui.app import OffRampApp

LOGO = """\
 ▄▀▀▄ █▀▀ █▀▀   █▀▀▄ ▄▀▀▄ █▄ ▄█ █▀▀▄
 █  █ █▀  █▀  ▀ █▄▄▀ █▄▄█ █ ▀ █ █▄▄▀
 ▀▄▄▀ ▀   ▀     ▀  ▀ ▀  ▀ ▀   ▀ ▀   """


def first_sentences(text: str, limit: int) -> str:
    """As many whole sentences of ``text`` as fit in ``limit`` characters (the briefing
    has the rest)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    return text[: cut + 1] if cut > 0 else text[: limit - 1] + "…"


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
    """Items shown as unavailable (Continue without an autosave)."""
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
    """The first screen."""

    # Its styles (title.tcss) are loaded by the app: as the default screen it is never pushed.
    AUTO_FOCUS = "TitleMenu"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game"),
        Binding("c", "continue_game", "Continue", tooltip="Continue the latest autosave"),
        Binding("l", "load_game", "Load"),
    ]

    def __init__(self) -> None:
        super().__init__()

    @property
    def offramp(self) -> OffRampApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

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

    def show_scenario(self, scenario: Scenario) -> None:
        """Name the scenario once it has loaded."""
        info = scenario.info
        self.query_one("#scenario-title", Static).update(Content(info.title))
        summary = first_sentences(info.summary, 240) if info.summary else ""
        self.query_one("#scenario-summary", Static).update(Content(summary))
        self.query_one("#scenario-summary").display = bool(summary)

    def on_screen_resume(self) -> None:
        self._autosave_note()

    def on_mount(self) -> None:
        self._autosave_note()

    def _autosave_note(self) -> None:
        exercise = self.offramp.exercise
        if exercise is not None:
            menu = self.query_one(TitleMenu)
            menu.unavailable = frozenset()
            menu.renamed = {
                "new": "Join the class",
                "continue": "Continue mine",
                "load": "Load mine",
            }
            note = f"Class exercise: {exercise.info.title} (class {exercise.info.class_code})"
            self.query_one("#autosave-note", Static).update(Content(note))
            return
        has = (self.offramp.saves / "autosave.toml").exists()  # game.saves.AUTOSAVE
        note = "" if has else f"(no autosave in {self.offramp.saves}/ yet)"
        self.query_one(TitleMenu).unavailable = frozenset() if has else frozenset({"continue"})
        self.query_one("#autosave-note", Static).update(Content(note))

    def action_new_game(self) -> None:
        """Open the new-game dialog (in a class exercise: join it)."""
        if self.offramp.not_ready():
            return
        if self.offramp.exercise is not None:
            self.offramp.join_exercise()
            return
        from game.ui.screens.new_game import NewGameScreen

        self.app.push_screen(NewGameScreen())

    def action_continue_game(self) -> None:
        """Resume the latest autosave."""
        self.offramp.continue_autosave()

    def action_load_game(self) -> None:
        """List the saves to load one (in a class exercise: the student's own game)."""
        if self.offramp.not_ready():
            return
        if self.offramp.exercise is not None:
            self.offramp.join_exercise()
            return
        from game.ui.screens.load import LoadScreen

        self.app.push_screen(LoadScreen())
