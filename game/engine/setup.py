"""How a game starts: one value the engine, saves, exercises, the simulator and the class
report all pass around.

>>> from game.content import load_scenario
>>> scenario = load_scenario("tests/fixtures/mini")
>>> state = start(scenario, Setup(seed=7, lens="hawkish"))
>>> Setup.of(state) == Setup(seed=7, lens="hawkish", turn_limit=state.turn_limit)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from game.engine.core import open_game
from game.engine.state import RNG_VERSION, Decision, GameState, TurnReport

if TYPE_CHECKING:
    from game.content.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Setup:
    """Everything fixed at the start of a game: with the choice log, it determines the game."""

    seed: int
    lens: str | None = None
    """The lens that runs the world; None draws it from the seed."""
    hidden: bool = False
    """Whether the player's view keeps the lens unsaid until the debrief."""
    turn_limit: int | None = None
    """None: the scenario's own."""
    schedule: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    """Events forced at given turns (an exercise's scheduled injects)."""
    allowed_cards: frozenset[str] | None = None
    """The deck; None for every card."""
    rng_version: int = RNG_VERSION
    """How the game draws its random numbers: 2 for new games; 1 for games begun before
    save format 2, which keep drawing as they did (see :mod:`game.engine.rng`)."""
    script: Mapping[int, tuple[Decision, ...]] = field(default_factory=dict)
    """For a counterfactual: the situation of the game it replays, turn by turn (see
    :attr:`GameState.script`); empty for an ordinary game."""

    @classmethod
    def of(cls, state: GameState) -> Setup:
        """The setup a state was started from (its lens and turn limit resolved)."""
        return cls(
            seed=state.seed,
            lens=state.lens,
            hidden=state.lens_hidden,
            turn_limit=state.turn_limit,
            schedule={t: tuple(ev) for t, ev in state.schedule.items()},
            allowed_cards=state.allowed_cards,
            rng_version=state.rng_version,
            script={t: tuple(ds) for t, ds in state.script.items()},
        )

    def scheduled(self) -> tuple[tuple[int, str], ...]:
        """The schedule as (turn, event) pairs in the order they fire."""
        return tuple((t, e) for t, events in sorted(self.schedule.items()) for e in events)


def start(scenario: Scenario, setup: Setup) -> GameState:
    """A new game from a setup, at its first decision."""
    return opening(scenario, setup)[0]


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
        rng_version=setup.rng_version,
        script=setup.script,
    )
