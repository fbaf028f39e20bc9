"""The loaded scenario: every file of a scenario folder merged, checked and immutable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from game.content.conditions import Condition
from game.content.models import (
    Briefing,
    Card,
    Criterion,
    Dynamic,
    Ending,
    Event,
    Flag,
    GlossaryEntry,
    Ladder,
    Lens,
    Meter,
    ScenarioInfo,
    Source,
    StrategyModel,
)


@dataclass(frozen=True, slots=True)
class ScenarioNames:
    """The names conditions may use; also the index of each meter in a game state."""

    meters: Mapping[str, int]
    rungs: Mapping[str, int]
    flags: frozenset[str]
    seen: frozenset[str]
    lenses: frozenset[str] = frozenset()


@dataclass(frozen=True, eq=False)
class Scenario:
    """Immutable description of one scenario (the 'game' as opposed to one play of it)."""

    info: ScenarioInfo
    briefing: Briefing
    ladder: Ladder
    meters: tuple[Meter, ...]
    """All meters, the ladder first (as a meter whose range is its rungs)."""
    sources: tuple[Source, ...]
    criteria: tuple[Criterion, ...]
    flags: tuple[Flag, ...]
    cards: tuple[Card, ...]
    events: tuple[Event, ...]
    endings: tuple[Ending, ...]
    lenses: tuple[Lens, ...]
    dynamics: tuple[Dynamic, ...]
    glossary: tuple[GlossaryEntry, ...]
    strategies: tuple[StrategyModel, ...]
    conditions: Mapping[str, Condition]
    """Every condition text in the content, parsed."""
    fingerprint: str
    """SHA-256 of the content files, recorded in saves."""
    folder: Path | None = None
    scores: Mapping[str, Condition] = field(default_factory=dict)
    """Every score expression in the content (criteria's and endings'), parsed."""
    # Engine-private cache of the compiled rules (see game.engine.rules).
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The scenario id."""
        return self.info.id

    @cached_property
    def names(self) -> ScenarioNames:
        """Names usable in conditions."""
        return ScenarioNames(
            meters={m.id: i for i, m in enumerate(self.meters)},
            rungs={r.id: i for i, r in enumerate(self.ladder.rungs)},
            flags=frozenset(f.id for f in self.flags),
            seen=frozenset([c.id for c in self.cards] + [e.id for e in self.events]),
            lenses=frozenset(lens.id for lens in self.lenses),
        )

    @cached_property
    def option_keys(self) -> tuple[str, ...]:
        """Every option of every card and event, as ``owner.option``."""
        owners: list[Card | Event] = [*self.cards, *self.events]
        return tuple(f"{item.id}.{o.id}" for item in owners for o in item.options)

    @cached_property
    def card(self) -> Mapping[str, Card]:
        """Cards by id."""
        return {c.id: c for c in self.cards}

    @cached_property
    def event(self) -> Mapping[str, Event]:
        """Events by id."""
        return {e.id: e for e in self.events}

    def item(self, kind: str, id: str) -> Card | Event | None:
        """The card (``kind`` "card") or event (``kind`` "event") called ``id``; None if
        the scenario has none by that id.

        ``kind`` is a decision's or a log entry's kind, so ``scenario.item(decision.kind,
        decision.id)`` is the card or event a decision is about, e.g. in the mini fixture
        ``scenario.item("event", "storm").title`` is the storm event's title.  Any other
        kind (an "inject" log entry names an event) is a ValueError.
        """
        if kind == "card":
            return self.card.get(id)
        if kind == "event":
            return self.event.get(id)
        raise ValueError(f"no item of kind {kind!r}: a decision is about a card or an event")

    @cached_property
    def ending(self) -> Mapping[str, Ending]:
        """Endings by id."""
        return {e.id: e for e in self.endings}

    @cached_property
    def lens(self) -> Mapping[str, Lens]:
        """Lenses by id."""
        return {lens.id: lens for lens in self.lenses}

    @cached_property
    def meter(self) -> Mapping[str, Meter]:
        """Meters (ladder included) by id."""
        return {m.id: m for m in self.meters}

    @cached_property
    def source(self) -> Mapping[str, Source]:
        """Sources by id."""
        return {s.id: s for s in self.sources}
