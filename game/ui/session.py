"""One game being played in the UI: the scenario, the state, its log and its saves.

The session only calls the engine and the save functions; it decides nothing about the
game.  It remembers what the player saw (the log of decisions and their changes) and
whether the current state is safely on disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from game.engine import Change, GameState, TurnReport, choose, current_decision, open_game
from game.engine.view import View, view
from game.timeline import describe_change

if TYPE_CHECKING:
    from game.classroom import Inbox
    from game.content.exercise import Exercise
    from game.content.scenario import Scenario
    from game.saves import LoadedSave


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


@dataclass(frozen=True, slots=True)
class Moment:
    """Something the player must not miss: a new rung, a band crossed, an important event."""

    kind: str
    """"rung", "band" or "event"."""
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Step:
    """What one choice did, for the screens to show."""

    report: TurnReport
    item: LogItem
    moments: tuple[Moment, ...]
    save_error: str
    """Why the autosave failed ('' when it worked)."""
    injected: tuple[str, ...] = ()
    """Titles of the instructor's live injects taken before this choice (in the news now)."""


@dataclass
class Session:
    """A game in play."""

    scenario: Scenario
    state: GameState
    saves: Path
    log: list[LogItem] = field(default_factory=list)
    on_disk: bool = False
    """Whether the current state is written in a save (the autosave or a named one)."""
    opening: tuple[Moment, ...] = ()
    """Important news of a new game's first turn, to show once when play begins."""
    save_path: Path | None = None
    """Where the game autosaves (default: the autosave file in ``saves``)."""
    inbox: Inbox | None = None
    """The class's inject inbox, in an exercise."""
    player: str = ""
    """The student's name, in an exercise that asks it."""
    exercise_title: str = ""
    exercise_note: str = ""
    """The instructor's paragraph for the briefing."""
    _view: View | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        saves: Path,
        seed: int,
        lens: str | None,
        hidden: bool,
    ) -> Session:
        """A new game (``lens=None`` with ``hidden`` draws a hidden lens from the seed)."""
        state, report = open_game(scenario, seed, lens, hidden=hidden)
        session = cls(scenario, state, saves)
        if report.changes or report.news:
            session.log.append(session._item(state, state, report))
        session.opening = session.news_moments(report.news)
        return session

    @classmethod
    def start_exercise(cls, exercise: Exercise, saves: Path, player: str) -> Session:
        """A class exercise's game for one student, saved as ``saves/<class>/<name>.toml``
        and reading the class's inject inbox from now on.  ``saves`` is the top folder."""
        from game.classroom import Inbox, class_dir, free_save_path, open_exercise

        code = exercise.info.class_code
        folder = class_dir(saves, code)
        state, report = open_exercise(exercise)
        session = cls(
            exercise.scenario,
            state,
            folder,
            save_path=free_save_path(folder, player),
            inbox=Inbox.from_now(saves, code),
            player=player,
            exercise_title=exercise.info.title,
            exercise_note=exercise.info.briefing,
        )
        if report.changes or report.news:
            session.log.append(session._item(state, state, report))
        session.opening = session.news_moments(report.news)
        return session

    @classmethod
    def resume(cls, loaded: LoadedSave, saves: Path, exercise: Exercise | None = None) -> Session:
        """A game resumed from a save, its log rebuilt by replaying the choices.

        With an ``exercise`` (``saves`` then being the top folder), the game keeps its
        save file and goes on reading the class's inbox where it stopped."""
        session = cls(loaded.scenario, loaded.state, saves, on_disk=True)
        if exercise is not None:
            from game.classroom import Inbox, class_dir

            code = exercise.info.class_code
            session.saves = class_dir(saves, code)
            session.save_path = loaded.path
            read = loaded.meta.get("inbox_read", "0")
            session.inbox = Inbox(saves, code, int(read) if read.isdigit() else 0)
            session.player = loaded.meta.get("player", "")
            session.exercise_title = exercise.info.title
            session.exercise_note = exercise.info.briefing
        for step in loaded.history():
            if step.report is not None:
                session.log.append(session._item(step.before, step.after, step.report))
        return session

    def rebase(self, scenario: Scenario) -> None:
        """Go on with this game on edited content (hot reload): its choices replayed on
        ``scenario``.  Raises EngineError, leaving the session as it was, when they no
        longer fit the new content."""
        from game.content.watch import rebase
        from game.engine.replay import Setup, replay

        state = rebase(scenario, self.state)
        steps = replay(scenario, Setup.of(state), state.log)
        self.scenario, self.state, self._view = scenario, state, None
        self.log = [
            self._item(step.before, step.after, step.report)
            for step in steps
            if step.report is not None
        ]

    @property
    def view(self) -> View:
        """The player's view of the current state (computed once per state)."""
        if self._view is None:
            self._view = view(self.scenario, self.state)
        return self._view

    @property
    def over(self) -> bool:
        """Whether the game has ended."""
        return self.state.ending is not None

    def choose(self, option: str) -> Step:
        """Take an option on the current decision, then autosave.

        In an exercise, the instructor's injects pushed since the last choice are applied
        first (through the engine, so the save's log records them): they fire in the
        news of the turn this choice opens."""
        injected = self.take_injects()
        before, before_view = self.state, self.view
        self.state, report = choose(self.scenario, self.state, option)
        self._view = None
        item = self._item(before, self.state, report)
        self.log.append(item)
        error = self.autosave()
        moments = self.moments(before_view, self.view, report)
        return Step(report, item, moments, error, injected)

    def take_injects(self) -> tuple[str, ...]:
        """Apply the class's new injects; return their titles."""
        if self.inbox is None or self.over:
            return ()
        from game.classroom import apply_injects

        fresh = self.inbox.take()
        if not fresh:
            return ()
        self.state, applied, _skipped = apply_injects(self.scenario, self.state, fresh)
        self._view = None
        return tuple(self.scenario.event[e].title for e in applied)

    @property
    def autosave_path(self) -> Path:
        """The file the game autosaves to."""
        from game.saves import AUTOSAVE

        return self.save_path or self.saves / AUTOSAVE

    def autosave(self) -> str:
        """Write the autosave; return '' or the reason it failed."""
        from game.saves import SaveError, write_save

        try:
            write_save(self.autosave_path, self.scenario, self.state, self.meta("autosave"))
        except SaveError as exc:
            self.on_disk = False
            return str(exc)
        self.on_disk = True
        return ""

    def save_named(self) -> Path:
        """Write a named save beside the autosave; raise SaveError when it cannot.

        In an exercise the student's one save file is written instead (the class folder
        holds one file per student, for the class report)."""
        from game.saves import write_save

        path = self.autosave_path if self.inbox is not None else self.saves / self.save_name()
        write_save(path, self.scenario, self.state, self.meta("save"))
        self.on_disk = True
        return path

    def save_name(self) -> str:
        """File name of the named save for the current turn."""
        safe = re.sub(r"[^a-z0-9_-]+", "-", self.scenario.id.lower())
        return f"{safe}-seed{self.state.seed}-turn{self.state.turn:02d}.toml"

    def meta(self, kind: str) -> dict[str, str]:
        """What a save records for the load screen."""
        v = self.view
        meta = {
            "kind": kind,
            "title": self.scenario.info.title,
            "date": v.date,
            "turn": f"{v.turn} of {v.turn_limit}",
        }
        if self.inbox is not None:
            meta["class"] = self.inbox.class_code
            meta["inbox_read"] = str(self.inbox.read)
            meta["exercise"] = self.exercise_title
        if self.player:
            meta["player"] = self.player
        return meta

    def decision_title(self, state: GameState | None = None) -> str:
        """Title of the card or event owed in ``state`` (default: now)."""
        decision = current_decision(state or self.state)
        if decision is None:
            return ""
        if decision.kind == "card":
            return self.scenario.card[decision.id].title
        return self.scenario.event[decision.id].title

    def _item(self, before: GameState, after: GameState, report: TurnReport) -> LogItem:
        scenario = self.scenario
        decision = report.decision
        if decision is None:  # the opening news of a new game
            title, option = "The crisis opens", ""
        else:
            owner = (
                scenario.card[decision.id]
                if decision.kind == "card"
                else scenario.event[decision.id]
            )
            title = owner.title
            option = next((o.text for o in owner.options if o.id == report.option), report.option)
        return LogItem(
            turn=report.turn,
            date=view_date(scenario, report.turn),
            title=title,
            option=option,
            changes=tuple(change_line(scenario, after, c) for c in report.changes),
            notes=report.notes,
            news=tuple(scenario.event[e].title for e in report.news if e in scenario.event),
        )

    def take_opening(self) -> tuple[Moment, ...]:
        """The opening moments, once (empty afterwards and for resumed games)."""
        opening, self.opening = self.opening, ()
        return opening

    def news_moments(self, news: tuple[str, ...]) -> tuple[Moment, ...]:
        """The important events among ``news``."""
        found = []
        for event_id in news:
            event = self.scenario.event.get(event_id)
            if event is not None and event.important:
                found.append(Moment("event", f"News: {event.title}", event.text))
        return tuple(found)

    def moments(self, before: View, after: View, report: TurnReport) -> tuple[Moment, ...]:
        """What changed that the player must not miss, read from the two views."""
        found: list[Moment] = []
        lad = after.ladder
        if lad.rung != before.ladder.rung:
            up = lad.rung > before.ladder.rung
            word = "up" if up else "down"
            mark = "▲" if up else "▼"
            steps = lad.steps_to_top
            left = "the top: the game ends" if steps == 0 else f"{steps} below the top"
            found.append(
                Moment(
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
                    Moment(
                        "band",
                        f"{mark} {m.label}: {prev.band} → {m.band}",
                        f"{m.label} moved from {prev.value} to {m.value} "
                        f"and is now in the band “{m.band}”.",
                    )
                )
        return (*found, *self.news_moments(report.news))


def change_line(scenario: Scenario, state: GameState, change: Change) -> str:
    """A change in words with its cause (as :func:`describe_change` says it, which keeps
    what the player may not see unsaid), with real minus signs."""
    line = describe_change(scenario, state, change)
    return re.sub(r"([(\s])-(\d)", "\\1−\\2", line, count=1)


def view_date(scenario: Scenario, turn: int) -> str:
    """The calendar month of a turn."""
    from game.engine.view import date_of

    return date_of(scenario, turn)
