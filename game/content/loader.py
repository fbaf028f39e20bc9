"""Load a scenario folder: TOML -> validated models -> cross-checked :class:`Scenario`.

Every problem is collected with its file, line and key path and raised together as one
:class:`ContentError`; nothing else escapes, whatever the files contain.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import tomli
from pydantic import BaseModel, ValidationError

from game.content.conditions import (
    Condition,
    ConditionError,
    names_used,
    parse_condition,
    parse_score,
    suggest,
)
from game.content.errors import ContentError, KeyPath, Problem
from game.content.locate import find_line, key_lines
from game.content.models import (
    FORMAT,
    ID_PATTERN,
    MAX_VALUE,
    Briefing,
    Card,
    Citation,
    Criterion,
    Dynamic,
    Effect,
    Ending,
    Event,
    Flag,
    Fragment,
    GlossaryEntry,
    Ladder,
    Lens,
    LensRule,
    Meter,
    Option,
    ScenarioInfo,
    Source,
    StrategyModel,
)
from game.content.scenario import Scenario, ScenarioNames
from game.content.text import PLACEHOLDERS, PRINTABLE, first_control, placeholders

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 500
RESERVED = {"turn", "month", "flag", "rung", "seen", "and", "or", "not", "true", "false"}

_TABLES: dict[str, type[BaseModel]] = {
    "scenario": ScenarioInfo,
    "briefing": Briefing,
    "ladder": Ladder,
}
_ARRAYS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "criteria": Criterion,
    "meters": Meter,
    "flags": Flag,
    "cards": Card,
    "events": Event,
    "endings": Ending,
    "lenses": Lens,
    "dynamics": Dynamic,
    "glossary": GlossaryEntry,
    "strategies": StrategyModel,
}
assert set(_TABLES) | set(_ARRAYS) == set(Fragment.model_fields)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """A loaded item and where it came from."""

    item: T
    file: Path
    path: KeyPath


class _Source:
    """One TOML file: its bytes, text and a lazily built key -> line map."""

    def __init__(self, path: Path, shown: Path, raw: bytes, text: str) -> None:
        self.path = path
        self.shown = shown
        self.raw = raw
        self.text = text
        self._lines: dict[KeyPath, int] | None = None

    def line(self, key_path: KeyPath) -> int | None:
        if self._lines is None:
            self._lines = key_lines(self.text)
        return find_line(self._lines, key_path) or 1


class Collector:
    """Gathers problems, with lines found through each file's key map."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.sources: dict[Path, _Source] = {}

    def add(
        self,
        file: Path,
        path: KeyPath,
        message: str,
        line: int | None = None,
        severity: str = "error",
    ) -> None:
        src = self.sources.get(file)
        if line is None and src is not None:
            line = src.line(path)
        self.problems.append(Problem(src.shown if src else file, line, path, message, severity))

    def where(self, file: Path, path: KeyPath) -> str:
        """``file:LINE`` of a key path, for messages that point elsewhere."""
        src = self.sources.get(file)
        return f"{file}:{src.line(path)}" if src else str(file)


def _describe(err: Any, model: type[BaseModel], loc: KeyPath) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key" + _allowed_hint(model, loc[:-1])
    if kind == "missing":
        return "missing required key"
    msg = str(err["msg"])
    pattern = err.get("ctx", {}).get("pattern") if kind == "string_pattern_mismatch" else None
    if pattern == ID_PATTERN:
        return "ids use lower-case letters, digits and underscores only"
    if pattern == PRINTABLE:
        at = first_control(err["input"]) or 0
        return (
            f"control character U+{ord(err['input'][at]):04X} at character {at + 1}: text may "
            "not hold control characters or terminal escapes (newlines and tabs are fine)"
        )
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, found {_found(err.get('input'))}"
    if kind == "finite_number":
        return "must be a finite number (nan and inf are not allowed)"
    if kind.startswith("value_error"):
        msg = msg.removeprefix("Value error, ")
    return msg


_EXPECTED = {
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_type": "a string in quotes",
}
"""What a value of the wrong TOML type should have been (the models are strict)."""

_QUOTED = re.compile(r"[+-]?[0-9][0-9_]*(\.[0-9_]+)?([eE][+-]?[0-9]+)?|true|false")
"""A string that would be right without its quotes: `start = "70"`, `once = "true"`."""


def _found(value: Any) -> str:
    """Describe a TOML value of the wrong type, e.g. "the string '70'"."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        text = f"the string {shown!r}"
        if _QUOTED.fullmatch(value.strip()):
            text += " (write it without quotes)"
        return text
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"  # TOML's only other kind of value


def _allowed_hint(model: type[BaseModel], loc: KeyPath) -> str:
    """List the keys allowed at ``loc`` inside ``model`` (for 'unknown key' errors)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return ""
        current = _model_in(field.annotation)
        if current is None:
            return ""
    fields = getattr(current, "model_fields", None)
    return f" (allowed: {', '.join(fields)})" if fields else ""


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def validate_model(
    model: type[M],
    data: Any,
    file: Path,
    path: KeyPath,
    out: Collector,
    failed: set[KeyPath] | None = None,
) -> M | None:
    """``data`` as a ``model``, or None with every problem added to ``out`` (and the key
    path of each, relative to ``path``, to ``failed``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            # pydantic marks an error in a dict's key with a '[key]' part after the key
            # (the models' one union, a citation's paragraph, reports its own errors)
            loc = tuple(p for p in loc if p != "[key]")
            out.add(file, (*path, *loc), _describe(err, model, loc))
            if failed is not None:
                failed.add(loc)
        return None
    except RecursionError:
        out.add(file, path, "nested too deeply")
        return None


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is refused (reading a device or a pipe may never end)."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not an ordinary file")
    return f"not a regular file ({kind}): content files must be ordinary files"


def read_file(path: Path) -> bytes | str:
    """The bytes of a regular file of at most 2 MiB, or why it cannot be read.

    The file is checked before it is opened (a symlink to /dev/zero would fill memory, a
    named pipe would wait forever), opened without blocking, checked again in case it
    was swapped meanwhile, and read no further than the limit.
    """
    try:
        info = os.stat(path)
        refused = _not_regular(info.st_mode)
        if refused:
            return refused
        if info.st_size > MAX_FILE_BYTES:
            return f"file is too large ({info.st_size:,} bytes; the limit is 2 MiB)"
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb") as fh:
            refused = _not_regular(os.fstat(fd).st_mode)
            if refused:
                return refused
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if len(raw) > MAX_FILE_BYTES:  # it grew after the check
        return "file is too large (the limit is 2 MiB)"
    return raw


def _newer_format(data: dict[str, Any]) -> str | None:
    """The message for a scenario written to a newer format than this version reads."""
    table = data.get("scenario")
    fmt = table.get("format") if isinstance(table, dict) else None
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT:
        return (
            f"this scenario was made for a newer Off-Ramp (content format {fmt}; this "
            f"version reads formats 1 to {FORMAT}): update Off-Ramp to play it"
        )
    return None


def read_toml(path: Path, shown: Path, out: Collector) -> tuple[_Source, dict[str, Any]] | None:
    raw = read_file(path)
    if isinstance(raw, str):
        out.add(shown, (), raw, None)
        return None
    try:
        # a byte-order mark, as some Windows editors write: not part of the TOML
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        out.add(shown, (), f"not UTF-8 text (byte {exc.start}: {exc.reason})", line)
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        out.add(shown, (), "not a text file (contains NUL bytes)", line)
        return None
    src = _Source(path, shown, raw, text)
    out.sources[shown] = src
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        msg = _TOML_POS.sub("", str(exc)).strip()
        if m:
            msg += f" (column {m.group(2)})"
        out.add(shown, (), f"TOML syntax error: {msg}", int(m.group(1)) if m else 1)
        return None
    except RecursionError:
        out.add(shown, (), "TOML nested too deeply", 1)
        return None
    return src, data


@dataclass
class _Parts:
    tables: dict[str, list[Located[Any]]]
    arrays: dict[str, list[Located[Any]]]
    raw_ids: dict[str, set[str]] = field(default_factory=dict)
    """Ids of items that failed validation, so they do not also cause 'unknown id' errors."""
    raw_tags: set[str] = field(default_factory=set)
    loose: list[Located[Any]] = field(default_factory=list)
    """Valid options and lens rules inside items that failed: still cross-checked."""
    broken: set[str] = field(default_factory=set)
    """Tables and arrays with an item that failed validation (already reported), so that
    they are not also reported missing."""
    unreadable: bool = False
    """Some file could not be parsed at all: what it holds is unknown, so skip the checks
    for missing pieces and for unknown names, which would only be follow-on errors."""

    def remember(self, key: str, entry: dict[str, Any]) -> None:
        """Keep the names a broken item declares."""
        if isinstance(entry.get("id"), str):
            self.raw_ids.setdefault(key, set()).add(entry["id"])
        options = entry.get("options")
        for option in options if isinstance(options, list) else ():
            tags = option.get("tags") if isinstance(option, dict) else None
            self.raw_tags.update(t for t in tags or () if isinstance(t, str))


def _split(src: _Source, data: dict[str, Any], parts: _Parts, out: Collector) -> None:
    file = src.shown
    for key, value in data.items():
        if key in _TABLES:
            if not isinstance(value, dict):
                out.add(file, (key,), f"[{key}] must be a table")
                parts.broken.add(key)
                continue
            item = validate_model(_TABLES[key], value, file, (key,), out)
            if item is not None:
                parts.tables[key].append(Located(item, file, (key,)))
            else:
                parts.broken.add(key)
        elif key in _ARRAYS:
            if not isinstance(value, list):
                out.add(file, (key,), f"`{key}` must be an array of tables, written [[{key}]]")
                parts.broken.add(key)
                continue
            for i, entry in enumerate(value):
                if not isinstance(entry, dict):
                    out.add(file, (key, i), "must be a table")
                    parts.broken.add(key)
                    continue
                item = validate_model(_ARRAYS[key], entry, file, (key, i), out)
                if item is not None:
                    parts.arrays[key].append(Located(item, file, (key, i)))
                else:
                    parts.broken.add(key)
                    parts.remember(key, entry)
                    _salvage(key, entry, file, (key, i), parts)
        else:
            allowed = ", ".join(sorted([*_TABLES, *_ARRAYS]))
            out.add(file, (key,), f"unknown top-level key (allowed: {allowed})")


def _salvage(key: str, entry: dict[str, Any], file: Path, path: KeyPath, parts: _Parts) -> None:
    """Keep the valid options (or lens rules) of a broken card, event or lens."""
    sub, model = {
        "cards": ("options", Option),
        "events": ("options", Option),
        "lenses": ("rules", LensRule),
    }.get(key, ("", None))
    items = entry.get(sub) if model is not None else None
    for j, item in enumerate(items if isinstance(items, list) else ()):
        # errors inside were already reported with the parent
        with contextlib.suppress(ValidationError, RecursionError):
            valid = model.model_validate(item)  # type: ignore[union-attr]
            parts.loose.append(Located(valid, file, (*path, sub, j)))


def toml_files(folder: Path) -> list[Path]:
    """The scenario's TOML files, in a stable order (pipes and devices too: refused later)."""
    return sorted(
        (p for p in folder.rglob("*.toml") if not p.is_dir()),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


def fingerprint(folder: Path, files: Iterable[tuple[Path, bytes]]) -> str:
    """SHA-256 over every file's relative path and bytes (as read, never read again)."""
    h = hashlib.sha256()
    for p, raw in files:
        h.update(p.relative_to(folder).as_posix().encode() + b"\0")
        h.update(raw)
        h.update(b"\0")
    return h.hexdigest()


def load_scenario(folder: str | Path) -> Scenario:
    """Load and check a scenario folder; raise ContentError listing every problem."""
    return load_located(folder)[0]


def load_located(
    folder: str | Path,
) -> tuple[Scenario, dict[str, list[Located[Any]]], Collector]:
    """:func:`load_scenario`, with where each item came from and the collector that
    locates key paths (for :mod:`game.content.lint`)."""
    folder = Path(folder)
    out = Collector()
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise ContentError([Problem(folder, None, (), f"scenario folder {what}")])
    files = toml_files(folder)
    if not files:
        raise ContentError([Problem(folder, None, (), "no .toml files in the scenario folder")])
    if len(files) > MAX_FILES:
        raise ContentError([Problem(folder, None, (), f"more than {MAX_FILES} .toml files")])
    parts = _Parts({k: [] for k in _TABLES}, {k: [] for k in _ARRAYS})
    for path in files:
        read = read_toml(path, shown_path(path), out)
        if read is None:
            parts.unreadable = True
            continue
        newer = _newer_format(read[1])
        if newer is not None:  # its other keys may mean things this version cannot know
            line = read[0].line(("scenario", "format"))
            raise ContentError([Problem(read[0].shown, line, ("scenario", "format"), newer)])
        _split(*read, parts, out)
    scenario = _assemble(folder, parts, out)
    if out.problems or scenario is None:
        raise ContentError(out.problems)
    return scenario, parts.arrays, out


def shown_path(path: Path) -> Path:
    """Show paths relative to the working directory when possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _missing(parts: _Parts, key: str) -> bool:
    """Whether no file has ``key`` at all (a broken one has been reported already)."""
    return (
        key not in parts.broken
        and not parts.unreadable
        and not (parts.tables.get(key) or parts.arrays.get(key))
    )


def _single(parts: _Parts, key: str, out: Collector) -> Any:
    found = parts.tables[key]
    if len(found) > 1:
        for extra in found[1:]:
            out.add(extra.file, extra.path, f"[{key}] is already defined in {found[0].file}")
    if not found:
        return None
    return found[0].item


def _assemble(folder: Path, parts: _Parts, out: Collector) -> Scenario | None:
    info: ScenarioInfo | None = _single(parts, "scenario", out)
    ladder: Ladder | None = _single(parts, "ladder", out)
    briefing: Briefing = _single(parts, "briefing", out) or Briefing()
    for key in ("scenario", "ladder"):
        if _missing(parts, key):
            out.add(folder, (), f"no [{key}] table in any file", None)
    arrays = parts.arrays
    for key in ("sources", "criteria", "meters", "flags", "endings", "lenses", "dynamics"):
        _unique(arrays[key], out, key.rstrip("s") if key != "criteria" else "criterion")
    _unique(arrays["cards"] + arrays["events"], out, "card or event")
    _unique(arrays["strategies"], out, "strategy")
    _unique(arrays["glossary"], out, "glossary term", key=lambda g: g.term.lower(), field="term")
    if not arrays["cards"] and _missing(parts, "cards"):
        out.add(folder, (), "the scenario has no [[cards]]", None)
    if info is None or ladder is None:
        return None

    ladder_meter = Meter(
        id=ladder.id,
        label=ladder.label,
        min=0,
        max=len(ladder.rungs) - 1,
        start=min(max(ladder.start, 0), len(ladder.rungs) - 1),
    )
    meters = (ladder_meter, *(m.item for m in arrays["meters"]))
    if not 0 <= ladder.start < len(ladder.rungs):
        loc = parts.tables["ladder"][0]
        out.add(loc.file, (*loc.path, "start"), f"start must be 0..{len(ladder.rungs) - 1}")
    _unique(
        [
            Located(r, parts.tables["ladder"][0].file, ("ladder", "rungs", i))
            for i, r in enumerate(ladder.rungs)
        ],
        out,
        "rung",
    )
    rung_ids = {r.id for r in ladder.rungs}
    for i, rung in enumerate(ladder.rungs):
        for j, ident in enumerate(rung.only_from):
            if ident not in rung_ids:
                loc = parts.tables["ladder"][0]
                path = (*loc.path, "rungs", i, "only_from", j)
                out.add(loc.file, path, f"unknown rung {ident!r}")
    if ladder.id in {m.item.id for m in arrays["meters"]}:
        loc = parts.tables["ladder"][0]
        out.add(loc.file, (*loc.path, "id"), f"the ladder id {ladder.id!r} is also a meter id")
    for m in [
        Located(ladder_meter, parts.tables["ladder"][0].file, ("ladder",)),
        *arrays["meters"],
    ]:
        if m.item.id in RESERVED:
            out.add(m.file, (*m.path, "id"), f"{m.item.id!r} is a reserved word in conditions")

    raw = parts.raw_ids
    meter_index = {m.id: i for i, m in enumerate(meters)}
    for extra in sorted(raw.get("meters", set()) - set(meter_index)):
        meter_index[extra] = 0  # broken meter: known by name, never compiled
    names = ScenarioNames(
        meters=meter_index,
        rungs={r.id: i for i, r in enumerate(ladder.rungs)},
        flags=frozenset(f.item.id for f in arrays["flags"]) | raw.get("flags", set()),
        seen=frozenset(x.item.id for x in arrays["cards"] + arrays["events"])
        | raw.get("cards", set())
        | raw.get("events", set()),
        lenses=frozenset(lens.item.id for lens in arrays["lenses"]) | raw.get("lenses", set()),
    )
    checker = _Checker(out, names, meters, arrays, parts)
    checker.run(info, ladder, parts)
    if out.problems:
        return None
    return Scenario(
        info=info,
        briefing=briefing,
        ladder=ladder,
        meters=meters,
        sources=tuple(s.item for s in arrays["sources"]),
        criteria=tuple(c.item for c in arrays["criteria"]),
        flags=tuple(f.item for f in arrays["flags"]),
        cards=tuple(c.item for c in arrays["cards"]),
        events=tuple(e.item for e in arrays["events"]),
        endings=tuple(e.item for e in arrays["endings"]),
        lenses=tuple(lens.item for lens in arrays["lenses"]),
        dynamics=tuple(d.item for d in arrays["dynamics"]),
        glossary=tuple(g.item for g in arrays["glossary"]),
        strategies=tuple(s.item for s in arrays["strategies"]),
        conditions=checker.conditions,
        scores=checker.scores,
        fingerprint=fingerprint(folder, [(src.path, src.raw) for src in out.sources.values()]),
        folder=folder,
    )


def _unique(
    items: list[Located[Any]],
    out: Collector,
    what: str,
    key: Callable[[Any], str] = lambda item: str(item.id),
    field: str = "id",
) -> None:
    groups: dict[str, list[Located[Any]]] = {}
    for loc in items:
        groups.setdefault(key(loc.item), []).append(loc)
    for ident, locs in groups.items():
        if len(locs) < 2:
            continue
        first, second = locs[0], locs[1]
        more = f", and {len(locs) - 2} more" if len(locs) > 2 else ""
        where = out.where(first.file, first.path)
        out.add(
            second.file,
            (*second.path, field),
            f"duplicate {what} {ident!r} (first at {where}{more})",
        )


_CONDITION_NUMBER = re.compile(r"(?<!\w)\d+")
"""A number in a condition (digits that do not end a name)."""


def _numbers_in_range(text: str) -> None:
    """Keep a condition's numbers in the meters' range, far inside the engine's 64-bit tests."""
    for m in _CONDITION_NUMBER.finditer(text):
        if int(m.group()) > MAX_VALUE:  # at most 2,000 digits: int() takes them
            shown = m.group() if len(m.group()) <= 12 else m.group()[:12] + "…"
            raise ConditionError(f"{shown} is out of range (at most {MAX_VALUE:,})", m.start())


_UNKNOWN_NAME = re.compile(r"unknown (?:flag|rung|card or event|lens|name) '([^']*)'")
"""A condition's name that nothing declares (the engine's ConditionError message)."""


class _Checker:
    """Cross-reference checks: every id mentioned anywhere must exist."""

    def __init__(
        self,
        out: Collector,
        names: ScenarioNames,
        meters: tuple[Meter, ...],
        arrays: dict[str, list[Located[Any]]],
        parts: _Parts,
    ) -> None:
        self.out = out
        self.names = names
        self.meters = {m.id: m for m in meters}
        self.arrays = arrays
        self.raw = parts.raw_ids
        self.partial = parts.unreadable
        """A file could not be read: a name it may declare is not an error now."""
        self.sources: dict[str, Source] = {s.item.id: s.item for s in arrays["sources"]}
        self.conditions: dict[str, Condition] = {}
        self.cascade: dict[tuple[str, str], list[tuple[Path, KeyPath, str]]] = {}
        """Unknown names, by (kind, name): each is reported once, with its count of uses."""
        self.scores: dict[str, Condition] = {}
        """Every score expression, parsed (``default`` allowed; checked where used)."""
        self.option_tags = parts.raw_tags | {
            tag
            for located in arrays["cards"] + arrays["events"]
            for option in located.item.options
            for tag in option.tags
        }

    def unknown(
        self, file: Path, path: KeyPath, message: str, name: tuple[str, str] | None = None
    ) -> None:
        """Report a name that nothing declares, unless an unreadable file might.

        Uses of the same unknown ``name`` (kind, id) make one problem, at the first use,
        ending "(and N more uses)": one typo in a declaration is one error.
        """
        if self.partial:
            return
        if name is None:
            self.out.add(file, path, message)
        else:
            self.cascade.setdefault(name, []).append((file, path, message))

    def report_cascades(self) -> None:
        for uses in self.cascade.values():
            file, path, message = uses[0]
            if len(uses) > 1:
                message += f" (and {len(uses) - 1} more use{'s' if len(uses) > 2 else ''})"
            self.out.add(file, path, message)

    def known(self, kind: str, ident: str, valid: set[str] | dict[str, Any]) -> bool:
        """Whether ``ident`` names a valid item or one already reported as broken."""
        return ident in valid or ident in self.raw.get(kind, set())

    def run(self, info: ScenarioInfo, ladder: Ladder, parts: _Parts) -> None:
        arrays = self.arrays
        endings = {e.item.id for e in arrays["endings"]}
        loc = parts.tables["scenario"][0]
        if not self.known("endings", info.default_ending, endings):
            self.unknown(
                loc.file,
                (*loc.path, "default_ending"),
                f"unknown ending {info.default_ending!r}{suggest(info.default_ending, endings)}",
            )
        lloc = parts.tables["ladder"][0]
        if not self.known("endings", ladder.top_ending, endings):
            self.unknown(
                lloc.file,
                (*lloc.path, "top_ending"),
                f"unknown ending {ladder.top_ending!r}{suggest(ladder.top_ending, endings)}",
            )
        self.filled(loc.item, loc.file, loc.path, ("summary", "role"))
        for b in parts.tables["briefing"]:
            self.filled(b.item, b.file, b.path, ("title",))
            for i, section in enumerate(b.item.sections):
                self.filled(section, b.file, (*b.path, "sections", i), ("heading", "text"))
        for c in arrays["cards"]:
            self.condition(c.item.when, c.file, (*c.path, "when"))
            self.options(c.item.options, c.file, (*c.path, "options"))
            self._unique_options(c)
        for e in arrays["events"]:
            self.condition(e.item.when, e.file, (*e.path, "when"))
            self.effects(e.item.effects, e.file, (*e.path, "effects"))
            self.options(e.item.options, e.file, (*e.path, "options"))
            self.citations(e.item.citations, e.file, (*e.path, "citations"))
            self._unique_options(e)
        criteria = {c.item.id: c.item for c in arrays["criteria"]}
        for c in arrays["criteria"]:
            if c.item.score is not None:
                self.score(c.item.score, c.file, (*c.path, "score"), default=False)
        for e in arrays["endings"]:
            self.condition(e.item.when, e.file, (*e.path, "when"))
            self.filled(e.item, e.file, e.path, ("text",))
            self.citations(e.item.citations, e.file, (*e.path, "citations"))
            for key, value in e.item.scores.items():
                if not self.known("criteria", key, criteria):
                    self.unknown(
                        e.file,
                        (*e.path, "scores", key),
                        f"unknown criterion {key!r}{suggest(key, criteria, 'criteria')}",
                        ("criterion", key),
                    )
                elif isinstance(value, str):
                    criterion = criteria.get(key)
                    has_default = criterion is None or criterion.score is not None
                    self.score(value, e.file, (*e.path, "scores", key), default=has_default)
            for key in e.item.verdicts:
                if not self.known("sources", key, self.sources):
                    self.unknown(
                        e.file,
                        (*e.path, "verdicts", key),
                        f"unknown source {key!r}{suggest(key, self.sources, 'sources')}",
                        ("source", key),
                    )
        for d in arrays["dynamics"]:
            self.dynamic(d.item, d.file, d.path)
        for lens in arrays["lenses"]:
            self.lens(lens.item, lens.file, lens.path)
        for s in arrays["strategies"]:
            self.strategy(s.item, s.file, s.path)
        for loose in parts.loose:
            if isinstance(loose.item, Option):
                self.option(loose.item, loose.file, loose.path)
            else:
                self.rule(loose.item, loose.file, loose.path)
        self.report_cascades()

    def filled(self, item: Any, file: Path, path: KeyPath, keys: tuple[str, ...]) -> None:
        """Check the placeholders of texts the game fills in (see ``text.fill``)."""
        for key in keys:
            unknown = [n for n in placeholders(getattr(item, key)) if n not in PLACEHOLDERS]
            for name in unknown:
                known = ", ".join(f"{{{k}}}" for k in PLACEHOLDERS)
                close = difflib.get_close_matches(name, PLACEHOLDERS, n=1, cutoff=0.6)
                hint = f" (did you mean {{{close[0]}}}?)" if close else ""
                self.out.add(
                    file,
                    (*path, key),
                    f"unknown placeholder {{{name}}}{hint}: this text may use {known} "
                    "(write {{ and }} for a brace)",
                )

    def _unique_options(self, located: Located[Card] | Located[Event]) -> None:
        _unique(
            [
                Located(o, located.file, (*located.path, "options", i))
                for i, o in enumerate(located.item.options)
            ],
            self.out,
            "option",
        )

    def condition(self, text: str, file: Path, path: KeyPath) -> None:
        if text in self.conditions:
            return
        try:
            parsed = parse_condition(text, self.names)
            _numbers_in_range(text)
            self.conditions[text] = parsed
        except ConditionError as exc:
            name = _UNKNOWN_NAME.match(exc.message)
            if name and re.fullmatch(ID_PATTERN, name.group(1)):  # could be declared elsewhere
                kind = exc.message.split(" '")[0].removeprefix("unknown ")
                self.unknown(file, path, f"bad condition {text!r}: {exc}", (kind, name.group(1)))
            else:
                self.out.add(file, path, f"bad condition {text!r}: {exc}")

    def score(self, text: str, file: Path, path: KeyPath, *, default: bool) -> None:
        """Parse a score expression; ``default``: the criterion has a score to refer to."""
        parsed = self.scores.get(text)
        if parsed is None:
            try:
                parsed = parse_score(text, self.names, default=True)
                _numbers_in_range(text)
            except ConditionError as exc:
                self.out.add(file, path, f"bad score {text!r}: {exc}")
                return
            self.scores[text] = parsed
        if not default and ("default", "") in names_used(parsed):
            where = "refers to" if "default" in text else "adds to"
            self.out.add(
                file, path, f"bad score {text!r}: it {where} the criterion's score, which has none"
            )

    def options(self, options: list[Option], file: Path, path: KeyPath) -> None:
        for i, option in enumerate(options):
            self.option(option, file, (*path, i))

    def option(self, option: Option, file: Path, path: KeyPath) -> None:
        self.effects(option.effects, file, (*path, "effects"))
        self.citations(option.citations, file, (*path, "citations"))

    def effects(self, effects: Iterable[Effect], file: Path, path: KeyPath) -> None:
        for i, effect in enumerate(effects):
            where = (*path, i)
            if effect.when is not None:
                self.condition(effect.when, file, (*where, "when"))
            if effect.meter is not None:
                self.meter_ref(effect.meter, file, (*where, "meter"))
                meter = self.meters.get(effect.meter)
                if (
                    meter is not None
                    and effect.set is not None
                    and not (meter.min <= effect.set <= meter.max)
                ):
                    self.out.add(
                        file,
                        (*where, "set"),
                        f"{effect.set} is outside {meter.id}'s range {meter.min}..{meter.max}",
                    )
            if effect.uncertainty is not None:
                meter = self.meters.get(effect.uncertainty)
                if meter is None:
                    self.meter_ref(effect.uncertainty, file, (*where, "uncertainty"))
                elif meter.visibility != "estimate":
                    self.out.add(
                        file, (*where, "uncertainty"), f"meter {meter.id!r} is not an estimate"
                    )
            for key in ("set_flag", "clear_flag"):
                flag = getattr(effect, key)
                if flag is not None and flag not in self.names.flags:  # raw flags included
                    self.unknown(
                        file,
                        (*where, key),
                        f"unknown flag {flag!r}{suggest(flag, self.names.flags, 'flags')}",
                        ("flag", flag),
                    )

    def meter_ref(self, ident: str, file: Path, path: KeyPath) -> None:
        if not self.known("meters", ident, self.meters):
            self.unknown(
                file,
                path,
                f"unknown meter {ident!r}{suggest(ident, self.meters)}",
                ("meter", ident),
            )

    def citations(self, citations: Iterable[Citation], file: Path, path: KeyPath) -> None:
        for i, cite in enumerate(citations):
            source = self.sources.get(cite.source)
            if source is None:
                if not self.known("sources", cite.source, self.sources):
                    hint = suggest(cite.source, self.sources, "sources")
                    self.unknown(
                        file,
                        (*path, i, "source"),
                        f"unknown source {cite.source!r}{hint}",
                        ("source", cite.source),
                    )
                continue
            for p in cite.paragraphs:
                if source.paragraphs is not None and p > source.paragraphs:
                    limit = source.paragraphs or "?"
                    self.out.add(
                        file,
                        (*path, i, "paragraph"),
                        f"source {source.id} has paragraphs 1..{limit}, not {p}",
                    )

    def dynamic(self, dynamic: Dynamic, file: Path, path: KeyPath) -> None:
        self.condition(dynamic.when, file, (*path, "when"))
        self.effects(dynamic.effects, file, (*path, "effects"))
        self.citations(dynamic.citations, file, (*path, "citations"))

    def lens(self, lens: Lens, file: Path, path: KeyPath) -> None:
        if not self.known("sources", lens.source, self.sources):
            self.unknown(file, (*path, "source"), f"unknown source {lens.source!r}")
        _unique(
            [Located(r, file, (*path, "rules", i)) for i, r in enumerate(lens.rules)],
            self.out,
            "rule",
        )
        for i, rule in enumerate(lens.rules):
            self.rule(rule, file, (*path, "rules", i))
        for i, d in enumerate(lens.dynamics):
            self.dynamic(d, file, (*path, "dynamics", i))

    def rule(self, rule: LensRule, file: Path, where: KeyPath) -> None:
        self.condition(rule.when, file, (*where, "when"))
        for j, tag in enumerate(rule.tags):
            if tag not in self.option_tags:
                self.unknown(
                    file,
                    (*where, "tags", j),
                    f"no option has the tag {tag!r}, so this rule never applies",
                )
        for j, target in enumerate(rule.cancel):
            if not self.known("meters", target, self.meters) and target not in self.names.flags:
                hint = suggest(target, [*self.meters, *self.names.flags], "meters and flags")
                self.unknown(file, (*where, "cancel", j), f"unknown meter or flag {target!r}{hint}")
        for target in rule.scale:
            self.meter_ref(target, file, (*where, "scale", target))
        self.effects(rule.effects, file, (*where, "effects"))
        self.citations(rule.citations, file, (*where, "citations"))

    def strategy(self, strategy: StrategyModel, file: Path, path: KeyPath) -> None:
        for tag in strategy.tags:
            if tag not in self.option_tags:
                self.unknown(file, (*path, "tags", tag), f"no option has the tag {tag!r}")
        known = {
            f"{c.item.id}.{o.id}"
            for c in self.arrays["cards"] + self.arrays["events"]
            for o in c.item.options
        }
        broken = self.raw.get("cards", set()) | self.raw.get("events", set())
        for key in strategy.options:
            if key not in known and key.partition(".")[0] not in broken:
                close = suggest(key, known)
                hint = close if close.startswith(" (did") else " (write it as card_id.option_id)"
                self.unknown(file, (*path, "options", key), f"unknown option {key!r}{hint}")


def iter_problems(folder: str | Path) -> Iterator[Problem]:
    """Every problem in a scenario folder (empty when it loads cleanly)."""
    try:
        load_scenario(folder)
    except ContentError as exc:
        yield from exc.problems
