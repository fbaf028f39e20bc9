"""The condition language: a tiny, safe expression language parsed once at load time.

Grammar (lowest precedence first)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := term (("<" | "<=" | ">" | ">=" | "==" | "!=") term)?
             | term ("<" | "<=") term ("<" | "<=") term       (a range, also with > >=)
             | term "in" term ".." term                        (lo <= x <= hi)
    term    := product (("+" | "-") product)*
    product := factor (("*" | "/") factor)*          (scores only)
    factor  := NUMBER | "-" factor | "true" | "false" | NAME | "(" expr ")"
             | ("min" | "max") "(" term ("," term)* ")"  (scores only)
             | "if" "(" expr "," term "," term ")"        (scores only)
             | ("crossed_below" | "crossed_above") "." METER "(" NUMBER ")"
    NAME    := IDENT ("." IDENT)*

Names are ``turn``, ``month``, meter ids, ``rung.ID`` (a rung's number),
``flag.ID`` (true while the flag is set), ``seen.ID`` (true once a card or
event has come up), ``lens.ID`` (true when that lens runs the world) and
``crossed_below.METER(N)`` / ``crossed_above.METER(N)`` (the meter was at or above N, or
at or below N, at the last decision and is now on the other side of it).

A *score expression* (:func:`parse_score`, for the endings' scores) is a number computed
once when the game ends: besides the above it may multiply, divide (``/`` rounds down),
take ``min``/``max``, choose with ``if``, and read the game's history: ``peak.METER``
(the highest value the meter or ladder reached), ``turns_at_or_above.rung.ID`` (turns
that ended at or above the rung, the last turn included) and ``default`` (the
criterion's own score expression, in an ending's score).

Parsing never evaluates anything: :func:`parse_condition` checks the text against the
scenario's names and gives its syntax tree, part of the loaded content; the engine
compiles that tree into fast tests (:func:`game.engine.conditions.compile_condition`).

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
    "Call",
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
    "parse_score",
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
    kind: str  # turn, month, meter, rung, flag, seen, lens; in scores also peak, above, default
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


@dataclass(frozen=True, slots=True)
class Call:
    """``min(a, b, ...)``, ``max(a, b, ...)`` or ``if(condition, a, b)`` (scores only)."""

    fn: str
    args: tuple[Node, ...]
    col: int


@dataclass(frozen=True, slots=True)
class Crossed:
    """``crossed_below.METER(N)`` (``below`` True) or ``crossed_above.METER(N)``: the meter
    was on one side of N at the last decision point and is now on the other."""

    meter: str
    threshold: int
    below: bool
    col: int


Node = Num | Bool | Name | Unary | Binary | Call | Crossed

COMPARE = ("<", "<=", ">", ">=", "==", "!=")
"""The comparison operators."""
_KEYWORDS = {"and", "or", "not", "true", "false", "in"}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"|(?P<op>\.\.|<=|>=|==|!=|<|>|\(|\)|\+|-|\*|/|,))"
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

    @property
    def lenses(self) -> frozenset[str]:
        """Lens ids."""
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
    def __init__(self, text: str, names: Names, score: bool = False, default: bool = False) -> None:
        self.text = text
        self.names = names
        self.score = score
        """Parsing a score expression: arithmetic, functions and history names allowed."""
        self.default = default
        """``default`` (the criterion's score) may be used."""
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
        if self.at("in"):  # x in lo..hi
            self.take()
            lo = self.term()
            if not self.at(".."):
                raise self.fail("expected '..' in a range 'x in lo..hi'")
            dots = self.take()[2]
            hi = self.term()
            return Binary("and", Binary(">=", node, lo, col), Binary("<=", node, hi, dots), col)
        if kind == "op" and val in COMPARE:
            self.take()
            middle = self.term()
            node = Binary(val, node, middle, col)
            nkind, nval, ncol = self.peek()
            if nkind == "op" and nval in COMPARE:
                ascending = val in ("<", "<=") and nval in ("<", "<=")
                descending = val in (">", ">=") and nval in (">", ">=")
                if not (ascending or descending):
                    raise ConditionError(
                        "only a range chains comparisons (a <= x <= b, a > x >= b); join "
                        "others with 'and'",
                        ncol,
                    )
                self.take()
                node = Binary("and", node, Binary(nval, middle, self.term(), ncol), col)
                if self.peek()[0] == "op" and self.peek()[1] in COMPARE:
                    raise ConditionError("a range has two comparisons at most", self.peek()[2])
        return node

    def term(self) -> Node:
        node = self.product()
        while self.at("+") or self.at("-"):
            _, op, col = self.take()
            node = Binary(op, node, self.product(), col)
        return node

    def product(self) -> Node:
        node = self.factor()
        while self.at("*") or self.at("/"):
            _, op, col = self.take()
            self.scores_only(f"{op!r}", col)
            node = Binary(op, node, self.factor(), col)
        return node

    def crossed(self, below: bool, meter: str, col: int) -> Node:
        if meter not in self.names.meters:
            raise ConditionError(f"unknown meter {meter!r}", col)
        if not self.at("("):
            raise self.fail(f"expected '(' and a threshold, e.g. {meter}(40)")
        self.take()
        kind, val, _ = self.peek()
        if kind != "num":
            raise self.fail("expected the threshold, a number")
        self.take()
        if not self.at(")"):
            raise self.fail("expected ')'")
        self.take()
        return Crossed(meter, int(val), below, col)

    def scores_only(self, what: str, col: int) -> None:
        if not self.score:
            raise ConditionError(f"{what} is only allowed in score expressions", col)

    def call(self, fn: str, col: int) -> Node:
        self.scores_only(f"{fn}()", col)
        self.take()  # "("
        args = [self.expr() if fn == "if" else self.term()]
        while self.at(","):
            self.take()
            args.append(self.term())
        if not self.at(")"):
            raise self.fail("expected ',' or ')'")
        self.take()
        if fn == "if" and len(args) != 3:
            raise ConditionError("if() takes a condition and two numbers: if(c, a, b)", col)
        if fn != "if" and len(args) < 2:
            raise ConditionError(f"{fn}() takes two or more numbers", col)
        return Call(fn, tuple(args), col)

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
            if val in ("min", "max", "if") and self.at("("):
                return self.call(val, col)
            head, _, rest = val.partition(".")
            if head in ("crossed_below", "crossed_above"):
                return self.crossed(head == "crossed_below", rest, col)
            return self.name(val, col)
        raise self.fail("expected a number, a name or '('")

    def name(self, text: str, col: int) -> Node:
        if text in ("true", "false"):
            return Bool(text == "true", col)
        if text in _KEYWORDS:
            raise ConditionError(f"{text!r} needs something before it", col)
        if text in ("turn", "month"):
            return Name(text, text, col)
        if text == "default" and self.score:
            if not self.default:
                raise ConditionError("'default' is only allowed in an ending's score", col)
            return Name("default", "", col)
        head, _, rest = text.partition(".")
        if head in ("peak", "turns_at_or_above") and rest:
            self.scores_only(f"{head}.", col)
            if head == "peak":
                if rest not in self.names.meters:
                    raise ConditionError(f"unknown meter {rest!r}", col + 5)
                return Name("peak", rest, col)
            rung = rest.removeprefix("rung.")
            if rung == rest:
                raise ConditionError("expected turns_at_or_above.rung.ID", col)
            if rung not in self.names.rungs:
                raise ConditionError(f"unknown rung {rung!r}", col + 23)
            return Name("above", rung, col)
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
            if head == "lens":
                if rest not in self.names.lenses:
                    raise ConditionError(f"unknown lens {rest!r}", col + 5)
                return Name("lens", rest, col)
            close = difflib.get_close_matches(head, ["flag", "rung", "seen", "lens"], n=1)
            hint = f"; did you mean '{close[0]}.{rest}'?" if close else ""
            raise ConditionError(
                f"unknown name {text!r}: dotted names start with flag., rung., seen. or "
                f"lens.{hint}",
                col,
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
        return node.kind in ("flag", "seen", "lens")
    if isinstance(node, Crossed):
        return True
    if isinstance(node, Call):
        return False
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
    if isinstance(node, Call):
        for i, arg in enumerate(node.args):
            _check(arg, node.fn == "if" and i == 0)
    elif isinstance(node, Unary):
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


def parse_score(text: str, names: Names, *, default: bool = False) -> Condition:
    """Parse and check a score expression (a number, see the module's docstring).

    ``default`` allows the name ``default``, the criterion's own score, in an ending's
    score; a text starting with ``+`` or ``-`` is relative to it (``"+2"`` is
    ``default + 2``).

    >>> parse_score("10 - 2 * peak.escalation", scenario.names).tree  # doctest: +SKIP
    """
    if len(text) > 2000:
        raise ConditionError("score expression is longer than 2000 characters", 0)
    if text.count("(") > 50:
        raise ConditionError("too many parentheses (more than 50)", text.index("("))
    shift = 0
    if default and text.lstrip()[:1] in ("+", "-"):
        shift = len("default ")
    try:
        tree = _Parser("default " + text if shift else text, names, True, default).parse()
        if is_bool(tree):
            raise ConditionError("a score is a number, not a condition", tree.col)
        _check(tree, False)
    except ConditionError as exc:
        raise ConditionError(exc.message, max(0, exc.column - shift)) from None
    return Condition(text, tree)


def names_used(cond: Condition) -> set[tuple[str, str]]:
    """Every (kind, id) the condition refers to."""
    found: set[tuple[str, str]] = set()
    stack: list[Node] = [cond.tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            found.add((node.kind, node.ident))
        elif isinstance(node, Crossed):
            found.add(("meter", node.meter))
        elif isinstance(node, Unary):
            stack.append(node.arg)
        elif isinstance(node, Binary):
            stack.extend((node.left, node.right))
        elif isinstance(node, Call):
            stack.extend(node.args)
    return found
