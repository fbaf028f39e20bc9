"""The end of a game as a value: the ending, how it came, its scores and the turn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.content.models import Ending
from game.engine.state import GameState, Termination

if TYPE_CHECKING:
    from game.content.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a game ended: read by the debrief, the simulator and the class report."""

    ending: Ending
    turn: int
    termination: Termination
    """What ended the game: an ending's condition, the ladder's top, the turn limit (the
    scenario's default ending) or an instructor."""

    @property
    def scores(self) -> dict[str, int]:
        """Score per criterion id."""
        return dict(self.ending.scores)

    @property
    def total(self) -> int:
        """Sum of the scores: a crude single number for rankings."""
        return sum(self.ending.scores.values())


def outcome(scenario: Scenario, state: GameState) -> Outcome | None:
    """The outcome of a finished game, or None while it goes on.

    For a game that ran out of turns, ``outcome(scenario, state).termination`` is
    ``"turn_limit"`` and its ending is the scenario's default ending.
    """
    if state.ending is None:
        return None
    if state.termination is None:  # only a state made by hand: the engine sets both
        raise ValueError(f"the state has ending {state.ending!r} but no termination")
    return Outcome(scenario.ending[state.ending], state.turn, state.termination)
