"""The class report's data: one tree of dataclasses, built by :mod:`.builder` and read by
every renderer (none of which computes a figure of its own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.classroom.vote import VoteRow
from game.debrief import Moment
from game.engine.setup import Setup


@dataclass(frozen=True, slots=True)
class PathStep:
    """One decision a student took: a card or an event with a choice."""

    turn: int
    kind: str
    """"card" or "event"."""
    title: str
    option: str
    """The chosen option's text."""


@dataclass(frozen=True, slots=True)
class InjectReceived:
    """A live inject a student's game took, and what the student chose next."""

    turn: int
    """The turn at whose choice the game took it (it fires in the next turn's news)."""
    event: str
    title: str
    next_choice: str
    """"Card title: option text" of the student's next decision ('' if none yet)."""


@dataclass(frozen=True, slots=True)
class InjectSummary:
    """One live inject across the class: who received it, when, and what came next."""

    event: str
    title: str
    students: int
    turns: tuple[int, ...]
    """The turns at which games took it, sorted (a student may join late)."""
    next_choices: tuple[tuple[str, int], ...]
    """The decisions taken right after it, most frequent first."""


@dataclass(frozen=True, slots=True)
class StudentResult:
    """One student's game, as the report shows it."""

    name: str
    """The player's name from the save (or the file's stem), cleaned of control characters."""
    file: str
    finished: bool
    ending: str
    """The ending's id ("" while in progress)."""
    ending_title: str
    turns: int
    """The turn the game ended on, or the turn it stands at."""
    total_score: int | None
    """The ending's total score; None while in progress."""
    path: tuple[PathStep, ...]
    moment: Moment | None
    """The game's most decisive moment (finished games only)."""
    history: dict[str, tuple[int, ...]]
    """Meter label -> true value at the start of each turn, then the latest value."""
    warnings: tuple[str, ...] = ()
    scores: dict[str, int] = field(default_factory=dict)
    """Each criterion's score of a finished game (empty while it goes on)."""
    injects: tuple[InjectReceived, ...] = ()
    """The live injects the game took, in order."""


@dataclass(frozen=True, slots=True)
class EndingCount:
    """How many finished games reached an ending."""

    ending: str
    title: str
    count: int
    share: float
    ci95: tuple[float, float]
    """95% Wilson interval of the share (wide for a small class)."""


@dataclass(frozen=True, slots=True)
class OptionCount:
    """How often the class chose one option."""

    option: str
    text: str
    count: int


@dataclass(frozen=True, slots=True)
class CardChoices:
    """The class's choices on one card (or event with a choice), every option listed."""

    kind: str
    id: str
    title: str
    options: tuple[OptionCount, ...]

    @property
    def total(self) -> int:
        """How many times the class faced this decision."""
        return sum(o.count for o in self.options)

    @property
    def heading(self) -> str:
        """The card's title, an event's with "Event: " before it."""
        return decision_title(self.kind, self.title)

    def share(self, option: OptionCount) -> float:
        """The share of the class's decisions on this card that took ``option``."""
        return option.count / self.total if self.total else 0.0


def decision_title(kind: str, title: str) -> str:
    """A decision's title as the report names it: an event's with "Event: " before it."""
    return f"Event: {title}" if kind == "event" else title


@dataclass(frozen=True, slots=True)
class MeterInfo:
    """A meter as the charts draw it."""

    id: str
    label: str
    min: int
    max: int
    rungs: tuple[str, ...] = ()
    """Rung names, lowest first, when the meter is the escalation ladder."""


@dataclass(frozen=True, slots=True)
class BaselineRow:
    """One simulated strategy's endings over the baseline games."""

    strategy: str
    description: str
    games: int
    shares: dict[str, float]
    """Ending id -> share of games, every ending of the scenario in content order."""
    label: str = ""
    """The strategy named for people: "Denison's advice", "Random player"."""


@dataclass(frozen=True, slots=True)
class Baseline:
    """Simulated players in the class's crisis: same seed, lens, turn limit, injects, deck."""

    lens: str
    lens_name: str
    runs: int
    crisis: Setup
    source: str
    """Where the crisis comes from: "exercise" or the save it was copied from."""
    rows: tuple[BaselineRow, ...]


@dataclass
class ClassReport:
    """Everything the class report shows."""

    folder: Path
    scenario_id: str
    scenario_title: str
    exercise_title: str
    lens: str
    lens_name: str
    lens_hidden: bool
    """Whether the students played with the lens hidden."""
    students: list[StudentResult] = field(default_factory=list)
    """Every valid save, finished or not, in file-name order."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(file name, reason) of every ``.toml`` file that is not a readable save of this class."""
    outcomes: list[EndingCount] = field(default_factory=list)
    """Every ending of the scenario, in content order, counted over finished games only."""
    choices: list[CardChoices] = field(default_factory=list)
    """Cards, then events, in content order, for every decision any student faced."""
    meters: list[MeterInfo] = field(default_factory=list)
    baseline: Baseline | None = None
    questions: list[str] = field(default_factory=list)
    """Discussion questions of the endings reached and of the lens, deduplicated."""
    notes: list[str] = field(default_factory=list)
    """Things the instructor should know (mixed setups, changed content, no baseline)."""
    injects: list[InjectSummary] = field(default_factory=list)
    """The live injects the class received."""
    criteria: list[tuple[str, str]] = field(default_factory=list)
    """(id, label) of the scenario's scoring criteria, in order."""
    made: str = ""
    """When the report was made (local time, to the minute)."""
    votes: list[VoteRow] = field(default_factory=list)
    """A class game's votes, turn by turn (vote mode)."""

    @property
    def finished(self) -> list[StudentResult]:
        """The students whose games ended."""
        return [s for s in self.students if s.finished]

    @property
    def in_progress(self) -> list[StudentResult]:
        """The students whose games have not ended yet."""
        return [s for s in self.students if not s.finished]
