"""Replaying a game from its setup and choice log: the basis of saves, replay, debrief and
hot reload (:func:`rebase`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from game.engine.core import EngineError, choose, current_decision, inject, new_game, open_game
from game.engine.state import GameState, LogEntry, TurnReport

if TYPE_CHECKING:
    from game.content.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Setup:
    """Everything fixed at the start of a game: with the log, it determines the game."""

    seed: int
    lens: str
    hidden: bool = False
    turn_limit: int | None = None
    schedule: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    allowed_cards: frozenset[str] | None = None

    @classmethod
    def of(cls, state: GameState) -> Setup:
        """The setup a state was started from."""
        return cls(
            seed=state.seed,
            lens=state.lens,
            hidden=state.lens_hidden,
            turn_limit=state.turn_limit,
            schedule={t: tuple(ev) for t, ev in state.schedule.items()},
            allowed_cards=state.allowed_cards,
        )


def start(scenario: Scenario, setup: Setup) -> GameState:
    """A new game from a setup."""
    return new_game(
        scenario,
        setup.seed,
        setup.lens,
        hidden=setup.hidden,
        turn_limit=setup.turn_limit,
        schedule=setup.schedule,
        allowed_cards=setup.allowed_cards,
    )


def opening(scenario: Scenario, setup: Setup) -> tuple[GameState, TurnReport]:
    """A new game from a setup, with the report of its opening news."""
    return open_game(
        scenario,
        setup.seed,
        setup.lens,
        hidden=setup.hidden,
        turn_limit=setup.turn_limit,
        schedule=setup.schedule,
        allowed_cards=setup.allowed_cards,
    )


@dataclass(frozen=True, slots=True)
class Step:
    """One log entry replayed: the state before, the entry, its report, the state after."""

    before: GameState
    entry: LogEntry
    report: TurnReport | None
    """None for injects, which change nothing until the next turn."""
    after: GameState


def apply_entry(scenario: Scenario, state: GameState, entry: LogEntry) -> Step:
    """Apply one log entry, checking it belongs where it stands."""
    if entry.turn != state.turn:
        raise EngineError(f"log entry for turn {entry.turn} found at turn {state.turn}")
    if entry.kind == "inject":
        return Step(state, entry, None, inject(scenario, state, entry.id))
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


def final_state(scenario: Scenario, setup: Setup, log: Iterable[LogEntry]) -> GameState:
    """The state after replaying ``log`` from ``setup``."""
    state = start(scenario, setup)
    for entry in log:
        state = apply_entry(scenario, state, entry).after
    return state


def rebase(scenario: Scenario, state: GameState) -> GameState:
    """The same game (setup and choice log) replayed on new content.

    Raises EngineError when the log no longer fits the content (a card or option it
    names was removed, or the new rules deal different cards): the caller then keeps
    the old content for this game.
    """
    if state.scenario_id != scenario.id:
        raise EngineError(f"the scenario id changed from {state.scenario_id!r} to {scenario.id!r}")
    try:
        return final_state(scenario, Setup.of(state), state.log)
    except (EngineError, KeyError, IndexError) as exc:
        raise EngineError(f"this game no longer replays on the edited content: {exc}") from exc
