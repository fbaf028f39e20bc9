"""A student's tab in vote mode (``offramp vote --exercise FILE``): the class game's card,
and the student's vote on it.

The tab is the game's own app with its own turn screen (the same card, options, advisors,
meters and news), but a confirmed option is a vote cast into the class game's ballot box
(:mod:`game.classroom.vote`), not a choice.  The student may change it until the
instructor confirms the class's choice; the tab follows the class game by looking at its
save file once a second (one ``stat``; the game is read again only when it changed), and
shows the debrief when the class game ends.  The tab never writes the class game.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.widgets import Button, Static

from game.classroom.vote import (
    ClassGame,
    Decision,
    FileWatch,
    cast_vote,
    claim_voter,
    class_game_file,
)
from game.ui.app import OffRampApp
from game.ui.screens.title import TitleScreen
from game.ui.screens.turn import TurnScreen
from game.ui.widgets.card import CardPanel, OptionsBox

if TYPE_CHECKING:
    from textual.screen import Screen

    from game.classroom.exercise import Exercise
    from game.saves import GameLock

POLL = 1.0
"""Seconds between two looks at the class game's file (and, on the console, its votes)."""
UI = Path(__file__).resolve().parents[1] / "ui"
TURN_CSS = str(UI / "screens" / "turn.tcss")
"""The turn screen's styles: the vote screens are turn screens."""
APP_CSS: list[str | PurePath] = [str(UI / path) for path in OffRampApp.CSS_PATH]
"""The app's styles: the vote apps are the game's app (Textual finds a relative
``CSS_PATH`` beside the module of the class that uses it)."""


def option_label(game: ClassGame, decision: Decision, option: str | None) -> str:
    """An option of the decision by its number and text ("2 · Wait and see")."""
    item = game.scenario.item(decision.kind, decision.id)
    if item is None or option is None:
        return ""
    for number, o in enumerate(item.options, start=1):
        if o.id == option:
            return f"{number} · {o.text}"
    return option


def class_choice_note(game: ClassGame, decision: Decision) -> str:
    """What the class game took on ``decision`` and whether the instructor overrode the
    vote ('' when it is not in the record)."""
    for record in reversed(game.votes):
        if (record.turn, record.kind, record.id) == decision:
            taken = option_label(game, decision, record.chosen)
            note = f"The class took {taken}."
            if record.overridden:
                note += " Your instructor overrode the vote."
            return note
    return ""


class ClassTurnScreen(TurnScreen):
    """A turn of the class game: an event's own choice is voted on the card like a
    card's (no dialog)."""

    CSS_PATH = TURN_CSS

    def offer_event(self) -> None:
        self.query_one(OptionsBox).focus(scroll_visible=False)


class VoteScreen(ClassTurnScreen):
    """The class game's turn as a student sees it: picking and confirming an option votes."""

    def __init__(self, game: ClassGame, voter: str, vote: str | None = None) -> None:
        super().__init__(game)
        self.game = game
        self.voter = voter
        self.vote = vote
        """The student's vote on the decision owed now (None: not voted yet)."""
        self.watch_file = FileWatch(game.path or Path())
        self.watch_file.changed()  # as loaded

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#confirm", Button).label = "Vote (Enter)"
        self.show_vote()
        self.set_interval(POLL, self.poll, name="follow the class game")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The class game is saved by the instructor's console, not here."""
        return action != "save"

    def refresh_status(self) -> None:
        """The status line: a class vote, the turn, the voter and their vote."""
        v = self.game.view
        decision = self.game.decision
        voted = option_label(self.game, decision, self.vote) if decision else ""
        self.query_one("#status", Static).update(
            Content.assemble(
                ("CLASS VOTE", "bold reverse"),
                f"  Turn {v.turn} of {v.turn_limit} · {v.date}  │  You: ",
                (self.voter, "bold"),
                "  │  Your vote: ",
                (voted or "none yet", "bold"),
            )
        )

    def show_vote(self) -> None:
        """Show the student's vote in the status line and on the card."""
        self.refresh_status()
        card = self.query_one(CardPanel)
        if self.vote is None:
            card.border_subtitle = "Pick an option and press Enter to vote"
            return
        box = self.query_one(OptionsBox)
        index = next((i for i, o in enumerate(box.options) if o.id == self.vote), None)
        if index is not None:
            box.pick(index)
        card.border_subtitle = "Voted · waiting for the class (you may change your vote)"

    def take(self, option: str) -> None:
        """Vote for ``option`` (again: change the vote)."""
        decision = self.game.decision
        if decision is None or self.game.path is None:
            return
        try:
            cast_vote(self.game.path, self.voter, decision, option)
        except OSError as exc:
            self.notify(
                f"Your vote could not be written: {exc.strerror or exc}",
                title="Not voted",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        changed = self.vote is not None and self.vote != option
        self.vote = option
        self.show_vote()
        self.notify(
            f"{option_label(self.game, decision, option)}. Waiting for the class: your "
            "instructor confirms the class's choice.",
            title="Vote changed" if changed else "Voted",
            timeout=5,
            markup=False,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="follow")
    def poll(self) -> None:
        """Read the class game again when its file changed (off the UI thread)."""
        from game.saves import SaveError, load_save

        path = self.game.path
        if path is None or not self.watch_file.changed():
            return
        try:
            loaded = load_save(path, scenario=self.game.scenario)
        except SaveError:
            return  # being replaced this instant, or broken: the next look tells
        self.app.call_from_thread(self.follow, ClassGame.follow(loaded))

    def follow(self, game: ClassGame) -> None:
        """Show the class game as it is now: a new decision clears the vote."""
        before = self.game.decision
        self.game = self.session = game
        if game.over:
            self.dismiss(None)
            return
        if game.decision == before:
            return
        self.vote = None
        self.refresh_board()
        self.show_vote()
        note = class_choice_note(game, before) if before else ""
        self.notify(
            f"{note} Vote on the next decision.".strip(),
            title="The class has chosen",
            timeout=8,
            markup=False,
        )


class VoterApp(OffRampApp):
    """A student's tab in vote mode: their name, then their votes on the class game."""

    CSS_PATH = APP_CSS

    def __init__(self, exercise: Exercise, saves: Path) -> None:
        super().__init__(exercise.scenario.folder or exercise.path.parent, saves, exercise=exercise)
        self.voter = ""
        self.game: ClassGame | None = None
        self._waiting = False
        """Whether the tab is waiting for the instructor to start the class game."""
        self._name_lock: GameLock | None = None
        """Holds the student's name while the tab votes."""

    def get_default_screen(self) -> Screen[None]:
        assert self.exercise is not None
        info = self.exercise.info
        return TitleScreen(f"{info.title} (class {info.class_code}) · a class vote")

    def join_exercise(self) -> None:
        """Ask the student's name (if the exercise wants it), then show the class game."""
        exercise = self.exercise
        assert exercise is not None
        if self.voter:
            self.follow_class()
        elif exercise.info.ask_name:
            from game.ui.screens.name import NameScreen

            self.push_screen(NameScreen(exercise.info.title, exercise.info.class_code), self._named)
        else:
            from game.session import anonymous_player

            self._named(anonymous_player())

    def _named(self, name: str | None) -> None:
        from game.classroom.roster import player_name
        from game.saves import GameInUse

        if name is None:
            return
        assert self.exercise is not None
        try:
            self._name_lock = claim_voter(self.saves, self.exercise, player_name(name))
        except GameInUse:
            self.notify(
                f"{name} is voting in another tab already: close it there, or type your "
                "name another way (add an initial).",
                title="That name is in use",
                severity="warning",
                timeout=10,
                markup=False,
            )
            self.join_exercise()
            return
        self.voter = player_name(name)
        self.follow_class()

    def on_unmount(self) -> None:
        super().on_unmount()
        if self._name_lock is not None:
            self._name_lock.release()  # another tab may vote under this name now

    def follow_class(self) -> None:
        """The class game's turn screen; until the instructor starts it, a word and a look
        at the class folder every second."""
        from game.saves import SaveError, load_save

        assert self.exercise is not None
        path = class_game_file(self.saves, self.exercise)
        if path is None:
            if not self._waiting:
                self._waiting = True
                self.notify(
                    "Your instructor has not started the class game yet: it opens here "
                    "when they do.",
                    title="Waiting for the class game",
                    timeout=10,
                    markup=False,
                )
            self.set_timer(POLL, self.follow_class)
            return
        self._waiting = False
        try:
            game = ClassGame.follow(load_save(path, scenario=self.exercise.scenario))
        except SaveError as exc:
            self.cannot_open(exc)
            return
        self.game = game
        self.go_title()
        if game.over:
            self.show_debrief()
            return
        counted = game.tally()  # a tab opened again shows the vote cast before
        screen = VoteScreen(game, self.voter, counted.votes.get(self.voter) if counted else None)
        self.push_screen(screen, lambda _: self._ended(screen))

    def _ended(self, screen: VoteScreen) -> None:
        self.game = screen.game
        self.show_debrief()

    def show_debrief(self) -> None:
        """The class game's debrief."""
        from game.ui.screens.debrief import DebriefScreen

        assert self.game is not None
        self.go_title()
        self.push_screen(DebriefScreen(self.game, self.saves), lambda _: self.go_title())


def run_voter(exercise: Exercise, saves: Path) -> int:
    """Run a student's vote tab; return its exit status."""
    result = VoterApp(exercise, saves).run()
    return result if isinstance(result, int) else 0
