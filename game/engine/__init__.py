"""The rules engine: pure, deterministic, seeded; no I/O, no clock, no UI.

A game is a function of (scenario, seed, lens, choices). The vocabulary::

    state = new_game(scenario, seed=7, lens="restraint")
    while not is_over(state):
        option = choices(scenario, state)[0]
        state, report = choose(scenario, state, option.id)
    result = outcome(scenario, state)  # result.ending, result.termination, result.turn

Its hot modules are compiled with mypyc when the package is built (see setup.py);
:data:`COMPILED` says whether this process runs them compiled.
"""

from importlib.machinery import EXTENSION_SUFFIXES

from game.engine import core as _core
from game.engine.core import (
    EngineError,
    choices,
    choose,
    current_decision,
    draw_lens,
    end_game,
    event_conditions,
    inject,
    is_over,
    new_game,
    open_game,
)
from game.engine.outcome import Outcome, outcome
from game.engine.setup import Setup, opening, start
from game.engine.state import (
    Cause,
    Change,
    Decision,
    GameState,
    LogEntry,
    PendingEffect,
    Termination,
    TurnReport,
)

COMPILED: bool = str(_core.__file__).endswith(tuple(EXTENSION_SUFFIXES))
"""Whether the engine's modules run compiled (mypyc C extensions) rather than as Python."""

__all__ = [
    "COMPILED",
    "Cause",
    "Change",
    "Decision",
    "EngineError",
    "GameState",
    "LogEntry",
    "Outcome",
    "PendingEffect",
    "Setup",
    "Termination",
    "TurnReport",
    "choices",
    "choose",
    "current_decision",
    "draw_lens",
    "end_game",
    "event_conditions",
    "inject",
    "is_over",
    "new_game",
    "open_game",
    "opening",
    "outcome",
    "start",
]
