"""The end of a game as a value: the ending, how it came, its scores and the turn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.content.models import Ending
from game.engine.scores import final_scores
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
    scores: dict[str, int]
    """Score per criterion id, computed from this game (see :mod:`game.engine.scores`)."""
    weights: dict[str, int]
    """Each criterion's weight in :attr:`total`."""

    @property
    def total(self) -> int:
        """Weighted sum of the scores: a crude single number for rankings."""
        return sum(score * self.weights.get(c, 1) for c, score in self.scores.items())

    @property
    def catastrophe(self) -> bool:
        """Whether the ending is marked a catastrophe (never "best" in the simulator)."""
        return self.ending.catastrophe


def outcome(scenario: Scenario, state: GameState) -> Outcome | None:
    """The outcome of a finished game, or None while it goes on.

    For a game that ran out of turns, ``outcome(scenario, state).termination`` is
    ``"turn_limit"`` and its ending is the scenario's default ending.
    """
    if state.ending is None:
        return None
    if state.termination is None:  # only a state made by hand: the engine sets both
        raise ValueError(f"the state has ending {state.ending!r} but no termination")
    ending = scenario.ending[state.ending]
    weights = {c.id: c.weight for c in scenario.criteria}
    return Outcome(
        ending, state.turn, state.termination, final_scores(scenario, state, ending), weights
    )
