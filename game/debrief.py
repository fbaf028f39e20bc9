"""The debrief of a finished game: what happened, why, and what other lenses would have done.

Everything here is read off the engine: the game is replayed from its setup and choice
log, and counterfactuals are played by the engine under each other lens.  The data
feeds the Textual debrief screen; :func:`debrief_markdown` renders it as a document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from game.content.models import Citation, LensRule, Option
from game.content.scenario import Scenario
from game.content.text import fill
from game.engine import (
    Cause,
    Change,
    Decision,
    GameState,
    LogEntry,
    choices,
    choose,
    current_decision,
    end_game,
    inject,
    is_over,
    outcome,
)
from game.engine.replay import Step, replay, script_of
from game.engine.setup import Setup, start
from game.engine.view import date_of
from game.timeline import (
    DECISIONS,
    ENDED_BY_INSTRUCTOR,
    cause_label,
    describe_change,
    option_text,
)

MAX_CHANGES = 4
"""Effects listed per timeline entry."""
MIN_MOMENTS, MAX_MOMENTS = 3, 5
"""Decisive moments shown: at least this many (when the game had them), at most that many."""
SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One entry of the choice log (a decision, an instructor's inject, or the instructor's
    end of the game), in words."""

    turn: int
    date: str
    kind: str
    """"card", "event", "inject" or "end"."""
    title: str
    option: str
    """The chosen option's text ("" for injects)."""
    changes: tuple[str, ...]
    """The decision's main effects in words, largest first (at most four)."""
    news: tuple[str, ...]
    """Titles of the events that fired right after."""


@dataclass(frozen=True, slots=True)
class Moment:
    """A decisive moment: one of the largest swings of a meter, and its cause."""

    turn: int
    meter: str
    """The meter's label."""
    before: int
    after: int
    cause: str
    """What caused it, in words."""
    why: str
    citations: tuple[str, ...]
    """Labels (e.g. "000 ¶12") of the passages behind the option, event, rule or trend."""


@dataclass(frozen=True, slots=True)
class Counterfactual:
    """The player's game replayed under another lens: the same seed, the same situation
    (cards and events) wherever it may come up again, the player's choices."""

    lens: str
    lens_name: str
    ending: str
    ending_title: str
    turns: int
    total_score: int
    substituted: int
    """Decisions the replay met that the player never faced there, taken by tag similarity."""
    note: str
    """Where the replay could not follow the player's game, what it did ("" if nowhere)."""
    history: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Meter label -> true value at the start of each turn, then the final value, as in
    :attr:`Debrief.history`, for the game played under this lens."""
    decisions: int = 0
    """The player's decisions (the choice log without injects)."""
    replayed: int = 0
    """The player's decisions the replay met at the same turn and took as the player did."""
    diverged: int | None = None
    """The first turn whose decisions differ between the two games (or at which one of
    them ended and the other did not); None when the replay followed the whole game."""

    @property
    def replay_line(self) -> str:
        """How much of the player's game the replay followed, in one sentence."""
        if self.diverged is None:
            return f"All {self.decisions} of your decisions replayed; the games never diverged."
        return (
            f"{self.replayed} of your {self.decisions} decisions replayed; "
            f"the games diverged from turn {self.diverged}."
        )


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the debrief shows about one finished game."""

    scenario_title: str
    ending_id: str
    ending_title: str
    ending_text: str
    turn: int
    scores: tuple[tuple[str, int], ...]
    """(criterion label, score 0–10), in the scenario's order."""
    verdicts: tuple[tuple[str, str], ...]
    """(source label such as "000 — Denison, Inkstick", verdict), in the scenario's order."""
    timeline: tuple[TimelineEntry, ...]
    history: dict[str, tuple[int, ...]]
    """Meter label -> true value at the start of each turn, then the final value (ladder first)."""
    moments: tuple[Moment, ...]
    lens_id: str
    lens_name: str
    lens_summary: str
    lens_source: str
    lens_was_hidden: bool
    counterfactuals: tuple[Counterfactual, ...]
    """One per other lens, in the scenario's order."""
    questions: tuple[str, ...]
    """The ending's discussion questions, then the lens's."""
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    total_score: int = 0
    """The scores' total, each criterion by its weight (``Outcome.total``)."""
    """Meter label -> (min, max), to draw the history to scale."""


@dataclass(frozen=True, slots=True)
class CounterfactualPlay:
    """A counterfactual game as played: its final state and how faithfully it followed."""

    state: GameState
    substituted: int
    """Decisions taken by tag similarity because the player never faced them there."""
    unused: int
    """The player's decisions that never came up in the counterfactual game."""
    replayed: int = 0
    """The player's decisions met at the same turn and taken as the player took them."""
    diverged: int | None = None
    """See :attr:`Counterfactual.diverged`."""
    first: GameState | None = None
    """The state at its first decision."""
    changes: tuple[Change, ...] = ()
    """Every change the engine recorded after that, in order."""


# --- building -------------------------------------------------------------------------


def build_debrief(scenario: Scenario, state: GameState) -> Debrief:
    """The debrief of a finished game; ValueError if the game is not over."""
    result = outcome(scenario, state)
    if result is None:
        raise ValueError("the game is not over: a debrief needs an ending")
    setup = Setup.of(state)
    steps = replay(scenario, setup, state.log)
    first = steps[0].before if steps else start(scenario, setup)
    final = steps[-1].after if steps else first
    if outcome(scenario, final) != result or final.meters != state.meters:
        raise ValueError("the choice log does not reproduce this game")
    ending = result.ending
    lens = scenario.lens.get(state.lens)
    others = [other.id for other in scenario.lenses if other.id != state.lens]
    script = script_of([first, *(step.after for step in steps)])
    return Debrief(
        scenario_title=scenario.info.title,
        ending_id=ending.id,
        ending_title=ending.title,
        ending_text=fill(ending.text, state.turn_limit, scenario.info.months_per_turn),
        turn=result.turn,
        total_score=result.total,
        scores=tuple(
            (criterion.label, result.scores[criterion.id])
            for criterion in scenario.criteria
            if criterion.id in result.scores
        ),
        verdicts=tuple(
            (source_label(scenario, source.id), ending.verdicts[source.id])
            for source in scenario.sources
            if source.id in ending.verdicts
        ),
        timeline=tuple(_timeline(scenario, steps, final)),
        history=meter_history(scenario, steps, first, final),
        moments=tuple(_moments(scenario, steps, final)),
        lens_id=state.lens,
        lens_name=lens.name if lens else "none",
        lens_summary=lens.summary if lens else "",
        lens_source=source_label(scenario, lens.source) if lens else "",
        lens_was_hidden=state.lens_hidden,
        counterfactuals=tuple(counterfactual(scenario, state, other, script) for other in others),
        questions=(*ending.questions, *(lens.questions if lens else ())),
        ranges={m.label: (m.min, m.max) for m in scenario.meters},
    )


def source_label(scenario: Scenario, source_id: str) -> str:
    """A source as '000 — Author, Outlet' (its title when neither is known)."""
    source = scenario.source.get(source_id)
    if source is None:
        return source_id
    who = ", ".join(part for part in (source.author, source.outlet) if part) or source.title
    return f"{source.id} — {who}"


def _timeline(scenario: Scenario, steps: Sequence[Step], final: GameState) -> list[TimelineEntry]:
    entries = []
    for step in steps:
        entry = step.entry
        if entry.kind == "end":
            date = date_of(scenario, entry.turn)
            entries.append(TimelineEntry(entry.turn, date, "end", ENDED_BY_INSTRUCTOR, "", (), ()))
            continue
        # an inject's log entry names the event the instructor pushed
        kind = "event" if entry.kind == "inject" else entry.kind
        item = scenario.item(kind, entry.id)
        report = step.report
        changes: tuple[str, ...] = ()
        news: tuple[str, ...] = ()
        if report is not None:
            own = [c for c in report.changes if c.phase == "decision"]
            ranked = sorted(enumerate(own), key=lambda ic: (*_rank(scenario, ic[1]), ic[0]))
            changes = tuple(describe_change(scenario, final, c) for _, c in ranked[:MAX_CHANGES])
            news = tuple(_event_title(scenario, event_id) for event_id in report.news)
        entries.append(
            TimelineEntry(
                turn=entry.turn,
                date=date_of(scenario, entry.turn),
                kind=entry.kind,
                title=item.title if item else entry.id,
                option=""
                if entry.kind == "inject"
                else option_text(scenario, entry.kind, entry.id, entry.option),
                changes=changes,
                news=news,
            )
        )
    return entries


def _rank(scenario: Scenario, change: Change) -> tuple[int, Fraction]:
    """Meters first by share of their range moved, then flags, then uncertainty bands."""
    group = {"meter": 0, "flag": 1}.get(change.target, 2)
    return group, -_size(scenario, change)


def _size(scenario: Scenario, change: Change) -> Fraction:
    """How far a change moved its meter, as a share of the meter's range."""
    meter = scenario.meter.get(change.id)
    span = meter.max - meter.min if meter is not None else 1
    return Fraction(abs(change.delta), max(span, 1))


def _event_title(scenario: Scenario, event_id: str) -> str:
    event = scenario.event.get(event_id)
    return event.title if event else event_id


def meter_history(
    scenario: Scenario, steps: Sequence[Step], first: GameState, final: GameState
) -> dict[str, tuple[int, ...]]:
    """Meter label -> true value at the start of each turn (its first decision), then the end.

    Built from the engine's change records, so a turn in which nothing was dealt still
    has its value.  Turns before ``first`` (the first decision) take ``first``'s values.
    """
    changes = [c for step in steps if step.report is not None for c in step.report.changes]
    return history_of_changes(scenario, changes, first, final)


def history_of_changes(
    scenario: Scenario, changes: Sequence[Change], first: GameState, final: GameState
) -> dict[str, tuple[int, ...]]:
    """:func:`meter_history` from the changes recorded after ``first``, in order."""
    changes = [c for c in changes if c.target == "meter"]
    index = scenario.names.meters
    values = list(first.meters)
    rows = [tuple(values)] * first.turn
    done = 0
    for turn in range(first.turn + 1, final.turn + 1):
        # A turn starts after its news; its decisions and dynamics come later.
        while done < len(changes) and (
            changes[done].turn < turn
            or (changes[done].turn == turn and changes[done].phase == "news")
        ):
            values[index[changes[done].id]] = changes[done].after
            done += 1
        rows.append(tuple(values))
    rows.append(tuple(final.meters))
    return {m.label: tuple(row[i] for row in rows) for i, m in enumerate(scenario.meters)}


def _moments(scenario: Scenario, steps: Sequence[Step], final: GameState) -> list[Moment]:
    swings = [
        c
        for step in steps
        if step.report is not None
        for c in step.report.changes
        if c.target == "meter"
    ]
    ranked = sorted(enumerate(swings), key=lambda ic: (-_size(scenario, ic[1]), ic[1].turn, ic[0]))
    chosen: list[Change] = []
    for _, change in ranked[:MAX_MOMENTS]:
        # Past the minimum, keep a swing only if it is at least half the largest.
        if len(chosen) >= MIN_MOMENTS and 2 * _size(scenario, change) < _size(scenario, chosen[0]):
            break
        chosen.append(change)
    return [_moment(scenario, final, change) for change in chosen]


def _moment(scenario: Scenario, final: GameState, change: Change) -> Moment:
    cause = change.cause
    words = cause_label(scenario, final, change)
    why = [cause.why] if cause.why else []
    if cause.lens_rule:
        lens_id, rule = _lens_rule(scenario, cause.lens_rule)
        lens = scenario.lens.get(lens_id)
        words += f", scaled by lens {lens.name if lens else lens_id}"
        if rule is not None and rule.why:
            why.append(rule.why)
    return Moment(
        turn=change.turn,
        meter=scenario.meter[change.id].label,
        before=change.before,
        after=change.after,
        cause=words,
        why=" — ".join(why),
        citations=tuple(dict.fromkeys(c.label() for c in citations_of(scenario, cause))),
    )


def citations_of(scenario: Scenario, cause: Cause) -> list[Citation]:
    """The passages behind a change's cause: its option, event, lens rule or dynamic."""
    kinds = ("option", "event", "lens", "dynamic")
    # A delayed change keeps its ref but not its kind: try each kind in turn.
    tried = kinds if cause.kind == "delayed" else (cause.kind,)
    found: list[Citation] = []
    for kind in tried:
        cites = _citations(scenario, kind, cause.ref)
        if cites is not None:
            found = list(cites)
            break
    if cause.lens_rule:
        _, rule = _lens_rule(scenario, cause.lens_rule)
        if rule is not None:
            found += rule.citations
    return found


def _citations(scenario: Scenario, kind: str, ref: str) -> Sequence[Citation] | None:
    """The citations of the item ``ref`` names as a ``kind`` cause; None if it names none."""
    owner, _, rest = ref.partition(".")
    if kind == "option":
        item = scenario.card.get(owner) or scenario.event.get(owner)
        option = next((o for o in item.options if o.id == rest), None) if item else None
        return option.citations if option else None
    if kind == "event":
        event = scenario.event.get(ref)
        return event.citations if event else None
    if kind == "lens":
        return rule.citations if (rule := _lens_rule(scenario, ref)[1]) else None
    if kind == "dynamic":
        if rest:
            lens = scenario.lens.get(owner)
            dynamics = lens.dynamics if lens else []
        else:
            dynamics, rest = list(scenario.dynamics), owner
        dynamic = next((d for d in dynamics if d.id == rest), None)
        return dynamic.citations if dynamic else None
    return None


def _lens_rule(scenario: Scenario, ref: str) -> tuple[str, LensRule | None]:
    lens_id, _, rule_id = ref.partition(".")
    lens = scenario.lens.get(lens_id)
    rules = lens.rules if lens else []
    return lens_id, next((r for r in rules if r.id == rule_id), None)


# --- counterfactuals --------------------------------------------------------------------


def counterfactual(
    scenario: Scenario,
    state: GameState,
    lens_id: str,
    script: Mapping[int, tuple[Decision, ...]] | None = None,
) -> Counterfactual:
    """The player's game replayed under ``lens_id`` to its end (see
    :func:`play_counterfactual`)."""
    play = play_counterfactual(scenario, state, lens_id, script)
    result = outcome(scenario, play.state)
    assert result is not None  # play_counterfactual plays to the end
    lens = scenario.lens.get(lens_id)
    return Counterfactual(
        lens=lens_id,
        lens_name=lens.name if lens else lens_id,
        ending=result.ending.id,
        ending_title=result.ending.title,
        turns=result.turn,
        total_score=result.total,
        substituted=play.substituted,
        note=_note(play.substituted, play.unused),
        history=history_of_changes(scenario, play.changes, play.first or play.state, play.state),
        decisions=sum(1 for e in state.log if e.kind in DECISIONS),
        replayed=play.replayed,
        diverged=play.diverged,
    )


def play_counterfactual(
    scenario: Scenario,
    state: GameState,
    lens_id: str,
    script: Mapping[int, tuple[Decision, ...]] | None = None,
) -> CounterfactualPlay:
    """Play the game again under ``lens_id`` until it ends, holding its situation fixed.

    The engine replays the game's script (``script``, else read off a replay of the
    game): at each turn, the cards dealt and events fired in the player's game come up
    again whenever they may there (see :attr:`GameState.script`), and chances the lens
    does not touch come out the same (rng_version 2).  Injects come at the turn they came
    in the player's game (or as soon after as the replay gets there).  A decision the
    player faced at the same turn takes the player's option; any other (a card or event
    that came up in place of the player's, or a turn after the player's game ended)
    takes the option whose tags best match the tags of all the player's choices.
    """
    setup = Setup.of(state)
    if script is None:
        first = start(scenario, setup)
        script = script_of([first, *(step.after for step in replay(scenario, setup, state.log))])
    game = start(scenario, replace(setup, lens=lens_id, script=script))
    profile = tag_profile(scenario, state.log)
    injects = [e for e in state.log if e.kind == "inject"]
    ended = next((e.turn for e in state.log if e.kind == "end"), None)
    mine: dict[int, list[LogEntry]] = {}
    for entry in state.log:
        if entry.kind in DECISIONS:
            mine.setdefault(entry.turn, []).append(entry)
    substituted = repeated = 0
    opened: GameState | None = None  # the state at its first decision, for its history
    changes: list[Change] = []
    while not is_over(game):
        while injects and injects[0].turn <= game.turn:
            game = inject(scenario, game, injects.pop(0).id)
        if ended is not None and ended <= game.turn:  # the instructor ended the class
            game = end_game(scenario, game)
            break
        decision = current_decision(game)
        if decision is None:  # the engine never leaves an unfinished game without one
            raise RuntimeError(f"turn {game.turn}: the game is not over but owes no decision")
        faced = mine.get(game.turn, [])
        same = [i for i, e in enumerate(faced) if (e.kind, e.id) == (decision.kind, decision.id)]
        if same:
            option = faced.pop(same[0]).option
            repeated += 1
        else:
            option = closest_option(choices(scenario, game), profile).id
            substituted += 1
        if opened is None:
            opened = game
        game, report = choose(scenario, game, option)
        changes += report.changes
    played = sum(1 for e in state.log if e.kind in DECISIONS)
    diverged = divergence(state, game)
    return CounterfactualPlay(
        game, substituted, played - repeated, repeated, diverged, opened, tuple(changes)
    )


def divergence(mine: GameState, other: GameState) -> int | None:
    """The first turn whose decisions differ between two finished games of the same
    scenario, or at which one ended and the other did not; None if there is none."""

    def by_turn(state: GameState) -> dict[int, list[tuple[str, str]]]:
        turns: dict[int, list[tuple[str, str]]] = {}
        for entry in state.log:
            if entry.kind in DECISIONS:
                turns.setdefault(entry.turn, []).append((entry.kind, entry.id))
        turns.setdefault(state.turn, []).append(("end", ""))
        return turns

    a, b = by_turn(mine), by_turn(other)
    return next((t for t in sorted(a.keys() | b.keys()) if a.get(t) != b.get(t)), None)


def tag_profile(scenario: Scenario, log: Iterable[LogEntry]) -> dict[str, int]:
    """How often each tag appears among the options chosen in ``log`` (sorted by tag)."""
    counts: Counter[str] = Counter()
    for entry in log:
        if entry.kind not in DECISIONS:
            continue
        item = scenario.item(entry.kind, entry.id)
        for option in item.options if item else ():
            if option.id == entry.option:
                counts.update(dict.fromkeys(option.tags, 1))
    return dict(sorted(counts.items()))


def closest_option(options: Sequence[Option], profile: Mapping[str, int]) -> Option:
    """The option whose tags score highest in ``profile``; the first one on a tie."""
    if not options:
        raise ValueError("no options to choose from")
    scores = [sum(profile.get(tag, 0) for tag in dict.fromkeys(o.tags)) for o in options]
    return options[scores.index(max(scores))]


def _note(substituted: int, unused: int) -> str:
    """What the replay did where it could not follow the player's game ("" if nowhere)."""
    parts = []
    if substituted:
        verb = "decision differed" if substituted == 1 else "decisions differed"
        parts.append(f"{substituted} {verb}; the closest option by tags was taken")
    if unused:
        parts.append(f"{unused} of your choices never came up")
    return "; ".join(parts) + "." if parts else ""


# --- Markdown ---------------------------------------------------------------------------


def sparkline(values: Sequence[int], low: int | None = None, high: int | None = None) -> str:
    """``values`` as block characters, scaled to ``low``..``high`` (default: their own range)."""
    if not values:
        return ""
    lo = min(values) if low is None else low
    hi = max(values) if high is None else high
    span = max(hi - lo, 1)
    top = len(SPARK) - 1
    return "".join(SPARK[max(0, min(top, round((v - lo) * top / span)))] for v in values)


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|") or " "


def debrief_markdown(debrief: Debrief) -> str:
    """The debrief as a complete Markdown document."""
    d = debrief
    out = [f"# Debrief: {d.scenario_title}", ""]
    out += [f"## Ending: {d.ending_title}", "", f"*The game ended on turn {d.turn}.*", ""]
    out += [d.ending_text, ""]

    out += ["### Scores", ""]
    if d.scores:
        out += ["| Criterion | Score |", "|---|---:|"]
        out += [f"| {_cell(label)} | {score}/10 |" for label, score in d.scores]
        total = d.total_score
        out += [f"| **Total** | **{total}** |"]
    else:
        out.append("*This ending is not scored.*")
    out.append("")

    if d.verdicts:
        out += ["### What the authors would say", ""]
        out += [f"- **{source}**: {verdict}" for source, verdict in d.verdicts]
        out.append("")

    out += ["## Timeline", ""]
    if d.timeline:
        out += ["| Turn | Date | Decision | Choice | Main effects | News that followed |"]
        out += ["|---:|---|---|---|---|---|"]
        for e in d.timeline:
            kind = {"card": "", "event": "Event: ", "inject": "Inject: "}.get(e.kind, "")
            out.append(
                f"| {e.turn} | {_cell(e.date)} | {_cell(kind + e.title)} | {_cell(e.option)} "
                f"| {_cell('; '.join(e.changes))} | {_cell('; '.join(e.news))} |"
            )
    else:
        out.append("*No decisions were taken.*")
    out.append("")

    out += ["## Meters over time", ""]
    out += ["One value at the start of each turn, then the final value; true values throughout."]
    out += [
        "",
        "| Meter | Trend | First | Lowest | Highest | Last |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, values in d.history.items():
        if not values:
            continue
        low, high = d.ranges.get(label, (min(values), max(values)))
        line = sparkline(values, low, high)
        out.append(
            f"| {_cell(label)} | `{line}` | {values[0]} | {min(values)} | {max(values)} "
            f"| {values[-1]} |"
        )
    out.append("")

    out += ["## Decisive moments", ""]
    if d.moments:
        for n, m in enumerate(d.moments, start=1):
            out.append(
                f"{n}. **Turn {m.turn}: {m.meter} {m.before} → {m.after} "
                f"({m.after - m.before:+d})** — {m.cause}"
            )
            if m.why:
                out.append(f"   *Why:* {m.why}")
            if m.citations:
                out.append(f"   *See:* {', '.join(m.citations)}")
    else:
        out.append("*Nothing decisive happened.*")
    out.append("")

    out += ["## The lens", ""]
    head = "The hidden lens was" if d.lens_was_hidden else "You played under the lens"
    source = f" ({d.lens_source})" if d.lens_source else ""
    out += [f"{head} **{d.lens_name}**{source}.", ""]
    if d.lens_summary:
        out += [f"> {d.lens_summary}", ""]

    out += ["## Counterfactuals", ""]
    if d.counterfactuals:
        out += [
            "Your game under each other lens: the same seed, the same cards and events "
            "wherever they may come up again, your choices. *Replayed*: your decisions "
            "that came up again at the same turn; *diverged*: the first turn whose "
            "decisions differ.",
            "",
        ]
        out += ["| Lens | Ending | Turns | Total score | Replayed | Diverged | Note |"]
        out += ["|---|---|---:|---:|---:|---:|---|"]
        total = d.total_score
        decisions = sum(1 for e in d.timeline if e.kind in DECISIONS)
        out.append(
            f"| {_cell(d.lens_name)} (yours) | {_cell(d.ending_title)} | {d.turn} | {total} "
            f"| {decisions} of {decisions} | — | as played |"
        )
        for cf in d.counterfactuals:
            diverged = "never" if cf.diverged is None else f"turn {cf.diverged}"
            out.append(
                f"| {_cell(cf.lens_name)} | {_cell(cf.ending_title)} | {cf.turns} "
                f"| {cf.total_score} | {cf.replayed} of {cf.decisions} | {diverged} "
                f"| {_cell(cf.note or 'as played')} |"
            )
    else:
        out.append("*No other lens to compare.*")
    out.append("")

    out += ["## Questions for discussion", ""]
    if d.questions:
        out += [f"{n}. {q}" for n, q in enumerate(d.questions, start=1)]
    else:
        out.append("*No questions for this ending.*")
    return "\n".join(out) + "\n"
