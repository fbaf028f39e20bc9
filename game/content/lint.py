"""Warnings: content that loads and plays, but is probably a mistake.

`offramp validate` prints them after a clean load (`--strict` makes them errors); loading
a scenario to play never runs them. Each warning is located like an error, at the key
that is wrong (or at the declaration a problem comes back to).

The "can never hold" test reads a condition with ranges instead of values: ``turn`` is
1..turn_limit, ``month`` 1..12, each meter stays in its min..max, a rung is its number.
A comparison that is false over every value in those ranges makes its condition
impossible (or certain, for ``not``); flags and ``seen`` may be either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.content.conditions import (
    Binary,
    Bool,
    Crossed,
    Name,
    Node,
    Num,
    Unary,
    is_bool,
    names_used,
)
from game.content.errors import KeyPath, Problem
from game.content.loader import Collector, Located, load_located, read_file, shown_path
from game.content.models import Citation, Effect, Option
from game.content.text import FILLED, placeholders

if TYPE_CHECKING:
    from game.content.scenario import Scenario

__all__ = ["check_scenario", "lint", "possible", "read_numbered"]

_BOTH = frozenset((True, False))


@dataclass(frozen=True, slots=True)
class Ranges:
    """The values each name in a condition can take in any game of a scenario."""

    turn: tuple[int, int]
    meters: dict[str, tuple[int, int]]
    rungs: dict[str, int]

    def of(self, name: Name) -> tuple[int, int]:
        if name.kind == "turn":
            return self.turn
        if name.kind == "month":
            return (1, 12)
        if name.kind == "rung":
            return (self.rungs[name.ident], self.rungs[name.ident])
        return self.meters[name.ident]


def _span(node: Node, r: Ranges) -> tuple[int, int]:
    """The lowest and highest value a numeric node can take."""
    if isinstance(node, Num):
        return (node.value, node.value)
    if isinstance(node, Name):
        return r.of(node)
    if isinstance(node, Unary):  # "-"
        lo, hi = _span(node.arg, r)
        return (-hi, -lo)
    if not isinstance(node, Binary) or node.op not in ("+", "-"):
        return (-(2**62), 2**62)  # a call or a product (scores only): anything
    (alo, ahi), (blo, bhi) = _span(node.left, r), _span(node.right, r)
    if node.op == "+":
        return (alo + blo, ahi + bhi)
    return (alo - bhi, ahi - blo)


def possible(node: Node, r: Ranges) -> frozenset[bool]:
    """The truth values a condition node can take, over every value its names can take.

    Over-approximate (names are treated as independent), so a value missing from the
    result is truly impossible.
    """
    if isinstance(node, Bool):
        return frozenset((node.value,))
    if isinstance(node, Name):  # flag. or seen.
        return _BOTH
    if isinstance(node, Unary):
        return frozenset(not v for v in possible(node.arg, r))
    if not isinstance(node, Binary):  # crossed_below/above: either, on some turn
        return _BOTH
    op = node.op
    if op in ("and", "or") or (op in ("==", "!=") and is_bool(node.left) and is_bool(node.right)):
        left, right = possible(node.left, r), possible(node.right, r)
        pairs = [(a, b) for a in left for b in right]
        if op == "and":
            return frozenset(a and b for a, b in pairs)
        if op == "or":
            return frozenset(a or b for a, b in pairs)
        return frozenset((a == b) == (op == "==") for a, b in pairs)
    (alo, ahi), (blo, bhi) = _span(node.left, r), _span(node.right, r)
    can_true, can_false = {
        "<": (alo < bhi, ahi >= blo),
        "<=": (alo <= bhi, ahi > blo),
        ">": (ahi > blo, alo <= bhi),
        ">=": (ahi >= blo, alo < bhi),
        "==": (alo <= bhi and blo <= ahi, not (alo == ahi == blo == bhi)),
        "!=": (not (alo == ahi == blo == bhi), alo <= bhi and blo <= ahi),
    }[op]
    return frozenset(v for v, ok in ((True, can_true), (False, can_false)) if ok)


def _value(node: Node, env: dict[str, Any]) -> Any:
    """The value of a condition node in one concrete state (the start of a game); None
    where that state does not say (the lens, which differs between games)."""
    if isinstance(node, Num | Bool):
        return node.value
    if isinstance(node, Crossed):
        return False  # nothing has crossed anything before the first decision
    if not isinstance(node, Name | Unary | Binary) or (
        isinstance(node, Name) and node.kind == "lens"
    ):
        return None
    if isinstance(node, Name):
        if node.kind in ("turn", "month"):
            return env[node.kind]
        if node.kind == "flag":
            return node.ident in env["flags"]
        if node.kind == "seen":
            return False
        if node.kind == "rung":
            return env["rungs"][node.ident]
        return env["meters"][node.ident]
    if isinstance(node, Unary):
        arg = _value(node.arg, env)
        if arg is None:
            return None
        return (not arg) if node.op == "not" else -arg
    left, right = _value(node.left, env), _value(node.right, env)
    if left is None or right is None:
        return None
    return {
        "and": lambda: left and right,
        "or": lambda: left or right,
        "<": lambda: left < right,
        "<=": lambda: left <= right,
        ">": lambda: left > right,
        ">=": lambda: left >= right,
        "==": lambda: left == right,
        "!=": lambda: left != right,
        "+": lambda: left + right,
        "-": lambda: left - right,
    }[node.op]()


_PARAGRAPH = re.compile(r"^¶(\d+)[ \t]*", re.MULTILINE)


def read_numbered(text: str) -> dict[int, str]:
    """A source text's paragraphs by number: each starts a line with ``¶N``, and runs to
    the next one. Whitespace inside is collapsed to single spaces.

    >>> read_numbered("¶1  First.\\n\\n¶2  Second,\\nstill second.")
    {1: 'First.', 2: 'Second, still second.'}
    """
    found = list(_PARAGRAPH.finditer(text))
    out: dict[int, str] = {}
    for m, nxt in zip(found, [*found[1:], None], strict=True):
        body = text[m.end() : nxt.start() if nxt else len(text)]
        out[int(m.group(1))] = " ".join(body.split())
    return out


def _effects(item: Any) -> Iterator[Effect]:
    yield from getattr(item, "effects", ())
    for option in getattr(item, "options", ()):
        yield from option.effects
    for rule in getattr(item, "rules", ()):
        yield from rule.effects
    for dynamic in getattr(item, "dynamics", ()):
        yield from dynamic.effects


def _located_effects(located: Located[Any]) -> Iterator[tuple[Effect, KeyPath]]:
    """Every effect inside a loaded item, with its key path."""
    item, path = located.item, located.path
    for i, effect in enumerate(getattr(item, "effects", ())):
        yield effect, (*path, "effects", i)
    for key in ("options", "rules", "dynamics"):
        for j, sub in enumerate(getattr(item, key, ())):
            for i, effect in enumerate(sub.effects):
                yield effect, (*path, key, j, "effects", i)


def _citations(located: Located[Any]) -> Iterator[tuple[Citation, KeyPath]]:
    """Every citation inside a loaded item, with its key path."""
    item, path = located.item, located.path

    def each(cites: Iterable[Citation], at: KeyPath) -> Iterator[tuple[Citation, KeyPath]]:
        for k, cite in enumerate(cites):
            yield cite, (*at, "citations", k)

    yield from each(getattr(item, "citations", ()), path)
    for key in ("options", "rules", "dynamics"):
        for j, sub in enumerate(getattr(item, key, ())):
            yield from each(sub.citations, (*path, key, j))


class _Linter:
    def __init__(
        self, scenario: Scenario, arrays: dict[str, list[Located[Any]]], out: Collector
    ) -> None:
        self.s = scenario
        self.arrays = arrays
        self.out = out
        self.ranges = Ranges(
            turn=(1, scenario.info.turn_limit),
            meters={m.id: (m.min, m.max) for m in scenario.meters},
            rungs={r.id: i for i, r in enumerate(scenario.ladder.rungs)},
        )

    def warn(self, file: Path, path: KeyPath, message: str) -> None:
        self.out.add(file, path, message, severity="warning")

    def everything(self) -> list[Located[Any]]:
        return [
            loc
            for key in ("cards", "events", "endings", "dynamics", "lenses")
            for loc in self.arrays[key]
        ]

    def run(self) -> None:
        self.options()
        self.endings()
        self.flags()
        self.meters()
        self.amount_ranges()
        self.unfilled()
        self.conditions()
        self.quotes()

    def options(self) -> None:
        cited = bool(self.s.sources)
        for loc in self.arrays["cards"] + self.arrays["events"]:
            for j, option in enumerate(loc.item.options):
                path = (*loc.path, "options", j)
                self._option(option, loc.file, path, cited)

    def _option(self, option: Option, file: Path, path: KeyPath, cited: bool) -> None:
        if not option.effects and not option.tags:
            self.warn(
                file,
                path,
                f"option {option.id!r} has no effects and no tags: choosing it changes "
                "nothing, under any lens",
            )
        if cited and not option.citations:
            self.warn(
                file,
                path,
                f"option {option.id!r} has no citations: the advisers panel has no one "
                "arguing for or against it",
            )

    def endings(self) -> None:
        criteria = [c.id for c in self.s.criteria]
        has_default = {c.id for c in self.s.criteria if c.score is not None}
        special = {self.s.info.default_ending, self.s.ladder.top_ending}
        env = {
            "turn": 1,
            "month": int(self.s.info.start.split("-")[1]) if "-" in self.s.info.start else 1,
            "meters": {m.id: m.start for m in self.s.meters},
            "rungs": self.ranges.rungs,
            "flags": {f.id for f in self.s.flags if f.start},
        }
        for loc in self.arrays["endings"]:
            ending = loc.item
            # a criterion with its own score expression scores every ending by default
            missing = [c for c in criteria if c not in ending.scores and c not in has_default]
            if missing:
                self.warn(
                    loc.file,
                    (*loc.path, "scores"),
                    f"no score for {', '.join(missing)}: the ending counts 0 there in the "
                    "debrief and the simulator's totals",
                )
            if ending.id in special:
                continue
            cond = self.s.conditions.get(ending.when)
            if ending.when.strip() == "false":
                self.warn(
                    loc.file,
                    (*loc.path, "when"),
                    f"ending {ending.id!r} has no `when` and is neither the default nor the "
                    "ladder's top ending: no game can reach it",
                )
            elif cond is not None and _value(cond.tree, env):
                self.warn(
                    loc.file,
                    (*loc.path, "when"),
                    f"{ending.when!r} already holds at the start (turn 1): every game would "
                    "end at once",
                )

    def flags(self) -> None:
        read: dict[str, int] = {}
        for cond in self.s.conditions.values():
            for kind, ident in names_used(cond):
                if kind == "flag":
                    read[ident] = read.get(ident, 0) + 1
        set_: set[str] = set()
        for loc in self.everything():
            for effect in _effects(loc.item):
                if effect.set_flag:
                    set_.add(effect.set_flag)
        for loc in self.arrays["flags"]:
            flag = loc.item
            is_set = flag.id in set_ or flag.start
            if flag.id in read and not is_set:
                self.warn(
                    loc.file,
                    loc.path,
                    f"flag {flag.id!r} is read by conditions but nothing sets it (no "
                    "`set_flag`, and `start` is false): those conditions never hold",
                )
            elif flag.id not in read and flag.id in set_:
                self.warn(
                    loc.file,
                    loc.path,
                    f"flag {flag.id!r} is set but no condition reads it: setting it "
                    "changes nothing",
                )
            elif flag.id not in read and not is_set:
                self.warn(loc.file, loc.path, f"flag {flag.id!r} is never set or read")

    def meters(self) -> None:
        changed = {e.meter for loc in self.everything() for e in _effects(loc.item) if e.meter}
        for loc in self.arrays["meters"]:
            if loc.item.id not in changed:
                self.warn(
                    loc.file,
                    loc.path,
                    f"meter {loc.item.id!r} never changes: no option, event, dynamic or lens "
                    "rule has an effect on it",
                )

    def amount_ranges(self) -> None:
        """Ranges (`add = [low, high]`) that say less than they seem to."""
        for loc in self.everything():
            for effect, path in _located_effects(loc):
                if not isinstance(effect.add, tuple):
                    continue
                low, high = effect.add
                at = (*path, "add")
                if low == high:
                    self.warn(
                        loc.file, at, f"the range [{low}, {high}] has one value: write add = {low}"
                    )
                elif low < 0 < high:
                    self.warn(
                        loc.file,
                        at,
                        f"the range [{low}, {high}] may raise or lower {effect.target}: the "
                        "advisers can say only that it goes up or down",
                    )

    def unfilled(self) -> None:
        """A placeholder where the game does not fill it in (players read it as written)."""
        for key in ("cards", "events", "endings"):
            for loc in self.arrays[key]:
                texts: list[tuple[KeyPath, str]] = [
                    ((k,), getattr(loc.item, k)) for k in ("title", "text")
                ]
                if key == "endings":
                    texts = texts[:1]  # an ending's text is filled in
                for j, option in enumerate(getattr(loc.item, "options", ())):
                    texts += [(("options", j, k), getattr(option, k)) for k in ("text", "detail")]
                for at, text in texts:
                    for name in placeholders(text):
                        self.warn(
                            loc.file,
                            (*loc.path, *at),
                            f"{{{name}}} is not filled in here: the game fills placeholders "
                            f"only in {FILLED}; players would read it as written",
                        )

    def conditions(self) -> None:
        special = {self.s.info.default_ending, self.s.ladder.top_ending}
        for key in ("cards", "events", "endings", "dynamics", "lenses"):
            for loc in self.arrays[key]:
                if key == "endings" and (
                    loc.item.id in special or loc.item.when.strip() == "false"
                ):
                    continue
                if key != "lenses":
                    self._never(loc.item.when, loc.file, (*loc.path, "when"))
                for sub in ("rules", "dynamics"):
                    for j, item in enumerate(getattr(loc.item, sub, ())):
                        self._never(item.when, loc.file, (*loc.path, sub, j, "when"))

    def _never(self, text: str, file: Path, path: KeyPath) -> None:
        cond = self.s.conditions.get(text)
        if cond is None or True in possible(cond.tree, self.ranges):
            return
        spans = []
        for kind, ident in sorted(names_used(cond)):
            if kind in ("turn", "month", "meter"):
                lo, hi = self.ranges.of(Name(kind, ident, 0))
                spans.append(f"{ident} is {lo}..{hi}")
        why = f" ({'; '.join(spans)})" if spans else ""
        self.warn(file, path, f"{text!r} can never hold{why}")

    def quotes(self) -> None:
        texts: dict[str, dict[int, str] | None] = {}
        for i, source in enumerate(self.s.sources):
            if source.text is not None:
                texts[source.id] = self._read_text(source.text, i)
        unchecked: dict[str, int] = {}
        for key in ("cards", "events", "endings", "dynamics", "lenses"):
            for loc in self.arrays[key]:
                for cite, path in _citations(loc):
                    self._quote(cite, loc.file, path, texts, unchecked)
        if unchecked:
            count = sum(unchecked.values())
            ids = ", ".join(sorted(unchecked))
            quotes = f"{count} quote{'s' if count != 1 else ''}"
            sources = f"source {ids} gives" if len(unchecked) == 1 else f"sources {ids} give"
            self.out.add(
                shown_path(self.s.folder or Path(".")),
                (),
                f"{quotes} unchecked: {sources} no `text` to check them against",
                severity="info",
            )

    def _read_text(self, name: str, index: int) -> dict[int, str] | None:
        loc = self.arrays["sources"][index]
        folder = (self.s.folder or Path(".")).resolve()
        path = (folder / name).resolve()
        if not path.is_relative_to(folder):
            self.warn(loc.file, (*loc.path, "text"), f"{name!r} is outside the scenario folder")
            return None
        raw = read_file(path)
        if isinstance(raw, str):
            self.warn(loc.file, (*loc.path, "text"), f"{name}: {raw}")
            return None
        try:
            paragraphs = read_numbered(raw.decode("utf-8").removeprefix("\ufeff"))
        except UnicodeDecodeError:
            self.warn(loc.file, (*loc.path, "text"), f"{name}: not UTF-8 text")
            return None
        if not paragraphs:
            self.warn(
                loc.file,
                (*loc.path, "text"),
                f"{name} has no numbered paragraphs (each starts a line with ¶1, ¶2, …)",
            )
            return None
        return paragraphs

    def _quote(
        self,
        cite: Citation,
        file: Path,
        path: KeyPath,
        texts: dict[str, dict[int, str] | None],
        unchecked: dict[str, int],
    ) -> None:
        if cite.source not in texts:
            if cite.quote:
                unchecked[cite.source] = unchecked.get(cite.source, 0) + 1
            return
        paragraphs = texts[cite.source]
        if paragraphs is None:  # unreadable: warned once at the source
            return
        name = self.s.source[cite.source].text
        for p in cite.paragraphs:
            if p not in paragraphs:
                self.warn(file, (*path, "paragraph"), f"{name} has no ¶{p}")
                return
        if not cite.quote:
            return
        quote = " ".join(cite.quote.split())
        if any(quote in paragraphs[p] for p in cite.paragraphs):
            return
        elsewhere = [p for p, body in paragraphs.items() if quote in body]
        cited = ", ".join(f"¶{p}" for p in cite.paragraphs)
        hint = f" (it is in ¶{elsewhere[0]})" if elsewhere else ""
        self.warn(
            file, (*path, "quote"), f"quote not found word for word in {cited} of {name}{hint}"
        )


def lint(scenario: Scenario, arrays: dict[str, list[Located[Any]]], out: Collector) -> None:
    """Add every warning (and info line) about a loaded scenario to ``out``."""
    _Linter(scenario, arrays, out).run()


def check_scenario(folder: str | Path) -> tuple[Scenario, list[Problem]]:
    """Load a scenario folder (raising ContentError as :func:`load_scenario` does) and
    lint it: the scenario and its warnings and info lines, in file and line order."""
    scenario, arrays, out = load_located(folder)
    lint(scenario, arrays, out)
    found = sorted(out.problems, key=lambda p: (str(p.file), p.line or 0, p.severity))
    return scenario, found
