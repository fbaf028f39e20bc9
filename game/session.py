"""One game's life, for every front end: start, resume, join an exercise, take the
instructor's injects, messages, pause and end, choose, save.

The Textual app and plain mode are renderers of a :class:`Session`; neither starts,
saves or resumes a game on its own.  The session only calls the engine and the save
functions: it decides nothing about the game.  It owns where the game is saved: every
game has a file of its own, claimed when it is first written and held with a lock while
it is played, so no game's file is ever written by another game or another window.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from game.engine import (
    Change,
    GameState,
    Setup,
    TurnReport,
    choose,
    end_game,
    is_over,
    opening,
)
from game.engine.view import View, date_of, view
from game.timeline import (
    ChoiceEffects,
    choice_effects,
    describe_change,
    describe_scheduled,
    minus_signs,
    player_notes,
    rule_lines,
    scheduled_effects,
)

if TYPE_CHECKING:
    from game.classroom.control import ClassState, Control
    from game.classroom.exercise import Exercise
    from game.classroom.inbox import Inbox
    from game.content.scenario import Scenario
    from game.saves import GameLock, LoadedSave, SaveMeta

MAX_SEED = 2**63
"""Seeds are 0 ≤ seed < 2**63: what the engine's RNG and a save's integer hold."""


def random_seed() -> int:
    """A fresh seed for a game the player did not seed (short, to be read and retyped)."""
    return secrets.randbelow(1_000_000)


def anonymous_player() -> str:
    """The name of a student in an exercise that does not ask for names."""
    return f"student-{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class LogItem:
    """One decision taken, as the log shows it."""

    turn: int
    date: str
    title: str
    option: str
    changes: tuple[str, ...]
    notes: tuple[str, ...]
    news: tuple[str, ...]
    """Headlines of the events that opened the next turn."""
    rules: tuple[str, ...] = ()
    """The lens rules that acted on the choice (none while the lens is hidden)."""
    scheduled: tuple[str, ...] = ()
    """Delayed effects the turn set for later turns."""


@dataclass(frozen=True, slots=True)
class Alert:
    """Something the player must not miss: a new rung, a band crossed, an important event."""

    kind: str
    """"rung", "band" or "event"."""
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class ChoiceResult:
    """What one choice did, for the front ends to show."""

    report: TurnReport
    item: LogItem
    alerts: tuple[Alert, ...]
    save_error: str
    """Why the save failed ('' when it worked)."""
    injected: tuple[str, ...] = ()
    """Titles of the instructor's live injects taken before this choice (in the news now)."""
    skipped: tuple[str, ...] = ()
    """Why injects were not applied (an event this scenario does not have)."""
    effects: ChoiceEffects | None = None
    """What the choice did, in the order to read it: its own changes first."""


@dataclass(frozen=True, slots=True)
class ClassNews:
    """What the instructor's console says to this game now (see :meth:`Session.heed_class`)."""

    state: ClassState = "running"
    """"running", "paused" (hold before the next choice) or "ended"."""
    messages: tuple[str, ...] = ()
    """The instructor's messages not shown yet, oldest first."""
    ended: bool = False
    """Whether this look ended the game (it goes to its debrief)."""
    save_error: str = ""
    """Why the save after it failed ('' when it worked or there was none)."""

    @property
    def paused(self) -> bool:
        """Whether the game must hold before its next choice."""
        return self.state == "paused"


@dataclass
class Session:
    """A game in play and where it lives on disk."""

    scenario: Scenario
    state: GameState
    folder: Path
    """Where the game's file is (the class's folder, in an exercise)."""
    path: Path | None = None
    """The game's own file; None until it is first written."""
    log: list[LogItem] = field(default_factory=list)
    on_disk: bool = False
    """Whether the current state is written in the game's file."""
    opening: tuple[Alert, ...] = ()
    """Important news of a new game's first turn, to show once when play begins."""
    inbox: Inbox | None = None
    """The class's inject inbox, in an exercise."""
    control: Control | None = None
    """The class's control files (pause, end, messages), in an exercise."""
    player: str = ""
    """The student's name, in an exercise."""
    exercise_title: str = ""
    exercise_note: str = ""
    """The instructor's paragraph for the briefing."""
    _lock: GameLock | None = field(default=None, repr=False)
    _name_lock: GameLock | None = field(default=None, repr=False)
    """The student's name held in the class (an exercise), released with the game."""
    _view: View | None = field(default=None, repr=False)

    # --- how a game begins ------------------------------------------------------------

    @classmethod
    def start(cls, scenario: Scenario, saves: Path, setup: Setup) -> Session:
        """A new game in ``saves``; its file is claimed at the first save."""
        state, report = opening(scenario, setup)
        session = cls(scenario, state, Path(saves))
        session._opened(report)
        return session

    @classmethod
    def join(cls, exercise: Exercise, saves: Path, player: str) -> tuple[Session, bool]:
        """A student's game of a class exercise (``saves`` is the top folder): their game
        still in play if there is one, else a new one.  Returns the session and whether it
        was resumed; raises GameInUse when another window plays under that name."""
        from game.classroom.control import Control
        from game.classroom.inbox import Inbox
        from game.classroom.roster import claim_name, class_dir, player_name, unfinished_game

        player = player_name(player) or anonymous_player()
        code = exercise.info.class_code
        claim = claim_name(saves, code, player)
        try:
            loaded = unfinished_game(saves, exercise, player)
            if loaded is not None:
                session = cls.resume(loaded, saves, exercise)
                session._name_lock = claim
                return session, True
        except BaseException:
            claim.release()
            raise
        state, report = opening(exercise.scenario, exercise.setup)
        session = cls(
            exercise.scenario,
            state,
            class_dir(saves, code),
            inbox=(
                Inbox(saves, code)
                if exercise.info.late_joiners == "catch_up"
                else Inbox.from_now(saves, code)
            ),
            control=Control.from_now(saves, code),
            player=player,
            exercise_title=exercise.info.title,
            exercise_note=exercise.info.briefing,
        )
        session._name_lock = claim
        session._opened(report)
        return session, False

    @classmethod
    def resume(cls, loaded: LoadedSave, saves: Path, exercise: Exercise | None = None) -> Session:
        """A game resumed from a save, its log rebuilt by replaying the choices.

        A game's own file goes on being its file; a copy the player kept with ``s`` stays
        as it is, and the game resumed from it gets a new file at its first save.  Raises
        GameInUse when the game is open in another window.  With an ``exercise``
        (``saves`` then being the top folder), the game goes on reading the class's inbox
        where it stopped."""
        from game.saves import GameLock

        meta = loaded.meta
        own = meta.kind != "save"
        session = cls(
            loaded.scenario,
            loaded.state,
            loaded.path.parent,
            path=loaded.path if own else None,
            on_disk=own,
        )
        if own:
            session._lock = GameLock(loaded.path)
            session._lock.acquire()
        if exercise is not None:
            from game.classroom.control import Control
            from game.classroom.inbox import Inbox

            code = exercise.info.class_code
            session.inbox = Inbox(saves, code, meta.inbox_read)
            session.control = Control(saves, code, meta.messages_read)
            session.player = meta.player
            session.exercise_title = exercise.info.title
            session.exercise_note = exercise.info.briefing
        for step in loaded.history():
            if step.report is not None:
                session.log.append(session._item(step.after, step.report, step.before))
        return session

    @classmethod
    def continue_latest(cls, scenario: Scenario, saves: Path) -> Session | None:
        """The newest unfinished game in ``saves``, resumed (None when there is none).
        Raises SaveError when that file cannot be loaded (it is left as it is)."""
        from game.saves import latest_unfinished, load_for

        path = latest_unfinished(saves)
        if path is None:
            return None
        return cls.resume(load_for(path, scenario), saves)

    def _opened(self, report: TurnReport) -> None:
        if report.changes or report.news:
            self.log.append(self._item(self.state, report))
        self.opening = self.news_alerts(report.news)

    def close(self) -> None:
        """Let another window open this game (the process's end does it too)."""
        for lock in (self._lock, self._name_lock):
            if lock is not None:
                lock.release()
        self._lock = self._name_lock = None

    # --- play -----------------------------------------------------------------------

    @property
    def setup(self) -> Setup:
        """How this game started."""
        return Setup.of(self.state)

    @property
    def view(self) -> View:
        """The player's view of the current state (computed once per state)."""
        if self._view is None:
            self._view = view(self.scenario, self.state)
        return self._view

    @property
    def over(self) -> bool:
        """Whether the game has ended."""
        return is_over(self.state)

    def choose(self, option: str) -> ChoiceResult:
        """Take an option on the current decision, then save.

        In an exercise, the instructor's injects pushed since the last choice are applied
        first (through the engine, so the save's log records them): they fire in the
        news of the turn this choice opens."""
        injected, skipped = self.take_injects()
        before_view, before = self.view, self.state
        self.state, report = choose(self.scenario, self.state, option)
        self._view = None
        item = self._item(self.state, report, before)
        self.log.append(item)
        error = self.save()
        alerts = self.alerts(before_view, self.view, report)
        effects = choice_effects(self.scenario, before, self.state, report)
        return ChoiceResult(report, item, alerts, error, injected, skipped, effects)

    def take_injects(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Apply the class's new injects; return their titles and why any were skipped."""
        if self.inbox is None or self.over:
            return (), ()
        from game.classroom.inbox import apply_injects

        fresh = self.inbox.take()
        if not fresh:
            return (), ()
        self.state, applied, skipped = apply_injects(self.scenario, self.state, fresh)
        self._view = None
        return tuple(self.scenario.event[e].title for e in applied), tuple(skipped)

    def heed_class(self) -> ClassNews:
        """Read the instructor's console (in an exercise): the class's state and the
        messages not shown yet.  When the class is ended, the game ends here through the
        engine (its log records it, so the save replays to this end) and is saved.

        Front ends call this before each choice and hold while the class is paused."""
        control = self.control
        if control is None:
            return ClassNews()
        state = control.state
        messages = tuple(control.take_messages())
        ended = state == "ended" and not self.over
        if ended:
            self.state = end_game(self.scenario, self.state)
            self._view = None
        error = self.save() if ended or messages else ""
        return ClassNews(state, messages, ended, error)

    def rebase(self, scenario: Scenario) -> None:
        """Go on with this game on edited content (hot reload): its choices replayed on
        ``scenario``.  Raises EngineError, leaving the session as it was, when they no
        longer fit the new content."""
        from game.engine.replay import rebase

        state, steps = rebase(scenario, self.state)
        self.scenario, self.state, self._view = scenario, state, None
        self.log = [
            self._item(step.after, step.report, step.before)
            for step in steps
            if step.report is not None
        ]

    # --- saving -----------------------------------------------------------------------

    def meta(self, kind: str = "autosave") -> SaveMeta:
        """What a save records for the load screen and the class report."""
        from game.saves import SaveMeta

        v = self.view
        return SaveMeta(
            kind="save" if kind == "save" else "autosave",
            title=self.scenario.info.title,
            date=v.date,
            turn=f"{v.turn} of {v.turn_limit}",
            class_code=self.inbox.class_code if self.inbox is not None else "",
            exercise=self.exercise_title if self.inbox is not None else "",
            inbox_read=self.inbox.read if self.inbox is not None else 0,
            messages_read=self.control.read if self.control is not None else 0,
            player=self.player,
        )

    def save(self) -> str:
        """Write the game's own file (claiming one on the first save); return '' or the
        reason it failed."""
        from game.saves import GameLock, SaveError, write_new_save, write_save

        try:
            if self.path is None:
                self.path = write_new_save(self.folder, self.file_stem(), *self._doc())
                self._lock = GameLock(self.path)
                self._lock.acquire()
            else:
                write_save(self.path, *self._doc())
        except SaveError as exc:
            self.on_disk = False
            return str(exc)
        self.on_disk = True
        return ""

    def _doc(self) -> tuple[Scenario, GameState, SaveMeta]:
        return self.scenario, self.state, self.meta("autosave")

    def keep_copy(self) -> Path:
        """Save the game now and keep a copy of this turn beside it (``s``); return the
        copy's path, or raise SaveError when either cannot be written.  The copy is never
        written again: loading it later starts a game of its own from this turn.  In an
        exercise there is no copy (the class folder holds one file per student, for the
        report): the student's own file is saved and returned."""
        from game.saves import SaveError, write_new_save

        error = self.save()
        if error:
            raise SaveError(error)
        assert self.path is not None
        if self.inbox is not None:
            return self.path  # a class folder holds one file per student, for the report
        stem = f"{self.file_stem()}-turn{self.state.turn:02d}"
        return write_new_save(self.folder, stem, self.scenario, self.state, self.meta("save"))

    def file_stem(self) -> str:
        """The game's file name without its suffix: the student's name in an exercise,
        else the scenario and the seed."""
        if self.inbox is not None:
            from game.classroom.roster import file_stem

            return file_stem(self.player)
        safe = re.sub(r"[^a-z0-9_-]+", "-", self.scenario.id.lower())
        return f"{safe}-seed{self.state.seed}"

    # --- what the front ends show -------------------------------------------------------

    def _item(
        self, after: GameState, report: TurnReport, before: GameState | None = None
    ) -> LogItem:
        scenario = self.scenario
        decision = report.decision
        if decision is None:  # the opening news of a new game
            title, option = "The crisis opens", ""
        else:
            owner = scenario.item(decision.kind, decision.id)
            assert owner is not None  # the engine dealt it from this scenario
            title = owner.title
            option = next((o.text for o in owner.options if o.id == report.option), report.option)
        return LogItem(
            turn=report.turn,
            date=date_of(scenario, report.turn),
            title=title,
            option=option,
            changes=tuple(change_line(scenario, after, c) for c in report.changes),
            notes=player_notes(after, report.notes),
            news=tuple(scenario.event[e].title for e in report.news if e in scenario.event),
            rules=rule_lines(scenario, after, report.rules_applied),
            scheduled=tuple(
                describe_scheduled(scenario, after, p)
                for p in (scheduled_effects(before, after) if before is not None else ())
            ),
        )

    def take_opening(self) -> tuple[Alert, ...]:
        """The opening alerts, once (empty afterwards and for resumed games)."""
        opening, self.opening = self.opening, ()
        return opening

    def news_alerts(self, news: tuple[str, ...]) -> tuple[Alert, ...]:
        """The important events among ``news``."""
        found = []
        for event_id in news:
            event = self.scenario.event.get(event_id)
            if event is not None and event.important:
                found.append(Alert("event", f"News: {event.title}", event.text))
        return tuple(found)

    def alerts(self, before: View, after: View, report: TurnReport) -> tuple[Alert, ...]:
        """What changed that the player must not miss, read from the two views."""
        found: list[Alert] = []
        lad = after.ladder
        if lad.rung != before.ladder.rung:
            up = lad.rung > before.ladder.rung
            word = "up" if up else "down"
            mark = "▲" if up else "▼"
            steps = lad.steps_to_top
            left = "the top: the game ends" if steps == 0 else f"{steps} below the top"
            found.append(
                Alert(
                    "rung",
                    f"{mark} Escalation {word}: {lad.name}",
                    f"{before.ladder.name} → {lad.name} (rung {lad.rung} of {lad.top}, {left})."
                    + (f"\n{lad.description}" if lad.description else ""),
                )
            )
        old = {m.id: m for m in before.meters}
        for m in after.meters:
            prev = old.get(m.id)
            if prev is None or m.value is None or prev.value is None:
                continue
            if m.band and prev.band and m.band != prev.band:
                mark = "▲" if m.value > prev.value else "▼"
                found.append(
                    Alert(
                        "band",
                        f"{mark} {m.label}: {prev.band} → {m.band}",
                        f"{m.label} moved from {prev.value} to {m.value} "
                        f"and is now in the band “{m.band}”.",
                    )
                )
        return (*found, *self.news_alerts(report.news))


def change_line(scenario: Scenario, state: GameState, change: Change) -> str:
    """A change in words with its cause (as :func:`describe_change` says it, which keeps
    what the player may not see unsaid), with real minus signs."""
    return minus_signs(describe_change(scenario, state, change))


def free_setup(seed: int | None, lens: str | None) -> Setup:
    """The setup of a free game: ``lens`` None or "hidden" hides a lens drawn from the
    seed; no seed draws one."""
    hidden = lens in (None, "hidden")
    return Setup(
        seed=random_seed() if seed is None else seed, lens=None if hidden else lens, hidden=hidden
    )


__all__ = [
    "MAX_SEED",
    "Alert",
    "ChoiceResult",
    "ClassNews",
    "LogItem",
    "Session",
    "anonymous_player",
    "change_line",
    "free_setup",
    "random_seed",
]
