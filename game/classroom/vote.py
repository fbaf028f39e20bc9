"""Whole-class vote mode: one class game on the projector, every student's vote on its card.

- The class game (:class:`ClassGame`) is an ordinary :class:`~game.session.Session` of the
  exercise, played by :data:`CLASS_PLAYER` and saved in the class's folder
  (``saves/<class>/class-game.toml``); the instructor's vote console holds it.  Its save
  also records, turn by turn, how the class voted, the option it took and whether the
  instructor overrode the tally (``[[votes]]``: for people, the choice log is the game).
- The ballot box is a file beside the class game's (``class-game.votes``): one line per
  vote cast, appended with one ``O_APPEND`` write, so the server, the console and the
  students' tabs can restart independently and no vote is lost.  A student's last line
  for a decision is their vote (a student may change it until the instructor confirms).
- :func:`tally` counts the votes on the decision owed now; :func:`class_vote_rows` builds
  the class report's section: how the class voted, turn by turn, against what the lens
  then did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from game.classroom.lines import append_line, whole_lines
from game.session import Session

if TYPE_CHECKING:
    from game.classroom.exercise import Exercise
    from game.content.scenario import Scenario
    from game.engine import GameState
    from game.saves import GameLock, LoadedSave, SaveMeta, TurnVotes
    from game.session import ChoiceResult

CLASS_PLAYER = "the class"
"""The player of a class game (its save's ``player``)."""
CLASS_GAME = "class-game"
"""The class game's file name, without ``.toml`` (``class-game-2`` for a second game)."""
BALLOTS = ".votes"
"""The ballot box's suffix, beside the class game's file."""


class Decision(NamedTuple):
    """A decision of the class game: what a vote is for."""

    turn: int
    kind: Literal["card", "event"]
    id: str


class Ballot(NamedTuple):
    """One vote cast: a student's option on one decision."""

    voter: str
    decision: Decision
    option: str


def decision_of(state: GameState) -> Decision | None:
    """The decision owed now (None when the game is over)."""
    from game.engine import current_decision

    owed = current_decision(state)
    if owed is None:
        return None
    return Decision(state.turn, owed.kind, owed.id)


# --- the ballot box -----------------------------------------------------------------


def ballot_box(game: Path) -> Path:
    """The ballot box of the class game saved in ``game``."""
    return game.with_suffix(BALLOTS)


def cast_vote(game: Path, voter: str, decision: Decision, option: str) -> None:
    """Add a vote to the class game's ballot box: one line, one ``O_APPEND`` write (a
    later vote of the same student on the same decision replaces it in the tally).
    Raises OSError when the box cannot be written."""
    record = {
        "voter": voter,
        "turn": decision.turn,
        "kind": decision.kind,
        "id": decision.id,
        "option": option,
    }
    append_line(ballot_box(game), json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def read_ballots(game: Path) -> list[Ballot]:
    """Every vote in the class game's ballot box, in the order cast (empty if none).

    A line still being written (no newline yet) is left for the next read; a line that
    is not a vote (edited by hand) is skipped."""
    ballots = []
    for line in whole_lines(ballot_box(game)):
        ballot = _ballot(line)
        if ballot is not None:
            ballots.append(ballot)
    return ballots


def _ballot(line: str) -> Ballot | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    voter, turn, kind = record.get("voter"), record.get("turn"), record.get("kind")
    item, option = record.get("id"), record.get("option")
    if not (isinstance(voter, str) and isinstance(item, str) and isinstance(option, str)):
        return None
    if type(turn) is not int or kind not in ("card", "event"):
        return None
    return Ballot(voter, Decision(turn, kind, item), option)


@dataclass(frozen=True)
class Tally:
    """The class's votes on one decision: each student's last vote."""

    decision: Decision
    votes: dict[str, str]
    """Voter -> option id."""
    options: tuple[str, ...]
    """The decision's option ids, in the card's order."""

    @property
    def counts(self) -> tuple[tuple[str, int], ...]:
        """(option id, votes) for every option, in the card's order."""
        return tuple((o, sum(v == o for v in self.votes.values())) for o in self.options)

    @property
    def total(self) -> int:
        """How many students voted."""
        return len(self.votes)

    @property
    def top(self) -> str | None:
        """The class's choice: the option with the most votes (a tie: the first on the
        card); None before anyone votes."""
        counts = self.counts
        if not self.total:
            return None
        most = max(n for _, n in counts)
        return next(o for o, n in counts if n == most)

    def voters_for(self, option: str) -> list[str]:
        """Who voted for ``option``, sorted."""
        return sorted(v for v, o in self.votes.items() if o == option)

    def overrides(self, option: str) -> bool:
        """Whether taking ``option`` goes against the class: fewer votes than the top."""
        counts = dict(self.counts)
        return bool(self.total) and counts.get(option, 0) < max(counts.values())


def tally(ballots: Iterable[Ballot], decision: Decision, options: Sequence[str]) -> Tally:
    """The votes on ``decision``: each voter's last vote for one of its ``options``."""
    votes: dict[str, str] = {}
    for ballot in ballots:
        if ballot.decision == decision and ballot.option in options:
            votes[ballot.voter] = ballot.option
    return Tally(decision, votes, tuple(options))


class FileWatch:
    """Tells cheaply whether a file changed since the last look (one ``stat``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int, int] | None = None

    def changed(self) -> bool:
        """Whether the file is new, replaced, grown or touched since the last call."""
        try:
            info = self.path.stat()
        except OSError:
            seen = None
        else:
            seen = (info.st_ino, info.st_size, info.st_mtime_ns)
        if seen == self._seen:
            return False
        self._seen = seen
        return True


# --- the class game -----------------------------------------------------------------


@dataclass
class ClassGame(Session):
    """The class's one game: a session of the exercise played by :data:`CLASS_PLAYER`,
    whose save also holds the record of the class's votes."""

    votes: list[TurnVotes] = field(default_factory=list)
    """How the class voted on each decision taken, in order."""

    @classmethod
    def open(cls, exercise: Exercise, saves: Path) -> ClassGame:
        """The instructor's class game: the one in play, else a new one, saved at once so
        the students' tabs find it.  Raises GameInUse when another console holds it and
        SaveError when it cannot be saved."""
        from game.saves import SaveError

        session, _ = cls.join(exercise, saves, CLASS_PLAYER)
        assert isinstance(session, ClassGame)
        error = session.save()
        if error:
            session.close()
            raise SaveError(error)
        return session

    @classmethod
    def resume(cls, loaded: LoadedSave, saves: Path, exercise: Exercise | None = None) -> Session:
        session = super().resume(loaded, saves, exercise)
        if isinstance(session, ClassGame):
            session.votes = list(loaded.meta.votes)
        return session

    @classmethod
    def follow(cls, loaded: LoadedSave) -> ClassGame:
        """The class game as a student's tab shows it: read from its save and never
        written (no lock: the console holds it and saves it)."""
        folder = loaded.path.parent
        session = cls(loaded.scenario, loaded.state, folder, loaded.path, on_disk=True)
        session.player = CLASS_PLAYER
        session.votes = list(loaded.meta.votes)
        for step in loaded.history():
            if step.report is not None:
                session.log.append(session._item(step.after, step.report, step.before))
        return session

    def file_stem(self) -> str:
        """The class game's file is ``class-game.toml``."""
        return CLASS_GAME

    def meta(self, kind: str = "autosave") -> SaveMeta:
        """The save's meta, with the record of the class's votes."""
        return replace(super().meta(kind), votes=tuple(self.votes))

    @property
    def decision(self) -> Decision | None:
        """The decision the class votes on now."""
        return decision_of(self.state)

    def ballots(self) -> list[Ballot]:
        """Every vote in the class game's ballot box (none before its file is written)."""
        return read_ballots(self.path) if self.path is not None else []

    def tally(self, ballots: Iterable[Ballot] | None = None) -> Tally | None:
        """The votes on the decision owed now, from ``ballots`` or else the ballot box
        (None when the game is over)."""
        decision = self.decision
        if decision is None:
            return None
        item = self.scenario.item(decision.kind, decision.id)
        assert item is not None  # the engine dealt it from this scenario
        counted = self.ballots() if ballots is None else ballots
        return tally(counted, decision, [o.id for o in item.options])

    def choose(self, option: str) -> ChoiceResult:
        """Take ``option`` for the class: the record notes the tally from the ballot box
        and whether ``option`` overrides the class's choice; then the choice is taken and
        saved, as in every game."""
        from game.saves import TurnVotes

        counted = self.tally()
        if counted is None:
            return super().choose(option)  # the engine says the game is over
        d = counted.decision
        self.votes.append(
            TurnVotes(
                turn=d.turn,
                kind=d.kind,
                id=d.id,
                chosen=option,
                tally=tuple((o, n) for o, n in counted.counts if n),
                overridden=counted.overrides(option),
            )
        )
        from game.engine import EngineError

        try:
            return super().choose(option)
        except EngineError:
            self.votes.pop()  # not taken (an option the card does not have)
            raise


def claim_voter(saves: Path, exercise: Exercise, voter: str) -> GameLock:
    """Hold a student's name for this tab while it votes, so that two students who type
    the same name do not share one vote unawares.  Raises GameInUse when another tab
    holds it (the process's end lets it go, however it ends)."""
    from game.classroom.roster import class_dir, file_stem
    from game.saves import GameLock

    folder = class_dir(saves, exercise.info.class_code)
    folder.mkdir(parents=True, exist_ok=True)
    lock = GameLock(folder / f"{CLASS_GAME}.voter-{file_stem(voter)}")
    lock.acquire()
    return lock


def class_game_file(saves: Path, exercise: Exercise) -> Path | None:
    """The class game's file in the class folder: the newest game of :data:`CLASS_PLAYER`
    (None before the instructor's console has started one)."""
    from game.classroom.roster import student_games

    games = student_games(saves, exercise.info.class_code, CLASS_PLAYER)
    return games[0] if games else None


# --- the class report's section -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoteRow:
    """One decision of a class game, as the class report shows it."""

    turn: int
    decision: str
    """The card's title ("Event: …" for an event)."""
    tally: tuple[tuple[str, int], ...]
    """(option text, votes), in the card's order, options nobody voted for left out."""
    chosen: str
    """The option the class game took."""
    overridden: bool
    lens: tuple[str, ...]
    """What the lens then did: the rules that acted on the choice (none said while the
    game goes on under a hidden lens)."""
    lens_hidden: bool


def class_vote_rows(saves: Iterable[LoadedSave]) -> list[VoteRow]:
    """Every voted decision of the class games among ``saves``, in order of play."""
    from game.engine.view import lens_is_hidden
    from game.timeline import option_text, rule_lines

    rows = []
    for save in saves:
        if not save.meta.votes:
            continue
        scenario, state = save.scenario, save.state
        acted = {
            (s.report.turn, s.report.decision.kind, s.report.decision.id): s.report.rules_applied
            for s in save.history()
            if s.report is not None and s.report.decision is not None
        }
        for v in save.meta.votes:
            rows.append(
                VoteRow(
                    turn=v.turn,
                    decision=_title(scenario, v.kind, v.id),
                    tally=tuple((option_text(scenario, v.kind, v.id, o), n) for o, n in v.tally),
                    chosen=option_text(scenario, v.kind, v.id, v.chosen),
                    overridden=v.overridden,
                    lens=rule_lines(scenario, state, acted.get((v.turn, v.kind, v.id), ())),
                    lens_hidden=lens_is_hidden(state),
                )
            )
    return rows


def _title(scenario: Scenario, kind: str, item_id: str) -> str:
    item = scenario.item(kind, item_id)
    title = item.title if item is not None else item_id
    return f"Event: {title}" if kind == "event" else title


def vote_table(rows: Sequence[VoteRow]) -> list[list[str]]:
    """The report's section as a table of plain text cells, its header first."""
    table = [["Turn", "Decision", "The class voted", "Taken", "What the lens then did"]]
    for row in rows:
        voted = "; ".join(f"{text} ({n})" for text, n in row.tally) or "no votes"
        taken = f"{row.chosen} (overridden by the instructor)" if row.overridden else row.chosen
        if row.lens_hidden:
            lens = "hidden until the game ends"
        else:
            lens = "; ".join(row.lens) or "no rule of the lens acted on it"
        table.append([str(row.turn), row.decision, voted, taken, lens])
    return table


def vote_summary(rows: Sequence[VoteRow]) -> str:
    """One line: how many decisions the class voted on and how many were overridden."""
    overridden = sum(r.overridden for r in rows)
    decisions = f"{len(rows)} decision{'s' if len(rows) != 1 else ''}"
    if not overridden:
        return f"The class voted on {decisions}; the instructor took every vote's choice."
    times = {1: "once", 2: "twice"}.get(overridden, f"{overridden} times")
    return f"The class voted on {decisions}; the instructor overrode the vote {times}."


def vote_lines(rows: Sequence[VoteRow]) -> list[str]:
    """The report's section as text lines: each decision, then how the class voted, the
    option taken and what the lens then did, one a line."""
    lines = [vote_summary(rows)]
    for turn, decision, voted, taken, lens in vote_table(rows)[1:]:
        lines.append(f"T{turn:<3} {decision}")
        lines += [f"     voted: {voted}", f"     taken: {taken}", f"     the lens: {lens}"]
    return lines
