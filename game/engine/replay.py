"""Replaying a game from its setup and choice log: the basis of saves, replay, debrief and
hot reload (:func:`rebase`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.engine.core import EngineError, choose, current_decision, end_game, inject
from game.engine.setup import Setup, start
from game.engine.state import Decision, GameState, LogEntry, TurnReport

if TYPE_CHECKING:
    from game.content.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Step:
    """One log entry replayed: the state before, the entry, its report, the state after."""

    before: GameState
    entry: LogEntry
    report: TurnReport | None
    """None for injects, which change nothing until the next turn, and for the
    instructor's end of the game."""
    after: GameState


def apply_entry(scenario: Scenario, state: GameState, entry: LogEntry) -> Step:
    """Apply one log entry, checking it belongs where it stands."""
    if entry.turn != state.turn:
        raise EngineError(f"log entry for turn {entry.turn} found at turn {state.turn}")
    if entry.kind == "inject":
        return Step(state, entry, None, inject(scenario, state, entry.id))
    if entry.kind == "end":
        return Step(state, entry, None, end_game(scenario, state))
    pending = current_decision(state)
    if pending is None or (pending.kind, pending.id) != (entry.kind, entry.id):
        expected = f"{pending.kind} {pending.id!r}" if pending else "no decision (game over)"
        raise EngineError(
            f"turn {entry.turn}: log has {entry.kind} {entry.id!r} but the game expects {expected}"
        )
    after, report = choose(scenario, state, entry.option)
    return Step(state, entry, report, after)


def replay(scenario: Scenario, setup: Setup, log: Iterable[LogEntry]) -> list[Step]:
    """Replay a whole log; raise EngineError at the first entry that does not fit."""
    state = start(scenario, setup)
    steps = []
    for entry in log:
        step = apply_entry(scenario, state, entry)
        steps.append(step)
        state = step.after
    return steps


def script_of(states: Iterable[GameState]) -> dict[int, tuple[Decision, ...]]:
    """What came up at each turn of a game, as a script for replaying its situation under
    another lens (:attr:`Setup.script`): the events fired, then the cards dealt.

    Read off the game's states in order, its first and one after each log entry (the
    first state of a turn holds all the turn's news and deal); a turn that passed
    without a decision has no state, so no entry.
    """
    script: dict[int, tuple[Decision, ...]] = {}
    for state in states:
        if state.turn not in script:
            events = tuple(Decision("event", event) for event in state.news)
            cards = tuple(d for d in state.pending if d.kind == "card")
            script[state.turn] = events + cards
    return script


def final_state(scenario: Scenario, setup: Setup, log: Iterable[LogEntry]) -> GameState:
    """The state after replaying ``log`` from ``setup``."""
    state = start(scenario, setup)
    for entry in log:
        state = apply_entry(scenario, state, entry).after
    return state


def rebase(scenario: Scenario, state: GameState) -> tuple[GameState, list[Step]]:
    """The same game (setup and choice log) replayed once on new content: its state now
    and every step.

    Raises EngineError when the log no longer fits the content (a card or option it
    names was removed, or the new rules deal different cards): the caller then keeps
    the old content for this game.
    """
    if state.scenario_id != scenario.id:
        raise EngineError(f"the scenario id changed from {state.scenario_id!r} to {scenario.id!r}")
    try:
        steps = replay(scenario, Setup.of(state), state.log)
        return (steps[-1].after if steps else start(scenario, Setup.of(state))), steps
    except (EngineError, KeyError, IndexError) as exc:
        raise EngineError(f"this game no longer replays on the edited content: {exc}") from exc
