"""The turn: news, deal, resolve, dynamics, check — as pure functions of the state.

Vocabulary: :func:`new_game`, :func:`current_decision`, :func:`choices`, :func:`choose`,
:func:`inject`, :func:`end_game`, :func:`is_over`.  Every function takes the immutable
scenario and a state and returns a new state; the state passed in is never changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Final

from game.content.models import Option
from game.engine import rng
from game.engine.conditions import Test
from game.engine.rng import draw_below, draw_float, next_below, next_float
from game.engine.rules import Caused, CCard, CEvent, COption, CRule, Eff, Rules, rules_for
from game.engine.state import (
    RNG_VERSION,
    Cause,
    Change,
    Decision,
    GameState,
    LogEntry,
    PendingEffect,
    TurnReport,
)

if TYPE_CHECKING:
    from game.content.scenario import Scenario


_decision: Final = partial(tuple.__new__, Decision)
"""``_decision((kind, id))`` is ``Decision(kind, id)`` without the Python-level
``__new__`` of a named tuple.  The same for the log entries and reports made every
turn (all fields given, in order)."""
_log_entry: Final = partial(tuple.__new__, LogEntry)
_report: Final = partial(tuple.__new__, TurnReport)


# The purposes of the draws, each a stream of its own in every turn (rng_version 2).
_EVENT: Final = 1
"""An event's chance to fire; the index is the event's key."""
_DEAL: Final = 2
"""The deal's picks; the index counts the turn's picks."""
_EFFECT: Final = 3
"""An effect's chance; the index is the effect's key."""
_SIZE: Final = 4
"""The size of an effect that adds a range; the index is the effect's key."""


class EngineError(ValueError):
    """A request the rules do not allow (an unknown option, a finished game)."""


class _Turn:
    """Collects what happens during one engine call."""

    __slots__ = ("applied", "changes", "news", "notes")

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.notes: list[str] = []
        self.applied: list[str] = []
        self.news: list[str] = []


# --- the public vocabulary ------------------------------------------------------------


def new_game(
    scenario: Scenario,
    seed: int,
    lens: str | None = None,
    *,
    hidden: bool = False,
    turn_limit: int | None = None,
    schedule: Mapping[int, Iterable[str]] | None = None,
    allowed_cards: Iterable[str] | None = None,
    rng_version: int = RNG_VERSION,
    script: Mapping[int, Iterable[Decision]] | None = None,
) -> GameState:
    """A new game at its first decision (or already over, for a degenerate scenario).

    ``lens=None`` draws the lens from the seed; ``hidden`` keeps it from the player's view.
    ``schedule`` forces events at given turns; ``allowed_cards`` limits the deck.
    ``rng_version`` 1 draws as games begun before save format 2 did (see
    :mod:`game.engine.rng`).  ``script`` replays another game's situation: turn -> the
    cards dealt and events fired then, which come up again whenever they may (see
    :attr:`GameState.script`).
    """
    return open_game(
        scenario,
        seed,
        lens,
        hidden=hidden,
        turn_limit=turn_limit,
        schedule=schedule,
        allowed_cards=allowed_cards,
        rng_version=rng_version,
        script=script,
    )[0]


def open_game(
    scenario: Scenario,
    seed: int,
    lens: str | None = None,
    *,
    hidden: bool = False,
    turn_limit: int | None = None,
    schedule: Mapping[int, Iterable[str]] | None = None,
    allowed_cards: Iterable[str] | None = None,
    rng_version: int = RNG_VERSION,
    script: Mapping[int, Iterable[Decision]] | None = None,
) -> tuple[GameState, TurnReport]:
    """Like :func:`new_game`, with the report of the opening news (decision None)."""
    rules = rules_for(scenario)
    if lens is None:
        lens = draw_lens(scenario, seed)
    elif lens not in rules.lenses:
        known = ", ".join(rules.lenses) or "none"
        raise EngineError(f"unknown lens {lens!r} (this scenario has: {known})")
    if schedule:
        for events in schedule.values():
            for event in events:
                if event not in rules.events:
                    raise EngineError(f"unknown event {event!r} in the schedule")
    if rng_version not in (1, 2):
        raise EngineError(f"unknown rng_version {rng_version!r} (this engine knows 1 and 2)")
    scripted = {int(t): [_decision((d.kind, d.id)) for d in ds] for t, ds in (script or {}).items()}
    for ds in scripted.values():
        for d in ds:
            if d.id not in (rules.card if d.kind == "card" else rules.events):
                raise EngineError(f"unknown {d.kind} {d.id!r} in the script")
    s = GameState(
        scenario_id=scenario.id,
        seed=seed,
        lens=lens,
        lens_hidden=hidden,
        turn_limit=turn_limit or rules.turn_limit,
        meters=list(rules.start),
        previous=list(rules.start),
        uncertainty=list(rules.start_uncertainty),
        flags=set(rules.start_flags),
        schedule={int(t): list(ev) for t, ev in (schedule or {}).items()},
        allowed_cards=frozenset(allowed_cards) if allowed_cards is not None else None,
        rng=rng.seed_state(seed),
        rng_version=rng_version,
        script=scripted,
        rung_turns=[0] * (rules.ladder_top + 1),
    )
    s.month = _month(rules, 1)
    turn = _Turn()
    _begin_turn(rules, s, turn)
    if not s.pending and s.ending is None:
        _advance(rules, s, turn)
    return s, TurnReport(
        turn=1,
        decision=None,
        option="",
        changes=tuple(turn.changes),
        notes=tuple(turn.notes),
        news=tuple(turn.news),
        ending=s.ending,
    )


def draw_lens(scenario: Scenario, seed: int) -> str:
    """The lens a hidden-lens game with this seed is played under.

    Drawn apart from the game's RNG stream so that a game replays identically whether
    its lens was drawn or named.
    """
    lenses = rules_for(scenario).lenses
    if not lenses:
        return ""
    return lenses[rng.mix((seed ^ 0x4C454E53) & rng.MASK) % len(lenses)]


def current_decision(state: GameState) -> Decision | None:
    """The decision the player owes now, or None when the game is over."""
    if state.ending is not None or not state.pending:
        return None
    return state.pending[0]


def choices(scenario: Scenario, state: GameState) -> tuple[Option, ...]:
    """The options open now (empty when the game is over)."""
    decision = current_decision(state)
    if decision is None:
        return ()
    rules = rules_for(scenario)
    if decision.kind == "card":
        return rules.card[decision.id].models
    return rules.events[decision.id].models


def is_over(state: GameState) -> bool:
    """Whether an ending has fired."""
    return state.ending is not None


def choose(scenario: Scenario, state: GameState, option: str) -> tuple[GameState, TurnReport]:
    """Take ``option`` on the current decision; return the new state and what happened."""
    decision = current_decision(state)
    if decision is None:
        raise EngineError("the game is over; there is nothing to choose")
    rules = rules_for(scenario)
    if decision.kind == "event":
        owner = rules.events[decision.id].options
    else:
        owner = rules.card[decision.id].options
    copt = owner.get(option)
    if copt is None:
        raise EngineError(
            f"{option!r} is not an option of {decision.kind} {decision.id!r} "
            f"(options: {', '.join(owner)})"
        )
    s = state.copy()
    turn_no = s.turn
    s.log.append(_log_entry((s.turn, decision.kind, decision.id, option)))
    s.pending.pop(0)
    turn = _Turn()
    _resolve(rules, s, copt, turn)
    _check(rules, s)
    if s.ending is None and not s.pending:
        s.previous = list(state.meters)
        _advance(rules, s, turn)
    return s, _report(
        (
            turn_no,
            decision,
            option,
            tuple(turn.changes),
            tuple(turn.notes),
            tuple(turn.news),
            s.ending,
            tuple(turn.applied),
        )
    )


def event_conditions(scenario: Scenario, state: GameState) -> dict[str, bool]:
    """Whether each event's condition holds in ``state`` (for coverage tools)."""
    rules = rules_for(scenario)
    return {e.id: True if e.when is None else e.when.holds(state) for e in rules.events.values()}


def inject(scenario: Scenario, state: GameState, event: str) -> GameState:
    """Queue ``event`` to fire in the next turn's news (an instructor's live inject)."""
    rules = rules_for(scenario)
    if event not in rules.events:
        raise EngineError(f"unknown event {event!r}")
    if state.ending is not None:
        raise EngineError("the game is over")
    s = state.copy()
    s.injects.append(event)
    s.log.append(LogEntry(s.turn, "inject", event))
    return s


def end_game(scenario: Scenario, state: GameState) -> GameState:
    """End the game now, before its next decision: the instructor ended the exercise.

    The ending is the scenario's default (the one a game that runs out of turns gets),
    with termination "instructor"; the log records it, so the game replays to its end.
    """
    if state.ending is not None:
        raise EngineError("the game is over")
    s = state.copy()
    s.log.append(LogEntry(s.turn, "end", "instructor"))
    s.ending = rules_for(scenario).default_ending
    s.termination = "instructor"
    return s


# --- the turn -------------------------------------------------------------------------


def _month(rules: Rules, turn: int) -> int:
    return (rules.start_month - 1 + (turn - 1) * rules.months_per_turn) % 12 + 1


def _advance(rules: Rules, s: GameState, turn: _Turn) -> None:
    """Finish the turn and start the next, until a decision is owed or the game ends."""
    while True:
        before = len(turn.changes)
        _dynamics(rules, s, turn)
        if len(turn.changes) != before:
            _check(rules, s)
        if s.ending is not None:
            return
        if s.turn >= s.turn_limit:
            s.ending = rules.default_ending
            s.termination = "turn_limit"
            return
        s.rung_turns[s.meters[0]] += 1  # history for the scores: the turn ends here
        s.turn += 1
        s.month = _month(rules, s.turn)
        _begin_turn(rules, s, turn)
        # Through a call: mypy has s.ending narrowed to None since the test above, and
        # mypyc would trust that and reject the ending _begin_turn may have set.
        if is_over(s) or s.pending:
            return


def _begin_turn(rules: Rules, s: GameState, turn: _Turn) -> None:
    """News (delayed effects, forced and chance events), check, then deal."""
    s.news = []
    s.turn_rung = s.meters[0]
    if s.delayed:
        due = [p for p in s.delayed if p.due <= s.turn]
        s.delayed = [p for p in s.delayed if p.due > s.turn]
        for p in due:
            index = rules.meter_index.get(p.id, -1)  # -1: a flag
            eff = Eff(p.target, p.id, index, p.op, p.value, 0, 1.0, p.cause.why)
            _apply(rules, s, eff, p.cause, "news", turn)
    if s.schedule or s.injects:
        forced = s.schedule.get(s.turn, []) + s.injects
        s.injects = []
        for event_id in forced:
            _fire(rules, s, event_id, turn)
    if rules.max_events > 0:
        if s.script:
            _scripted_chance_events(rules, s, turn)
        else:
            _chance_events(rules, s, turn)
    _check(rules, s)
    if s.ending is None:
        if s.script:
            _deal_scripted(rules, s, turn)
        else:
            _deal(rules, s)


def _chance_events(rules: Rules, s: GameState, turn: _Turn) -> None:
    """Fire, in content order, the events that may fire and win their chance roll, at
    most ``max_events`` of them (the checks themselves run in ``rules.scan_events``)."""
    max_events = rules.max_events
    fired = 0

    def act(event: CEvent) -> bool:
        nonlocal fired
        if not _wins_chance(s, event):
            return False
        _fire(rules, s, event.id, turn)
        fired += 1
        return fired >= max_events

    rules.scan_events(s, act)


def _wins_chance(s: GameState, event: CEvent) -> bool:
    """Roll an event's chance (its turn's stream in rng_version 2); a sure event wins
    without a draw."""
    if event.chance >= 1.0:
        return True
    if s.rng_version == 1:
        s.rng, x = next_float(s.rng)
    else:
        x = draw_float(s.rng, s.turn, _EVENT, event.key)
    return x < event.chance


def _fire(rules: Rules, s: GameState, event_id: str, turn: _Turn) -> None:
    event = rules.events[event_id]
    s.news.append(event_id)
    turn.news.append(event_id)
    s.seen.add(event_id)
    s.available[event_id] = s.turn + event.cooldown + 1
    for eff, cause in event.effects:
        _apply(rules, s, eff, cause, "news", turn)
    if event.options:
        s.pending.append(_decision(("event", event_id)))


def _deal(rules: Rules, s: GameState) -> None:
    """Deal the turn's cards: weighted among those whose condition holds."""
    # in window, not once and seen, out of cooldown, in the exercise's deck
    candidates, total = rules.open_cards(s)
    dealt = 0
    if rules.priority_cards:
        dealt, total = _deal_priority(rules, s, candidates, total)
    _draw_cards(rules, s, candidates, total, dealt, 0)


def _draw_cards(
    rules: Rules, s: GameState, candidates: list[CCard], total: int, dealt: int, picks: int
) -> tuple[int, int]:
    """Deal from ``candidates`` (whose weights sum to ``total``) until the turn has its
    cards; ``dealt`` cards were dealt and ``picks`` draws made this turn already.
    Return both counts after.

    Sampling is by rejection: draw by weight among the cards that pass the cheap checks
    (once, cooldown, exercise deck, turn window), and evaluate only the drawn card's
    condition, dropping it and drawing again if it does not hold.  That gives each
    eligible card exactly its weighted chance while evaluating few conditions.
    A draw of ``pick`` (0 <= pick < total weight) lands on the first card whose
    running total of weights exceeds ``pick``.
    """
    turn_no = s.turn
    seen = s.seen
    available = s.available
    while candidates and dealt < rules.cards_per_turn:
        if s.rng_version == 1:
            s.rng, pick = next_below(s.rng, total)
        else:
            pick = draw_below(s.rng, turn_no, _DEAL, picks, total)
        picks += 1
        i = 0
        running = candidates[0].weight
        while running <= pick:
            i += 1
            running += candidates[i].weight
        card = candidates.pop(i)
        total -= card.weight
        if card.when is not None and not card.when.holds(s):
            continue
        dealt += 1
        seen.add(card.id)
        available[card.id] = turn_no + card.cooldown + 1
        s.pending.append(_decision(("card", card.id)))
    return dealt, picks


# --- a replay of another game's situation (GameState.script) -----------------------------


def _why_not(s: GameState, once: bool, ident: str, when: Test | None, in_deck: bool) -> str:
    """Why a scripted card or event cannot come up now, or "" when it can."""
    if once and ident in s.seen:
        return "it comes up only once and already did"
    if s.available.get(ident, 0) > s.turn:
        return "it is cooling down"
    if not in_deck:
        return "it is not in the deck"
    if when is not None and not when.holds(s):
        return "its condition does not hold"
    return ""


def _scripted_chance_events(rules: Rules, s: GameState, turn: _Turn) -> None:
    """:func:`_chance_events` replaying a script: the events the script has at this turn
    fire whenever they may (their chance is not rolled), and no other event takes a
    place (``max_events``) that one of them, further on in the scan, may need.

    The scan visits the events in content order as in any game, so under the lens of
    the game the script came from, the same events fire in the same order.  Inject-only
    events are left to the injects and the schedule, which replay by themselves, as is
    an event they fired already.
    """
    max_events = rules.max_events
    order = rules.event_order
    wanted = {
        d.id
        for d in s.script.get(s.turn, ())
        if d.kind == "event" and d.id in order and d.id not in s.news
    }
    # the content positions of the scripted events the scan has not reached yet
    ahead = sorted(order[ident] for ident in wanted)
    fired = 0

    def act(event: CEvent) -> bool:
        nonlocal fired
        position = order[event.id]
        while ahead and ahead[0] <= position:
            ahead.pop(0)
        if event.id not in wanted and (
            fired + len(ahead) >= max_events or not _wins_chance(s, event)
        ):
            return False
        _fire(rules, s, event.id, turn)
        fired += 1
        return fired >= max_events

    rules.scan_events(s, act)
    for ident in sorted(wanted, key=order.__getitem__):
        if ident not in s.news:
            event = rules.events[ident]
            why = _why_not(s, event.once, ident, event.when, True) or "other news came first"
            turn.notes.append(f"script: event {ident} does not fire again: {why}")


def _deal_scripted(rules: Rules, s: GameState, turn: _Turn) -> None:
    """Deal the cards the script has at this turn that may be dealt, in order; fill the
    rest of the hand as :func:`_deal` would, from cards the script does not keep for a
    later turn when there are any (so that a substitute does not use one up)."""
    dealt = 0
    allowed = s.allowed_cards
    for d in s.script.get(s.turn, ()):
        if d.kind != "card" or dealt >= rules.cards_per_turn:
            continue
        card = rules.card[d.id]
        in_deck = allowed is None or card.id in allowed
        reason = _why_not(s, card.once, card.id, card.when, in_deck)
        if reason:
            turn.notes.append(f"script: card {card.id} is not dealt again: {reason}")
            continue
        dealt += 1
        s.seen.add(card.id)
        s.available[card.id] = s.turn + card.cooldown + 1
        s.pending.append(_decision(("card", card.id)))
    if dealt >= rules.cards_per_turn:
        return
    later = {d.id for t, ds in s.script.items() if t > s.turn for d in ds if d.kind == "card"}
    candidates, _ = rules.open_cards(s)
    spare = [c for c in candidates if c.id not in later]
    kept = [c for c in candidates if c.id in later]
    dealt, picks = _draw_cards(rules, s, spare, sum(c.weight for c in spare), dealt, 0)
    _draw_cards(rules, s, kept, sum(c.weight for c in kept), dealt, picks)


def _deal_priority(
    rules: Rules, s: GameState, candidates: list[CCard], total: int
) -> tuple[int, int]:
    """Deal the open cards with a priority whose condition holds, highest first, before
    the weighted draw; take them out of ``candidates``.  The cards dealt and the weight
    left."""
    dealt = 0
    ranked = sorted((c for c in candidates if c.priority > 0), key=lambda c: -c.priority)
    for card in ranked:
        if dealt >= rules.cards_per_turn:
            break
        if card.when is not None and not card.when.holds(s):
            continue
        candidates.remove(card)
        total -= card.weight
        dealt += 1
        s.seen.add(card.id)
        s.available[card.id] = s.turn + card.cooldown + 1
        s.pending.append(_decision(("card", card.id)))
    return dealt, total


def _resolve(rules: Rules, s: GameState, option: COption, turn: _Turn) -> None:
    """Apply an option's effects as the active lens adjusts them (the sizes of ranges
    drawn first: a lens scales the size drawn)."""
    effects = option.effects
    if option.ranged:
        effects = _sized_all(s, effects)
    lens_rules = option.rules.get(s.lens)
    if lens_rules:
        effects = _lens_adjust(s, option, effects, lens_rules, turn)
    for eff, cause in effects:
        _apply(rules, s, eff, cause, "decision", turn)


def _lens_adjust(
    s: GameState, option: COption, effects: Caused, lens_rules: tuple[CRule, ...], turn: _Turn
) -> Caused:
    """The option's effects after the lens's matching rules replace, cancel, scale and add."""
    out = list(effects)
    for rule in lens_rules:
        if rule.when is not None and not rule.when.holds(s):
            continue
        turn.applied.append(rule.ref)
        if rule.replace:
            if out:
                turn.notes.append(f"{rule.ref}: replaced the effects of {option.ref}")
            out = []
        if rule.cancel:
            dropped = [e for e, _ in out if e.id in rule.cancel]
            if dropped:
                ids = ", ".join(e.id for e in dropped)
                turn.notes.append(f"{rule.ref}: cancelled the effect on {ids} of {option.ref}")
            out = [(e, c) for e, c in out if e.id not in rule.cancel]
        if rule.scale:
            out = [
                _scaled(e, c, rule.scale[e.id], rule.ref)
                if e.id in rule.scale and e.op == "add" and e.target == "meter"
                else (e, c)
                for e, c in out
            ]
        out.extend(_sized_all(s, rule.effects) if rule.ranged else rule.effects)
    return tuple(out)


def _scaled(e: Eff, cause: Cause, factor: float, rule: str) -> tuple[Eff, Cause]:
    value = float(round(e.value * factor))
    eff = Eff(e.target, e.id, e.index, e.op, value, e.after, e.chance, e.why, e.key, e.when)
    return eff, Cause(cause.kind, cause.ref, cause.why, rule)


def _sized(s: GameState, e: Eff) -> Eff:
    """``e`` with the size of its range drawn (its turn's stream for sizes in
    rng_version 2, so a counterfactual draws the same size at the same turn)."""
    n = e.spread + 1
    if s.rng_version == 1:
        s.rng, k = next_below(s.rng, n)
    else:
        k = draw_below(s.rng, s.turn, _SIZE, e.key, n)
    value = e.value + k
    return Eff(e.target, e.id, e.index, e.op, value, e.after, e.chance, e.why, e.key, e.when)


def _sized_all(s: GameState, effects: Caused) -> Caused:
    """``effects`` with the size of each range drawn."""
    return tuple((_sized(s, e), c) if e.spread else (e, c) for e, c in effects)


def _dynamics(rules: Rules, s: GameState, turn: _Turn) -> None:
    """Run the lens's dynamics in order: each whose condition holds applies its effects.

    Each condition is tested just before its effects would apply, so it sees what the
    dynamics before it changed.
    """
    for dynamic in rules.dynamics.get(s.lens, ()):
        when = dynamic.when
        if when is None or when.holds(s):
            for eff, cause in dynamic.effects:
                _apply(rules, s, eff, cause, "dynamics", turn)


def _set_meter(
    rules: Rules,
    s: GameState,
    i: int,
    ident: str,
    value: int,
    cause: Cause,
    phase: str,
    turn: _Turn,
) -> None:
    """Set meter ``i`` to ``value`` clamped to its range, recording the change if any."""
    before = s.meters[i]
    # Clamp exactly as max(lo, min(hi, value)).
    after = value
    if after > rules.hi[i]:
        after = rules.hi[i]
    if after < rules.lo[i]:
        after = rules.lo[i]
    if i == 0 and after > before and (rules.max_step or rules.ladder_cap):
        after = _climb(rules, s, before, after)
    if after != before:
        s.meters[i] = after
        if after > s.peak[i]:
            s.peak[i] = after
        turn.changes.append(Change(s.turn, phase, "meter", ident, before, after, cause))


def _climb(rules: Rules, s: GameState, before: int, after: int) -> int:
    """Where a climb of the ladder from ``before`` to ``after`` stops under its guards:
    at most ``max_step`` rungs above the rung the turn began on, then a rung's
    ``only_from``."""
    step = rules.max_step
    if step and after > s.turn_rung + step:
        after = s.turn_rung + step
        if after <= before:
            return before
    if rules.ladder_cap:
        return rules.ladder_cap[before * (rules.ladder_top + 1) + after]
    return after


def _apply(rules: Rules, s: GameState, eff: Eff, cause: Cause, phase: str, turn: _Turn) -> None:
    step = eff.step
    if step is not None:  # a sure, immediate add to a meter: the general path, shortened
        i = eff.index
        _set_meter(rules, s, i, eff.id, s.meters[i] + step, cause, phase, turn)
        return
    if eff.when is not None and not eff.when.holds(s):
        return
    if eff.chance < 1.0:
        if s.rng_version == 1:
            s.rng, x = next_float(s.rng)
        else:
            x = draw_float(s.rng, s.turn, _EFFECT, eff.key)
        if x >= eff.chance:
            turn.notes.append(
                f"{cause.ref}: a {round(eff.chance * 100)}% chance on {eff.id} did not happen"
            )
            return
    if eff.spread:  # an event's or a dynamic's range (an option's was drawn already)
        eff = _sized(s, eff)
    if eff.after:
        delayed_cause = Cause("delayed", cause.ref, cause.why, cause.lens_rule, cause.kind)
        s.delayed.append(
            PendingEffect(
                s.turn + eff.after,
                eff.target,
                eff.id,
                eff.op,
                eff.value,
                delayed_cause,
            )
        )
        return
    target = eff.target
    if target == "meter":
        i = eff.index
        before = s.meters[i]
        op = eff.op
        if op == "add":
            after = before + int(eff.value)
        elif op == "set":
            after = int(eff.value)
        else:
            after = round(before * eff.value)
        _set_meter(rules, s, i, eff.id, after, cause, phase, turn)
    elif target == "uncertainty":
        i = eff.index
        before = s.uncertainty[i]
        after = max(0, min(rules.hi[i] - rules.lo[i], before + int(eff.value)))
        if after != before:
            s.uncertainty[i] = after
            turn.changes.append(Change(s.turn, phase, "uncertainty", eff.id, before, after, cause))
    elif target == "set_flag":
        if eff.id not in s.flags:
            s.flags.add(eff.id)
            turn.changes.append(Change(s.turn, phase, "flag", eff.id, 0, 1, cause))
    elif eff.id in s.flags:
        s.flags.discard(eff.id)
        turn.changes.append(Change(s.turn, phase, "flag", eff.id, 1, 0, cause))


def _check(rules: Rules, s: GameState) -> None:
    """End the game if the ladder's top is reached or an ending's condition holds."""
    if s.ending is not None:
        return
    if s.meters[0] >= rules.ladder_top:
        s.ending = rules.top_ending
        s.termination = "ladder_top"
        return
    ending = rules.first_ending.first(s)  # the endings by priority, tried in one call
    if ending is not None:
        s.ending = ending
        s.termination = "condition"
