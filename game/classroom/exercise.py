"""Exercise files: an instructor's fixed crisis for a whole class (TOML, checked like content).

An exercise names the scenario, seed, lens (named or hidden), turn limit, the cards
allowed or banned, injects scheduled at given turns, a class code and whether to ask
each student's name.  Problems are reported as ``file:LINE: key.path: message``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, ValidationError, model_validator

from game.content.conditions import suggest
from game.content.errors import ContentError, KeyPath, Problem
from game.content.loader import Collector, load_scenario, read_toml, shown_path, validate_model
from game.content.models import MAX_TURNS, Id, Model, Text
from game.content.scenario import Scenario

if TYPE_CHECKING:
    from game.engine.setup import Setup

CLASS_CODE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_-]{0,39}\Z")
"""A class code, checked with ``CLASS_CODE.fullmatch`` (``$`` would let 'pols101\\n' pass)."""


def _class_code(value: str) -> str:
    if not CLASS_CODE.fullmatch(value):
        raise ValueError(
            "a class code is 1-40 letters, digits, '-' or '_' (it names the class's save "
            "folder, so it cannot contain '/' or '.')"
        )
    return value


ClassCode = Annotated[str, AfterValidator(_class_code)]
"""Letters, digits, '-' and '_' (it names the class's save folder, so no path can escape)."""


class ScheduledInject(Model):
    """An event forced at a turn, for everyone in the class."""

    turn: int = Field(ge=1, le=MAX_TURNS)
    """The turn at whose news the event fires."""
    event: Id
    """The event id."""


class ExerciseInfo(Model):
    """The `[exercise]` table."""

    title: Text
    """Shown to students on the title screen."""
    scenario: Text
    """Scenario name under content/, or a folder path relative to this file."""
    seed: int = Field(ge=0, lt=2**63)
    """The seed everyone plays with (0 to 2**63 - 1): the same crisis for the whole class."""
    lens: Text = "hidden"
    """A lens id, or "hidden" to draw one from the seed and reveal it in the debrief."""
    hidden: bool | None = None
    """Hide a named lens from students (default: hidden only when lens = "hidden")."""
    turn_limit: int | None = Field(default=None, ge=1, le=MAX_TURNS)
    """Override the scenario's turn limit."""
    allowed_cards: list[Id] | None = None
    """Only these cards are dealt."""
    banned_cards: list[Id] = []
    """These cards are never dealt."""
    class_code: ClassCode
    """The class's code: saves go to saves/<class_code>/, injects are pushed to it."""
    ask_name: bool = True
    """Ask each student's name at the start (stored in the save, sanitised)."""
    briefing: Text = ""
    """An extra paragraph from the instructor, shown before the scenario's briefing."""
    late_joiners: Literal["catch_up", "skip"] = "catch_up"
    """A student who joins after live injects were pushed: "catch_up" gets them at their
    first choice (the whole class has faced them), "skip" starts without them."""

    @model_validator(mode="after")
    def _cards_one_way(self) -> Self:
        if self.allowed_cards is not None and self.banned_cards:
            raise ValueError("use allowed_cards or banned_cards, not both")
        return self


class ExerciseFile(Model):
    """What an exercise file may hold."""

    exercise: ExerciseInfo
    """The exercise's settings."""
    injects: list[ScheduledInject] = []
    """Events forced at given turns."""


@dataclass(frozen=True)
class Exercise:
    """A checked exercise with its scenario loaded."""

    path: Path
    info: ExerciseInfo
    injects: tuple[ScheduledInject, ...]
    scenario: Scenario

    @property
    def lens(self) -> str | None:
        """The lens to play, or None to draw it from the seed."""
        return None if self.info.lens == "hidden" else self.info.lens

    @property
    def hidden(self) -> bool:
        """Whether students see the lens during play."""
        if self.info.hidden is not None:
            return self.info.hidden
        return self.info.lens == "hidden"

    @property
    def schedule(self) -> dict[int, list[str]]:
        """Turn -> events forced at that turn."""
        out: dict[int, list[str]] = {}
        for inject in self.injects:
            out.setdefault(inject.turn, []).append(inject.event)
        return out

    @property
    def allowed_cards(self) -> frozenset[str] | None:
        """The deck, or None for every card."""
        if self.info.allowed_cards is not None:
            return frozenset(self.info.allowed_cards)
        if self.info.banned_cards:
            return frozenset(c.id for c in self.scenario.cards) - set(self.info.banned_cards)
        return None

    @property
    def turn_limit(self) -> int:
        """The turn limit in force."""
        return self.info.turn_limit or self.scenario.info.turn_limit

    @property
    def setup(self) -> Setup:
        """How every student's game of this exercise starts."""
        from game.engine.setup import Setup

        return Setup(
            seed=self.info.seed,
            lens=self.lens,
            hidden=self.hidden,
            turn_limit=self.turn_limit,
            schedule={t: tuple(events) for t, events in self.schedule.items()},
            allowed_cards=self.allowed_cards,
        )


def is_exercise_file(path: Path) -> bool:
    """Whether ``path`` is a single TOML file (an exercise) rather than a scenario folder.

    A pipe or a device named ``*.toml`` counts, so that loading it says why it is refused.
    """
    return path.suffix == ".toml" and path.exists() and not path.is_dir()


def load_exercise(path: str | Path) -> Exercise:
    """Load and check an exercise file; raise ContentError listing every problem."""
    from game.content import resolve_scenario_dir

    path = Path(path)
    out = Collector()
    shown = shown_path(path)
    read = read_toml(path, shown, out)
    if read is None:
        raise ContentError(out.problems)
    failed: set[KeyPath] = set()
    doc = validate_model(ExerciseFile, read[1], shown, (), out, failed)
    # A broken file is still checked against its scenario, with the settings that are
    # fine: an unknown key must not hide an unknown lens or event.
    settings, injects = _usable(doc, read[1], failed)
    name = settings.get("scenario")
    if name is None:
        raise ContentError(out.problems)
    relative = path.parent / name
    folder = relative if relative.is_dir() else resolve_scenario_dir(name)
    try:
        scenario = load_scenario(folder)
    except ContentError as exc:
        out.add(
            shown,
            ("exercise", "scenario"),
            f"scenario {name!r} does not load "
            f"from {folder} ({len(exc.problems)} problems; run offramp validate {folder})",
        )
        raise ContentError(out.problems + exc.problems) from exc
    lens = settings.get("lens", "hidden")
    if lens != "hidden" and lens not in scenario.lens:
        out.add(
            shown,
            ("exercise", "lens"),
            f"unknown lens {lens!r} (lenses: hidden, {', '.join(scenario.lens)})",
        )
    for key in ("allowed_cards", "banned_cards"):
        for i, card in enumerate(settings.get(key) or []):
            if card not in scenario.card:
                hint = suggest(card, scenario.card, "cards")
                out.add(shown, ("exercise", key, i), f"unknown card {card!r}{hint}")
    if settings.get("allowed_cards") == []:
        out.add(shown, ("exercise", "allowed_cards"), "no cards allowed: the game needs a deck")
    limit = settings.get("turn_limit", 0) or scenario.info.turn_limit
    for i, inject in injects:
        if inject.event not in scenario.event:
            hint = suggest(inject.event, scenario.event, "events")
            out.add(shown, ("injects", i, "event"), f"unknown event {inject.event!r}{hint}")
        if "turn_limit" in settings and inject.turn > limit:  # a bad limit: no follow-on
            out.add(
                shown,
                ("injects", i, "turn"),
                f"turn {inject.turn} is after the turn limit ({limit})",
            )
    if out.problems or doc is None:
        raise ContentError(out.problems)
    return Exercise(path, doc.exercise, tuple(doc.injects), scenario)


def _usable(
    doc: ExerciseFile | None, data: dict[str, Any], failed: set[KeyPath]
) -> tuple[dict[str, Any], list[tuple[int, ScheduledInject]]]:
    """The exercise's settings and injects, or of a broken file those that passed.

    The models are strict, so a setting without an error is already its checked value.
    """
    if doc is not None:
        info = doc.exercise
        return {k: getattr(info, k) for k in type(info).model_fields}, list(enumerate(doc.injects))
    bad = {loc[1] for loc in failed if len(loc) > 1 and loc[0] == "exercise"}
    raw = data.get("exercise")
    raw = raw if isinstance(raw, dict) else {}
    settings: dict[str, Any] = {}
    for key, field in ExerciseInfo.model_fields.items():
        if key in raw and key not in bad:
            settings[key] = raw[key]
        elif key not in raw and not field.is_required():
            settings[key] = field.get_default()
    entries = data.get("injects")
    injects = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        with contextlib.suppress(ValidationError, RecursionError):  # reported already
            injects.append((i, ScheduledInject.model_validate(entry)))
    return settings, injects


def problems_of(path: Path) -> list[Problem]:
    """Every problem of an exercise file (empty when clean)."""
    try:
        load_exercise(path)
    except ContentError as exc:
        return exc.problems
    return []
