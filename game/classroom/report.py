"""The class report: a folder of student saves turned into figures for the discussion.

:func:`build_class_report` reads every save in a class's folder (skipping, and listing,
the ones that cannot be read), replays each game with the engine and compares the class
with simulated players facing the same crisis.  Three renderers turn the data into
terminal text, Markdown, or one self-contained HTML page with inline SVG charts.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from game.classroom.exercise import Exercise
from game.classroom.vote import (
    VoteRow,
    class_vote_rows,
    vote_lines,
    vote_summary,
    vote_table,
)
from game.content import ContentError, Scenario, load_scenario, resolve_scenario_dir
from game.debrief import Moment, build_debrief, meter_history, sparkline
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


@dataclass(frozen=True, slots=True)
class PathStep:
    """One decision a student took: a card or an event with a choice."""

    turn: int
    kind: str
    """"card" or "event"."""
    title: str
    option: str
    """The chosen option's text."""


@dataclass(frozen=True, slots=True)
class InjectReceived:
    """A live inject a student's game took, and what the student chose next."""

    turn: int
    """The turn at whose choice the game took it (it fires in the next turn's news)."""
    event: str
    title: str
    next_choice: str
    """"Card title: option text" of the student's next decision ('' if none yet)."""


@dataclass(frozen=True, slots=True)
class InjectSummary:
    """One live inject across the class: who received it, when, and what came next."""

    event: str
    title: str
    students: int
    turns: tuple[int, ...]
    """The turns at which games took it, sorted (a student may join late)."""
    next_choices: tuple[tuple[str, int], ...]
    """The decisions taken right after it, most frequent first."""


@dataclass(frozen=True, slots=True)
class StudentResult:
    """One student's game, as the report shows it."""

    name: str
    """The player's name from the save (or the file's stem), cleaned of control characters."""
    file: str
    finished: bool
    ending: str
    """The ending's id ("" while in progress)."""
    ending_title: str
    turns: int
    """The turn the game ended on, or the turn it stands at."""
    total_score: int | None
    """The ending's total score; None while in progress."""
    path: tuple[PathStep, ...]
    moment: Moment | None
    """The game's most decisive moment (finished games only)."""
    history: dict[str, tuple[int, ...]]
    """Meter label -> true value at the start of each turn, then the latest value."""
    warnings: tuple[str, ...] = ()
    scores: dict[str, int] = field(default_factory=dict)
    """Each criterion's score of a finished game (empty while it goes on)."""
    injects: tuple[InjectReceived, ...] = ()
    """The live injects the game took, in order."""


@dataclass(frozen=True, slots=True)
class EndingCount:
    """How many finished games reached an ending."""

    ending: str
    title: str
    count: int
    share: float
    ci95: tuple[float, float]
    """95% Wilson interval of the share (wide for a small class)."""


@dataclass(frozen=True, slots=True)
class OptionCount:
    """How often the class chose one option."""

    option: str
    text: str
    count: int


@dataclass(frozen=True, slots=True)
class CardChoices:
    """The class's choices on one card (or event with a choice), every option listed."""

    kind: str
    id: str
    title: str
    options: tuple[OptionCount, ...]

    @property
    def total(self) -> int:
        """How many times the class faced this decision."""
        return sum(o.count for o in self.options)


@dataclass(frozen=True, slots=True)
class MeterInfo:
    """A meter as the charts draw it."""

    id: str
    label: str
    min: int
    max: int
    rungs: tuple[str, ...] = ()
    """Rung names, lowest first, when the meter is the escalation ladder."""


@dataclass(frozen=True, slots=True)
class BaselineRow:
    """One simulated strategy's endings over the baseline games."""

    strategy: str
    description: str
    games: int
    shares: dict[str, float]
    """Ending id -> share of games, every ending of the scenario in content order."""
    label: str = ""
    """The strategy named for people: "Denison's advice", "Random player"."""


@dataclass(frozen=True, slots=True)
class Baseline:
    """Simulated players in the class's crisis: same seed, lens, turn limit, injects, deck."""

    lens: str
    lens_name: str
    runs: int
    crisis: Setup
    source: str
    """Where the crisis comes from: "exercise" or the save it was copied from."""
    rows: tuple[BaselineRow, ...]


@dataclass
class ClassReport:
    """Everything the class report shows."""

    folder: Path
    scenario_id: str
    scenario_title: str
    exercise_title: str
    lens: str
    lens_name: str
    lens_hidden: bool
    """Whether the students played with the lens hidden."""
    students: list[StudentResult] = field(default_factory=list)
    """Every valid save, finished or not, in file-name order."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(file name, reason) of every ``.toml`` file that is not a readable save of this class."""
    outcomes: list[EndingCount] = field(default_factory=list)
    """Every ending of the scenario, in content order, counted over finished games only."""
    choices: list[CardChoices] = field(default_factory=list)
    """Cards, then events, in content order, for every decision any student faced."""
    meters: list[MeterInfo] = field(default_factory=list)
    baseline: Baseline | None = None
    questions: list[str] = field(default_factory=list)
    """Discussion questions of the endings reached and of the lens, deduplicated."""
    notes: list[str] = field(default_factory=list)
    """Things the instructor should know (mixed setups, changed content, no baseline)."""
    injects: list[InjectSummary] = field(default_factory=list)
    """The live injects the class received."""
    criteria: list[tuple[str, str]] = field(default_factory=list)
    """(id, label) of the scenario's scoring criteria, in order."""
    made: str = ""
    """When the report was made (local time, to the minute)."""
    votes: list[VoteRow] = field(default_factory=list)
    """A class game's votes, turn by turn (vote mode)."""

    @property
    def finished(self) -> list[StudentResult]:
        """The students whose games ended."""
        return [s for s in self.students if s.finished]

    @property
    def in_progress(self) -> list[StudentResult]:
        """The students whose games have not ended yet."""
        return [s for s in self.students if not s.finished]


# --- building ---------------------------------------------------------------------------


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


# --- shared wording ---------------------------------------------------------------------


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _status(student: StudentResult) -> str:
    if student.finished:
        return f"{student.ending_title}, turn {student.turns}"
    return f"in progress, at turn {student.turns}"


def _moment_text(moment: Moment) -> str:
    change = moment.after - moment.before
    text = (
        f"turn {moment.turn}: {moment.meter} {moment.before} → {moment.after} "
        f"({change:+d}), {moment.cause}"
    )
    if moment.citations:
        text += f" [{', '.join(moment.citations)}]"
    return text


def _summary(report: ClassReport) -> str:
    done, going = len(report.finished), len(report.in_progress)
    parts = [f"{len(report.students)} save{'s' if len(report.students) != 1 else ''} read"]
    parts.append(f"{done} finished, {going} in progress")
    if report.skipped:
        parts.append(f"{len(report.skipped)} file{'s' if len(report.skipped) != 1 else ''} skipped")
    return "; ".join(parts) + "."


def _lens_line(report: ClassReport) -> str:
    if not report.lens:
        return ""
    how = "hidden from the students" if report.lens_hidden else "named to the students"
    return f"Lens: {report.lens_name} ({report.lens}), {how}."


def _baseline_line(baseline: Baseline) -> str:
    c = baseline.crisis
    where = "the exercise" if baseline.source == "exercise" else f"the save {baseline.source}"
    injects = len(c.scheduled())
    return (
        f"{baseline.runs} simulated games per strategy under lens {baseline.lens_name}, "
        f"seed {c.seed}, turn limit {c.turn_limit}, {injects} scheduled "
        f"inject{'s' if injects != 1 else ''}, "
        f"{'every card' if c.allowed_cards is None else f'{len(c.allowed_cards)} cards'} "
        f"(as in {where})."
    )


NO_SAVES = "No save in this folder could be replayed: there is nothing to report yet."
NOT_COUNTED = "Games still in progress are not counted here (their paths are listed below)."


# --- terminal text ----------------------------------------------------------------------


def class_report_text(report: ClassReport) -> str:
    """The report as plain text for a terminal."""
    r = report
    title = r.scenario_title or "(no scenario)"
    out = [f"Class report: {title} — {r.folder}"]
    if r.exercise_title:
        out.append(f"Exercise: {r.exercise_title}")
    if lens := _lens_line(r):
        out.append(lens)
    out += [_summary(r), ""]
    if not r.students:
        out += [NO_SAVES, ""]

    if r.finished:
        out.append(f"OUTCOMES ({len(r.finished)} finished games)")
        if r.in_progress:
            out.append(f"  {NOT_COUNTED}")
        width = max(len(e.title) for e in r.outcomes)
        for e in r.outcomes:
            bar = "█" * round(e.share * 20)
            out.append(f"  {e.title:<{width}}  {e.count:>3}  {_pct(e.share):>4}  {bar}".rstrip())
        out.append("")

    if r.baseline:
        out.append("COMPARED WITH SIMULATED PLAYERS")
        out.append(f"  {_baseline_line(r.baseline)}")
        out += _text_table(_comparison_rows(r), indent="  ")
        out.append("")

    if r.choices:
        out.append("CHOICES ON EACH CARD")
        for card in r.choices:
            kind = "Event: " if card.kind == "event" else ""
            out.append(f"  {kind}{card.title} (faced {card.total} times)")
            for o in card.options:
                out.append(f"    {o.count:>3}  {o.text}")
        out.append("")

    if r.injects:
        out.append("LIVE INJECTS")
        out += [f"  {line}" for line in _inject_lines(r)]
        out.append("")

    if r.votes:
        out.append("HOW THE CLASS VOTED")
        out += [f"  {line}" for line in vote_lines(r.votes)]
        out.append("")

    if r.students:
        out.append("STUDENTS")
        for n, s in enumerate(r.students, start=1):
            out.append(f"  {n}. {s.name} — {_status(s)}")
            if s.moment:
                out.append(f"     Decisive moment: {_moment_text(s.moment)}")
            for step in s.path:
                kind = "event: " if step.kind == "event" else ""
                out.append(f"     T{step.turn:<3} {kind}{step.title} → {step.option}")
            for m in r.meters:
                values = s.history.get(m.label, ())
                if values:
                    line = sparkline(values, m.min, m.max)
                    out.append(f"     {m.label}: {line} {values[0]} → {values[-1]}")
        out.append("")

    if r.skipped:
        out.append("SKIPPED FILES")
        out += [f"  {name}: {reason}" for name, reason in r.skipped]
        out.append("")

    if r.questions:
        out.append("QUESTIONS FOR DISCUSSION")
        out += [f"  {n}. {q}" for n, q in enumerate(r.questions, start=1)]
        out.append("")

    if r.notes:
        out.append("NOTES")
        out += [f"  - {note}" for note in r.notes]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _inject_lines(report: ClassReport) -> list[str]:
    """Each live inject: who took it at which turns, and what they chose next."""
    lines = []
    for inj in report.injects:
        turns = ", ".join(str(t) for t in inj.turns)
        head = (
            f"{inj.title}: received by {inj.students} student"
            f"{'s' if inj.students != 1 else ''} (turn{'s' if len(inj.turns) != 1 else ''} "
            f"{turns})"
        )
        nxt = "; ".join(f"{text} ({n})" for text, n in inj.next_choices[:3])
        lines.append(f"{head}; chosen next: {nxt}" if nxt else head)
    return lines


def class_report_csv(report: ClassReport) -> str:
    """One row per student for a gradebook: name, file, finished, ending, each criterion's
    score and the total, turns, and the live injects received (event@turn)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    criteria = report.criteria
    labels = [label for _, label in criteria]
    writer.writerow(["name", "file", "finished", "ending", *labels, "total", "turns", "injects"])
    for s in report.students:
        scores = [str(s.scores[c]) if c in s.scores else "" for c, _ in criteria]
        writer.writerow(
            [
                _spreadsheet_safe(s.name),
                _spreadsheet_safe(s.file),
                "yes" if s.finished else "no",
                s.ending_title,
                *scores,
                "" if s.total_score is None else str(s.total_score),
                str(s.turns),
                " ".join(f"{i.event}@{i.turn}" for i in s.injects),
            ]
        )
    return buffer.getvalue()


def _spreadsheet_safe(text: str) -> str:
    """A name from a file, kept from being read as a formula by a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def divisive_cards(report: ClassReport, most: int = 3) -> list[CardChoices]:
    """The cards the class split on most (faced at least twice): the smallest share for
    the most chosen option first."""
    faced = [c for c in report.choices if c.total >= 2 and len(c.options) > 1]
    return sorted(faced, key=lambda c: max(o.count for o in c.options) / c.total)[:most]


def _comparison_rows(report: ClassReport) -> list[list[str]]:
    """Ending × (class, each strategy) shares, header first; endings nobody reached omitted."""
    baseline = report.baseline
    rows = baseline.rows if baseline else ()
    header = ["Ending", f"Class (n={len(report.finished)})", *(row.label for row in rows)]
    body = []
    for e in report.outcomes:
        shares = [row.shares.get(e.ending, 0.0) for row in rows]
        if e.count or any(shares):
            body.append([e.title, _pct(e.share), *(_pct(s) for s in shares)])
    return [header, *body]


def _text_table(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append(indent + "  ".join(cells).rstrip())
    return lines


# --- Markdown ---------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text made safe for one Markdown table cell (and inert as HTML)."""
    flat = " ".join(html.escape(text, quote=False).split())
    return flat.replace("|", "\\|") or " "


def class_report_markdown(report: ClassReport) -> str:
    """The report as a Markdown document, with tables and sparklines."""
    r = report
    out = [f"# Class report: {_md(r.scenario_title or '(no scenario)')}", ""]
    facts = [f"Folder: `{_md(str(r.folder))}`"]
    if r.exercise_title:
        facts.append(f"Exercise: {_md(r.exercise_title)}")
    if lens := _lens_line(r):
        facts.append(_md(lens))
    facts.append(_summary(r))
    out += ["  \n".join(facts), ""]
    if not r.students:
        out += [f"*{NO_SAVES}*", ""]

    out += ["## Outcomes", ""]
    if r.finished:
        if r.in_progress:
            out += [f"*{NOT_COUNTED}*", ""]
        out += ["| Ending | Students | Share | 95% interval |", "|---|---:|---:|---|"]
        for e in r.outcomes:
            lo, hi = e.ci95
            out.append(f"| {_md(e.title)} | {e.count} | {_pct(e.share)} | {_pct(lo)}–{_pct(hi)} |")
    else:
        out.append("*No game has finished yet.*")
    out.append("")

    out += ["## Compared with simulated players", ""]
    if r.baseline:
        out += [_md(_baseline_line(r.baseline)), ""]
        rows = _comparison_rows(r)
        out.append("| " + " | ".join(_md(c) for c in rows[0]) + " |")
        out.append("|---|" + "---:|" * (len(rows[0]) - 1))
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows[1:]]
        out += ["", "Strategies:", ""]
        out += [f"- {_md(row.label)}: {_md(row.description)}" for row in r.baseline.rows]
    else:
        out.append("*No baseline was simulated.*")
    out.append("")

    out += ["## Choices on each card", ""]
    if not r.choices:
        out += ["*No decisions were taken.*", ""]
    for card in r.choices:
        kind = "Event: " if card.kind == "event" else ""
        out += [f"### {_md(kind + card.title)}", ""]
        out += ["| Option | Chosen | Share |", "|---|---:|---:|"]
        for o in card.options:
            share = o.count / card.total if card.total else 0.0
            out.append(f"| {_md(o.text)} | {o.count} | {_pct(share)} |")
        out.append("")

    out += ["## Meter trajectories", ""]
    out += [
        "True values at the start of each turn, then the latest; each sparkline is drawn "
        "to the meter's full range.",
        "",
    ]
    for m in r.meters:
        rows_m = [(s, s.history.get(m.label, ())) for s in r.students]
        rows_m = [(s, v) for s, v in rows_m if v]
        if not rows_m:
            continue
        out += [f"### {_md(m.label)} ({m.min}–{m.max})", ""]
        out += ["| Student | Trend | First | Lowest | Highest | Last |"]
        out += ["|---|---|---:|---:|---:|---:|"]
        for s, values in rows_m:
            line = sparkline(values, m.min, m.max)
            out.append(
                f"| {_md(s.name)} | `{line}` | {values[0]} | {min(values)} | {max(values)} "
                f"| {values[-1]} |"
            )
        out.append("")

    if r.injects:
        out += ["## Live injects", ""]
        out += [f"- {_md(line)}" for line in _inject_lines(r)]
        out.append("")

    if r.votes:
        out += ["## How the class voted", "", vote_summary(r.votes), ""]
        table = vote_table(r.votes)
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table[:1]]
        out.append("|---:|---|---|---|---|")
        out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table[1:]]
        out.append("")

    out += ["## Students", ""]
    if r.students:
        out += ["| # | Student | Ending | Turns | Score | Decisive moment |"]
        out += ["|---:|---|---|---:|---:|---|"]
        for n, s in enumerate(r.students, start=1):
            ending = s.ending_title if s.finished else "*in progress*"
            score = "" if s.total_score is None else str(s.total_score)
            moment = _moment_text(s.moment) if s.moment else ""
            out.append(
                f"| {n} | {_md(s.name)} | {_md(ending) if s.finished else ending} "
                f"| {s.turns} | {score} | {_md(moment)} |"
            )
        out.append("")
        for n, s in enumerate(r.students, start=1):
            out += [f"### {n}. {_md(s.name)}: {_md(_status(s))}", ""]
            if s.path:
                out += ["| Turn | Decision | Choice |", "|---:|---|---|"]
                for step in s.path:
                    kind = "Event: " if step.kind == "event" else ""
                    out.append(f"| {step.turn} | {_md(kind + step.title)} | {_md(step.option)} |")
            else:
                out.append("*No decisions yet.*")
            out.append("")
    else:
        out += ["*No students.*", ""]

    if r.skipped:
        out += ["## Skipped files", ""]
        out += [f"- `{_md(name)}`: {_md(reason)}" for name, reason in r.skipped]
        out.append("")

    out += ["## Questions for discussion", ""]
    if r.questions:
        out += [f"{n}. {_md(q)}" for n, q in enumerate(r.questions, start=1)]
    else:
        out.append("*No questions for the endings and lens this class met.*")
    out.append("")

    if r.notes:
        out += ["## Notes", ""]
        out += [f"- {_md(note)}" for note in r.notes]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- HTML -------------------------------------------------------------------------------

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe–Ito colours, distinguishable with the common colour-vision deficiencies."""
DASHES = ("", "7 4", "2 3", "9 3 2 3")
"""Line patterns, so lines differ by more than colour."""

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; vertical-align: top; }
th { background: #f2f2f2; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 1.6rem; }
figcaption { font-size: .9rem; color: #333; }
svg { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
ol.legend { columns: 2; padding-left: 0; list-style: none; font-size: .9rem; }
ol.legend li { break-inside: avoid; }
.note { color: #444; font-style: italic; }
.bar { display: inline-block; height: .8em; background: #0072B2; vertical-align: middle; }
"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _style(index: int) -> tuple[str, str]:
    """Colour and dash pattern of the ``index``-th student's line."""
    return PALETTE[index % len(PALETTE)], DASHES[(index // len(PALETTE) + index) % len(DASHES)]


def _swatch(index: int) -> str:
    colour, dash = _style(index)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" '
        f'stroke="{colour}" stroke-width="2.5"{dash_attr}/></svg>'
    )


def _ticks(low: int, high: int, count: int = 4) -> list[int]:
    span = high - low
    if span <= 8:
        return list(range(low, high + 1))
    return sorted({low + round(span * k / count) for k in range(count + 1)})


def line_chart_svg(meter: MeterInfo, students: Sequence[StudentResult]) -> str:
    """One meter's trajectories as an inline SVG line chart: a polyline per student."""
    width, height = 680, 280
    left, right, top, bottom = 56, 40, 18, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    series = [(i, s.history.get(meter.label, ())) for i, s in enumerate(students)]
    points = max((len(v) for _, v in series), default=1)
    span = max(meter.max - meter.min, 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (points - 1) if points > 1 else plot_w / 2)

    def y(value: int) -> float:
        return top + plot_h * (meter.max - value) / span

    title_id = f"chart-{_slug(meter.id)}"
    out = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{_h(meter.label)}: one line per student</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa" '
        'stroke="#999"/>',
    ]
    for value in _ticks(meter.min, meter.max):
        ty = y(value)
        out.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="#e3e3e3"/>'
        )
        label = str(value)
        tip = f"<title>{_h(meter.rungs[value])}</title>" if value < len(meter.rungs) else ""
        out.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{_h(label)}{tip}</text>'
        )
    step = max(1, math.ceil(points / 12))
    for i in range(0, points, step):
        tx = x(i)
        out.append(
            f'<line x1="{tx:.1f}" y1="{top + plot_h}" x2="{tx:.1f}" y2="{top + plot_h + 4}" '
            'stroke="#666"/>'
        )
        out.append(
            f'<text x="{tx:.1f}" y="{top + plot_h + 17}" text-anchor="middle">{i + 1}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">'
        "turn (the last point of each line: where the game ended or stands)</text>"
    )
    out.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">'
        f"{_h(meter.label)} ({meter.min}–{meter.max})</text>"
    )
    ends: dict[tuple[int, int], list[int]] = {}
    for i, values in series:
        if not values:
            continue
        colour, dash = _style(i)
        student = students[i]
        coords = " ".join(f"{x(j):.1f},{y(v):.1f}" for j, v in enumerate(values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"'
            f"{dash_attr}><title>{_h(student.name)}: "
            f"{_h(', '.join(str(v) for v in values))}</title></polyline>"
        )
        ex, ey = x(len(values) - 1), y(values[-1])
        fill = colour if student.finished else "#fff"
        out.append(
            f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="3.5" fill="{fill}" stroke="{colour}" '
            'stroke-width="1.5"/>'
        )
        ends.setdefault((round(ex), round(ey)), []).append(i)
    # Lines ending at one point share one label ("4,5"); labels in one column are spread
    # out vertically so that none overprints another.
    last_y: dict[int, float] = {}
    for (px, py), ids in sorted(ends.items()):
        colour = _style(ids[0])[0] if len(ids) == 1 else "#222"
        label = ",".join(str(i + 1) for i in ids)
        ly = max(py + 4.0, last_y.get(px, -math.inf) + 12)
        last_y[px] = ly
        out.append(f'<text x="{px + 6}" y="{ly:.0f}" fill="{colour}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out)


def outcome_chart_svg(outcomes: Sequence[EndingCount]) -> str:
    """The outcome distribution as an inline SVG bar chart (count and share on each bar)."""
    row, left, bar_w, right = 26, 250, 320, 110
    width, height = left + bar_w + right, row * len(outcomes) + 30
    top = (max((e.count for e in outcomes), default=0)) or 1
    out = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        'aria-labelledby="chart-outcomes">',
        '<title id="chart-outcomes">Endings reached by the class</title>',
    ]
    for n, e in enumerate(outcomes):
        cy = 8 + n * row
        label = e.title if len(e.title) <= 36 else e.title[:35] + "…"
        out.append(
            f'<text x="{left - 8}" y="{cy + 14}" text-anchor="end">{_h(label)}'
            f"<title>{_h(e.title)}</title></text>"
        )
        length = bar_w * e.count / top
        out.append(
            f'<rect x="{left}" y="{cy + 2}" width="{length:.1f}" height="{row - 8}" '
            'fill="#0072B2"/>'
        )
        out.append(
            f'<text x="{left + length + 6:.1f}" y="{cy + 14}">{e.count} ({_pct(e.share)})</text>'
        )
    out.append(
        f'<line x1="{left}" y1="4" x2="{left}" y2="{height - 20}" stroke="#666"/>'
        f'<text x="{left}" y="{height - 4}">number of finished games</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text) or "meter"


def _legend(students: Sequence[StudentResult]) -> str:
    items = [
        f"<li>{_swatch(i)} <b>{i + 1}</b> {_h(s.name)} — "
        f"{_h(s.ending_title) if s.finished else '<i>in progress</i>'}</li>"
        for i, s in enumerate(students)
    ]
    return '<ol class="legend">' + "".join(items) + "</ol>"


def _html_table(rows: Sequence[Sequence[str]], numeric_from: int = 1) -> str:
    """A table from already-escaped cells; the first row is the header."""
    head = "".join(f"<th>{c}</th>" for c in rows[0])
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i >= numeric_from else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows[1:]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def class_report_html(report: ClassReport) -> str:
    """The report as one self-contained HTML page: inline CSS and SVG, no script, no links."""
    r = report
    title = f"Class report: {r.scenario_title or '(no scenario)'}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(title)}</h1>",
        "<p>",
        f"Folder: <code>{_h(r.folder)}</code><br>",
    ]
    if r.exercise_title:
        out.append(f"Exercise: {_h(r.exercise_title)}<br>")
    if lens := _lens_line(r):
        out.append(f"{_h(lens)}<br>")
    if r.made:
        out.append(f"Made {_h(r.made)}<br>")
    out += [_h(_summary(r)), "</p>"]
    if not r.students:
        out.append(f'<p class="note">{_h(NO_SAVES)}</p>')

    out.append("<h2>Outcomes</h2>")
    if r.finished:
        if r.in_progress:
            out.append(f'<p class="note">{_h(NOT_COUNTED)}</p>')
        out.append("<figure>")
        out.append(outcome_chart_svg(r.outcomes))
        out.append(
            f"<figcaption>Endings of the {len(r.finished)} finished games.</figcaption></figure>"
        )
        rows = [["Ending", "Students", "Share", "95% interval"]]
        rows += [
            [_h(e.title), str(e.count), _pct(e.share), f"{_pct(e.ci95[0])}–{_pct(e.ci95[1])}"]
            for e in r.outcomes
        ]
        out.append(_html_table(rows))
    else:
        out.append('<p class="note">No game has finished yet.</p>')

    out.append("<h2>Compared with simulated players</h2>")
    if r.baseline:
        out.append(f"<p>{_h(_baseline_line(r.baseline))}</p>")
        out.append(_html_table([[_h(c) for c in row] for row in _comparison_rows(r)]))
        out.append("<ul>")
        out += [f"<li>{_h(row.label)}: {_h(row.description)}</li>" for row in r.baseline.rows]
        out.append("</ul>")
    else:
        out.append('<p class="note">No baseline was simulated.</p>')

    out.append("<h2>Choices on each card</h2>")
    if not r.choices:
        out.append('<p class="note">No decisions were taken.</p>')
    for card in r.choices:
        kind = "Event: " if card.kind == "event" else ""
        out.append(f"<h3>{_h(kind + card.title)}</h3>")
        rows = [["Option", "Chosen", "Share"]]
        for o in card.options:
            share = o.count / card.total if card.total else 0.0
            bar = f'<span class="bar" style="width:{share * 8:.2f}em"></span> '
            rows.append([_h(o.text), str(o.count), bar + _pct(share)])
        out.append(_html_table(rows))

    if r.injects:
        out.append("<h2>Live injects</h2><ul>")
        out += [f"<li>{_h(line)}</li>" for line in _inject_lines(r)]
        out.append("</ul>")

    if r.votes:
        out += ["<h2>How the class voted</h2>", f"<p>{_h(vote_summary(r.votes))}</p>"]
        rows = [[_h(c) for c in row] for row in vote_table(r.votes)]
        out.append(_html_table(rows, numeric_from=len(rows[0])))  # words, not figures

    out.append("<h2>Meter trajectories</h2>")
    if r.students:
        out.append(
            "<p>True values at the start of each turn, then the latest. Each line is numbered "
            "at its end and drawn in its own colour and pattern; a filled dot marks a finished "
            "game, a hollow dot a game in progress.</p>"
        )
    for m in r.meters:
        if not any(s.history.get(m.label) for s in r.students):
            continue
        out.append("<figure>")
        out.append(line_chart_svg(m, r.students))
        caption = f"{_h(m.label)}, {m.min}–{m.max}."
        if m.rungs:
            caption += " Rungs: " + "; ".join(f"{n} {_h(name)}" for n, name in enumerate(m.rungs))
        out.append(f"<figcaption>{caption}{_legend(r.students)}</figcaption>")
        out.append("</figure>")
        out.append(f"<details><summary>{_h(m.label)}: the values</summary>")
        rows = [["Student", "Values by turn"]]
        rows += [
            [f"{i + 1}. {_h(s.name)}", _h(" ".join(str(v) for v in s.history.get(m.label, ())))]
            for i, s in enumerate(r.students)
        ]
        out.append(_html_table(rows, numeric_from=2))
        out.append("</details>")

    out.append("<h2>Students</h2>")
    if not r.students:
        out.append('<p class="note">No students.</p>')
    for n, s in enumerate(r.students, start=1):
        out.append(f"<h3>{n}. {_h(s.name)}: {_h(_status(s))}</h3>")
        facts = [f"File: <code>{_h(s.file)}</code>"]
        if s.total_score is not None:
            facts.append(f"total score {s.total_score}")
        out.append(f"<p>{'; '.join(facts)}.</p>")
        if s.moment:
            out.append(f"<p><b>Decisive moment</b>: {_h(_moment_text(s.moment))}</p>")
        if s.path:
            rows = [["Turn", "Decision", "Choice"]]
            rows += [
                [
                    str(step.turn),
                    _h(("Event: " if step.kind == "event" else "") + step.title),
                    _h(step.option),
                ]
                for step in s.path
            ]
            out.append(_html_table(rows, numeric_from=3))
        else:
            out.append('<p class="note">No decisions yet.</p>')

    if r.skipped:
        out.append("<h2>Skipped files</h2><ul>")
        out += [f"<li><code>{_h(name)}</code>: {_h(reason)}</li>" for name, reason in r.skipped]
        out.append("</ul>")

    out.append("<h2>Questions for discussion</h2>")
    if r.questions:
        out.append("<ol>" + "".join(f"<li>{_h(q)}</li>" for q in r.questions) + "</ol>")
    else:
        out.append('<p class="note">No questions for the endings and lens this class met.</p>')

    if r.notes:
        out.append("<h2>Notes</h2><ul>")
        out += [f"<li>{_h(note)}</li>" for note in r.notes]
        out.append("</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


_PROJECTOR_CSS = """
body { font-family: system-ui, sans-serif; margin: 2vh 3vw; font-size: 2.4vh; }
h1 { font-size: 4vh; margin: 0 0 1vh; }
h2 { font-size: 3vh; margin: 2vh 0 1vh; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 3vw; }
.made { color: #555; }
.bar { display: inline-block; height: 1em; background: #4477aa; vertical-align: middle; }
svg { max-width: 100%; height: auto; }
ol li { margin-bottom: 0.6vh; }
"""


def class_report_projector(report: ClassReport) -> str:
    """One screen for the projector: the endings, the cards the class split on most, and
    the questions for the discussion; self-contained HTML, no script."""
    r = report
    title = r.exercise_title or r.scenario_title or "Class report"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_h(title)}</title><style>{_PROJECTOR_CSS}</style></head><body>",
        f"<h1>{_h(title)}</h1>",
        f'<p class="made">{_h(_summary(r))} · made {_h(r.made)}</p>',
        '<div class="grid"><div>',
        "<h2>How the games ended</h2>",
    ]
    if r.finished:
        out.append(outcome_chart_svg(r.outcomes))
    else:
        out.append("<p>No game has finished yet.</p>")
    out.append("<h2>Where the class split</h2>")
    split = divisive_cards(r)
    if not split:
        out.append("<p>No card was faced often enough to compare.</p>")
    for card in split:
        out.append(f"<p><strong>{_h(card.title)}</strong></p><ul>")
        for o in card.options:
            share = o.count / card.total if card.total else 0.0
            bar = f'<span class="bar" style="width:{share * 10:.2f}em"></span>'
            out.append(f"<li>{bar} {_pct(share)} {_h(o.text)}</li>")
        out.append("</ul>")
    out.append("</div><div><h2>For discussion</h2><ol>")
    out += [f"<li>{_h(q)}</li>" for q in r.questions]
    out.append("</ol>")
    if r.baseline:
        best = [
            f"{_h(row.label)}: {_pct(max(row.shares.values(), default=0.0))} "
            f"{_h(_most_common_ending(r, row))}"
            for row in r.baseline.rows
        ]
        out.append("<h2>Simulated players in the same crisis</h2><ul>")
        out += [f"<li>{line}</li>" for line in best]
        out.append("</ul>")
    out.append("</div></div></body></html>")
    return "\n".join(out) + "\n"


def _most_common_ending(report: ClassReport, row: BaselineRow) -> str:
    if not row.shares:
        return ""
    ending = max(row.shares, key=lambda e: row.shares[e])
    titles = {e.ending: e.title for e in report.outcomes}
    return titles.get(ending, ending)
