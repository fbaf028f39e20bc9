"""The end of a game as a value: the ending, its scores and the turn it came."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.content.models import Ending
from game.engine.state import GameState

if TYPE_CHECKING:
    from game.content.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a game ended: read by the debrief, the simulator and the class report."""

    ending: Ending
    turn: int
    by_turn_limit: bool
    """True when the game ran out of turns rather than reaching a condition."""

    @property
    def scores(self) -> dict[str, int]:
        """Score per criterion id."""
        return dict(self.ending.scores)

    @property
    def total(self) -> int:
        """Sum of the scores: a crude single number for rankings."""
        return sum(self.ending.scores.values())


def outcome(scenario: Scenario, state: GameState) -> Outcome | None:
    """The outcome of a finished game, or None while it goes on."""
    if state.ending is None:
        return None
    ending = scenario.ending[state.ending]
    limit = state.ending == scenario.info.default_ending and state.turn >= state.turn_limit
    return Outcome(ending, state.turn, limit)
