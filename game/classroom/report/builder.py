"""Building the class report: every save in a class's folder read (the ones that cannot be
read listed, never raised), each game replayed with the engine, and the class compared with
simulated players facing the same crisis (:mod:`game.sim`)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from game.classroom.exercise import Exercise
from game.classroom.report.model import (
    Baseline,
    BaselineRow,
    CardChoices,
    ClassReport,
    EndingCount,
    InjectReceived,
    InjectSummary,
    MeterInfo,
    OptionCount,
    PathStep,
    StudentResult,
)
from game.classroom.vote import class_vote_rows
from game.content import ContentError, Scenario, load_scenario, resolve_scenario_dir
from game.debrief import build_debrief, meter_history
from game.engine import EngineError, GameState, draw_lens, outcome
from game.engine.setup import Setup
from game.saves import LoadedSave, SaveError, list_saves, load_save, read_save_document
from game.sim.report import wilson
from game.sim.runner import simulate
from game.sim.strategies import make_strategy
from game.timeline import DECISIONS, option_text

BASELINE_SEED = 0
"""Master seed of the baseline runs: the strategies' own picks, not the crisis."""
MAX_NAME = 60
"""Student names longer than this are cut (they come from files anyone can edit)."""


def build_class_report(
    folder: Path,
    exercise: Exercise | None = None,
    baseline_runs: int = 200,
    *,
    scenario_dir: str | Path | None = None,
) -> ClassReport:
    """The report of a class's folder of saves; a bad save is listed, never raised.

    Raise FileNotFoundError or NotADirectoryError when ``folder`` is not a folder, and
    ValueError when ``baseline_runs`` is negative.  ``scenario_dir`` names the scenario
    folder when there is no exercise and the saves' scenario is not under content/.
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"{folder}: no such folder (expected a folder of student saves)")
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder (expected a folder of student saves)")
    if baseline_runs < 0:
        raise ValueError(f"baseline runs must be 0 or more, not {baseline_runs}")

    files = sorted(list_saves(folder), key=lambda p: p.name)
    scenario = exercise.scenario if exercise else None
    scenario_problem = ""
    if scenario is None:
        scenario, scenario_problem = _class_scenario(files, scenario_dir)

    if scenario is None:
        # nothing can be replayed: still say what is wrong with each file
        unreadable = [(path.name, _unreadable(path) or scenario_problem) for path in files]
        report = ClassReport(
            folder=folder,
            scenario_id="",
            scenario_title="",
            exercise_title="",
            lens="",
            lens_name="",
            lens_hidden=False,
            skipped=unreadable,
        )
        if scenario_problem:
            report.notes.append(scenario_problem)
        return report

    saves: list[LoadedSave] = []
    skipped: list[tuple[str, str]] = []
    for path in files:
        try:
            saves.append(load_save(path, scenario=scenario))
        except SaveError as exc:
            skipped.append((path.name, _reason(path, str(exc))))

    played: list[LoadedSave] = []
    students: list[StudentResult] = []
    for save in saves:
        try:
            students.append(_student(scenario, save))
        except (EngineError, ValueError) as exc:
            skipped.append((save.path.name, f"the game does not replay: {exc}"))
            continue
        played.append(save)
    skipped.sort()
    _disambiguate(students)

    first = played[0] if played else None
    lens_id = first.state.lens if first else _exercise_lens(exercise)
    lens = scenario.lens.get(lens_id)
    report = ClassReport(
        folder=folder,
        scenario_id=scenario.id,
        scenario_title=scenario.info.title,
        exercise_title=exercise.info.title if exercise else "",
        lens=lens_id,
        lens_name=lens.name if lens else (lens_id or "none"),
        lens_hidden=first.state.lens_hidden if first else bool(exercise and exercise.hidden),
        students=students,
        skipped=skipped,
        meters=[_meter_info(scenario, i) for i in range(len(scenario.meters))],
    )
    report.outcomes = _outcomes(scenario, report.finished)
    report.injects = _inject_summaries(students)
    report.criteria = [(c.id, c.label) for c in scenario.criteria]
    report.made = datetime.now().strftime("%Y-%m-%d %H:%M")
    report.choices = _choices(scenario, [save.state for save in played])
    report.votes = class_vote_rows(played)
    report.questions = _questions(scenario, report.finished, lens_id)
    for student in students:
        report.notes += [f"{student.name}: {w}" for w in student.warnings]

    crisis, source = _crisis(exercise, first)
    if crisis is not None:
        report.notes += _setup_notes(played, students, crisis, lens_id, source)
    if baseline_runs and crisis is not None:
        report.baseline = _baseline(scenario, lens_id, crisis, source, baseline_runs)
    elif crisis is None:
        report.notes.append("No valid saves and no exercise: nothing to simulate a baseline for.")
    return report


def _class_scenario(
    files: Sequence[Path], scenario_dir: str | Path | None
) -> tuple[Scenario | None, str]:
    """The scenario most saves name (ties: the first file's), loaded once; or why not."""
    named: Counter[str] = Counter()
    for path in files:
        try:
            named[read_save_document(path).scenario] += 1
        except SaveError:
            continue  # listed as skipped when it is loaded for real
    if not named and scenario_dir is None:
        return None, ""
    scenario_id = named.most_common(1)[0][0] if named else ""
    where = resolve_scenario_dir(scenario_dir if scenario_dir else scenario_id)
    try:
        return load_scenario(where), ""
    except ContentError as exc:
        text = f"its scenario {scenario_id or str(where)!r} does not load: {exc.problems[0]}"
        if len(exc.problems) > 1:
            text += f" (and {len(exc.problems) - 1} more; run `offramp validate {where}`)"
        if not where.exists():
            text += " (name the scenario with an exercise file or a scenario folder)"
        return None, text


_LINE = re.compile(r"^:(\d+):\s*")


def _unreadable(path: Path) -> str:
    """Why ``path`` is not a save at all ("" when it parses as one)."""
    try:
        read_save_document(path)
    except SaveError as exc:
        return _reason(path, str(exc))
    return ""


def _reason(path: Path, message: str) -> str:
    """A SaveError message without the path it starts with (the report names the file)."""
    shown = str(path)
    if not message.startswith(shown):
        return message
    rest = message[len(shown) :]
    line = _LINE.match(rest)
    if line:
        return f"line {line.group(1)}: {rest[line.end() :]}"
    return rest.removeprefix(":").strip()


def clean_name(text: str) -> str:
    """A name from a file made safe to print: no control characters, one line, not too long."""
    kept = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    one_line = " ".join(kept.split())
    return one_line if len(one_line) <= MAX_NAME else one_line[: MAX_NAME - 1] + "…"


def _student(scenario: Scenario, save: LoadedSave) -> StudentResult:
    state = save.state
    name = clean_name(save.meta.player) or clean_name(save.path.stem) or "student"
    path = tuple(
        PathStep(
            turn=entry.turn,
            kind=entry.kind,
            title=_item_title(scenario, entry.kind, entry.id),
            option=option_text(scenario, entry.kind, entry.id, entry.option),
        )
        for entry in state.log
        if entry.kind in DECISIONS
    )
    injects = _injects_received(scenario, state)
    result = outcome(scenario, state)
    if result is not None:
        debrief = build_debrief(scenario, state)
        return StudentResult(
            name=name,
            file=save.path.name,
            finished=True,
            ending=result.ending.id,
            ending_title=result.ending.title,
            turns=result.turn,
            total_score=result.total,
            path=path,
            moment=debrief.moments[0] if debrief.moments else None,
            history=dict(debrief.history),
            warnings=tuple(save.warnings),
            scores=dict(result.scores),
            injects=injects,
        )
    steps = save.history()
    first = steps[0].before if steps else save.initial()
    return StudentResult(
        name=name,
        file=save.path.name,
        finished=False,
        ending="",
        ending_title="",
        turns=state.turn,
        total_score=None,
        path=path,
        moment=None,
        history=meter_history(scenario, steps, first, state),
        warnings=tuple(save.warnings),
        injects=injects,
    )


def _injects_received(scenario: Scenario, state: GameState) -> tuple[InjectReceived, ...]:
    """The live injects in a game's log, each with the decision taken next."""
    out = []
    log = state.log
    for i, entry in enumerate(log):
        if entry.kind != "inject":
            continue
        nxt = next((e for e in log[i + 1 :] if e.kind in DECISIONS), None)
        choice = ""
        if nxt is not None:
            choice = (
                f"{_item_title(scenario, nxt.kind, nxt.id)}: "
                f"{option_text(scenario, nxt.kind, nxt.id, nxt.option)}"
            )
        event = scenario.event.get(entry.id)
        out.append(InjectReceived(entry.turn, entry.id, event.title if event else entry.id, choice))
    return tuple(out)


def _inject_summaries(students: Sequence[StudentResult]) -> list[InjectSummary]:
    by_event: dict[str, list[InjectReceived]] = {}
    for student in students:
        for got in student.injects:
            by_event.setdefault(got.event, []).append(got)
    return [
        InjectSummary(
            event=event,
            title=got[0].title,
            students=len(got),
            turns=tuple(sorted({g.turn for g in got})),
            next_choices=tuple(Counter(g.next_choice for g in got if g.next_choice).most_common()),
        )
        for event, got in by_event.items()
    ]


def _disambiguate(students: list[StudentResult]) -> None:
    """Give students who share a name their file name too, so every line can be told apart."""
    seen = Counter(s.name for s in students)
    for i, s in enumerate(students):
        if seen[s.name] > 1:
            students[i] = replace(s, name=f"{s.name} ({s.file})")


def _item_title(scenario: Scenario, kind: str, item_id: str) -> str:
    item = scenario.item(kind, item_id)
    return item.title if item else item_id


def _meter_info(scenario: Scenario, index: int) -> MeterInfo:
    meter = scenario.meters[index]
    rungs = tuple(r.name for r in scenario.ladder.rungs) if meter.id == scenario.ladder.id else ()
    return MeterInfo(meter.id, meter.label, meter.min, meter.max, rungs)


def _outcomes(scenario: Scenario, finished: Sequence[StudentResult]) -> list[EndingCount]:
    counts = Counter(s.ending for s in finished)
    n = len(finished)
    return [
        EndingCount(
            ending=e.id,
            title=e.title,
            count=counts[e.id],
            share=counts[e.id] / n if n else 0.0,
            ci95=wilson(counts[e.id], n),
        )
        for e in scenario.endings
    ]


def _choices(scenario: Scenario, states: Iterable[GameState]) -> list[CardChoices]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for state in states:
        for entry in state.log:
            if entry.kind in DECISIONS:
                counts[(entry.kind, entry.id, entry.option)] += 1
    faced = {(kind, item) for kind, item, _ in counts}
    out: list[CardChoices] = []
    items = [("card", c.id, c.title, c.options) for c in scenario.cards]
    items += [("event", e.id, e.title, e.options) for e in scenario.events]
    for kind, item_id, title, options in items:
        if (kind, item_id) not in faced:
            continue
        out.append(
            CardChoices(
                kind=kind,
                id=item_id,
                title=title,
                options=tuple(
                    OptionCount(o.id, o.text, counts[(kind, item_id, o.id)]) for o in options
                ),
            )
        )
    return out


def _questions(scenario: Scenario, finished: Sequence[StudentResult], lens_id: str) -> list[str]:
    reached = {s.ending for s in finished}
    questions = [q for e in scenario.endings if e.id in reached for q in e.questions]
    lens = scenario.lens.get(lens_id)
    questions += list(lens.questions) if lens else []
    return list(dict.fromkeys(questions))


def _exercise_lens(exercise: Exercise | None) -> str:
    if exercise is None:
        return ""
    return exercise.lens or draw_lens(exercise.scenario, exercise.info.seed)


def _crisis(exercise: Exercise | None, first: LoadedSave | None) -> tuple[Setup | None, str]:
    """The crisis the class faced, from the exercise file or else from the first save."""
    if exercise is not None:
        return exercise.setup, "exercise"
    if first is None:
        return None, ""
    return Setup.of(first.state), first.path.name


def _setup_notes(
    saves: Sequence[LoadedSave],
    students: Sequence[StudentResult],
    reference: Setup,
    lens: str,
    source: str,
) -> list[str]:
    """Students whose crisis differs from the baseline's, named with what differs."""
    notes = []
    for save, student in zip(saves, students, strict=True):
        mine = Setup.of(save.state)
        differs = [
            label
            for label, a, b in [
                ("seed", mine.seed, reference.seed),
                ("turn limit", mine.turn_limit, reference.turn_limit),
                ("injects", mine.scheduled(), reference.scheduled()),
                ("deck", mine.allowed_cards, reference.allowed_cards),
                ("lens", save.state.lens, lens),
                (
                    "random draws (a save from before format 2)",
                    mine.rng_version,
                    reference.rng_version,
                ),
            ]
            if a != b
        ]
        if differs:
            where = "the exercise" if source == "exercise" else source
            notes.append(
                f"{student.name} played a different crisis from {where} "
                f"({', '.join(differs)}); the baseline does not match that game."
            )
    return notes


DEGENERATE_SHARE = 0.95
"""An exercise whose simulated games end this often in one ending teaches little."""


def degenerate_outcome(exercise: Exercise, runs: int = 100) -> str:
    """A warning when the exercise's crisis (its turn limit above all) makes nearly every
    simulated game, whatever the strategy, end the same way; '' otherwise."""
    scenario = exercise.scenario
    lens = _exercise_lens(exercise)
    strategies = ["random", *(f"advocate:{s.id}" for s in scenario.sources)]
    records = simulate(
        scenario, strategies, [lens], runs, seed=BASELINE_SEED, jobs=1, crisis=exercise.setup
    )
    ending, count = Counter(r.ending for r in records).most_common(1)[0]
    share = count / len(records)
    if share < DEGENERATE_SHARE:
        return ""
    title = scenario.ending[ending].title if ending in scenario.ending else ending
    return (
        f"{share:.0%} of {len(records)} simulated games (every strategy) end in {title!r} "
        f"with turn_limit = {exercise.turn_limit}: the class will mostly see one ending; "
        "a longer turn limit, or injects that force a turn, make the choices matter"
    )


def strategy_label(scenario: Scenario, name: str) -> str:
    """A strategy named by its author: "advocate:000" is "Denison's advice"."""
    if name == "random":
        return "Random player"
    if name.startswith("advocate:"):
        source = scenario.source.get(name.removeprefix("advocate:"))
        if source is None:
            return name
        words = (source.author or "").split()
        if len(words) >= 2 and all(w[:1].isupper() and w.isalpha() for w in words):
            return f"{words[-1]}'s advice"  # a person's name: "Denison's advice"
        return f"Advice of {source.id}"
    return name


def _baseline(scenario: Scenario, lens: str, crisis: Setup, source: str, runs: int) -> Baseline:
    strategies = ["random", *(f"advocate:{s.id}" for s in scenario.sources)]
    records = simulate(
        scenario, strategies, [lens], runs, seed=BASELINE_SEED, jobs=1, crisis=crisis
    )
    rows = []
    for name in strategies:
        endings = Counter(r.ending for r in records if r.strategy == name)
        games = sum(endings.values())
        rows.append(
            BaselineRow(
                strategy=name,
                description=make_strategy(scenario, name).description,
                games=games,
                label=strategy_label(scenario, name),
                shares={e.id: endings[e.id] / games if games else 0.0 for e in scenario.endings},
            )
        )
    lens_model = scenario.lens.get(lens)
    return Baseline(
        lens=lens,
        lens_name=lens_model.name if lens_model else (lens or "none"),
        runs=runs,
        crisis=crisis,
        source=source,
        rows=tuple(rows),
    )
