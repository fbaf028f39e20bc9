"""The condition language: a tiny, safe expression language parsed once at load time.

Grammar (lowest precedence first)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := term (("<" | "<=" | ">" | ">=" | "==" | "!=") term)?
    term    := factor (("+" | "-") factor)*
    factor  := NUMBER | "-" factor | "true" | "false" | NAME | "(" expr ")"
    NAME    := IDENT ("." IDENT)?

Names are ``turn``, ``month``, meter ids, ``rung.ID`` (a rung's number),
``flag.ID`` (true while the flag is set) and ``seen.ID`` (true once a card or
event has come up).  Parsing never evaluates anything; :func:`compile_condition`
turns the checked tree into closures over a game state.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "Condition",
    "ConditionError",
    "Names",
    "compile_condition",
    "compile_each",
    "compile_first",
    "compile_test",
    "names_used",
    "parse_condition",
    "required_flags",
    "turn_window",
]


class ConditionError(ValueError):
    """A condition that does not parse or check, with the column of the bad token."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} (at column {self.column + 1})"


# --- syntax tree ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Num:
    value: int
    col: int


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool
    col: int


@dataclass(frozen=True, slots=True)
class Name:
    kind: str  # "turn", "month", "meter", "rung", "flag", "seen"
    ident: str
    col: int


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "not" or "-"
    arg: Node
    col: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node
    col: int


Node = Num | Bool | Name | Unary | Binary

_COMPARE = ("<", "<=", ">", ">=", "==", "!=")
_KEYWORDS = {"and", "or", "not", "true", "false"}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"|(?P<op><=|>=|==|!=|<|>|\(|\)|\+|-))"
)


class Names(Protocol):
    """What a condition may refer to, supplied by the scenario being loaded."""

    @property
    def meters(self) -> Mapping[str, int]:
        """Meter id -> index in the state's meter list."""
        ...

    @property
    def rungs(self) -> Mapping[str, int]:
        """Rung id -> its number on the escalation ladder."""
        ...

    @property
    def flags(self) -> frozenset[str]:
        """Declared flag ids."""
        ...

    @property
    def seen(self) -> frozenset[str]:
        """Card and event ids."""
        ...


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed, checked condition: its source text and its syntax tree."""

    source: str
    tree: Node

    def __str__(self) -> str:
        return self.source


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            col = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ConditionError(f"unexpected character {text[col]!r}", col)
        kind = m.lastgroup or ""
        value = m.group(kind)
        tokens.append((kind, value, m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str, names: Names) -> None:
        self.text = text
        self.names = names
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, value: str) -> bool:
        kind, val, _ = self.peek()
        return kind in ("op", "name") and val == value

    def fail(self, message: str) -> ConditionError:
        kind, val, col = self.peek()
        found = "end of condition" if kind == "end" else repr(val)
        return ConditionError(f"{message}, found {found}", col)

    def parse(self) -> Node:
        if self.peek()[0] == "end":
            raise ConditionError("empty condition", 0)
        node = self.expr()
        if self.peek()[0] != "end":
            raise self.fail("expected 'and', 'or' or the end of the condition")
        return node

    def expr(self) -> Node:
        node = self.conj()
        while self.at("or"):
            col = self.take()[2]
            node = Binary("or", node, self.conj(), col)
        return node

    def conj(self) -> Node:
        node = self.neg()
        while self.at("and"):
            col = self.take()[2]
            node = Binary("and", node, self.neg(), col)
        return node

    def neg(self) -> Node:
        if self.at("not"):
            col = self.take()[2]
            return Unary("not", self.neg(), col)
        return self.compare()

    def compare(self) -> Node:
        node = self.term()
        kind, val, col = self.peek()
        if kind == "op" and val in _COMPARE:
            self.take()
            node = Binary(val, node, self.term(), col)
            nkind, nval, ncol = self.peek()
            if nkind == "op" and nval in _COMPARE:
                raise ConditionError(
                    "chained comparisons are not allowed; join them with 'and'", ncol
                )
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.at("+") or self.at("-"):
            _, op, col = self.take()
            node = Binary(op, node, self.factor(), col)
        return node

    def factor(self) -> Node:
        kind, val, col = self.peek()
        if kind == "num":
            self.take()
            return Num(int(val), col)
        if kind == "op" and val == "-":
            self.take()
            return Unary("-", self.factor(), col)
        if kind == "op" and val == "(":
            self.take()
            node = self.expr()
            if not self.at(")"):
                raise self.fail("expected ')'")
            self.take()
            return node
        if kind == "name":
            self.take()
            return self.name(val, col)
        raise self.fail("expected a number, a name or '('")

    def name(self, text: str, col: int) -> Node:
        if text in ("true", "false"):
            return Bool(text == "true", col)
        if text in _KEYWORDS:
            raise ConditionError(f"{text!r} needs something before it", col)
        if text in ("turn", "month"):
            return Name(text, text, col)
        head, _, rest = text.partition(".")
        if rest:
            if "." in rest:
                raise ConditionError(f"unknown name {text!r}", col)
            if head == "flag":
                if rest not in self.names.flags:
                    raise ConditionError(f"unknown flag {rest!r}", col + 5)
                return Name("flag", rest, col)
            if head == "rung":
                if rest not in self.names.rungs:
                    raise ConditionError(f"unknown rung {rest!r}", col + 5)
                return Name("rung", rest, col)
            if head == "seen":
                if rest not in self.names.seen:
                    raise ConditionError(f"unknown card or event {rest!r}", col + 5)
                return Name("seen", rest, col)
            raise ConditionError(
                f"unknown name {text!r}: dotted names start with flag., rung. or seen.", col
            )
        if text in self.names.meters:
            return Name("meter", text, col)
        raise ConditionError(f"unknown name {text!r} (not turn, month or a meter id)", col)


def _is_bool(node: Node) -> bool:
    if isinstance(node, Bool):
        return True
    if isinstance(node, Name):
        return node.kind in ("flag", "seen")
    if isinstance(node, Unary):
        return node.op == "not"
    if isinstance(node, Binary):
        return node.op in ("and", "or") or node.op in _COMPARE
    return False


def _check(node: Node, want_bool: bool) -> None:
    """Type-check: numbers where numbers go, truth values where truth values go."""
    if _is_bool(node) != want_bool:
        col = node.col
        if want_bool:
            raise ConditionError("a number is not a condition; compare it, e.g. 'x >= 50'", col)
        raise ConditionError("a condition cannot be used as a number", col)
    if isinstance(node, Unary):
        _check(node.arg, node.op == "not")
    elif isinstance(node, Binary):
        if node.op in ("and", "or") or (
            node.op in ("==", "!=") and _is_bool(node.left) and _is_bool(node.right)
        ):
            _check(node.left, True)
            _check(node.right, True)
        else:
            _check(node.left, False)
            _check(node.right, False)


def parse_condition(text: str, names: Names) -> Condition:
    """Parse and check ``text`` against the scenario's ``names``; raise ConditionError."""
    if len(text) > 2000:
        raise ConditionError("condition is longer than 2000 characters", 0)
    parser = _Parser(text, names)
    # A nesting limit keeps hostile input from exhausting the recursion limit.
    if text.count("(") > 50:
        raise ConditionError("too many parentheses (more than 50)", text.index("("))
    tree = parser.parse()
    _check(tree, True)
    return Condition(text, tree)


def names_used(cond: Condition) -> set[tuple[str, str]]:
    """Every (kind, id) the condition refers to."""
    found: set[tuple[str, str]] = set()
    stack: list[Node] = [cond.tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            found.add((node.kind, node.ident))
        elif isinstance(node, Unary):
            stack.append(node.arg)
        elif isinstance(node, Binary):
            stack.extend((node.left, node.right))
    return found


# --- compilation ---------------------------------------------------------------


class _Context(Protocol):
    turn: int
    month: int
    meters: list[int]
    flags: set[str]
    seen: set[str]


Test = Callable[[Any], bool]
"""A compiled condition: ``test(s)`` is the condition's truth value in the context ``s``."""

Value = Callable[[Any], int]
"""A compiled number: ``value(s)`` is the number's value in the context ``s``."""


def compile_condition(cond: Condition, names: Names) -> Callable[[_Context], bool]:
    """Turn a checked condition into one fast Python function over a state-like context.

    The checked tree is turned into nested closures, one per node that is not folded
    away, and common shapes get a single closure of their own so that they cost one
    call: a meter or ``turn`` compared with a constant (``lambda s: s.meters[1] < 30``),
    a flag or card test (``lambda s: 'talks_open' not in s.flags``), and chains of
    ``and`` / ``or`` of two, three or four operands.  Inside a chain the simple tests
    (flag tests, meter or ``turn`` comparisons with a constant) go first, two to a
    closure (``lambda s: 'deal' in s.flags and lt(s.meters[2], 40)``): every part is
    pure, so their order does not change the result.  ``not`` is pushed down to the
    leaves (``not a < b`` is ``a >= b``, De Morgan for ``and`` / ``or``), and constant
    parts (numbers, ``rung.ID``, ``true``, ``false``) are folded at compile time.

    Nothing is evaluated or generated as source: every closure is ordinary code of this
    module, chosen by the shape of the checked tree, whose names were all resolved
    against the scenario (meters become list indices, rungs become numbers).  The
    language's integers and truth values are Python ``int`` and ``bool``, and every
    test returns a ``bool``, so ``==`` between two conditions compares as before.
    """
    return _as_function(_test(cond.tree, names, False))


def compile_first(
    items: Sequence[tuple[str, Condition | None]], names: Names
) -> Callable[[_Context], str | None]:
    """One function returning the label of the first item whose condition holds, or None.

    ``None`` for a condition means "always".  Equivalent to trying each item's
    :func:`compile_condition` in order, in one call: the engine checks its endings
    this way several times a turn.  Items after one that always holds are never reached
    and items that never hold are left out.
    """
    tests: list[tuple[str, Test]] = []
    default: str | None = None
    for label, cond in items:
        test = True if cond is None else _test(cond.tree, names, False)
        if test is True:
            default = label
            break
        if test is not False:
            tests.append((label, test))
    pairs = tuple(tests)

    def first(s: _Context) -> str | None:
        for label, test in pairs:
            if test(s):
                return label
        return default

    return first


def compile_each(
    conds: Sequence[Condition | None], names: Names
) -> Callable[[_Context, Callable[[int], object]], None]:
    """One function ``each(s, act)`` that calls ``act(k)`` for each condition that holds.

    ``None`` for a condition means "always".  The conditions are tried in order against
    the live context, each just before its ``act`` would run, so what ``act(k)`` changes
    is seen by the conditions after ``k`` — exactly like looping over
    :func:`compile_condition` functions.  ``act`` must change the context's meters,
    flags and seen in place (as the engine does), never replace them.
    """
    pairs = tuple(
        (k, test)
        for k, test in (
            (k, True if cond is None else _test(cond.tree, names, False))
            for k, cond in enumerate(conds)
        )
        if test is not False
    )

    def each(s: _Context, act: Callable[[int], object]) -> None:
        for k, test in pairs:
            if test is True or test(s):
                act(k)

    return each


def compile_test(cond: Condition | None, names: Names) -> Test | None:
    """The compiled test of ``cond``, or None when it always holds (``cond`` None or
    folding to ``true``); a condition that never holds gives a test returning False."""
    if cond is None:
        return None
    test = _test(cond.tree, names, False)
    return None if test is True else _as_function(test)


def _as_function(test: Test | bool) -> Test:
    if test is True:
        return _always
    if test is False:
        return _never
    return test


def _always(s: object) -> bool:
    return True


def _never(s: object) -> bool:
    return False


_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_OPERATOR: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}

# One closure per comparison of a meter, the turn, or any number with a constant.
_METER_VS: dict[str, Callable[[int, int], Test]] = {
    "<": lambda i, c: lambda s: s.meters[i] < c,
    "<=": lambda i, c: lambda s: s.meters[i] <= c,
    ">": lambda i, c: lambda s: s.meters[i] > c,
    ">=": lambda i, c: lambda s: s.meters[i] >= c,
    "==": lambda i, c: lambda s: s.meters[i] == c,
    "!=": lambda i, c: lambda s: s.meters[i] != c,
}
_TURN_VS: dict[str, Callable[[int], Test]] = {
    "<": lambda c: lambda s: s.turn < c,
    "<=": lambda c: lambda s: s.turn <= c,
    ">": lambda c: lambda s: s.turn > c,
    ">=": lambda c: lambda s: s.turn >= c,
    "==": lambda c: lambda s: s.turn == c,
    "!=": lambda c: lambda s: s.turn != c,
}
_VALUE_VS: dict[str, Callable[[Value, int], Test]] = {
    "<": lambda f, c: lambda s: f(s) < c,
    "<=": lambda f, c: lambda s: f(s) <= c,
    ">": lambda f, c: lambda s: f(s) > c,
    ">=": lambda f, c: lambda s: f(s) >= c,
    "==": lambda f, c: lambda s: f(s) == c,
    "!=": lambda f, c: lambda s: f(s) != c,
}
_METERS_VS: dict[str, Callable[[int, int], Test]] = {
    "<": lambda i, j: lambda s: (m := s.meters)[i] < m[j],
    "<=": lambda i, j: lambda s: (m := s.meters)[i] <= m[j],
    ">": lambda i, j: lambda s: (m := s.meters)[i] > m[j],
    ">=": lambda i, j: lambda s: (m := s.meters)[i] >= m[j],
    "==": lambda i, j: lambda s: (m := s.meters)[i] == m[j],
    "!=": lambda i, j: lambda s: (m := s.meters)[i] != m[j],
}


def _test(node: Node, names: Names, negate: bool) -> Test | bool:
    """The compiled truth value of ``node`` (negated if ``negate``): a closure, or a
    plain ``bool`` for a part that is constant."""
    while isinstance(node, Unary):  # `not not x` is x: only the parity counts
        assert node.op == "not"
        negate = not negate
        node = node.arg
    if isinstance(node, Bool):
        return node.value != negate
    if isinstance(node, Name):
        ident = node.ident
        if node.kind == "flag":
            if negate:
                return lambda s: ident not in s.flags
            return lambda s: ident in s.flags
        assert node.kind == "seen"
        if negate:
            return lambda s: ident not in s.seen
        return lambda s: ident in s.seen
    assert isinstance(node, Binary)
    op = node.op
    if op in ("and", "or"):
        # not (a and b) is (not a) or (not b): exact, since every part is a bool.
        operands = _operands(node, op)
        if negate:
            op = "or" if op == "and" else "and"
        # Every part is pure, so their order does not change the result: the simple
        # tests (see _atom) go first, the cheapest kinds first.
        pairs = [(_atom(part, names, negate), part) for part in operands]
        atoms = sorted((a for a, _ in pairs if a is not None), key=lambda a: _KIND_ORDER[a[0]])
        parts: list[Test | bool] = [_single(atom) for atom in atoms]
        parts += [_test(part, names, negate) for atom, part in pairs if atom is None]
        return _chain(op, parts)
    if negate:
        op = _NEGATE[op]  # exact for integers and for truth values alike
    if _is_bool(node.left):
        return _compare(op, _test(node.left, names, False), _test(node.right, names, False))
    left, right = node.left, node.right
    lconst, rconst = _constant(left, names), _constant(right, names)
    if lconst is not None and rconst is None:  # put the constant on the right
        left, right, lconst, rconst, op = right, left, rconst, lconst, _FLIP[op]
    if rconst is not None and isinstance(left, Name):
        if left.kind == "meter":
            return _METER_VS[op](names.meters[left.ident], rconst)
        if left.kind == "turn":
            return _TURN_VS[op](rconst)
    if isinstance(left, Name) and isinstance(right, Name) and left.kind == right.kind == "meter":
        return _METERS_VS[op](names.meters[left.ident], names.meters[right.ident])
    return _compare(op, _value(left, names), _value(right, names))


Atom = tuple[Any, ...]
"""A simple test, as data: ``("Fp", id)`` (flag set), ``("Fn", id)`` (flag not set),
``("T", op, c)`` (``turn op c``) or ``("M", i, op, c)`` (``meters[i] op c``)."""

_KIND_ORDER = {"Fp": 0, "Fn": 1, "T": 2, "M": 3}


def _atom(node: Node, names: Names, negate: bool) -> Atom | None:
    """``node`` (negated if ``negate``) as an :data:`Atom`, or None if it is not one."""
    while isinstance(node, Unary) and node.op == "not":
        negate = not negate
        node = node.arg
    if isinstance(node, Name):
        if node.kind != "flag":
            return None
        return ("Fn" if negate else "Fp", node.ident)
    if not isinstance(node, Binary) or node.op not in _COMPARE or _is_bool(node.left):
        return None
    op = _NEGATE[node.op] if negate else node.op
    left, right = node.left, node.right
    lconst, rconst = _constant(left, names), _constant(right, names)
    if lconst is not None and rconst is None:
        left, rconst, op = right, lconst, _FLIP[op]
    if rconst is None or not isinstance(left, Name):
        return None
    if left.kind == "meter":
        return ("M", names.meters[left.ident], op, rconst)
    if left.kind == "turn":
        return ("T", op, rconst)
    return None


def _single(atom: Atom) -> Test:
    """The closure of one :data:`Atom`."""
    kind = atom[0]
    if kind == "M":
        return _METER_VS[atom[2]](atom[1], atom[3])
    if kind == "T":
        return _TURN_VS[atom[1]](atom[2])
    ident = atom[1]
    if kind == "Fn":
        return lambda s: ident not in s.flags
    return lambda s: ident in s.flags


def _compare(op: str, left: Any, right: Any) -> Test | bool:
    """``left op right`` for two compiled values (closures or constants)."""
    lfn, rfn = callable(left), callable(right)
    if not lfn and not rfn:
        return bool(_OPERATOR[op](left, right))
    if not lfn:
        left, right, op, rfn = right, left, _FLIP[op], False
    if not rfn:
        return _VALUE_VS[op](left, right)
    fn = _OPERATOR[op]
    f, g = left, right
    return lambda s: fn(f(s), g(s))


def _chain(op: str, parts: list[Test | bool]) -> Test | bool:
    """``p1 and p2 and ...`` (or ``or``) of compiled truth values, constants folded.

    Every part is pure and a bool, so a constant that decides the chain decides it
    wherever it stands, and one that does not can be dropped.
    """
    decides = op == "or"  # True decides an `or`, False decides an `and`
    tests: list[Test] = []
    for part in parts:
        if part is decides:
            return decides
        if part is not (not decides):
            assert callable(part)
            tests.append(part)
    if not tests:
        return not decides
    if len(tests) == 1:
        return tests[0]
    if op == "and":
        if len(tests) == 2:
            a, b = tests
            return lambda s: a(s) and b(s)
        if len(tests) == 3:
            a, b, c = tests
            return lambda s: a(s) and b(s) and c(s)
        if len(tests) == 4:
            a, b, c, d = tests
            return lambda s: a(s) and b(s) and c(s) and d(s)
        every = tuple(tests)

        def all_hold(s: _Context) -> bool:
            for test in every:  # noqa: SIM110 (a loop is faster than all() of a generator)
                if not test(s):
                    return False
            return True

        return all_hold
    if len(tests) == 2:
        a, b = tests
        return lambda s: a(s) or b(s)
    if len(tests) == 3:
        a, b, c = tests
        return lambda s: a(s) or b(s) or c(s)
    if len(tests) == 4:
        a, b, c, d = tests
        return lambda s: a(s) or b(s) or c(s) or d(s)
    anyof = tuple(tests)

    def any_holds(s: _Context) -> bool:
        for test in anyof:  # noqa: SIM110 (a loop is faster than any() of a generator)
            if test(s):
                return True
        return False

    return any_holds


_TURN: Value = operator.attrgetter("turn")
_MONTH: Value = operator.attrgetter("month")


def _value(node: Node, names: Names) -> Value | int:
    """The compiled value of a number ``node``: a closure, or an ``int`` if constant."""
    const = _constant(node, names)
    if const is not None:
        return const
    if isinstance(node, Name):
        if node.kind == "turn":
            return _TURN
        if node.kind == "month":
            return _MONTH
        assert node.kind == "meter"
        i = names.meters[node.ident]
        return lambda s: s.meters[i]
    if isinstance(node, Unary):
        assert node.op == "-"
        arg = _value(node.arg, names)
        assert not isinstance(arg, int)  # a constant argument was folded above
        return lambda s: -arg(s)
    assert isinstance(node, Binary) and node.op in ("+", "-")
    left, right = _value(node.left, names), _value(node.right, names)
    if isinstance(right, int):  # then left is not: a constant sum was folded above
        assert not isinstance(left, int)
        f, c = left, right if node.op == "+" else -right
        return lambda s: f(s) + c
    g = right
    if isinstance(left, int):
        k = left
        if node.op == "+":
            return lambda s: k + g(s)
        return lambda s: k - g(s)
    h = left
    if node.op == "+":
        return lambda s: h(s) + g(s)
    return lambda s: h(s) - g(s)


def _constant(node: Node, names: Names) -> int | None:
    """The value of a number ``node`` that reads nothing from the context, else None."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        return names.rungs[node.ident] if node.kind == "rung" else None
    if isinstance(node, Unary) and node.op == "-":
        inner = _constant(node.arg, names)
        return None if inner is None else -inner
    if isinstance(node, Binary) and node.op in ("+", "-"):
        left = _constant(node.left, names)
        right = None if left is None else _constant(node.right, names)
        if left is None or right is None:
            return None
        return left + right if node.op == "+" else left - right
    return None


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
        if not (isinstance(part, Binary) and part.op in _COMPARE):
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
