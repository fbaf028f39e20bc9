"""The scenario compiled for the engine: indices instead of ids, closures for conditions.

Built once per scenario and cached on it; the turn loop in :mod:`game.engine.core`
touches only these flat, precomputed structures.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from game.content.models import Dynamic, Effect, Option
from game.engine.conditions import (
    Condition,
    FirstOf,
    Test,
    compile_condition,
    compile_first,
    compile_test,
    required_flags,
    turn_window,
)
from game.engine.state import Cause, GameState

if TYPE_CHECKING:
    from game.content.scenario import Scenario

EventScan = Callable[[GameState, Callable[[int], bool]], None]
OpenCards = Callable[[GameState], tuple[list["CCard"], list[int], list[int], int]]
_Row = TypeVar("_Row")

_NO_LAST_TURN = 1 << 30
"""The ``last`` turn of a window with no upper bound (as :func:`turn_window` gives it)."""


@dataclass(frozen=True, slots=True)
class Eff:
    """An effect with its meter resolved to an index."""

    target: str  # "meter", "uncertainty", "set_flag", "clear_flag"
    id: str
    index: int  # meter index; -1 for flags
    op: str  # "add", "set", "scale" or "" for flags
    value: float
    after: int
    chance: float
    why: str
    step: int | None = field(init=False, repr=False, compare=False)
    """For the commonest effect, a sure and immediate ``add`` to a meter: the amount
    added, ``int(value)``; None for every other effect.  Derived from the fields
    above (in ``__post_init__``), so the engine's fast path for it computes exactly
    what the general path would."""

    def __post_init__(self) -> None:
        plain = self.target == "meter" and self.op == "add" and not self.after
        step = int(self.value) if plain and not self.chance < 1.0 else None
        object.__setattr__(self, "step", step)


Caused = tuple[tuple[Eff, Cause], ...]
"""Effects paired with their (precomputed) cause."""


@dataclass(frozen=True, slots=True)
class CRule:
    """A compiled lens rule."""

    ref: str
    when: Test | None
    replace: bool
    cancel: frozenset[str]
    scale: Mapping[str, float]
    effects: Caused
    why: str


@dataclass(frozen=True, slots=True)
class COption:
    """A compiled option with the lens rules that match its tags, per lens."""

    ref: str
    id: str
    effects: Caused
    rules: Mapping[str, tuple[CRule, ...]]


@dataclass(frozen=True, slots=True)
class CCard:
    id: str
    when: Test | None
    first: int
    """First turn the condition can hold (read from its `turn` comparisons)."""
    last: int
    weight: int
    cooldown: int
    once: bool
    options: Mapping[str, COption]


@dataclass(frozen=True, slots=True)
class CEvent:
    id: str
    when: Test | None
    condition: Condition | None
    first: int
    last: int
    chance: float
    once: bool
    cooldown: int
    inject_only: bool
    effects: Caused
    options: Mapping[str, COption]


@dataclass(frozen=True, slots=True)
class CDynamic:
    ref: str
    when: Test | None
    condition: Condition | None
    effects: Caused


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything the turn loop needs, precomputed."""

    meter_ids: tuple[str, ...]
    lo: tuple[int, ...]
    hi: tuple[int, ...]
    start: tuple[int, ...]
    start_uncertainty: tuple[int, ...]
    start_flags: frozenset[str]
    ladder_top: int
    top_ending: str
    default_ending: str
    first_ending: FirstOf
    """The first of ``endings`` (by priority) whose condition holds, in one call."""
    cards: tuple[CCard, ...]
    card: Mapping[str, CCard]
    events: Mapping[str, CEvent]
    chance_events: tuple[CEvent, ...]
    """Events that may fire by themselves (not inject-only), in content order."""
    scan_events: EventScan
    """``scan(s, act)``: ``act(k)`` for each of ``chance_events`` that may fire now, in
    order, until ``act`` returns True (see :func:`_compile_event_scan`)."""
    card_weights: tuple[int, ...]
    """The weight of each of ``cards``."""
    open_cards: OpenCards
    """``open_cards(s)``: the cards that may be dealt now, before their conditions are
    checked, with their weights, running totals and total (see :func:`_compile_open_cards`)."""
    dynamics: Mapping[str, tuple[CDynamic, ...]]
    """Per lens: the global dynamics followed by the lens's own."""
    dynamics_table: Mapping[str, tuple[tuple[Test | None, Caused], ...]]
    """Per lens: ``(test, effects)`` for each of ``dynamics[lens]``, in order; ``test`` is
    None for a dynamic that always applies.  The engine tests each just before applying
    its effects, so each sees what the ones before it changed."""
    lenses: tuple[str, ...]
    start_year: int
    start_month: int
    months_per_turn: int
    turn_limit: int
    cards_per_turn: int
    max_events: int


def rules_for(scenario: Scenario) -> Rules:
    """The compiled rules of ``scenario`` (built on first use, then cached)."""
    cached = scenario._compiled.get("rules")
    if cached is None:
        cached = scenario._compiled["rules"] = _compile(scenario)
    assert isinstance(cached, Rules)
    return cached


def _compile(sc: Scenario) -> Rules:
    names = sc.names

    def cond(text: str) -> Condition | None:
        """The checked condition, or None for one that always holds."""
        return None if text.strip() == "true" else sc.conditions[text]

    def pred(text: str) -> Test | None:
        condition = cond(text)
        return None if condition is None else compile_condition(condition, names)

    def window(text: str) -> tuple[int, int]:
        return turn_window(sc.conditions[text]) if text.strip() != "true" else (1, _NO_LAST_TURN)

    def caused(effects: Iterable[Effect], kind: str, ref: str, why: str = "") -> Caused:
        return tuple((e, Cause(kind, ref, e.why or why)) for e in effs(effects))

    def effs(effects: Iterable[Effect]) -> tuple[Eff, ...]:
        out = []
        for e in effects:
            if e.meter is not None:
                op = "add" if e.add is not None else "set" if e.set is not None else "scale"
                value = float(
                    e.add if e.add is not None else e.set if e.set is not None else e.scale or 0.0
                )
                out.append(
                    Eff(
                        "meter", e.meter, names.meters[e.meter], op, value, e.after, e.chance, e.why
                    )
                )
            elif e.uncertainty is not None:
                out.append(
                    Eff(
                        "uncertainty",
                        e.uncertainty,
                        names.meters[e.uncertainty],
                        "add",
                        float(e.add or 0),
                        e.after,
                        e.chance,
                        e.why,
                    )
                )
            else:
                target = "set_flag" if e.set_flag else "clear_flag"
                out.append(Eff(target, e.target, -1, "", 0.0, e.after, e.chance, e.why))
        return tuple(out)

    lens_rules = {
        lens.id: [
            (
                frozenset(rule.tags),
                CRule(
                    f"{lens.id}.{rule.id}",
                    pred(rule.when),
                    rule.replace,
                    frozenset(rule.cancel),
                    dict(rule.scale),
                    caused(rule.effects, "lens", f"{lens.id}.{rule.id}", rule.why),
                    rule.why,
                ),
            )
            for rule in lens.rules
        ]
        for lens in sc.lenses
    }

    def options(owner: str, opts: Iterable[Option]) -> dict[str, COption]:
        out = {}
        for o in opts:
            tags = set(o.tags)
            matching = {
                lens: tuple(rule for rule_tags, rule in rules if rule_tags & tags)
                for lens, rules in lens_rules.items()
            }
            out[o.id] = COption(
                f"{owner}.{o.id}",
                o.id,
                caused(o.effects, "option", f"{owner}.{o.id}"),
                {k: v for k, v in matching.items() if v},
            )
        return out

    def dynamics(items: Iterable[Dynamic], prefix: str = "") -> list[CDynamic]:
        return [
            CDynamic(
                prefix + d.id,
                pred(d.when),
                cond(d.when),
                caused(d.effects, "dynamic", prefix + d.id),
            )
            for d in items
        ]

    common = dynamics(sc.dynamics)
    lens_dynamics = {
        lens.id: (*common, *dynamics(lens.dynamics, f"{lens.id}.")) for lens in sc.lenses
    } | {"": tuple(common)}
    year, month = (int(x) for x in sc.info.start.split("-"))
    endings = sorted(
        (e for e in sc.endings if e.when.strip() != "false"),
        key=lambda e: -e.priority,  # stable: equal priorities keep file order
    )
    first_ending = compile_first([(e.id, cond(e.when)) for e in endings], names)
    cards = tuple(
        CCard(
            c.id,
            pred(c.when),
            *window(c.when),
            c.weight,
            c.cooldown,
            c.once,
            options(c.id, c.options),
        )
        for c in sc.cards
    )
    events = {
        e.id: CEvent(
            e.id,
            pred(e.when),
            cond(e.when),
            *window(e.when),
            e.chance,
            e.once,
            e.cooldown,
            e.inject_only,
            caused(e.effects, "event", e.id),
            options(e.id, e.options),
        )
        for e in sc.events
    }
    chance_events = tuple(e for e in events.values() if not e.inject_only)
    return Rules(
        meter_ids=tuple(m.id for m in sc.meters),
        lo=tuple(m.min for m in sc.meters),
        hi=tuple(m.max for m in sc.meters),
        start=tuple(m.start for m in sc.meters),
        start_uncertainty=tuple(
            m.uncertainty if m.visibility == "estimate" else 0 for m in sc.meters
        ),
        start_flags=frozenset(f.id for f in sc.flags if f.start),
        ladder_top=len(sc.ladder.rungs) - 1,
        top_ending=sc.ladder.top_ending,
        default_ending=sc.info.default_ending,
        first_ending=first_ending,
        cards=cards,
        card={c.id: c for c in cards},
        events=events,
        chance_events=chance_events,
        scan_events=_compile_event_scan(chance_events),
        card_weights=tuple(c.weight for c in cards),
        open_cards=_compile_open_cards(cards),
        dynamics=lens_dynamics,
        dynamics_table={
            lens: tuple((compile_test(d.condition, names), d.effects) for d in dyns)
            for lens, dyns in lens_dynamics.items()
        },
        lenses=tuple(lens.id for lens in sc.lenses),
        start_year=year,
        start_month=month,
        months_per_turn=sc.info.months_per_turn,
        turn_limit=sc.info.turn_limit,
        cards_per_turn=sc.info.cards_per_turn,
        max_events=sc.info.max_events_per_turn,
    )


def _by_turn(
    windows: list[tuple[int, int]], rows: list[_Row]
) -> tuple[list[int], tuple[tuple[_Row, ...], ...]]:
    """Rows grouped by the turns whose window holds them: ``(breaks, tables)``.

    ``windows[i]`` is the (first, last) turn window of ``rows[i]``.  Whether a window
    holds a turn changes only at a ``first`` or at a ``last + 1``; ``breaks`` are those
    turns, sorted, so all the turns with the same ``bisect_right(breaks, turn)`` are in
    exactly the same windows, and ``tables[bisect_right(breaks, turn)]`` lists, in
    order, the rows whose window holds ``turn``.
    """
    breaks = sorted({edge for first, last in windows for edge in (first, last + 1)})
    # One turn from each stretch between breaks (and before the first, after the last).
    turns = [breaks[0] - 1 if breaks else 0, *breaks]
    tables = tuple(
        tuple(row for (first, last), row in zip(windows, rows, strict=True) if first <= t <= last)
        for t in turns
    )
    return breaks, tables


def _gate(condition: Condition | None) -> str | None:
    """The first flag ``condition`` requires (see :func:`required_flags`), if any."""
    needed = required_flags(condition) if condition is not None else ()
    return needed[0] if needed else None


def _compile_event_scan(events: tuple[CEvent, ...]) -> EventScan:
    """The news phase's scan of chance events: ``scan(s, act)``.

    An event may fire when it is not a once-only event already seen, its cooldown is
    over, and its condition holds; then ``act(k)`` rolls its chance and fires it, and
    the scan stops when ``act`` returns True.  The events are tried in content order,
    each after the previous ones fired, since ``act`` changes the state's meters, flags,
    seen and available in place.  Before the condition, the scan tests its turn window
    (see :func:`turn_window`) and the first flag it requires (see
    :func:`required_flags`): outside the window, or without that flag, the condition is
    surely false, so not calling it changes nothing (conditions are pure).  The windows
    are resolved ahead of time (see :func:`_by_turn`).
    """
    breaks, in_window = _by_turn(
        [(e.first, e.last) for e in events],
        [(k, e.id, e.once, e.when, _gate(e.condition)) for k, e in enumerate(events)],
    )

    def scan(s: GameState, act: Callable[[int], bool]) -> None:
        seen = s.seen
        available = s.available
        flags = s.flags
        turn = s.turn
        for k, ident, once, when, gate in in_window[bisect_right(breaks, turn)]:
            if once and ident in seen:
                continue
            if ident in available and available[ident] > turn:  # cooling down
                continue
            if gate is not None and gate not in flags:
                continue
            if when is not None and not when.holds(s):
                continue
            if act(k):
                return

    return scan


def _compile_open_cards(
    cards: tuple[CCard, ...],
) -> OpenCards:
    """The deal's first filter, in one pass: ``open_cards(s)`` gives the cards that may be
    dealt now, before their conditions are checked, with their weights, the running
    totals of those weights and their sum.

    A card is open when it is in its turn window, not once-only and already seen, out
    of cooldown (in ``available`` and not yet due), and in the exercise's deck
    (``s.allowed_cards``, when set).  The cards keep content order.  The running totals
    are what the weighted draw bisects; computing them here saves a second pass.

    The turn windows are resolved ahead of time (see :func:`_by_turn`).
    """
    breaks, in_window = _by_turn(
        [(c.first, c.last) for c in cards], [(c, c.once, c.id, c.weight) for c in cards]
    )

    def open_cards(s: GameState) -> tuple[list[CCard], list[int], list[int], int]:
        seen = s.seen
        available = s.available
        allowed = s.allowed_cards
        turn = s.turn
        candidates: list[CCard] = []
        weights: list[int] = []
        totals: list[int] = []
        total = 0
        for card, once, ident, weight in in_window[bisect_right(breaks, turn)]:
            if once and ident in seen:
                continue
            if ident in available and available[ident] > turn:  # cooling down
                continue
            if allowed is not None and ident not in allowed:
                continue
            candidates.append(card)
            weights.append(weight)
            total += weight
            totals.append(total)
        return candidates, weights, totals, total

    return open_cards
