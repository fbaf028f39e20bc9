"""Plain mode: the same game as text lines on stdout, options read from stdin.

For screen readers, transcripts and scripted play.  End of input (or `q`) saves and
exits with status 0.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import TextIO

from game.content.scenario import Scenario
from game.engine import choices, choose, current_decision, new_game, outcome
from game.engine.state import GameState
from game.engine.view import view
from game.saves import AUTOSAVE, SaveError, write_save
from game.timeline import describe_change


def render_status(scenario: Scenario, state: GameState) -> list[str]:
    """The meters and ladder as lines of text."""
    v = view(scenario, state)
    lad = v.ladder
    lines = [
        f"=== Turn {v.turn} of {v.turn_limit} — {v.date} — lens: {v.lens} ===",
        f"{scenario.ladder.label}: rung {lad.rung} of {lad.top} — {lad.name}"
        + (f" ({lad.delta:+d})" if lad.delta else "")
        + f"; {lad.steps_to_top} rung{'s' if lad.steps_to_top != 1 else ''} below the top",
    ]
    for m in v.meters:
        if m.value is None:
            lines.append(f"{m.label}: hidden")
            continue
        delta = f" ({m.delta:+d})" if m.delta else ""
        band = f" — {m.band}" if m.band else ""
        if m.visibility == "estimate":
            lines.append(f"{m.label}: about {m.value} (estimate, {m.low}–{m.high}){delta}{band}")
        else:
            lines.append(f"{m.label}: {m.value}{delta}{band}")
    return lines


def render_decision(scenario: Scenario, state: GameState) -> list[str]:
    """The current card or event choice, with its options and who argues for them."""
    decision = current_decision(state)
    if decision is None:
        return []
    if decision.kind == "card":
        card = scenario.card[decision.id]
        title, text = card.title, card.text
    else:
        event = scenario.event[decision.id]
        title, text = f"Event: {event.title}", event.text
    lines = [f"--- {title} ---", text]
    for n, option in enumerate(choices(scenario, state), start=1):
        lines.append(f"  {n}. {option.text}")
        cites = [f"{c.stance} {c.label()}" for c in option.citations]
        if cites:
            lines.append(f"     ({'; '.join(cites)})")
    return lines


def render_ending(scenario: Scenario, state: GameState) -> list[str]:
    """The ending, its scores, the verdicts and the lens, as lines of text."""
    result = outcome(scenario, state)
    if result is None:
        return []
    ending = result.ending
    lines = [f"=== Ending (turn {result.turn}): {ending.title} ===", ending.text, "Scores:"]
    for criterion in scenario.criteria:
        if criterion.id in ending.scores:
            lines.append(f"  {criterion.label}: {ending.scores[criterion.id]}/10")
    if ending.verdicts:
        lines.append("Verdicts:")
        for source in scenario.sources:
            if source.id in ending.verdicts:
                who = source.author or source.title
                lines.append(f"  {source.id} ({who}): {ending.verdicts[source.id]}")
    lens = scenario.lens.get(state.lens)
    if lens is not None:
        lines.append(f"Lens: {lens.name} ({lens.source}) — {lens.summary}")
    return lines


def play_plain(
    scenario: Scenario,
    *,
    seed: int | None,
    lens: str | None,
    hidden: bool,
    save_dir: Path,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Play one game in plain text; return the exit status."""
    inp = stdin or sys.stdin
    out = stdout or sys.stdout

    def say(lines: list[str] | str) -> None:
        out.write(("\n".join(lines) if isinstance(lines, list) else lines) + "\n")

    if seed is None:
        seed = secrets.randbelow(1_000_000)
    state = new_game(scenario, seed, lens, hidden=hidden)
    say(f"{scenario.info.title} — seed {seed}. Type an option's number; q saves and quits.")
    save_path = save_dir / AUTOSAVE
    while state.ending is None:
        say(["", *render_status(scenario, state)])
        for event_id in state.news:
            event = scenario.event[event_id]
            say(f"NEWS: {event.title} — {event.text}")
        say(render_decision(scenario, state))
        options = choices(scenario, state)
        answer = _ask(inp, out, len(options))
        if answer is None:
            _save(save_path, scenario, state, say)
            say("Saved. Goodbye.")
            return 0
        state, report = choose(scenario, state, options[answer - 1].id)
        for change in report.changes:
            say(f"  * {describe_change(scenario, state, change)}")
        _save(save_path, scenario, state, say)
    say(["", *render_ending(scenario, state)])
    return 0


def _ask(inp: TextIO, out: TextIO, count: int) -> int | None:
    while True:
        out.write(f"Choose 1-{count}: ")
        out.flush()
        line = inp.readline()
        if not line:
            out.write("\n")
            return None
        text = line.strip().lower()
        if text in ("q", "quit"):
            return None
        if text.isdigit() and 1 <= int(text) <= count:
            return int(text)
        out.write(f"Please type a number from 1 to {count}, or q to save and quit.\n")


def _save(path: Path, scenario: Scenario, state: GameState, say: object) -> None:
    try:
        write_save(path, scenario, state)
    except SaveError as exc:
        print(f"warning: {exc}", file=sys.stderr)
