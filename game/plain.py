"""Plain mode: the same game as text lines on stdout, options read from stdin.

A second renderer of :class:`game.session.Session`, as the Textual app is the first.  For
screen readers, transcripts and scripted play.  End of input (or `q`) saves and exits
with status 0, or 1 when the game could not be saved.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from game.content.scenario import Scenario
from game.engine import choices, current_decision, outcome
from game.engine.state import GameState
from game.engine.view import view
from game.session import Session, anonymous_player, free_setup
from game.timeline import describe_change

if TYPE_CHECKING:
    from game.exercise import Exercise


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
    item = scenario.item(decision.kind, decision.id)
    assert item is not None  # the engine dealt it from this scenario
    title = item.title if decision.kind == "card" else f"Event: {item.title}"
    lines = [f"--- {title} ---", item.text]
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
        if criterion.id in result.scores:
            lines.append(f"  {criterion.label}: {result.scores[criterion.id]}/10")
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
    resume: Path | Literal["latest"] | None = None,
) -> int:
    """Play one game in plain text; return the exit status (1 when the game could not be
    saved).

    With an ``exercise``, the student (``name``, asked on stdin when the exercise wants a
    name and none is given) plays the instructor's crisis, saves to
    ``save_dir/<class>/<name>.toml`` and takes the class's live injects at each turn.
    ``resume`` continues a save (a path) or the latest unfinished game ("latest")."""
    inp = stdin or sys.stdin
    out = stdout or sys.stdout

    def say(lines: list[str] | str) -> None:
        out.write(("\n".join(lines) if isinstance(lines, list) else lines) + "\n")

    if exercise is not None:
        session = _join(exercise, save_dir, name, inp, out, say)
        if session is None:
            return 0
    elif resume is not None:
        session = _resume(scenario, save_dir, resume)
        say(
            f"{scenario.info.title} — seed {session.state.seed}, turn {session.state.turn}: "
            "your game goes on. Type an option's number; q saves and quits."
        )
    else:
        _mention_unfinished(save_dir, say)
        session = Session.start(scenario, save_dir, free_setup(seed, lens if not hidden else None))
        say(
            f"{scenario.info.title} — seed {session.state.seed}. "
            "Type an option's number; q saves and quits."
        )
    try:
        return _play(session, inp, out, say)
    finally:
        session.close()


def _play(
    session: Session, inp: TextIO, out: TextIO, say: Callable[[list[str] | str], None]
) -> int:
    """The turns, until the game ends or the input does; the exit status."""
    scenario = session.scenario
    error = "" if session.on_disk else session.save()
    if error:
        print(f"warning: {error}", file=sys.stderr)
    news_told = 0  # the turn whose news was printed (an event's choice keeps the turn)
    while not session.over:
        state = session.state
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
            error = "" if session.on_disk else session.save()
            if error:
                return _not_saved(error, say)
            say(f"Saved in {session.path}. Goodbye.")
            return 0
        result = session.choose(options[answer - 1].id)
        for title in result.injected:
            say(f"FROM YOUR INSTRUCTOR: {title} (next turn's news)")
        for reason in result.skipped:
            print(f"warning: {reason}", file=sys.stderr)
        for change in result.report.changes:
            say(f"  * {describe_change(scenario, session.state, change)}")
        error = result.save_error
        if error:
            print(f"warning: {error}", file=sys.stderr)
    say(["", *render_ending(scenario, session.state)])
    return _not_saved(error, say) if error else 0


def _mention_unfinished(saves: Path, say: Callable[[str], None]) -> None:
    """Say that an unfinished game stays saved when a new one starts beside it."""
    from game.saves import latest_unfinished

    path = latest_unfinished(saves)
    if path is not None:
        say(
            f"Your unfinished game in {path} stays saved; "
            "offramp play --plain --continue resumes it. This is a new game."
        )


def _not_saved(error: str, say: Callable[[str], None]) -> int:
    say(f"Your game could NOT be saved: {error}")
    return 1


def _resume(scenario: Scenario, saves: Path, which: Path | Literal["latest"]) -> Session:
    """The game to go on with; raise SaveError when there is none or it does not load."""
    from game.saves import SaveError, load_for

    if which == "latest":
        session = Session.continue_latest(scenario, saves)
        if session is None:
            raise SaveError(f"no game to continue in {saves}/")
        return session
    return Session.resume(load_for(which, scenario), saves)


def _join(
    exercise: Exercise,
    saves: Path,
    name: str | None,
    inp: TextIO,
    out: TextIO,
    say: Callable[[str], None],
) -> Session | None:
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
    session, resumed = Session.join(exercise, saves, name or anonymous_player())
    if resumed:
        say(
            f"Welcome back, {session.player}: your game goes on. "
            "Type an option's number; q saves and quits."
        )
    else:
        say(f"Welcome, {session.player}. Type an option's number; q saves and quits.")
    return session


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
