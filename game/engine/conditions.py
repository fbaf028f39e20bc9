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

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "Condition",
    "ConditionError",
    "Names",
    "compile_condition",
    "names_used",
    "parse_condition",
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


Fn = Callable[[_Context], int]


def compile_condition(cond: Condition, names: Names) -> Callable[[_Context], bool]:
    """Turn a checked condition into a fast predicate over a state-like context."""
    fn = _compile(cond.tree, names)
    return fn  # type: ignore[return-value]


_CMP: dict[str, Callable[[int, int], bool]] = {
    "<": int.__lt__,
    "<=": int.__le__,
    ">": int.__gt__,
    ">=": int.__ge__,
    "==": int.__eq__,
    "!=": int.__ne__,
}


def _constant(node: Node, names: Names) -> int | None:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name) and node.kind == "rung":
        return names.rungs[node.ident]
    if isinstance(node, Unary) and node.op == "-":
        inner = _constant(node.arg, names)
        return None if inner is None else -inner
    return None


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _operands(node: Node, op: str) -> list[Node]:
    """The operands of a chain of one boolean operator, flattened: a and (b and c) -> a, b, c."""
    if isinstance(node, Binary) and node.op == op:
        return _operands(node.left, op) + _operands(node.right, op)
    return [node]


def _chain(parts: list[Fn], conj: bool) -> Fn:
    """One closure for an n-ary and/or, so evaluating it costs one call per operand."""
    if conj:
        if len(parts) == 2:
            a, b = parts
            return lambda s: a(s) and b(s)
        if len(parts) == 3:
            a, b, c = parts
            return lambda s: a(s) and b(s) and c(s)
        if len(parts) == 4:
            a, b, c, d = parts
            return lambda s: a(s) and b(s) and c(s) and d(s)
        every = tuple(parts)
        return lambda s: all(p(s) for p in every)
    if len(parts) == 2:
        a, b = parts
        return lambda s: a(s) or b(s)
    if len(parts) == 3:
        a, b, c = parts
        return lambda s: a(s) or b(s) or c(s)
    some = tuple(parts)
    return lambda s: any(p(s) for p in some)


def _compare_leaf(kind: str, key: str | int, op: str, c: int) -> Fn:
    """A specialised closure for `meter OP const` and `turn OP const`."""
    if kind == "turn":
        return {
            "<": lambda s: s.turn < c,
            "<=": lambda s: s.turn <= c,
            ">": lambda s: s.turn > c,
            ">=": lambda s: s.turn >= c,
            "==": lambda s: s.turn == c,
            "!=": lambda s: s.turn != c,
        }[op]
    i = int(key)
    return {
        "<": lambda s: s.meters[i] < c,
        "<=": lambda s: s.meters[i] <= c,
        ">": lambda s: s.meters[i] > c,
        ">=": lambda s: s.meters[i] >= c,
        "==": lambda s: s.meters[i] == c,
        "!=": lambda s: s.meters[i] != c,
    }[op]


def _compile(node: Node, names: Names) -> Fn:
    const = _constant(node, names)
    if const is not None:
        return lambda s: const
    if isinstance(node, Bool):
        b = node.value
        return lambda s: b
    if isinstance(node, Name):
        ident = node.ident
        if node.kind == "turn":
            return lambda s: s.turn
        if node.kind == "month":
            return lambda s: s.month
        if node.kind == "meter":
            idx = names.meters[ident]
            return lambda s: s.meters[idx]
        if node.kind == "flag":
            return lambda s: ident in s.flags
        return lambda s: ident in s.seen
    if isinstance(node, Unary):
        if node.op == "not" and isinstance(node.arg, Name) and node.arg.kind in ("flag", "seen"):
            ident = node.arg.ident
            if node.arg.kind == "flag":
                return lambda s: ident not in s.flags
            return lambda s: ident not in s.seen
        arg = _compile(node.arg, names)
        if node.op == "not":
            return lambda s: not arg(s)
        return lambda s: -arg(s)
    assert isinstance(node, Binary)
    op = node.op
    if op in ("and", "or"):
        parts = [_compile(n, names) for n in _operands(node, op)]
        return _chain(parts, op == "and")
    # Comparisons: specialise "meter/turn OP constant" (either way round) for speed.
    lconst, rconst = _constant(node.left, names), _constant(node.right, names)
    for var, c, o in ((node.left, rconst, op), (node.right, lconst, _FLIP.get(op, op))):
        if c is not None and isinstance(var, Name) and o in _CMP:
            if var.kind == "meter":
                return _compare_leaf("meter", names.meters[var.ident], o, c)
            if var.kind == "turn":
                return _compare_leaf("turn", 0, o, c)
    left, right = _compile(node.left, names), _compile(node.right, names)
    if op == "+":
        return lambda s: left(s) + right(s)
    if op == "-":
        return lambda s: left(s) - right(s)
    cmp = _CMP[op]
    return lambda s: cmp(int(left(s)), int(right(s)))


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
