"""Conditions compiled for the engine: a checked syntax tree becomes a small tree of
:class:`Test` nodes, resolved against the scenario (meters as list indices, rungs as
numbers) and fast to evaluate every turn.

The language itself (grammar, parser, checks) is :mod:`game.content.conditions`: the
loader parses every condition once, and :func:`compile_condition` turns the result into
a test::

    test = compile_condition(scenario.conditions["stability < 30"], scenario.names)
    test.holds(state)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from game.content.conditions import (
    COMPARE,
    Binary,
    Bool,
    Condition,
    Crossed,
    Name,
    Names,
    Node,
    Num,
    Unary,
    is_bool,
)
from game.engine.state import GameState

__all__ = [
    "FirstOf",
    "Test",
    "compile_condition",
    "compile_first",
    "compile_test",
    "required_flags",
    "turn_window",
]


_BIG: Final = 1 << 60
"""An open end of a range test (numbers in conditions stay far inside it)."""


class Test:
    """A compiled condition: ``test.holds(s)`` is its truth value in the game state ``s``.

    Compilation turns a checked tree into a small tree of these nodes: ``not`` is
    pushed down to the leaves (De Morgan for ``and`` / ``or``; ``not a < b`` is
    ``a >= b``), constant parts (numbers, ``rung.ID``, ``true``, ``false``) are folded,
    and every comparison becomes a range test on one number: a meter, ``turn``, or a
    sum of them (the language's numbers are sums and differences, so ``a - b < 5`` is
    one range test on ``a - b``).  Each node is an ordinary object with a typed
    ``holds`` method, which is what lets mypyc compile a call to it into a direct C call.
    """

    __slots__ = ()

    def holds(self, s: GameState) -> bool:
        raise NotImplementedError

    def __call__(self, s: GameState) -> bool:
        return self.holds(s)


class Always(Test):
    __slots__ = ()

    def holds(self, s: GameState) -> bool:
        return True


class Never(Test):
    __slots__ = ()

    def holds(self, s: GameState) -> bool:
        return False


class _Member(Test):
    """Whether ``ident`` is in one of the state's sets, compared with ``want``."""

    __slots__ = ("ident", "want")

    def __init__(self, ident: str, want: bool) -> None:
        self.ident = ident
        self.want = want


class FlagIs(_Member):
    """``flag.ID`` (``want`` True) or ``not flag.ID``."""

    __slots__ = ()

    def holds(self, s: GameState) -> bool:
        return (self.ident in s.flags) == self.want


class SeenIs(_Member):
    """``seen.ID`` (``want`` True) or ``not seen.ID``."""

    __slots__ = ()

    def holds(self, s: GameState) -> bool:
        return (self.ident in s.seen) == self.want


class LensIs(_Member):
    """``lens.ID`` (``want`` True) or ``not lens.ID``: whether that lens runs the world."""

    __slots__ = ()

    def holds(self, s: GameState) -> bool:
        return (s.lens == self.ident) == self.want


class CrossedTest(Test):
    """``crossed_below.METER(N)``: ``previous[i] >= N > meters[i]``; ``crossed_above``:
    ``previous[i] <= N < meters[i]`` (``previous``: the meters at the last decision
    point), compared with ``want``."""

    __slots__ = ("below", "i", "threshold", "want")

    def __init__(self, i: int, threshold: int, below: bool, want: bool) -> None:
        self.i = i
        self.threshold = threshold
        self.below = below
        self.want = want

    def holds(self, s: GameState) -> bool:
        was = s.previous[self.i]
        now = s.meters[self.i]
        n = self.threshold
        crossed = was >= n > now if self.below else was <= n < now
        return crossed == self.want


class _InRange(Test):
    """Whether one number is in ``lo..hi`` (both included), compared with ``inside``."""

    __slots__ = ("hi", "inside", "lo")

    def __init__(self, lo: int, hi: int, inside: bool) -> None:
        self.lo = lo
        self.hi = hi
        self.inside = inside


class MeterIn(_InRange):
    """``lo <= meters[i] <= hi`` (or, with ``inside`` False, not)."""

    __slots__ = ("i",)

    def __init__(self, i: int, lo: int, hi: int, inside: bool) -> None:
        super().__init__(lo, hi, inside)
        self.i = i

    def holds(self, s: GameState) -> bool:
        return (self.lo <= s.meters[self.i] <= self.hi) == self.inside


class TurnIn(_InRange):
    """``lo <= turn <= hi`` (or, with ``inside`` False, not)."""

    __slots__ = ()

    def holds(self, s: GameState) -> bool:
        return (self.lo <= s.turn <= self.hi) == self.inside


class MonthIn(_InRange):
    """``lo <= month <= hi`` (or, with ``inside`` False, not)."""

    __slots__ = ()

    def holds(self, s: GameState) -> bool:
        return (self.lo <= s.month <= self.hi) == self.inside


class SumIn(_InRange):
    """``lo <= sum of coefficient * term <= hi`` (or not), the terms being meters (their
    index), ``turn`` (:data:`TURN`) and ``month`` (:data:`MONTH`)."""

    __slots__ = ("coefficients", "terms")

    def __init__(
        self, terms: tuple[int, ...], coefficients: tuple[int, ...], lo: int, hi: int, inside: bool
    ) -> None:
        super().__init__(lo, hi, inside)
        self.terms = terms
        self.coefficients = coefficients

    def holds(self, s: GameState) -> bool:
        terms = self.terms
        coefficients = self.coefficients
        meters = s.meters
        total = 0
        for n in range(len(terms)):  # (indexing compiles to plain C; zip() does not)
            term = terms[n]
            x = s.turn if term == TURN else s.month if term == MONTH else meters[term]
            total += coefficients[n] * x
        return (self.lo <= total <= self.hi) == self.inside


class Same(Test):
    """``a == b`` between two conditions (or, with ``same`` False, ``a != b``)."""

    __slots__ = ("a", "b", "same")

    def __init__(self, a: Test, b: Test, same: bool) -> None:
        self.a = a
        self.b = b
        self.same = same

    def holds(self, s: GameState) -> bool:
        return (self.a.holds(s) == self.b.holds(s)) == self.same


class Both(Test):
    """``a and b`` (``b`` tried only if ``a`` holds).  Longer chains nest to the right.

    Two typed fields rather than a tuple of parts: mypyc reads them without the type
    check that taking an item out of a tuple costs."""

    __slots__ = ("a", "b")

    def __init__(self, a: Test, b: Test) -> None:
        self.a = a
        self.b = b

    def holds(self, s: GameState) -> bool:
        return self.a.holds(s) and self.b.holds(s)


class Either(Test):
    """``a or b`` (``b`` tried only if ``a`` does not hold).  Longer chains nest to the
    right."""

    __slots__ = ("a", "b")

    def __init__(self, a: Test, b: Test) -> None:
        self.a = a
        self.b = b

    def holds(self, s: GameState) -> bool:
        return self.a.holds(s) or self.b.holds(s)


class FirstOf:
    """``first(s)``: the label of the first item whose test holds, else ``default``.

    The items are a chain of nodes rather than a tuple, for the same reason as
    :class:`Both`: mypyc reads a typed field without a type check."""

    __slots__ = ("default", "head")

    def __init__(self, items: Sequence[tuple[str, Test]], default: str | None) -> None:
        head: _Labelled | None = None
        for label, test in reversed(items):
            head = _Labelled(label, test, head)
        self.head = head
        self.default = default

    def first(self, s: GameState) -> str | None:
        item = self.head
        while item is not None:
            if item.test.holds(s):
                return item.label
            item = item.next
        return self.default

    def __call__(self, s: GameState) -> str | None:
        return self.first(s)


class _Labelled:
    """One item of a :class:`FirstOf`: a label, its test and the next item."""

    __slots__ = ("label", "next", "test")

    def __init__(self, label: str, test: Test, next: _Labelled | None) -> None:
        self.label = label
        self.test = test
        self.next = next


ALWAYS: Final = Always()
NEVER: Final = Never()

TURN: Final = -1
"""The term index of ``turn`` in a :class:`SumIn` (meters are 0, 1, ...)."""
MONTH: Final = -2
"""The term index of ``month`` in a :class:`SumIn`."""


def compile_condition(cond: Condition, names: Names) -> Test:
    """The checked condition as a :class:`Test` (``ALWAYS`` or ``NEVER`` if it folds to a
    constant).

    Nothing is evaluated or generated as source: the nodes are ordinary classes of this
    module, chosen by the shape of the checked tree, whose names were all resolved
    against the scenario (meters become list indices, rungs become numbers).
    """
    test = _test(cond.tree, names, False)
    if test is True:
        return ALWAYS
    if test is False:
        return NEVER
    return test


def compile_test(cond: Condition | None, names: Names) -> Test | None:
    """The compiled test of ``cond``, or None when it always holds (``cond`` None or
    folding to ``true``); a condition that never holds gives ``NEVER``."""
    if cond is None:
        return None
    test = compile_condition(cond, names)
    return None if test is ALWAYS else test


def compile_first(items: Sequence[tuple[str, Condition | None]], names: Names) -> FirstOf:
    """The items' tests in one :class:`FirstOf`: the label of the first item whose
    condition holds, or None.

    ``None`` for a condition means "always".  The engine checks its endings this way
    several times a turn.  Items after one that always holds are never reached and
    items that never hold are left out.
    """
    tests: list[tuple[str, Test]] = []
    default: str | None = None
    for label, cond in items:
        test = ALWAYS if cond is None else compile_condition(cond, names)
        if test is ALWAYS:
            default = label
            break
        if test is not NEVER:
            tests.append((label, test))
    return FirstOf(tests, default)


_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _test(node: Node, names: Names, negate: bool) -> Test | bool:
    """The compiled truth value of ``node`` (negated if ``negate``): a :class:`Test`, or a
    plain ``bool`` for a part that is constant."""
    while isinstance(node, Unary):  # `not not x` is x: only the parity counts
        assert node.op == "not"
        negate = not negate
        node = node.arg
    if isinstance(node, Bool):
        return node.value != negate
    if isinstance(node, Crossed):
        return CrossedTest(names.meters[node.meter], node.threshold, node.below, not negate)
    if isinstance(node, Name):
        if node.kind == "flag":
            return FlagIs(node.ident, not negate)
        if node.kind == "lens":
            return LensIs(node.ident, not negate)
        assert node.kind == "seen"
        return SeenIs(node.ident, not negate)
    assert isinstance(node, Binary)
    op = node.op
    if op in ("and", "or"):
        # not (a and b) is (not a) or (not b): exact, since every part is a bool.
        if negate:
            op = "or" if op == "and" else "and"
        parts = [_test(part, names, negate) for part in _operands(node, node.op)]
        return _chain(op, parts)
    if is_bool(node.left):  # a == b, a != b between two conditions
        same = (op == "==") != negate
        left, right = _test(node.left, names, False), _test(node.right, names, False)
        if isinstance(left, bool) and isinstance(right, bool):
            return (left == right) == same
        if isinstance(left, bool):  # `true == a` is a, `false == a` is not a
            return _test(node.right, names, left != same)
        if isinstance(right, bool):
            return _test(node.left, names, right != same)
        return Same(left, right, same)
    if negate:
        op = _NEGATE[op]  # exact for integers
    # left - right, as coefficients of meters / turn / month, plus a constant
    terms = _linear(node.left, names, 1)
    for term, k in _linear(node.right, names, -1).items():
        terms[term] = terms.get(term, 0) + k
    constant = terms.pop(_CONSTANT, 0)
    terms = {term: k for term, k in terms.items() if k}
    # sum(k * term) op -constant
    bound = -constant
    if not terms:
        return _compare_constants(0, op, bound)
    if len(terms) == 1:
        ((term, k),) = terms.items()
        if k in (1, -1):
            # -x op c  is  x flip(op) -c
            lo, hi, inside = _range(op, bound) if k == 1 else _range(_FLIP[op], -bound)
            if term == TURN:
                return TurnIn(lo, hi, inside)
            if term == MONTH:
                return MonthIn(lo, hi, inside)
            return MeterIn(term, lo, hi, inside)
    lo, hi, inside = _range(op, bound)
    ordered = sorted(terms.items())
    return SumIn(tuple(term for term, _ in ordered), tuple(k for _, k in ordered), lo, hi, inside)


def _range(op: str, c: int) -> tuple[int, int, bool]:
    """``x op c`` for an integer ``x`` as ``(lo, hi, inside)``: ``lo <= x <= hi`` is
    ``inside``."""
    if op == "<":
        return -_BIG, c - 1, True
    if op == "<=":
        return -_BIG, c, True
    if op == ">":
        return c + 1, _BIG, True
    if op == ">=":
        return c, _BIG, True
    return c, c, op == "=="


def _compare_constants(a: int, op: str, b: int) -> bool:
    lo, hi, inside = _range(op, b)
    return (lo <= a <= hi) == inside


_CONSTANT: Final = -3
"""The key of the constant part in :func:`_linear`'s coefficients."""


def _linear(node: Node, names: Names, sign: int) -> dict[int, int]:
    """``sign * node`` for a number ``node``, as coefficients: term -> coefficient, the
    terms being meter indices, :data:`TURN`, :data:`MONTH` and ``_CONSTANT`` (whose
    coefficient is the constant part)."""
    out: dict[int, int] = {}
    stack: list[tuple[Node, int]] = [(node, sign)]
    while stack:
        part, k = stack.pop()
        if isinstance(part, Num):
            out[_CONSTANT] = out.get(_CONSTANT, 0) + k * part.value
        elif isinstance(part, Name):
            if part.kind == "rung":
                term, k = _CONSTANT, k * names.rungs[part.ident]
            elif part.kind == "turn":
                term = TURN
            elif part.kind == "month":
                term = MONTH
            else:
                assert part.kind == "meter"
                term = names.meters[part.ident]
            out[term] = out.get(term, 0) + k
        elif isinstance(part, Unary):
            assert part.op == "-"
            stack.append((part.arg, -k))
        else:
            assert isinstance(part, Binary) and part.op in ("+", "-")
            stack.append((part.left, k))
            stack.append((part.right, k if part.op == "+" else -k))
    return out


def _rank(test: Test) -> int:
    """Cheaper kinds of test first inside an ``and`` / ``or`` (their order cannot change
    the result: every part is pure)."""
    if isinstance(test, FlagIs | SeenIs | LensIs):
        return 0
    if isinstance(test, TurnIn | MonthIn):
        return 1
    if isinstance(test, MeterIn):
        return 2
    return 3


def _chain(op: str, parts: list[Test | bool]) -> Test | bool:
    """``p1 and p2 and ...`` (or ``or``) of compiled truth values, constants folded.

    Every part is pure and a bool, so a constant that decides the chain decides it
    wherever it stands, and one that does not can be dropped.
    """
    decides = op == "or"  # True decides an `or`, False decides an `and`
    tests: list[Test] = []
    for part in parts:
        if isinstance(part, bool):
            if part == decides:
                return decides
            continue
        tests.append(part)
    if not tests:
        return not decides
    if len(tests) == 1:
        return tests[0]
    tests.sort(key=_rank)  # stable: equal ranks keep the order written
    node = tests[-1]
    for test in reversed(tests[:-1]):
        node = Either(test, node) if op == "or" else Both(test, node)
    return node


def _operands(node: Node, op: str) -> list[Node]:
    """The operands of a chain of one boolean operator, flattened: a and (b and c) -> a, b, c."""
    if isinstance(node, Binary) and node.op == op:
        return _operands(node.left, op) + _operands(node.right, op)
    return [node]


def turn_window(cond: Condition) -> tuple[int, int]:
    """The turns outside which the condition is surely false: (first, last) turn.

    Read from `turn` comparisons with a constant at the top level of a conjunction; the
    engine checks this window before calling the condition at all.
    """
    first, last = 1, 1 << 30
    for part in _operands(cond.tree, "and"):
        if not (isinstance(part, Binary) and part.op in COMPARE):
            continue
        if isinstance(part.left, Name) and part.left.kind == "turn" and isinstance(part.right, Num):
            op, c = part.op, part.right.value
        elif (
            isinstance(part.right, Name)
            and part.right.kind == "turn"
            and isinstance(part.left, Num)
        ):
            op, c = _FLIP[part.op], part.left.value
        else:
            continue
        if op == ">=":
            first = max(first, c)
        elif op == ">":
            first = max(first, c + 1)
        elif op == "<=":
            last = min(last, c)
        elif op == "<":
            last = min(last, c - 1)
        elif op == "==":
            first, last = max(first, c), min(last, c)
    return first, last


def required_flags(cond: Condition) -> tuple[str, ...]:
    """Flags that must be set for the condition to hold, in the order they appear.

    Read from ``flag.ID`` tests at the top level of a conjunction (``not not`` removed):
    when one of these flags is not set, the condition is surely false, so a caller may
    skip evaluating it.
    """
    out: list[str] = []
    for part in _operands(cond.tree, "and"):
        negate = False
        while isinstance(part, Unary) and part.op == "not":
            negate = not negate
            part = part.arg
        if negate or not isinstance(part, Name) or part.kind != "flag":
            continue
        if part.ident not in out:
            out.append(part.ident)
    return tuple(out)
