"""Plain-text narration of a game: used by `offramp replay`, plain mode and the debrief."""

from __future__ import annotations

from collections.abc import Iterable

from game.content.scenario import Scenario
from game.engine import Change, GameState, outcome
from game.engine.replay import Step
from game.engine.view import lens_is_hidden, meter_visibility


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


def describe_change(scenario: Scenario, state: GameState, change: Change) -> str:
    """One change as a line: 'Regime stability 62 → 55 (-7) [cause] — because …'.

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
    return f"{what} [{cause_label(scenario, state, change)}{scaled}]{why}"


def render_timeline(scenario: Scenario, steps: Iterable[Step]) -> str:
    """The whole game, turn by turn, as text."""
    lines: list[str] = [f"# {scenario.info.title}", ""]
    last = None
    for step in steps:
        last = step.after
        entry = step.entry
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
        lines += ["", f"Ending (turn {last.turn}): {ending.title}", f"  {ending.text}"]
        lens = scenario.lens.get(last.lens)
        if lens:
            lines.append(f"  Lens: {lens.name} — {lens.summary}")
    elif last is not None:
        lines += ["", f"(game in progress at turn {last.turn})"]
    return "\n".join(lines) + "\n"
