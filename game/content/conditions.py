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
event has come up).  Parsing never evaluates anything: :func:`parse_condition` checks
the text against the scenario's names and gives its syntax tree, part of the loaded
content; the engine compiles that tree into fast tests
(:func:`game.engine.conditions.compile_condition`).

    cond = parse_condition("stability < 30 and not flag.talks_open", scenario.names)
    names_used(cond)  # {("meter", "stability"), ("flag", "talks_open")}
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "COMPARE",
    "Binary",
    "Bool",
    "Condition",
    "ConditionError",
    "Name",
    "Names",
    "Node",
    "Num",
    "Unary",
    "is_bool",
    "names_used",
    "parse_condition",
    "suggest",
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

COMPARE = ("<", "<=", ">", ">=", "==", "!=")
"""The comparison operators."""
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
            raise ConditionError(
                f"unexpected character {text[col]!r}{_operator_hint(text, col)}", col
            )
        kind = m.lastgroup or ""
        value = m.group(kind)
        tokens.append((kind, value, m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


_OPERATOR_HINTS = (
    ("=<", "<="),
    ("=>", ">="),
    ("=", "=="),
    ("&&", "and"),
    ("||", "or"),
    ("!", "not"),
)
"""Operators from other languages and their spelling here."""


def _operator_hint(text: str, col: int) -> str:
    """'; did you mean '<='?' for a mistyped operator at ``col``, else ''."""
    for wrong, right in _OPERATOR_HINTS:
        if text.startswith(wrong, col):
            return f"; did you mean {right!r}?"
    return ""


def suggest(ident: str, known: Iterable[str], what: str = "known") -> str:
    """' (did you mean 'stability'?)' for a near miss, else the known names when they are
    few, else ''.

    >>> suggest("stabilty", ["stability", "escalation"])
    " (did you mean 'stability'?)"
    """
    names = sorted(set(known))
    close = difflib.get_close_matches(ident, names, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if names and len(names) <= 15:
        return f" ({what}: {', '.join(names)})"
    return ""


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
        if kind == "op" and val in COMPARE:
            self.take()
            node = Binary(val, node, self.term(), col)
            nkind, nval, ncol = self.peek()
            if nkind == "op" and nval in COMPARE:
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
                    hint = suggest(rest, self.names.flags, "flags")
                    raise ConditionError(f"unknown flag {rest!r}{hint}", col + 5)
                return Name("flag", rest, col)
            if head == "rung":
                if rest not in self.names.rungs:
                    hint = suggest(rest, self.names.rungs, "rungs")
                    raise ConditionError(f"unknown rung {rest!r}{hint}", col + 5)
                return Name("rung", rest, col)
            if head == "seen":
                if rest not in self.names.seen:
                    hint = suggest(rest, self.names.seen, "cards and events")
                    raise ConditionError(f"unknown card or event {rest!r}{hint}", col + 5)
                return Name("seen", rest, col)
            close = difflib.get_close_matches(head, ["flag", "rung", "seen"], n=1)
            hint = f"; did you mean '{close[0]}.{rest}'?" if close else ""
            raise ConditionError(
                f"unknown name {text!r}: dotted names start with flag., rung. or seen.{hint}", col
            )
        if text in self.names.meters:
            return Name("meter", text, col)
        hint = suggest(text, [*self.names.meters, "turn", "month"], "meters")
        if not hint.startswith(" (did"):
            known = suggest(text, self.names.meters, "meters")[2:-1]
            hint = f" (not turn, month or a meter id{'; ' + known if known else ''})"
        raise ConditionError(f"unknown name {text!r}{hint}", col)


def is_bool(node: Node) -> bool:
    """Whether ``node`` is a truth value (a condition) rather than a number."""
    if isinstance(node, Bool):
        return True
    if isinstance(node, Name):
        return node.kind in ("flag", "seen")
    if isinstance(node, Unary):
        return node.op == "not"
    if isinstance(node, Binary):
        return node.op in ("and", "or") or node.op in COMPARE
    return False


def _check(node: Node, want_bool: bool) -> None:
    """Type-check: numbers where numbers go, truth values where truth values go."""
    if is_bool(node) != want_bool:
        col = node.col
        if want_bool:
            raise ConditionError("a number is not a condition; compare it, e.g. 'x >= 50'", col)
        raise ConditionError("a condition cannot be used as a number", col)
    if isinstance(node, Unary):
        _check(node.arg, node.op == "not")
    elif isinstance(node, Binary):
        if node.op in ("and", "or") or (
            node.op in ("==", "!=") and is_bool(node.left) and is_bool(node.right)
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
