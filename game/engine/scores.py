"""An ending's scores, computed from the game that reached it.

A criterion may give a default score expression (``score``); an ending's ``scores`` gives
a plain number, an expression, or one relative to the criterion's (``"+2"``,
``"min(default, 6)"``).  Each is evaluated once, when the game ends, over the final state
and the history the engine keeps in it (``peak``, ``rung_turns``), then clamped to
0..10.  Not compiled: it runs once a game, never in the turn loop.

    final_scores(scenario, state)  # {"sovereignty": 6, "escalation": 8, ...}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.content.conditions import (
    Binary,
    Bool,
    Call,
    Crossed,
    Name,
    Node,
    Num,
    Unary,
    is_bool,
)
from game.content.models import Ending
from game.engine.state import GameState

if TYPE_CHECKING:
    from game.content.scenario import Scenario

__all__ = ["HIGHEST", "LOWEST", "ending_total", "evaluate", "final_scores", "holds"]

LOWEST = 0
"""The lowest score on a criterion."""
HIGHEST = 10
"""The highest score on a criterion."""


def final_scores(
    scenario: Scenario, state: GameState, ending: Ending | None = None
) -> dict[str, int]:
    """Score per criterion id (in the scenario's order) for ``ending`` (by default the
    state's) reached in ``state``; a criterion the ending does not score and that has no
    default is left out."""
    if ending is None:
        if state.ending is None:
            raise ValueError("the game is not over: it has no scores yet")
        ending = scenario.ending[state.ending]
    out: dict[str, int] = {}
    for criterion in scenario.criteria:
        default: int | None = None
        if criterion.score is not None:
            default = evaluate(scenario.scores[criterion.score].tree, scenario, state, None)
        value = ending.scores.get(criterion.id)
        if value is None:
            score = default
        elif isinstance(value, int):
            score = value
        else:
            score = evaluate(scenario.scores[value].tree, scenario, state, default)
        if score is not None:
            out[criterion.id] = max(LOWEST, min(HIGHEST, score))
    return out


def ending_total(scenario: Scenario, state: GameState, ending: Ending) -> int:
    """The weighted total ``ending`` would score if the game ended in ``state`` (as
    ``Outcome.total``)."""
    weight = {c.id: c.weight for c in scenario.criteria}
    return sum(v * weight[c] for c, v in final_scores(scenario, state, ending).items())


def evaluate(node: Node, scenario: Scenario, s: GameState, default: int | None) -> int:
    """The number a score expression's tree gives in the finished game ``s``."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        kind = node.kind
        if kind == "turn":
            return s.turn
        if kind == "month":
            return s.month
        if kind == "rung":
            return scenario.names.rungs[node.ident]
        if kind == "meter":
            return s.meters[scenario.names.meters[node.ident]]
        if kind == "peak":
            return s.peak[scenario.names.meters[node.ident]]
        if kind == "above":
            rung = scenario.names.rungs[node.ident]
            counted = sum(s.rung_turns[rung:])
            return counted + (1 if s.meters[0] >= rung else 0)  # the last turn, not yet counted
        if kind == "default":
            if default is None:
                raise ValueError("'default' used where the criterion has no score")
            return default
        raise ValueError(f"{kind} is not a number")
    if isinstance(node, Unary):
        return -evaluate(node.arg, scenario, s, default)
    if isinstance(node, Call):
        if node.fn == "if":
            test = holds(node.args[0], scenario, s, default)
            chosen = node.args[1] if test else node.args[2]
            return evaluate(chosen, scenario, s, default)
        values = [evaluate(arg, scenario, s, default) for arg in node.args]
        return min(values) if node.fn == "min" else max(values)
    assert isinstance(node, Binary)
    a = evaluate(node.left, scenario, s, default)
    b = evaluate(node.right, scenario, s, default)
    if node.op == "+":
        return a + b
    if node.op == "-":
        return a - b
    if node.op == "*":
        return a * b
    assert node.op == "/"
    return a // b if b else 0  # rounds down; a division by zero is 0, not a crash


def holds(node: Node, scenario: Scenario, s: GameState, default: int | None) -> bool:
    """The truth value of a condition's tree inside a score expression (``if``)."""
    if isinstance(node, Bool):
        return node.value
    if isinstance(node, Crossed):
        was = s.previous[scenario.names.meters[node.meter]]
        now = s.meters[scenario.names.meters[node.meter]]
        n = node.threshold
        return was >= n > now if node.below else was <= n < now
    if isinstance(node, Name):
        if node.kind == "lens":
            return s.lens == node.ident
        return node.ident in (s.flags if node.kind == "flag" else s.seen)
    if isinstance(node, Unary):
        return not holds(node.arg, scenario, s, default)
    assert isinstance(node, Binary)
    op = node.op
    if op == "and":
        return holds(node.left, scenario, s, default) and holds(node.right, scenario, s, default)
    if op == "or":
        return holds(node.left, scenario, s, default) or holds(node.right, scenario, s, default)
    if is_bool(node.left):  # == or != between two conditions
        same = holds(node.left, scenario, s, default) == holds(node.right, scenario, s, default)
        return same == (op == "==")
    a = evaluate(node.left, scenario, s, default)
    b = evaluate(node.right, scenario, s, default)
    return {
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
        "==": a == b,
        "!=": a != b,
    }[op]
