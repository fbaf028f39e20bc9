"""Plain mode: the same game as text lines on stdout, options read from stdin.

For screen readers, transcripts and scripted play.  End of input (or `q`) saves and
exits with status 0.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from game.classroom import (
    Inbox,
    apply_injects,
    class_dir,
    free_save_path,
    open_exercise,
    unfinished_game,
)
from game.content.scenario import Scenario
from game.engine import choices, choose, current_decision, new_game, outcome
from game.engine.state import GameState
from game.engine.view import view
from game.saves import AUTOSAVE, SaveError, write_save
from game.timeline import describe_change

if TYPE_CHECKING:
    from game.content.exercise import Exercise


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
    exercise: Exercise | None = None,
    name: str | None = None,
) -> int:
    """Play one game in plain text; return the exit status.

    With an ``exercise``, the student (``name``, asked on stdin when the exercise wants a
    name and none is given) plays the instructor's crisis, saves to
    ``save_dir/<class>/<name>.toml`` and takes the class's live injects at each turn."""
    inp = stdin or sys.stdin
    out = stdout or sys.stdout

    def say(lines: list[str] | str) -> None:
        out.write(("\n".join(lines) if isinstance(lines, list) else lines) + "\n")

    inbox: Inbox | None = None
    meta: dict[str, str] = {}
    if exercise is not None:
        joined = _join(exercise, save_dir, name, inp, out, say)
        if joined is None:
            return 0
        state, save_path, inbox, meta = joined
    else:
        if seed is None:
            seed = secrets.randbelow(1_000_000)
        state = new_game(scenario, seed, lens, hidden=hidden)
        say(f"{scenario.info.title} — seed {seed}. Type an option's number; q saves and quits.")
        save_path = save_dir / AUTOSAVE

    def save() -> None:
        if inbox is not None:
            meta["inbox_read"] = str(inbox.read)
        _save(save_path, scenario, state, meta)

    news_told = 0  # the turn whose news was printed (an event's choice keeps the turn)
    while state.ending is None:
        say(["", *render_status(scenario, state)])
        if state.turn != news_told:
            news_told = state.turn
            for event_id in state.news:
                event = scenario.event[event_id]
                say(f"NEWS: {event.title} — {event.text}")
        say(render_decision(scenario, state))
        options = choices(scenario, state)
        answer = _ask(inp, out, len(options))
        if answer is None:
            save()
            say(f"Saved in {save_path}. Goodbye.")
            return 0
        if inbox is not None:
            state, applied, skipped = apply_injects(scenario, state, inbox.take())
            for event_id in applied:
                say(f"FROM YOUR INSTRUCTOR: {scenario.event[event_id].title} (next turn's news)")
            for reason in skipped:
                print(f"warning: {reason}", file=sys.stderr)
        state, report = choose(scenario, state, options[answer - 1].id)
        for change in report.changes:
            say(f"  * {describe_change(scenario, state, change)}")
        save()
    say(["", *render_ending(scenario, state)])
    return 0


def _join(
    exercise: Exercise,
    saves: Path,
    name: str | None,
    inp: TextIO,
    out: TextIO,
    say: Callable[[str], None],
) -> tuple[GameState, Path, Inbox, dict[str, str]] | None:
    """Start or resume a student's exercise game; None when input ends before a name."""
    info = exercise.info
    say(f"{info.title} — class {info.class_code}.")
    if info.briefing:
        say(info.briefing)
    if not name and info.ask_name:
        while not name:
            out.write("Your name (for your instructor's report): ")
            out.flush()
            line = inp.readline()
            if not line:
                out.write("\n")
                return None
            name = line.strip()
    if not name:
        name = f"student-{secrets.token_hex(3)}"
    folder = class_dir(saves, info.class_code)
    meta = {"kind": "autosave", "class": info.class_code, "exercise": info.title, "player": name}
    loaded = unfinished_game(saves, exercise, name)
    if loaded is not None:
        read = loaded.meta.get("inbox_read", "0")
        inbox = Inbox(saves, info.class_code, int(read) if read.isdigit() else 0)
        say(f"Welcome back, {name}: your game goes on. Type an option's number; q saves and quits.")
        return loaded.state, loaded.path, inbox, meta
    state, _report = open_exercise(exercise)
    say(f"Welcome, {name}. Type an option's number; q saves and quits.")
    return state, free_save_path(folder, name), Inbox.from_now(saves, info.class_code), meta


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


def _save(path: Path, scenario: Scenario, state: GameState, meta: dict[str, str]) -> None:
    try:
        write_save(path, scenario, state, meta)
    except SaveError as exc:
        print(f"warning: {exc}", file=sys.stderr)
