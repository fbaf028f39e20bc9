"""One play of a scenario (:class:`GameState`) and the records of what happened in it.

The records (:class:`Cause`, :class:`TurnReport`, ...) are immutable named tuples rather
than frozen dataclasses: the engine creates several per turn, and a named tuple is several
times cheaper to create than a frozen dataclass (whose ``__init__`` sets each field
through ``object.__setattr__``).  :class:`Change`, the commonest, is a plain class with
a written-out ``__init__``, which mypyc compiles (see setup.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal, NamedTuple

from mypy_extensions import i64

DecisionKind = Literal["card", "event"]
Termination = Literal["condition", "ladder_top", "turn_limit", "instructor"]
"""How a game ended: an ending's condition held ("condition"), the ladder reached its
top ("ladder_top"), the turns ran out ("turn_limit": the scenario's default ending), or
an instructor ended the class's exercise ("instructor": :func:`~game.engine.core.end_game`,
the scenario's default ending)."""
_MASK64: Final = (1 << 64) - 1
RNG_VERSION: Final = 2
"""How new games draw their random numbers (see :mod:`game.engine.rng`): 2, a stream
per turn and purpose; games begun before save format 2 keep 1, one sequential stream."""


class Decision(NamedTuple):
    """A choice the player owes: a dealt card, or an event's own choice."""

    kind: DecisionKind
    id: str


class LogEntry(NamedTuple):
    """One entry of the choice log: an option chosen, a live inject received, or the
    game ended by the instructor (``end``)."""

    turn: int
    kind: Literal["card", "event", "inject", "end"]
    id: str
    option: str = ""


class Cause(NamedTuple):
    """Why a change happened: which option, event, lens rule or dynamic, and its reason.

    ``ref`` names the content item: ``card.option`` for options, ``event`` for events,
    ``lens.rule`` for lens rules, ``dynamic`` or ``lens.dynamic`` for dynamics.
    """

    kind: str
    """"option", "event", "lens", "dynamic" or "delayed"."""
    ref: str
    why: str = ""
    lens_rule: str = ""
    """The ``lens.rule`` that scaled this change, if one did."""
    origin: str = ""
    """For a delayed change: the kind of the cause that scheduled it."""


@dataclass(slots=True, init=False, unsafe_hash=True)
class Change:
    """One change to the state, with its cause.  Immutable by convention.

    A class rather than a named tuple like the other records: the engine makes about
    ten a turn, and mypyc builds an instance of a compiled class with a direct C call.
    """

    turn: int
    phase: str
    """"news", "decision" or "dynamics"."""
    target: str
    """"meter", "uncertainty" or "flag"."""
    id: str
    before: int
    after: int
    cause: Cause

    def __init__(
        self, turn: int, phase: str, target: str, id: str, before: int, after: int, cause: Cause
    ) -> None:
        self.turn = turn
        self.phase = phase
        self.target = target
        self.id = id
        self.before = before
        self.after = after
        self.cause = cause

    @property
    def delta(self) -> int:
        """after - before."""
        return self.after - self.before


class PendingEffect(NamedTuple):
    """An effect scheduled for a later turn."""

    due: int
    target: str
    """"meter", "uncertainty", "set_flag" or "clear_flag"."""
    id: str
    op: str
    """"add", "set", "scale", or "" for flags."""
    value: float
    cause: Cause


class TurnReport(NamedTuple):
    """What one call to ``choose`` did, from the decision to the next decision or the end."""

    turn: int
    decision: Decision | None
    """None for the opening report of a new game."""
    option: str
    changes: tuple[Change, ...]
    notes: tuple[str, ...]
    """Things that did not happen and why (a chance that failed, an effect a lens cancelled)."""
    news: tuple[str, ...]
    """Events fired after the decision, in order: the next turn's news, and that of any
    turn passed without a decision (empty when the game ended first)."""
    ending: str | None
    rules_applied: tuple[str, ...] = ()
    """The ``lens.rule`` refs whose tags and condition matched the chosen option."""


@dataclass(slots=True, init=False)
class GameState:
    """The complete state of one game; treat as immutable once returned by the engine.

    Meters are listed in the scenario's order (the ladder first).  The RNG state is part
    of the game state, so a state plus a choice always produces the same next state.
    """

    scenario_id: str
    seed: int
    lens: str
    lens_hidden: bool
    turn_limit: int
    turn: int
    month: int
    meters: list[int]
    previous: list[int]
    """Meters at the previous decision point: the UI's "change since last turn"."""
    uncertainty: list[int]
    flags: set[str]
    seen: set[str]
    """Cards dealt and events fired so far."""
    available: dict[str, int]
    """Card/event id -> first turn it may come up again (cooldowns)."""
    delayed: list[PendingEffect]
    pending: list[Decision]
    news: list[str]
    """Events fired at the start of this turn."""
    schedule: dict[int, list[str]]
    """Turn -> events forced at that turn (an exercise's injects)."""
    injects: list[str]
    """Live injects waiting for the next turn's news."""
    allowed_cards: frozenset[str] | None
    log: list[LogEntry]
    rng: i64
    """The RNG state (see :mod:`game.engine.rng`), signed; :meth:`to_dict` shows it unsigned."""
    ending: str | None
    termination: Termination | None
    """How the ending came (set with ``ending``).  Not in :meth:`to_dict`: a save replays
    its log, which sets it again."""
    rng_version: int
    """How the game draws (:data:`RNG_VERSION`): 1, ``rng`` advances with each draw; 2,
    ``rng`` is the game's key and each draw comes from its turn's stream for its purpose.
    Part of the setup, not of :meth:`to_dict`."""
    script: dict[int, list[Decision]]
    """For a replay under another lens (a counterfactual): turn -> what came up at that
    turn in the game replayed, cards dealt (``card``) and events fired (``event``, with
    or without a choice of their own).  Each comes up again at its turn whenever it may
    (its condition holds, it is not cooling down, ...), instead of being drawn; empty in
    an ordinary game.  Never changed after the game starts."""
    peak: list[int]
    """History for the endings' scores: the highest value each meter has had (the ladder
    first).  Not in :meth:`to_dict`, like ``termination``: replaying the log rebuilds it."""
    rung_turns: list[int]
    """History: per rung, the turns that ended on it (the current turn not yet counted)."""
    turn_rung: int
    """The ladder's rung when this turn began: the ladder's ``max_step`` limits how far
    above it the turn may climb, however many changes it makes.  Not in
    :meth:`to_dict`: replaying the log sets it again."""

    # Written out rather than generated by @dataclass: mypyc compiles this one to C,
    # while a generated __init__ would run as Python (the engine makes one per turn).
    def __init__(
        self,
        scenario_id: str,
        seed: int,
        lens: str,
        lens_hidden: bool,
        turn_limit: int,
        turn: int = 1,
        month: int = 1,
        meters: list[int] | None = None,
        previous: list[int] | None = None,
        uncertainty: list[int] | None = None,
        flags: set[str] | None = None,
        seen: set[str] | None = None,
        available: dict[str, int] | None = None,
        delayed: list[PendingEffect] | None = None,
        pending: list[Decision] | None = None,
        news: list[str] | None = None,
        schedule: dict[int, list[str]] | None = None,
        injects: list[str] | None = None,
        allowed_cards: frozenset[str] | None = None,
        log: list[LogEntry] | None = None,
        rng: i64 = 0,
        ending: str | None = None,
        termination: Termination | None = None,
        rng_version: int = RNG_VERSION,
        script: dict[int, list[Decision]] | None = None,
        peak: list[int] | None = None,
        rung_turns: list[int] | None = None,
        turn_rung: int | None = None,
    ) -> None:
        self.scenario_id = scenario_id
        self.seed = seed
        self.lens = lens
        self.lens_hidden = lens_hidden
        self.turn_limit = turn_limit
        self.turn = turn
        self.month = month
        self.meters = [] if meters is None else meters
        self.previous = [] if previous is None else previous
        self.uncertainty = [] if uncertainty is None else uncertainty
        self.flags = set() if flags is None else flags
        self.seen = set() if seen is None else seen
        self.available = {} if available is None else available
        self.delayed = [] if delayed is None else delayed
        self.pending = [] if pending is None else pending
        self.news = [] if news is None else news
        self.schedule = {} if schedule is None else schedule
        self.injects = [] if injects is None else injects
        self.allowed_cards = allowed_cards
        self.log = [] if log is None else log
        self.rng = rng
        self.ending = ending
        self.termination = termination
        self.rng_version = rng_version
        self.script = {} if script is None else script
        self.peak = list(self.meters) if peak is None else peak
        self.rung_turns = [] if rung_turns is None else rung_turns
        self.turn_rung = (self.meters[0] if self.meters else 0) if turn_rung is None else turn_rung

    def copy(self) -> GameState:
        """A copy safe to change without touching this state."""
        return GameState(
            self.scenario_id,
            self.seed,
            self.lens,
            self.lens_hidden,
            self.turn_limit,
            self.turn,
            self.month,
            self.meters.copy(),
            self.previous.copy(),
            self.uncertainty.copy(),
            self.flags.copy(),
            self.seen.copy(),
            self.available.copy(),
            self.delayed.copy(),
            self.pending.copy(),
            self.news.copy(),
            self.schedule,  # never changed after new_game
            self.injects.copy(),
            self.allowed_cards,
            self.log.copy(),
            self.rng,
            self.ending,
            self.termination,
            self.rng_version,
            self.script,  # never changed after new_game
            self.peak.copy(),
            self.rung_turns.copy(),
            self.turn_rung,
        )

    def to_dict(self, meter_ids: tuple[str, ...]) -> dict[str, Any]:
        """A canonical, TOML-friendly dict of the state (sorted sets, named meters)."""
        return {
            "turn": self.turn,
            "month": self.month,
            "meters": dict(zip(meter_ids, self.meters, strict=True)),
            "previous": dict(zip(meter_ids, self.previous, strict=True)),
            "uncertainty": {m: u for m, u in zip(meter_ids, self.uncertainty, strict=True) if u},
            "flags": sorted(self.flags),
            "seen": sorted(self.seen),
            "available": dict(sorted(self.available.items())),
            "delayed": [
                {
                    "due": p.due,
                    "target": p.target,
                    "id": p.id,
                    "op": p.op,
                    "value": p.value,
                    "cause": {
                        "kind": p.cause.kind,
                        "ref": p.cause.ref,
                        "why": p.cause.why,
                        "lens_rule": p.cause.lens_rule,
                        "origin": p.cause.origin,
                    },
                }
                for p in self.delayed
            ],
            "pending": [{"kind": d.kind, "id": d.id} for d in self.pending],
            "news": list(self.news),
            "injects": list(self.injects),
            "rng": str(int(self.rng) & _MASK64),
            "ending": self.ending or "",
        }
