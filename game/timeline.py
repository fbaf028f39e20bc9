"""Plain-text narration of a game: used by `offramp replay`, plain mode and the debrief,
and what one choice did (:func:`choice_effects`) for the front ends to show after it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from game.content.models import Citation
from game.content.scenario import Scenario
from game.content.text import fill
from game.engine import Change, GameState, TurnReport, outcome
from game.engine.replay import Step
from game.engine.state import PendingEffect
from game.engine.view import lens_is_hidden, meter_visibility

DECISIONS = ("card", "event")
"""The kinds of log entry that are the player's decisions (the others: an instructor's
``inject``, and ``end``, the instructor's end of the game)."""
ENDED_BY_INSTRUCTOR = "Ended by your instructor"
"""The title of the log's ``end`` entry in timelines and debriefs."""


def option_text(scenario: Scenario, kind: str, owner: str, option: str) -> str:
    """The text of an option of a card or event."""
    item = scenario.item(kind, owner)
    if item is None:
        return option
    for o in item.options:
        if o.id == option:
            return o.text
    return option


ASSUMPTION = " (game assumption, not from the essays)"
"""Appended to a dynamic's name where it rests on no essay (``assumption = true``)."""


def cause_label(scenario: Scenario, state: GameState, change: Change) -> str:
    """Who or what caused a change, in words (the lens is not named while hidden)."""
    cause = change.cause
    ref = cause.ref
    if cause.kind == "lens":
        lens_id = ref.split(".", 1)[0]
        if lens_is_hidden(state):
            return "the world's reaction (hidden lens)"
        lens = scenario.lens.get(lens_id)
        return f"lens {lens.name if lens else lens_id}"
    if cause.kind == "dynamic":
        dyn_id = ref.split(".")[-1]
        for d in scenario.dynamics:
            if d.id == dyn_id:
                return (d.label or d.id) + (ASSUMPTION if d.assumption else "")
        for lens in scenario.lenses:
            for d in lens.dynamics:
                if d.id == dyn_id:
                    if lens_is_hidden(state):
                        return "an ongoing trend"
                    return (d.label or d.id) + (ASSUMPTION if d.assumption else "")
        return dyn_id
    if cause.kind == "event":
        event = scenario.event.get(ref)
        return f"news: {event.title}" if event else ref
    owner, _, option = ref.partition(".")
    kind = "card" if owner in scenario.card else "event"
    prefix = "delayed: " if cause.kind == "delayed" else ""
    return prefix + option_text(scenario, kind, owner, option)


def describe_change(
    scenario: Scenario, state: GameState, change: Change, *, cause: bool = True
) -> str:
    """One change as a line: 'Regime stability 62 → 55 (-7) [cause] — because …'
    (without ``cause``, the cause is left out unless a lens scaled the change).

    While the game goes on (``state`` not ended), what the player may not see stays
    unsaid (as :mod:`game.engine.view` decides): a hidden meter only "changed", an
    estimate shows its change but not its true values, a hidden lens is not named.  A
    flag is said in its description's words when it has one."""
    if change.target == "flag":
        flag = next((f for f in scenario.flags if f.id == change.id), None)
        if flag is not None and flag.description:
            now = "From now on" if change.after else "No longer"
            what = f"{now}: {flag.description.rstrip('.')}"
        else:
            what = f"{change.id} {'set' if change.after else 'cleared'}"
    else:
        meter = scenario.meter.get(change.id)
        label = meter.label if meter else change.id
        if change.target == "uncertainty":
            label = f"uncertainty of {label}"
        shown_as = meter_visibility(state, meter) if meter is not None else "exact"
        if shown_as == "hidden":
            what = f"{label} changed"
        elif shown_as == "estimate":
            note = "" if "(est" in label else " (estimate)"
            what = f"{label} {change.delta:+d}{note}"
        elif change.id == scenario.ladder.id and change.target == "meter":
            rungs = scenario.ladder.rungs
            what = f"{label}: {rungs[change.before].name} → {rungs[change.after].name}"
        else:
            what = f"{label} {change.before} → {change.after} ({change.delta:+d})"
    why = f" — {change.cause.why}" if change.cause.why else ""
    scaled = ""
    if change.cause.lens_rule:
        if lens_is_hidden(state):
            scaled = ", amplified or damped by the hidden lens"
        else:
            lens = scenario.lens.get(change.cause.lens_rule.split(".", 1)[0])
            scaled = f", scaled by lens {lens.name if lens else change.cause.lens_rule}"
    if not cause:
        return f"{what} [{scaled.lstrip(', ')}]{why}" if scaled else f"{what}{why}"
    return f"{what} [{cause_label(scenario, state, change)}{scaled}]{why}"


def minus_signs(line: str) -> str:
    """A described change with a real minus sign in its number ('(−7)', '−3')."""
    return re.sub(r"([(\s])-(\d)", "\\1−\\2", line, count=1)


def citation_summary(citations: Sequence[Citation]) -> str:
    """Who argues for and against, by essay id and paragraph: 'for 000 ¶7, 002 ¶17 ·
    against 001 ¶15'."""
    groups: dict[str, list[str]] = {}
    for citation in citations:
        groups.setdefault(citation.stance, []).append(citation.label())
    order = ("for", "against", "context")
    return " · ".join(
        f"{stance} {', '.join(groups[stance])}" for stance in order if stance in groups
    )


def scheduled_effects(before: GameState, after: GameState) -> tuple[PendingEffect, ...]:
    """The delayed effects scheduled between two states, in the order they were set."""
    old = Counter(before.delayed)
    new = []
    for effect in after.delayed:
        if old[effect]:
            old[effect] -= 1
        else:
            new.append(effect)
    return tuple(new)


def describe_scheduled(scenario: Scenario, state: GameState, effect: PendingEffect) -> str:
    """A delayed effect as a line: 'In 2 turns (turn 7): Western cohesion −5 [cause] —
    why'.  Like :func:`describe_change`, it keeps unsaid what the player may not see: a
    hidden meter only "will change", an estimate shows only its direction."""
    wait = effect.due - state.turn
    when = f"In {wait} turn{'s' if wait != 1 else ''} (turn {effect.due})"
    if effect.target in ("set_flag", "clear_flag"):
        flag = next((f for f in scenario.flags if f.id == effect.id), None)
        now = "from then on" if effect.target == "set_flag" else "no longer"
        what = f"{now}: {(flag.description if flag and flag.description else effect.id)}"
        what = what.rstrip(".")
    else:
        meter = scenario.meter.get(effect.id)
        label = meter.label if meter else effect.id
        if effect.target == "uncertainty":
            label = f"uncertainty of {label}"
        shown_as = meter_visibility(state, meter) if meter is not None else "exact"
        value = int(effect.value) if effect.op != "scale" else effect.value
        if shown_as == "hidden":
            what = f"{label} will change"
        elif effect.op == "set":
            what = f"{label} set to {value}" if shown_as == "exact" else f"{label} set"
        elif effect.op == "scale":
            what = f"{label} ×{value}" if shown_as == "exact" else f"{label} scaled"
        elif shown_as == "estimate":
            what = f"{label} {'▲' if effect.value > 0 else '▼'}"
        else:
            size = int(effect.value)
            what = f"{label} {'+' if size > 0 else '−'}{abs(size)}"
    cause = effect.cause
    owner, _, option = cause.ref.partition(".")
    if cause.origin == "lens":
        source = "the hidden lens" if lens_is_hidden(state) else "the lens"
    elif cause.origin == "event":
        event = scenario.event.get(cause.ref)
        source = f"news: {event.title}" if event else cause.ref
    else:
        kind = "card" if owner in scenario.card else "event"
        source = option_text(scenario, kind, owner, option)
    why = f" — {cause.why}" if cause.why else ""
    return f"{when}: {what} [{source}]{why}"


def rule_lines(scenario: Scenario, state: GameState, refs: Iterable[str]) -> tuple[str, ...]:
    """The lens rules that acted on a choice, each with its reasoning and citations:
    none while the lens is hidden (its rules would name it)."""
    if lens_is_hidden(state):
        return ()
    lines = []
    for ref in refs:
        lens_id, _, rule_id = ref.partition(".")
        lens = scenario.lens.get(lens_id)
        rule = next((r for r in lens.rules if r.id == rule_id), None) if lens else None
        if lens is None or rule is None:
            lines.append(ref)
            continue
        why = f": {rule.why}" if rule.why else ""
        cites = ", ".join(c.label() for c in rule.citations)
        lines.append(f"{lens.name}, rule {rule.id}{why} ({cites})")
    return tuple(lines)


def player_notes(state: GameState, notes: Iterable[str]) -> tuple[str, ...]:
    """The engine's notes (a chance that failed, an effect a rule cancelled), with a
    hidden lens's rules not named."""
    hidden = lens_is_hidden(state)
    prefix = f"{state.lens}."
    return tuple(
        f"the hidden lens{note[note.index(':') :]}"
        if hidden and note.startswith(prefix) and ":" in note
        else note
        for note in notes
    )


@dataclass(frozen=True, slots=True)
class ChoiceEffects:
    """What one choice did, in the order a player reads it after choosing."""

    title: str
    """The card's (or event's) title."""
    option: str
    """The option chosen."""
    argued: str
    """Who argues for and against that option ('for 000 ¶7 · against 001 ¶15')."""
    changes: tuple[str, ...]
    """The choice's own changes, as the lens in force made them, each with its cause."""
    rules: tuple[str, ...]
    """The lens rules that acted on the choice (none while the lens is hidden)."""
    scheduled: tuple[str, ...]
    """Delayed effects set for later turns."""
    then: tuple[str, ...]
    """The turn's other changes: ongoing trends, delayed effects due, the news's."""
    notes: tuple[str, ...]
    """What did not happen, and why."""
    news: tuple[tuple[str, str, bool], ...]
    """The news that opened the next turn: headline, text, and whether it is important."""


def choice_effects(
    scenario: Scenario, before: GameState, after: GameState, report: TurnReport
) -> ChoiceEffects:
    """What the choice ``report`` tells of did, from the state before it to the state
    after, in words the player may read (as :func:`describe_change` keeps them)."""
    decision = report.decision
    item = scenario.item(decision.kind, decision.id) if decision is not None else None
    option = next((o for o in item.options if o.id == report.option), None) if item else None
    chosen = f"{decision.id}.{report.option}" if decision is not None else ""

    def of_choice(change: Change) -> bool:
        """The choice's own effects, and its delayed ones that fell due already."""
        cause = change.cause
        return change.phase == "decision" or (cause.kind == "delayed" and cause.ref == chosen)

    own = [c for c in report.changes if of_choice(c)]
    rest = [c for c in report.changes if not of_choice(c)]
    news = []
    for event_id in report.news:
        event = scenario.event.get(event_id)
        if event is not None:
            news.append((event.title, event.text, event.important))
    return ChoiceEffects(
        title=item.title if item else "",
        option=option.text if option else report.option,
        argued=citation_summary(option.citations) if option else "",
        changes=tuple(
            minus_signs(describe_change(scenario, after, c, cause=c.cause.kind != "option"))
            for c in own
        ),
        rules=rule_lines(scenario, after, report.rules_applied),
        scheduled=tuple(
            describe_scheduled(scenario, after, p) for p in scheduled_effects(before, after)
        ),
        then=tuple(minus_signs(describe_change(scenario, after, c)) for c in rest),
        notes=player_notes(after, report.notes),
        news=tuple(news),
    )


def render_timeline(scenario: Scenario, steps: Iterable[Step]) -> str:
    """The whole game, turn by turn, as text."""
    lines: list[str] = [f"# {scenario.info.title}", ""]
    last = None
    for step in steps:
        last = step.after
        entry = step.entry
        if entry.kind == "end":
            lines.append(f"Turn {entry.turn}: {ENDED_BY_INSTRUCTOR.lower()}")
            continue
        if entry.kind == "inject":
            event = scenario.event.get(entry.id)
            lines.append(
                f"Turn {entry.turn}: instructor inject — {event.title if event else entry.id}"
            )
            continue
        item = scenario.item(entry.kind, entry.id)
        title = item.title if item else entry.id
        lines.append(f"Turn {entry.turn}: {title}")
        lines.append(f"  chose: {option_text(scenario, entry.kind, entry.id, entry.option)}")
        report = step.report
        if report is None:
            continue
        final = step.after
        for change in report.changes:
            lines.append(f"    {describe_change(scenario, final, change)}")
        for note in report.notes:
            lines.append(f"    ({note})")
        for event_id in report.news:
            event = scenario.event.get(event_id)
            lines.append(f"  news, turn {step.after.turn}: {event.title if event else event_id}")
    result = outcome(scenario, last) if last is not None else None
    if last is not None and result is not None:
        ending = result.ending
        text = fill(ending.text, last.turn_limit, scenario.info.months_per_turn)
        lines += ["", f"Ending (turn {last.turn}): {ending.title}", f"  {text}"]
        lens = scenario.lens.get(last.lens)
        if lens:
            lines.append(f"  Lens: {lens.name} — {lens.summary}")
    elif last is not None:
        lines += ["", f"(game in progress at turn {last.turn})"]
    return "\n".join(lines) + "\n"
