"""The instructor's vote console (``offramp console --exercise FILE --vote``): the class
game on the projector, the live tally and the advisors' arguments.

The console holds the class game (:class:`~game.classroom.vote.ClassGame`) as the app
holds any game, on its own turn screen, with the tally beside the advisors.  ``c`` takes
the class's choice (the top of the tally); picking another option and confirming it
overrides the vote, after a question, and the class game's record notes it.  Then the
next turn, as in any game; at the end, the class game's debrief.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from game.classroom.vote import ClassGame, FileWatch, Tally, ballot_box
from game.ui.app import OffRampApp
from game.ui.screens.title import TitleScreen
from game.ui.voter import APP_CSS, POLL, ClassTurnScreen, option_label
from game.ui.widgets.card import CardPanel

if TYPE_CHECKING:
    from textual.screen import Screen

    from game.classroom.exercise import Exercise


def tally_content(game: ClassGame, counted: Tally | None, width: int = 40) -> Content:
    """Each option with its votes as a bar and a number, the class's choice marked."""
    if counted is None:
        return Content("The class game is over.")
    top = counted.top
    most = max((n for _, n in counted.counts), default=0) or 1
    room = max(width - 6, 8)  # the bar, its indent and the count on one line
    lines: list[Content] = []
    for option, n in counted.counts:
        label = option_label(game, counted.decision, option)
        if option == top:
            lines.append(
                Content.assemble((label, "bold"), "  ", ("◀ the class's choice", "reverse"))
            )
        else:
            lines.append(Content(label))
        bar = "█" * round(n / most * room) if n else "·"
        lines.append(Content.assemble("  ", (bar, "bold"), f" {n}"))
    if not counted.total:
        lines.append(Content.styled("No votes yet.", "italic"))
    lines.append(
        Content.styled(
            "c: take the class's choice · 1–4 then Enter: take another (an override)", "dim"
        )
    )
    return Content("\n").join(lines)


class TallyPanel(VerticalScroll):
    """The live tally of the class's votes on the decision owed."""

    def __init__(self) -> None:
        super().__init__(id="tally")
        self.border_title = "Votes"
        self._body = Static()
        self._shown: tuple[ClassGame, Tally | None, int] | None = None

    def compose(self) -> ComposeResult:
        yield self._body

    def show(self, game: ClassGame, counted: Tally | None, voters: int = 0) -> None:
        """Show the tally of ``game``'s decision owed now; ``voters``: how many students
        have voted in this game so far (who may still vote on this decision)."""
        self._shown = (game, counted, voters)
        total = counted.total if counted else 0
        self.border_title = f"Votes: {total} of {voters}" if voters > total else f"Votes: {total}"
        width = self.scrollable_content_region.width or 40
        self._body.update(tally_content(game, counted, width))

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)


class ConsoleScreen(ClassTurnScreen):
    """The class game's turn on the projector, with the class's votes."""

    DEFAULT_CSS = """
    #tally {
        width: 1fr;
        height: 100%;
        border: round $accent;
        border-title-style: bold;
        padding: 0 1;
    }
    ConsoleScreen.-narrow #lower.-show-news #tally {
        display: none;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c", "class_choice", "Class's choice", tooltip="Take the option the class voted for"
        ),
    ]

    def __init__(self, game: ClassGame) -> None:
        super().__init__(game)
        self.game = game
        self.box = FileWatch(ballot_box(game.path or Path()))
        self.tally = TallyPanel()

    def panes_before(self) -> list[Widget]:
        return [self.tally]

    def on_mount(self) -> None:
        super().on_mount()
        self.show_tally()
        self.set_interval(POLL, self.poll_votes, name="count the votes")

    def poll_votes(self) -> None:
        """Count the votes again when the ballot box changed (one ``stat`` otherwise)."""
        if self.box.changed():
            self.show_tally()

    def show_tally(self) -> None:
        """Show the votes on the decision owed now, in the tally and under the card (in
        sight on a short screen too, where the tally is behind ``a``)."""
        ballots = self.game.ballots()
        counted = self.game.tally(ballots)
        self.tally.show(self.game, counted, len({b.voter for b in ballots}))
        if counted is None:
            return
        top = counted.top
        options = counted.options
        said = (
            f"Votes: {counted.total} · the class's choice: option {options.index(top) + 1}"
            if top is not None
            else "No votes yet"
        )
        card = self.query_one(CardPanel)
        card.border_subtitle = f"{said} · a: the tally" if card.compact else said

    def on_resize(self) -> None:
        super().on_resize()
        self.show_tally()  # a short screen's card says where the tally went

    def refresh_board(self) -> None:
        super().refresh_board()
        if self.is_mounted and self.query(TallyPanel):
            self.show_tally()

    def action_class_choice(self) -> None:
        """Take the top of the tally."""
        counted = self.game.tally()
        if counted is None:
            return
        if counted.top is None:
            self.notify(
                "Nobody has voted yet: wait for the votes, or pick an option and press "
                "Enter to choose for the class.",
                severity="warning",
                timeout=5,
                markup=False,
            )
            return
        super().take(counted.top)

    def take(self, option: str) -> None:
        """Take ``option``; when it goes against the class's vote, ask first (the record
        notes the override)."""
        counted = self.game.tally()
        if counted is None or not counted.overrides(option) or counted.top is None:
            super().take(option)
            return
        from game.ui.screens.confirm import ConfirmScreen

        votes = dict(counted.counts)
        decision = counted.decision
        self.app.push_screen(
            ConfirmScreen(
                "Override the class's vote?",
                f"The class voted for {option_label(self.game, decision, counted.top)} "
                f"({votes[counted.top]} of {counted.total} votes). Take "
                f"{option_label(self.game, decision, option)} ({votes.get(option, 0)} votes) "
                "instead? The class game's record notes that you overrode the vote.",
                "Override",
            ),
            lambda yes: super(ConsoleScreen, self).take(option) if yes else None,
        )


class VoteConsoleApp(OffRampApp):
    """The instructor's side of a class vote: the class game, the tally, the debrief."""

    CSS_PATH = APP_CSS

    def __init__(self, exercise: Exercise, saves: Path, game: ClassGame) -> None:
        super().__init__(exercise.scenario.folder or exercise.path.parent, saves, exercise=exercise)
        self.session = game

    def get_default_screen(self) -> Screen[None]:
        assert self.exercise is not None
        info = self.exercise.info
        return TitleScreen(f"{info.title} (class {info.class_code}) · the class vote's console")

    def join_exercise(self) -> None:
        """Play the class game (a new one when the last has ended)."""
        from game.saves import SaveError

        game = self.session
        assert self.exercise is not None
        if game is None or game.over:
            self.leave_game()
            try:
                game = ClassGame.open(self.exercise, self.saves)
            except SaveError as exc:
                self.cannot_open(exc)
                return
        self.play(game, show_briefing=not game.state.log)  # a new game: its briefing

    def show_game(self) -> None:
        """The class game's turn, or its debrief when it is over."""
        game = self.session
        assert isinstance(game, ClassGame)
        if game.over:
            self.show_debrief()
            return
        self.push_screen(ConsoleScreen(game), lambda _: self.show_debrief())


def run_vote_console(exercise: Exercise, saves: Path) -> int:
    """Run the vote console on the class game of ``exercise`` (the one in play, else a
    new one); raises GameInUse when another console holds it."""
    game = ClassGame.open(exercise, saves)
    app = VoteConsoleApp(exercise, saves, game)
    try:
        result = app.run()
    finally:
        game.close()
    if app.startup_error is not None:
        raise app.startup_error
    return result if isinstance(result, int) else 0
