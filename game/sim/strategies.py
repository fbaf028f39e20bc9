"""Scripted players for the simulator.

A strategy picks an option id for the current decision.  It may look at the options'
tags and citations, or ask the engine what an option would do (greedy lookahead); it
never decides what happens.  Every strategy draws its own randomness from a
``random.Random`` seeded per game, never from the game's RNG.

Names accepted by :func:`make_strategy`:

- ``random`` — uniform among the options;
- ``greedy:METER:high`` / ``greedy:METER:low`` — one-step lookahead on a meter;
- ``advocate:SOURCE`` — the option that source argues for (citations), least against; on a
  decision the source never discusses, the option whose tags best match its positions
  elsewhere (:func:`tag_leanings`, :func:`fit`), and among those the one with the fewest
  kinds of move it never discusses (:func:`undiscussed`);
- ``advocate:SOURCE:random`` / ``advocate:SOURCE:panel`` — the same on decisions the source
  discusses; on the others a policy common to every advocate (uniform chance, or the
  stances of all sources summed), so advocates differ only where their essays speak;
- ``advocate:SOURCE:OTHER`` (another source) — ``advocate:OTHER``, overruled by SOURCE
  wherever SOURCE takes a side: OTHER's game with SOURCE's advice on SOURCE's questions
  (:func:`game.sim.pairs.paired_gain` plays it against ``advocate:OTHER`` on the same seeds);
- ``tags:TAG,TAG,-TAG`` — prefer options with these tags, avoid the negated ones;
- any ``[[strategies]]`` id from the scenario (weights by tag or option).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from game.content.models import Card, Event, Option
from game.content.scenario import Scenario
from game.engine import GameState, choose, current_decision, outcome
from game.engine.scores import ending_total


class StrategyError(ValueError):
    """An unknown or malformed strategy name."""


Picker = Callable[[Scenario, GameState, Sequence[Option], random.Random], str]


@dataclass(frozen=True, slots=True)
class Strategy:
    """A named way of picking options."""

    name: str
    description: str
    pick: Picker


def _best(options: Sequence[Option], scores: Sequence[float], rnd: random.Random) -> str:
    """The best-scoring option; ties broken by the strategy's own RNG."""
    top = max(scores)
    best = [o for o, s in zip(options, scores, strict=True) if s == top]
    return best[0].id if len(best) == 1 else rnd.choice(best).id


def _random(sc: Scenario, st: GameState, options: Sequence[Option], rnd: random.Random) -> str:
    return rnd.choice(options).id


def _weights(tag_weights: Mapping[str, float], option_weights: Mapping[str, float]) -> Picker:
    def pick(sc: Scenario, st: GameState, options: Sequence[Option], rnd: random.Random) -> str:
        decision = current_decision(st)
        owner = decision.id if decision else ""
        scores = [
            sum(tag_weights.get(t, 0.0) for t in o.tags)
            + option_weights.get(f"{owner}.{o.id}", 0.0)
            for o in options
        ]
        return _best(options, scores, rnd)

    return pick


def _stance(option: Option, source: str) -> float:
    """How far ``source``'s citations argue for ``option``: +1 per for, -1 per against."""
    return sum(
        (1.0 if c.stance == "for" else -1.0 if c.stance == "against" else 0.0)
        for c in option.citations
        if c.source == source
    )


def tag_leanings(scenario: Scenario, source: str) -> dict[str, float]:
    """Where ``source`` stands on each option tag, judged from the options it cites.

    Each option the source cites has a lean (-1, 0 or +1: its net stance, capped); a tag's
    leaning is the mean lean of the cited options that carry it, and needs two of them
    (one citation is an opinion on that move, not on a kind of move).  An option's lean is
    credited to the tags its author's lens is about, when it carries any: London argues
    against ``oligarch_squeeze.wedge_framing`` because it is regime-change talk, not
    because it is a sanction, so the lean goes to ``regime_change`` alone.
    """
    lens_tags = {
        t for lens in scenario.lenses if lens.source == source for r in lens.rules for t in r.tags
    }
    total: dict[str, float] = {}
    count: dict[str, int] = {}
    owners: list[Card | Event] = [*scenario.cards, *scenario.events]
    for item in owners:
        for o in item.options:
            if not any(c.source == source for c in o.citations):
                continue
            lean = max(-1.0, min(1.0, _stance(o, source)))
            for t in [t for t in o.tags if t in lens_tags] or o.tags:
                total[t] = total.get(t, 0.0) + lean
                count[t] = count.get(t, 0) + 1
    return {t: total[t] / count[t] for t in total if count[t] >= 2}


def fit(option: Option, leanings: Mapping[str, float]) -> float:
    """How well ``option``'s tags match a source's leanings (:func:`tag_leanings`).  A
    kind of move the source never discusses (a tag it has no leaning on) is never
    volunteered: such an option may fit badly, never well."""
    known = sum(leanings.get(t, 0.0) for t in option.tags)
    return known if all(t in leanings for t in option.tags) else min(known, 0.0)


SILENT_POLICIES = {
    "fit": "the option closest to its positions elsewhere",
    "random": "at random, as every advocate",
    "panel": "what all the essays together argue for, as every advocate",
}
"""What an advocate plays on a decision its essay never discusses (``advocate:SOURCE:KEY``)."""


def _panel(option: Option) -> float:
    """How far all sources together argue for ``option``: +1 per for, -1 per against."""
    return sum(_stance(option, source) for source in {c.source for c in option.citations})


def undiscussed(option: Option, leanings: Mapping[str, float]) -> int:
    """How many of ``option``'s kinds of move (tags) the source never discusses."""
    return sum(t not in leanings for t in option.tags)


def _advocate(scenario: Scenario, source: str, silent: str = "fit") -> Picker:
    leanings = tag_leanings(scenario, source)

    def pick(sc: Scenario, st: GameState, options: Sequence[Option], rnd: random.Random) -> str:
        if any(c.source == source for o in options for c in o.citations):
            return _best(options, [_stance(o, source) for o in options], rnd)
        # the essay is silent on this decision
        if silent == "random":
            return rnd.choice(options).id
        if silent == "panel":
            return _best(options, [_panel(o) for o in options], rnd)
        fits = [fit(o, leanings) for o in options]
        top = [o for o, f in zip(options, fits, strict=True) if f == max(fits)]
        # never volunteer: among the closest, the fewest kinds of move the essay never discusses
        return _best(top, [-undiscussed(o, leanings) for o in top], rnd)

    return pick


def overruled(
    scenario: Scenario, source: str, other: str, only: frozenset[str] | None = None
) -> Picker:
    """``other``'s advocate, except where ``source`` takes a side (its stances differ among
    the options): then among the options ``source`` favours most, the one ``other``'s
    advocate would pick from those.  With ``only``, on those cards and events alone."""
    fallback = _advocate(scenario, other)

    def pick(sc: Scenario, st: GameState, options: Sequence[Option], rnd: random.Random) -> str:
        if only is not None:
            decision = current_decision(st)
            if decision is None or decision.id not in only:
                return fallback(sc, st, options, rnd)
        stances = [_stance(o, source) for o in options]
        top = [o for o, s in zip(options, stances, strict=True) if s == max(stances)]
        return fallback(sc, st, top, rnd)

    return pick


def _greedy(meter: str, index: int, sign: float) -> Picker:
    def pick(sc: Scenario, st: GameState, options: Sequence[Option], rnd: random.Random) -> str:
        totals = [ending_total(sc, st, e) for e in sc.endings]
        mean_total = sum(totals) / len(totals) if totals else 0.0
        scores = []
        for o in options:
            after, _ = choose(sc, st, o.id)
            value = sign * after.meters[index]
            result = outcome(sc, after)
            if result is not None:
                # an option that ends the game is judged by how good that ending is too
                value += (result.total - mean_total) * 10
            scores.append(value)
        return _best(options, scores, rnd)

    return pick


def make_strategy(scenario: Scenario, name: str) -> Strategy:
    """The strategy called ``name`` for this scenario; raise StrategyError if unknown."""
    if name == "random":
        return Strategy(name, "uniformly random options", _random)
    kind, _, arg = name.partition(":")
    if kind == "greedy":
        meter, _, direction = arg.partition(":")
        if meter not in scenario.meter or direction not in ("high", "low"):
            raise StrategyError(
                f"{name!r}: write greedy:METER:high or greedy:METER:low "
                f"(meters: {', '.join(scenario.meter)})"
            )
        index = scenario.names.meters[meter]
        sign = 1.0 if direction == "high" else -1.0
        return Strategy(
            name, f"keep {meter} {direction} (one-step lookahead)", _greedy(meter, index, sign)
        )
    if kind == "advocate":
        source, _, silent = arg.partition(":")
        if source not in scenario.source:
            raise StrategyError(f"{name!r}: unknown source (sources: {', '.join(scenario.source)})")
        if silent in scenario.source and silent != source:
            return Strategy(
                name,
                f"what essay {silent}'s advocate plays, but what essay {source} argues for "
                "wherever it takes a side",
                overruled(scenario, source, silent),
            )
        if silent and silent not in SILENT_POLICIES:
            raise StrategyError(
                f"{name!r}: write advocate:SOURCE, advocate:SOURCE:POLICY "
                f"(policies on decisions the essay never discusses: {', '.join(SILENT_POLICIES)}) "
                "or advocate:SOURCE:OTHER (another source's advocate, overruled by SOURCE)"
            )
        policy = silent or "fit"
        description = f"what essay {source} argues for; elsewhere {SILENT_POLICIES[policy]}"
        return Strategy(name, description, _advocate(scenario, source, policy))
    if kind == "tags":
        weights: dict[str, float] = {}
        for raw in arg.split(","):
            tag = raw.strip()
            if tag:
                weights[tag.lstrip("-")] = -1.0 if tag.startswith("-") else 1.0
        if not weights:
            raise StrategyError(f"{name!r}: write tags:TAG,TAG,-TAG")
        used = {t for key in scenario.option_keys for t in _option_tags(scenario, key)}
        unknown = sorted(set(weights) - used)
        if unknown:
            raise StrategyError(f"{name!r}: no option has the tag(s) {', '.join(unknown)}")
        return Strategy(name, f"prefer tags {arg}", _weights(weights, {}))
    for model in scenario.strategies:
        if model.id == name:
            return Strategy(name, model.description, _weights(model.tags, model.options))
    known = ", ".join(default_strategy_names(scenario))
    raise StrategyError(
        f"unknown strategy {name!r} (try: {known}, greedy:METER:high|low, tags:A,B,-C)"
    )


def _option_tags(scenario: Scenario, key: str) -> list[str]:
    owner, _, option_id = key.partition(".")
    item = scenario.card.get(owner) or scenario.event.get(owner)
    for o in item.options if item else ():
        if o.id == option_id:
            return list(o.tags)
    return []


def default_strategy_names(scenario: Scenario) -> list[str]:
    """The strategies simulated when none are named: random, the scenario's own, advocates,
    and greedy play on the ladder (low) and the first meter after it (high)."""
    names = ["random", *(s.id for s in scenario.strategies)]
    names += [f"advocate:{s.id}" for s in scenario.sources]
    names.append(f"greedy:{scenario.ladder.id}:low")
    if len(scenario.meters) > 1:
        names.append(f"greedy:{scenario.meters[1].id}:high")
    return names
