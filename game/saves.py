"""Saves: readable TOML files holding setup, choice log and a state snapshot.

A save is written atomically (temporary file, flush, fsync, rename), so a crash or a
``kill -9`` mid-write leaves the previous save intact.  Loading replays the log and
checks that it reproduces the snapshot; anything wrong is a :class:`SaveError` and the
file is never touched.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import tomli
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from game.content import (
    CONTENT_ROOT,
    ContentError,
    Scenario,
    load_scenario,
    resolve_scenario_dir,
    shipped_scenario_dir,
)
from game.content.errors import format_key_path
from game.engine import EngineError, GameState, LogEntry
from game.engine.replay import Step, final_state, replay
from game.engine.setup import Setup, start

FORMAT = "offramp-save"
VERSION = 2
"""2: ``rng_version`` in the setup (new games draw from a stream per turn and purpose);
version 1 saves have none and replay with ``rng_version`` 1, as they were played."""
MAX_SAVE_BYTES = 5 * 1024 * 1024


class SaveError(Exception):
    """A save that cannot be read, replayed or written; the message says what and where."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LogModel(_Strict):
    """One choice-log entry as stored."""

    turn: int = Field(ge=1)
    kind: Literal["card", "event", "inject", "end"]
    id: str
    option: str = ""


class VoteModel(_Strict):
    """One turn of a class vote as stored (``[[votes]]``, in a class game's save only)."""

    turn: int = Field(ge=1)
    kind: Literal["card", "event"]
    id: str
    chosen: str
    overridden: bool = False
    tally: dict[str, int] = {}


class SaveModel(_Strict):
    """The save file's structure."""

    format: Literal["offramp-save"]
    version: int = Field(ge=1)
    scenario: str
    fingerprint: str
    seed: int
    lens: str
    lens_hidden: bool = False
    turn_limit: int = Field(ge=1)
    schedule: dict[str, list[str]] = {}
    allowed_cards: list[str] | None = None
    rng_version: int = Field(default=1, ge=1)
    """How the game draws (see game.engine.rng); absent in version 1 saves, whose games
    draw as version 1."""
    meta: dict[str, str] = {}
    votes: list[VoteModel] = []
    """A class game's record of the class's votes (absent from every other save)."""
    log: list[LogModel] = []
    snapshot: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TurnVotes:
    """How a class voted on one decision of its class game, and what it chose.

    The record is for people (the class report): the game itself is in the choice log,
    so a save replays the same with or without it."""

    turn: int
    kind: Literal["card", "event"]
    id: str
    """The card or event voted on."""
    chosen: str
    """The option the class game took."""
    tally: tuple[tuple[str, int], ...] = ()
    """(option id, votes) of every option voted for, in the card's order."""
    overridden: bool = False
    """Whether the instructor chose an option other than the top of the tally."""


@dataclass(frozen=True, slots=True)
class SaveMeta:
    """What a save says about itself for people (the load screen, the class report); the
    game itself is in the setup and the log.  Stored as the ``[meta]`` table of strings."""

    kind: Literal["autosave", "save", ""] = ""
    """"autosave": the game's own file, written every turn; "save": a copy kept by the
    player (``s``); "" in saves of old versions."""
    title: str = ""
    """The scenario's title."""
    date: str = ""
    """The game's calendar month when saved."""
    turn: str = ""
    """"turn N of M" when saved."""
    class_code: str = ""
    """The class, in an exercise."""
    exercise: str = ""
    """The exercise's title, in an exercise."""
    inbox_read: int = 0
    """How many lines of the class's inject inbox the game has taken, in an exercise."""
    messages_read: int = 0
    """How many of the instructor's messages the game has shown, in an exercise."""
    player: str = ""
    """The student's name, in an exercise."""
    votes: tuple[TurnVotes, ...] = ()
    """A class game's votes, turn by turn (stored as ``[[votes]]``, not in ``[meta]``)."""

    def to_table(self) -> dict[str, str]:
        """The ``[meta]`` table: the fields that are set, as strings, sorted."""
        table = {
            "kind": self.kind,
            "title": self.title,
            "date": self.date,
            "turn": self.turn,
            "class": self.class_code,
            "exercise": self.exercise,
            "player": self.player,
        }
        if self.class_code:
            table["inbox_read"] = str(self.inbox_read)
            table["messages_read"] = str(self.messages_read)
        return dict(sorted((k, v) for k, v in table.items() if v))

    @classmethod
    def from_table(cls, table: dict[str, str]) -> SaveMeta:
        """The meta of a ``[meta]`` table (unknown keys are ignored, bad numbers read 0)."""
        kind = table.get("kind", "")
        read = table.get("inbox_read", "0")
        shown = table.get("messages_read", "0")
        return cls(
            kind=kind if kind in ("autosave", "save") else "",  # type: ignore[arg-type]
            title=table.get("title", ""),
            date=table.get("date", ""),
            turn=table.get("turn", ""),
            class_code=table.get("class", ""),
            exercise=table.get("exercise", ""),
            inbox_read=int(read) if read.isascii() and read.isdigit() else 0,
            messages_read=int(shown) if shown.isascii() and shown.isdigit() else 0,
            player=table.get("player", ""),
        )


@dataclass
class LoadedSave:
    """A save that loaded and replayed cleanly."""

    path: Path
    scenario: Scenario
    state: GameState
    meta: SaveMeta = field(default_factory=SaveMeta)
    warnings: list[str] = field(default_factory=list)

    def history(self) -> list[Step]:
        """Every step of the game, replayed."""
        return replay(self.scenario, Setup.of(self.state), self.state.log)

    def initial(self) -> GameState:
        """The game's first state."""
        return start(self.scenario, Setup.of(self.state))


def save_document(
    scenario: Scenario, state: GameState, meta: SaveMeta | None = None
) -> dict[str, Any]:
    """The save as a TOML-ready dict (deterministic: no clock, sorted sets)."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "scenario": scenario.id,
        "fingerprint": scenario.fingerprint,
        "seed": state.seed,
        "lens": state.lens,
        "lens_hidden": state.lens_hidden,
        "turn_limit": state.turn_limit,
        "schedule": {str(t): list(ev) for t, ev in sorted(state.schedule.items())},
    }
    if state.allowed_cards is not None:
        doc["allowed_cards"] = sorted(state.allowed_cards)
    doc["rng_version"] = state.rng_version
    doc["meta"] = (meta or SaveMeta()).to_table()
    if meta is not None and meta.votes:  # only a class game's save has the table
        doc["votes"] = [
            {
                "turn": v.turn,
                "kind": v.kind,
                "id": v.id,
                "chosen": v.chosen,
                "overridden": v.overridden,
                "tally": dict(v.tally),
            }
            for v in meta.votes
        ]
    doc["log"] = [
        {"turn": e.turn, "kind": e.kind, "id": e.id, "option": e.option} for e in state.log
    ]
    doc["snapshot"] = state.to_dict(tuple(m.id for m in scenario.meters))
    return doc


def dumps_save(scenario: Scenario, state: GameState, meta: SaveMeta | None = None) -> str:
    """The save file's text."""
    return tomli_w.dumps(save_document(scenario, state, meta))


def write_save(
    path: Path,
    scenario: Scenario,
    state: GameState,
    meta: SaveMeta | None = None,
    *,
    exclusive: bool = False,
) -> Path:
    """Write a save atomically; on failure raise SaveError and leave any old save intact.

    ``exclusive`` creates the file and never replaces one that exists (FileExistsError):
    how a new game claims its own file."""
    data = dumps_save(scenario, state, meta).encode("utf-8")
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise SaveError(f"cannot write a save in {path.parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o644)  # mkstemp makes 0600; a save is for people to read
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            os.link(tmp, path)  # fails if the name is taken: no game's file is replaced
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
        _fsync_dir(path.parent)
        for stale in path.parent.glob(f".{path.name}.*.tmp"):
            # left by a writer killed mid-write; the save itself is always whole
            with contextlib.suppress(OSError):
                stale.unlink()
    except FileExistsError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise SaveError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def write_new_save(
    folder: Path, stem: str, scenario: Scenario, state: GameState, meta: SaveMeta
) -> Path:
    """Write a new game's first save under a name no file has: ``<stem>.toml``, or
    ``<stem>-2.toml``… when taken (by another game, or a file that is not a save)."""
    for n in range(1, 10_000):
        path = Path(folder) / (f"{stem}.toml" if n == 1 else f"{stem}-{n}.toml")
        if path.exists() or path.is_symlink():
            continue
        try:
            return write_save(path, scenario, state, meta, exclusive=True)
        except FileExistsError:
            continue  # another game took it between the look and the write
    raise SaveError(f"cannot find a free file name for {stem!r} in {folder}")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_regular(path: Path) -> bytes:
    """A save's bytes; only a regular file of at most MAX_SAVE_BYTES is read (a FIFO would
    block forever, a link to a device never end)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SaveError(f"{path}: a symbolic link, not a save file") from exc
        raise SaveError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SaveError(f"{path}: not a regular file, so not a save")
        if info.st_size > MAX_SAVE_BYTES:
            raise SaveError(f"{path}: too large to be a save ({info.st_size:,} bytes)")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_SAVE_BYTES + 1)
    except OSError as exc:
        raise SaveError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"{path}: too large to be a save")
    return raw


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_save_document(path: Path) -> SaveModel:
    """Parse and structurally check a save file, without replaying it."""
    path = Path(path)
    raw = _read_regular(path)
    if not raw.strip():
        raise SaveError(f"{path}: the file is empty (an interrupted or truncated save?)")
    try:
        text = raw.decode("utf-8")
        data = tomli.loads(text)
    except UnicodeDecodeError as exc:
        raise SaveError(f"{path}: not a save (not UTF-8 text)") from exc
    except tomli.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        where = f"{path}:{m.group(1)}" if m else str(path)
        raise SaveError(f"{where}: not a readable save (TOML error: {exc})") from exc
    except RecursionError as exc:
        raise SaveError(f"{path}: not a save (nested too deeply)") from exc
    if data.get("format") != FORMAT:
        raise SaveError(f'{path}: not an Off-Ramp save (no `format = "{FORMAT}"` line)')
    version = data.get("version")
    if isinstance(version, int) and version > VERSION:
        raise SaveError(
            f"{path}: save format version {version} is newer than this Off-Ramp "
            f"understands ({VERSION}); update Off-Ramp to load it"
        )
    try:
        return SaveModel.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = format_key_path(tuple(p for p in first["loc"] if isinstance(p, str | int)))
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise SaveError(f"{path}: {loc}: {first['msg']}{more}") from exc


def load_save(
    path: Path, scenario_dir: str | Path | None = None, scenario: Scenario | None = None
) -> LoadedSave:
    """Load a save: parse, load its scenario, replay the log and check the snapshot."""
    path = Path(path)
    doc = read_save_document(path)
    if scenario is None:
        if scenario_dir:
            folder = resolve_scenario_dir(scenario_dir)
        else:
            found = shipped_scenario_dir(doc.scenario)
            if found is None:
                raise SaveError(
                    f"{path}: its scenario {doc.scenario!r} is not one of the scenarios in "
                    f"{CONTENT_ROOT} (give its folder with --scenario)"
                )
            folder = found
        try:
            scenario = load_scenario(folder)
        except ContentError as exc:
            raise SaveError(
                f"{path}: its scenario {doc.scenario!r} does not load from {folder}:\n{exc}"
            ) from exc
    if scenario.id != doc.scenario:
        raise SaveError(f"{path}: saved for scenario {doc.scenario!r}, not {scenario.id!r}")
    warnings = []
    if doc.fingerprint != scenario.fingerprint:
        warnings.append("the scenario's content has changed since this game was saved")
    try:
        setup = Setup(
            seed=doc.seed,
            lens=doc.lens,
            hidden=doc.lens_hidden,
            turn_limit=doc.turn_limit,
            schedule={int(t): tuple(ev) for t, ev in doc.schedule.items()},
            allowed_cards=frozenset(doc.allowed_cards) if doc.allowed_cards is not None else None,
            rng_version=doc.rng_version,
        )
        log = [LogEntry(e.turn, e.kind, e.id, e.option) for e in doc.log]
        state = final_state(scenario, setup, log)
    except (EngineError, ValueError) as exc:
        changed = " (the scenario has changed since)" if warnings else ""
        raise SaveError(f"{path}: the choice log does not replay{changed}: {exc}") from exc
    snapshot = state.to_dict(tuple(m.id for m in scenario.meters))
    if snapshot != doc.snapshot:
        diff = sorted(
            k
            for k in snapshot.keys() | doc.snapshot.keys()
            if snapshot.get(k) != doc.snapshot.get(k)
        )
        changed = " (the scenario has changed since)" if warnings else " (edited by hand?)"
        raise SaveError(
            f"{path}: the snapshot does not match the replayed game{changed}: "
            f"differs in snapshot.{', snapshot.'.join(diff)}"
        )
    votes = tuple(
        TurnVotes(v.turn, v.kind, v.id, v.chosen, tuple(v.tally.items()), v.overridden)
        for v in doc.votes
    )
    meta = replace(SaveMeta.from_table(doc.meta), votes=votes)
    return LoadedSave(path, scenario, state, meta, warnings)


def load_for(path: Path, scenario: Scenario) -> LoadedSave:
    """Load a save with ``scenario`` when it is the save's, else the scenario the save names."""
    doc = read_save_document(path)
    if doc.scenario == scenario.id:
        return load_save(path, scenario=scenario)
    return load_save(path)


def list_saves(folder: Path) -> list[Path]:
    """Save files in a folder, newest first (regular files only: no links, no FIFOs)."""
    found = []
    try:
        for p in Path(folder).glob("*.toml"):
            with contextlib.suppress(OSError):
                info = p.lstat()
                if stat.S_ISREG(info.st_mode):
                    found.append((info.st_mtime_ns, p.name, p))
    except OSError:
        return []
    return [p for _, _, p in sorted(found, reverse=True)]


class GameInUse(SaveError):
    """The game's file is being played by another window or tab."""


LOCK_TRIES = 3
"""Attempts at a lock held by someone else, 10 ms apart: :func:`game_in_play` (the
instructor's console looks every two seconds) holds it for a few microseconds."""


class GameLock:
    """Holds a game's file for one session: while a window plays a game, no other can.

    An advisory ``flock`` on a hidden file beside the save (the save itself is replaced on
    every write, so it cannot carry the lock).  The kernel drops it when the process ends,
    however it ends, so a crash never leaves a game locked."""

    def __init__(self, path: Path) -> None:
        self.path = path.parent / f".{path.name}.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock; raise GameInUse when another session holds it."""
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError:
            return  # an unwritable folder: saving will fail and say so; nothing to guard
        for attempt in range(LOCK_TRIES):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if attempt + 1 < LOCK_TRIES:
                    time.sleep(0.01)
                    continue
                os.close(fd)
                raise GameInUse(
                    f"{self.path.parent / self.path.name[1:-5]}: this game is open in another "
                    "window or tab; close it there first"
                ) from exc
        self._fd = fd

    def release(self) -> None:
        """Let another session open the game."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def game_in_play(path: Path) -> bool:
    """Whether another session holds the game in ``path`` now."""
    lock = GameLock(path)
    try:
        lock.acquire()
    except GameInUse:
        return True
    lock.release()
    return False


def is_finished(doc: SaveModel) -> bool:
    """Whether a save's game is over, read from its snapshot (no replay)."""
    return doc.snapshot.get("ending") not in (None, "")


def latest_unfinished(folder: Path, ours: Path | None = None) -> Path | None:
    """The newest game file in ``folder`` whose game is unfinished and not open in another
    window: what Continue resumes (readable files only; the copies a player kept with
    ``s`` are not games' own files, and are loaded from the load screen).  ``ours``: the
    game this window holds, which is open here and not elsewhere."""
    for path in list_saves(folder):
        try:
            doc = read_save_document(path)
        except SaveError:
            continue
        if doc.meta.get("kind") == "save" or is_finished(doc):
            continue
        if path == ours or not game_in_play(path):
            return path
    return None
