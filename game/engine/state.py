"""One play of a scenario (:class:`GameState`) and the records of what happened in it.

The records (:class:`Change`, :class:`Cause`, :class:`TurnReport`, ...) are immutable
named tuples rather than frozen dataclasses: the engine creates about a dozen per turn,
and a named tuple is several times cheaper to create than a frozen dataclass (whose
``__init__`` sets each field through ``object.__setattr__``).  Fields, equality, hashing
and ``repr`` are as they were; being tuples, they also unpack and index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

DecisionKind = Literal["card", "event"]


class Decision(NamedTuple):
    """A choice the player owes: a dealt card, or an event's own choice."""

    kind: DecisionKind
    id: str


class LogEntry(NamedTuple):
    """One entry of the choice log: an option chosen, or a live inject received."""

    turn: int
    kind: Literal["card", "event", "inject"]
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


class Change(NamedTuple):
    """One change to the state, with its cause."""

    turn: int
    phase: str
    """"news", "decision" or "dynamics"."""
    target: str
    """"meter", "uncertainty" or "flag"."""
    id: str
    before: int
    after: int
    cause: Cause

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


@dataclass(slots=True)
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
    turn: int = 1
    month: int = 1
    meters: list[int] = field(default_factory=list)
    previous: list[int] = field(default_factory=list)
    """Meters at the previous decision point: the UI's "change since last turn"."""
    uncertainty: list[int] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    """Cards dealt and events fired so far."""
    available: dict[str, int] = field(default_factory=dict)
    """Card/event id -> first turn it may come up again (cooldowns)."""
    delayed: list[PendingEffect] = field(default_factory=list)
    pending: list[Decision] = field(default_factory=list)
    news: list[str] = field(default_factory=list)
    """Events fired at the start of this turn."""
    schedule: dict[int, list[str]] = field(default_factory=dict)
    """Turn -> events forced at that turn (an exercise's injects)."""
    injects: list[str] = field(default_factory=list)
    """Live injects waiting for the next turn's news."""
    allowed_cards: frozenset[str] | None = None
    log: list[LogEntry] = field(default_factory=list)
    rng: int = 0
    ending: str | None = None

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
            "rng": str(self.rng),
            "ending": self.ending or "",
        }
