"""The engine's speed work must not change what it computes.

Conditions are compiled to trees of test nodes, with ``not`` pushed to the leaves,
constants folded and comparisons turned into range tests on sums (see
``compile_condition``); here a plain tree-walking interpreter of the same language is
the reference, on random conditions and random states.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from game.content.conditions import (
    Binary,
    Bool,
    Condition,
    Name,
    Node,
    Num,
    Unary,
    parse_condition,
)
from game.engine.conditions import compile_condition, compile_first
from game.engine.state import GameState

from .helpers import context


@dataclass
class Names:
    meters: dict[str, int] = field(default_factory=lambda: {"esc": 0, "stab": 1, "coh": 2})
    rungs: dict[str, int] = field(default_factory=lambda: {"calm": 0, "war": 3})
    flags: frozenset[str] = frozenset({"talks", "deal"})
    seen: frozenset[str] = frozenset({"summit", "coup"})
    lenses: frozenset[str] = frozenset({"restraint"})


NAMES = Names()


def reference(node: Node, ctx: GameState) -> int | bool:
    """The meaning of a condition, one node at a time."""
    if isinstance(node, Num | Bool):
        return node.value
    if isinstance(node, Name):
        if node.kind in ("turn", "month"):
            return int(getattr(ctx, node.kind))
        if node.kind == "meter":
            return ctx.meters[NAMES.meters[node.ident]]
        if node.kind == "rung":
            return NAMES.rungs[node.ident]
        return node.ident in (ctx.flags if node.kind == "flag" else ctx.seen)
    if isinstance(node, Unary):
        value = reference(node.arg, ctx)
        return (not value) if node.op == "not" else -int(value)
    assert isinstance(node, Binary)
    if node.op == "and":
        return bool(reference(node.left, ctx)) and bool(reference(node.right, ctx))
    if node.op == "or":
        return bool(reference(node.left, ctx)) or bool(reference(node.right, ctx))
    a, b = int(reference(node.left, ctx)), int(reference(node.right, ctx))
    return {
        "+": a + b,
        "-": a - b,
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
        "==": a == b,
        "!=": a != b,
    }[node.op]


def _numbers(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["esc", "stab", "coh", "turn", "month", "rung.war", "rung.calm"]) | (
        st.integers(0, 120).map(str)
    )
    if depth == 0:
        return leaf
    sub = _numbers(depth - 1)
    return (
        leaf
        | st.tuples(sub, st.sampled_from(["+", "-"]), sub).map(lambda t: f"{t[0]} {t[1]} {t[2]}")
        | sub.map(lambda x: f"-({x})")
        | sub.map(lambda x: f"({x})")
    )


def _conditions(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(
        ["true", "false", "flag.talks", "flag.deal", "seen.summit", "seen.coup"]
    ) | st.tuples(
        _numbers(2), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), _numbers(2)
    ).map(lambda t: f"{t[0]} {t[1]} {t[2]}")
    if depth == 0:
        return leaf
    sub = _conditions(depth - 1)
    return (
        leaf
        | st.tuples(sub, st.sampled_from(["and", "or"]), sub).map(lambda t: f"{t[0]} {t[1]} {t[2]}")
        | st.tuples(sub, st.sampled_from(["and", "or", "==", "!="]), sub).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"
        )
        | sub.map(lambda x: f"not {x}")
        | sub.map(lambda x: f"not ({x})")
    )


_contexts = st.builds(
    context,
    meters=st.lists(st.integers(0, 100), min_size=3, max_size=3),
    turn=st.integers(1, 30),
    month=st.integers(1, 12),
    flags=st.sets(st.sampled_from(["talks", "deal"])),
    seen=st.sets(st.sampled_from(["summit", "coup"])),
)


@settings(max_examples=400, deadline=None)
@given(_conditions(3), st.lists(_contexts, min_size=1, max_size=4))
def test_compiled_conditions_match_the_reference(text: str, contexts: list[GameState]) -> None:
    cond: Condition = parse_condition(text, NAMES)
    fn = compile_condition(cond, NAMES)
    for ctx in contexts:
        assert bool(fn(ctx)) == bool(reference(cond.tree, ctx)), text


def test_deepest_allowed_nesting_compiles() -> None:
    """The longest conditions the loader accepts still compile and evaluate."""
    ctx = context([1, 2, 3], flags={"talks"})
    for text in (
        "(" * 50 + "flag.talks" + ")" * 50,
        "not " * 490 + "flag.talks",
        " and ".join(["flag.talks"] * 130),
        "esc" + " - -esc" * 280 + " < 5",
        "(" * 40 + "flag.talks" + " == flag.talks)" * 40 + " == flag.deal",
    ):
        assert len(text) <= 2000
        cond = parse_condition(text, NAMES)
        assert bool(compile_condition(cond, NAMES)(ctx)) == bool(reference(cond.tree, ctx))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.none() | _conditions(2), min_size=0, max_size=5),
    st.lists(_contexts, min_size=1, max_size=4),
)
def test_first_matches_the_reference(texts: list[str | None], contexts: list[GameState]) -> None:
    """``compile_first`` agrees with trying each condition in order (None: always)."""
    conds = [None if t is None else parse_condition(t, NAMES) for t in texts]
    first = compile_first([(f"item{k}", c) for k, c in enumerate(conds)], NAMES)
    for ctx in contexts:
        want = next(
            (
                f"item{k}"
                for k, cond in enumerate(conds)
                if cond is None or bool(reference(cond.tree, ctx))
            ),
            None,
        )
        assert first.first(ctx) == want, texts
