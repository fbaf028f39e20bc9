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
    "define_function",
    "names_used",
    "parse_condition",
    "python_expression",
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


def compile_condition(cond: Condition, names: Names) -> Callable[[_Context], bool]:
    """Turn a checked condition into one fast Python function over a state-like context.

    The checked tree is translated into the source of a single expression and compiled
    with :func:`compile`, so evaluating a condition costs one function call instead of
    one closure call per node.  For example ``stability < 30 and not flag.talks_open``
    becomes::

        def when(s):
            m = s.meters
            f = s.flags
            return m[1] < 30 and 'talks_open' not in f

    This is safe and exact: the source is built only from the checked tree, whose names
    were all resolved against the scenario (meters become list indices, rungs become
    numbers, flag and card ids are embedded with ``repr``), and the language's operators
    have the same meaning and precedence in Python.  Truth values are Python ``bool``
    objects throughout, so ``==`` between two conditions compares as before.
    """
    used: set[str] = set()
    body = python_expression(cond, names, used)
    fn: Callable[[_Context], bool] = define_function(
        "when", "s", [f"return {body}"], used, name=f"<condition {cond.source!r}>"
    )
    fn.__doc__ = cond.source
    return fn


def compile_first(
    items: Sequence[tuple[str, Condition | None]], names: Names
) -> Callable[[_Context], str | None]:
    """One function returning the label of the first item whose condition holds, or None.

    ``None`` for a condition means "always".  Equivalent to trying each item's
    :func:`compile_condition` in order, in one call: the engine checks its endings
    this way several times a turn.
    """
    used: set[str] = set()
    body = []
    for k, (_, cond) in enumerate(items):
        body += [f"if {python_expression(cond, names, used)}:", f"    return labels[{k}]"]
    body.append("return None")
    labels = tuple(label for label, _ in items)
    fn: Callable[[_Context], str | None] = define_function(
        "first", "s", body, used, {"labels": labels}, name="<first condition that holds>"
    )
    return fn


def compile_each(
    conds: Sequence[Condition | None], names: Names
) -> Callable[[_Context, Callable[[int], object]], None]:
    """One function ``each(s, act)`` that calls ``act(k)`` for each condition that holds.

    ``None`` for a condition means "always".  The conditions are tried in order against
    the live context, each just before its ``act`` would run, so what ``act(k)`` changes
    is seen by the conditions after ``k`` — exactly like looping over
    :func:`compile_condition` functions, in one call.  The context's ``meters``,
    ``flags`` and ``seen`` are read once at the start (see :func:`define_function`), so
    ``act`` must change them in place (as the engine does), never replace them.
    """
    used: set[str] = set()
    body = []
    for k, cond in enumerate(conds):
        body += [f"if {python_expression(cond, names, used)}:", f"    act({k})"]
    fn: Callable[[_Context, Callable[[int], object]], None] = define_function(
        "each", "s, act", body, used, name="<each condition that holds>"
    )
    return fn


def python_expression(cond: Condition | None, names: Names, used: set[str]) -> str:
    """The Python source of ``cond`` (None: always true), for :func:`define_function`.

    The expression reads the context ``s`` and the locals ``m``, ``f`` and ``n`` (the
    context's meters, flags and seen); the locals it needs are added to ``used``.
    """
    if cond is None:
        return "True"
    return _source(cond.tree, names, used)[0]


def define_function(
    fn: str,
    params: str,
    body: Sequence[str],
    used: set[str],
    env: Mapping[str, Any] | None = None,
    *,
    name: str,
) -> Any:
    """Compile ``def fn(params): body`` whose body uses :func:`python_expression`s.

    The locals in ``used`` are bound from the context ``s`` first (``m = s.meters``...);
    ``env`` holds any other globals the body reads.  ``name`` shows in tracebacks.
    """
    lines = [f"def {fn}({params}):"]
    lines += [f"    {var} = s.{attr}" for var, attr in _VARS if var in used]
    lines += [f"    {line}" for line in body] or ["    pass"]
    namespace: dict[str, Any] = dict(env or {})
    exec(compile("\n".join(lines), name, "exec"), namespace)
    return namespace[fn]


_VARS = (("m", "meters"), ("f", "flags"), ("n", "seen"))
"""The local names the generated functions bind, and the context attribute of each."""


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

# Python precedence levels of what _source emits, loosest first; an operand whose level
# is below what its operator needs is parenthesised.
_OR, _AND, _NOT, _CMP, _SUM, _NEG, _ATOM = range(1, 8)


def _operands(node: Node, op: str) -> list[Node]:
    """The operands of a chain of one boolean operator, flattened: a and (b and c) -> a, b, c."""
    if isinstance(node, Binary) and node.op == op:
        return _operands(node.left, op) + _operands(node.right, op)
    return [node]


def _source(node: Node, names: Names, used: set[str]) -> tuple[str, int]:
    """Python source for ``node`` and its precedence level.

    Parentheses are added only where precedence needs them, so the nesting of the
    output follows that of the condition (at most 50 parentheses deep).  Comparisons
    take operands above ``_CMP`` so that ``(a == b) == c`` never reads as Python's
    chained ``a == b == c``; ``in`` / ``not in`` count as comparisons for the same reason.
    The local names read (``m``, ``f``, ``n``) are added to ``used``.
    """

    def wrap(child: Node, level: int) -> str:
        return _paren(_source(child, names, used), level)

    const = _constant(node, names)
    if const is not None:
        return repr(const), _ATOM if const >= 0 else _NEG
    if isinstance(node, Bool):
        return repr(node.value), _ATOM
    if isinstance(node, Name):
        if node.kind in ("turn", "month"):
            return f"s.{node.kind}", _ATOM
        if node.kind == "meter":
            used.add("m")
            return f"m[{names.meters[node.ident]}]", _ATOM
        var = "f" if node.kind == "flag" else "n"
        used.add(var)
        return f"{node.ident!r} in {var}", _CMP
    if isinstance(node, Unary):
        if node.op == "not":
            arg = node.arg
            if isinstance(arg, Name) and arg.kind in ("flag", "seen"):
                var = "f" if arg.kind == "flag" else "n"
                used.add(var)
                return f"{arg.ident!r} not in {var}", _CMP
            # Direct recursion (not via wrap) keeps long `not not ...` chains shallow.
            return f"not {_paren(_source(arg, names, used), _NOT)}", _NOT
        return f"-{_paren(_source(node.arg, names, used), _NEG)}", _NEG
    assert isinstance(node, Binary)
    op = node.op
    if op in ("and", "or"):
        level = _NOT if op == "and" else _AND
        parts = [wrap(part, level) for part in _operands(node, op)]
        return f" {op} ".join(parts), _AND if op == "and" else _OR
    if op in ("+", "-"):
        return f"{wrap(node.left, _SUM)} {op} {wrap(node.right, _NEG)}", _SUM
    return f"{wrap(node.left, _SUM)} {op} {wrap(node.right, _SUM)}", _CMP


def _paren(source: tuple[str, int], level: int) -> str:
    text, prec = source
    return text if prec >= level else f"({text})"


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
