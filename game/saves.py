"""Saves: readable TOML files holding setup, choice log and a state snapshot.

A save is written atomically (temporary file, flush, fsync, rename), so a crash or a
``kill -9`` mid-write leaves the previous save intact.  Loading replays the log and
checks that it reproduces the snapshot; anything wrong is a :class:`SaveError` and the
file is never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from game.content import ContentError, Scenario, load_scenario, resolve_scenario_dir
from game.content.errors import format_key_path
from game.engine import EngineError, GameState, LogEntry
from game.engine.replay import Setup, Step, final_state, replay, start

FORMAT = "offramp-save"
VERSION = 1
MAX_SAVE_BYTES = 5 * 1024 * 1024
AUTOSAVE = "autosave.toml"


class SaveError(Exception):
    """A save that cannot be read, replayed or written; the message says what and where."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LogModel(_Strict):
    """One choice-log entry as stored."""

    turn: int = Field(ge=1)
    kind: Literal["card", "event", "inject"]
    id: str
    option: str = ""


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
    meta: dict[str, str] = {}
    log: list[LogModel] = []
    snapshot: dict[str, Any]


@dataclass
class LoadedSave:
    """A save that loaded and replayed cleanly."""

    path: Path
    scenario: Scenario
    state: GameState
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def history(self) -> list[Step]:
        """Every step of the game, replayed."""
        return replay(self.scenario, Setup.of(self.state), self.state.log)

    def initial(self) -> GameState:
        """The game's first state."""
        return start(self.scenario, Setup.of(self.state))


def save_document(
    scenario: Scenario, state: GameState, meta: dict[str, str] | None = None
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
    doc["meta"] = dict(sorted((meta or {}).items()))
    doc["log"] = [
        {"turn": e.turn, "kind": e.kind, "id": e.id, "option": e.option} for e in state.log
    ]
    doc["snapshot"] = state.to_dict(tuple(m.id for m in scenario.meters))
    return doc


def dumps_save(scenario: Scenario, state: GameState, meta: dict[str, str] | None = None) -> str:
    """The save file's text."""
    return tomli_w.dumps(save_document(scenario, state, meta))


def write_save(
    path: Path, scenario: Scenario, state: GameState, meta: dict[str, str] | None = None
) -> Path:
    """Write a save atomically; on failure raise SaveError and leave any old save intact."""
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
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        for stale in path.parent.glob(f".{path.name}.*.tmp"):
            # left by a writer killed mid-write; the save itself is always whole
            with contextlib.suppress(OSError):
                stale.unlink()
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise SaveError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


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


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_save_document(path: Path) -> SaveModel:
    """Parse and structurally check a save file, without replaying it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SAVE_BYTES:
            raise SaveError(f"{path}: too large to be a save ({size:,} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise SaveError(f"{path}: cannot read: {exc.strerror or exc}") from exc
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
        folder = resolve_scenario_dir(scenario_dir if scenario_dir else doc.scenario)
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
    return LoadedSave(path, scenario, state, dict(doc.meta), warnings)


def list_saves(folder: Path) -> list[Path]:
    """Save files in a folder, newest first."""
    try:
        files = [p for p in Path(folder).glob("*.toml") if p.is_file()]
    except OSError:
        return []
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)
