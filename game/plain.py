"""Plain mode: the same game as text lines on stdout, options read from stdin.

A second renderer of :class:`game.session.Session`, as the Textual app is the first.  For
screen readers, transcripts and scripted play: one idea a line, no drawing, every change
with its sign.  `w` at a prompt tells what the essays say; the debrief follows the end.
End of input (or `q`) saves and exits with status 0, or 1 when the game could not be
saved (or the debrief not exported).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from game.content.models import Effect, Event
from game.content.scenario import Scenario
from game.debrief import Debrief, build_debrief, debrief_markdown
from game.engine import Change, choices, current_decision
from game.engine.state import GameState
from game.engine.view import view
from game.session import ClassNews, Session, anonymous_player, change_line, free_setup

if TYPE_CHECKING:
    from game.classroom.exercise import Exercise


def signed(delta: int) -> str:
    """A number with its sign, as a screen reader says it: '+3', '−2' or '0'."""
    return f"+{delta}" if delta > 0 else f"−{-delta}" if delta < 0 else "0"


def spoken(line: str) -> str:
    """A line with arrows said as words (a screen reader reads '→' as 'right arrow')."""
    return line.replace(" → ", " to ")


def sentence(text: str) -> str:
    """``text`` ending with a full stop (unless it already ends a sentence)."""
    return text if text.endswith((".", "?", "!", "'", "”")) else f"{text}."


def render_heading(scenario: Scenario, state: GameState) -> str:
    """The turn, the date and the lens, as one line."""
    v = view(scenario, state)
    return f"Turn {v.turn} of {v.turn_limit}: {v.date}. Lens: {v.lens}."


def render_status(scenario: Scenario, state: GameState) -> list[str]:
    """The ladder and the meters, one a line, changes with their sign."""
    v = view(scenario, state)
    lad = v.ladder
    below = f"{lad.steps_to_top} rung{'s' if lad.steps_to_top != 1 else ''} below the top"
    lines = [
        f"{scenario.ladder.label}: rung {lad.rung} of {lad.top}, {lad.name}"
        + (f" ({signed(lad.delta)})" if lad.delta else "")
        + f"; {below}."
    ]
    for m in v.meters:
        if m.value is None:
            lines.append(f"{m.label}: hidden.")
            continue
        delta = f" ({signed(m.delta)})" if m.delta else ""
        band = f", {m.band}" if m.band else ""
        if m.visibility == "estimate":
            lines.append(f"{m.label}: about {m.value}{delta}, estimate {m.low} to {m.high}{band}.")
        else:
            lines.append(f"{m.label}: {m.value}{delta}{band}.")
    return lines


def render_decision(scenario: Scenario, state: GameState) -> list[str]:
    """The current card or event choice, with its options and who argues for them."""
    decision = current_decision(state)
    if decision is None:
        return []
    item = scenario.item(decision.kind, decision.id)
    assert item is not None  # the engine dealt it from this scenario
    kind = "Decision" if decision.kind == "card" else "Event"
    lines = [sentence(f"{kind}: {item.title}"), item.text]
    for n, option in enumerate(choices(scenario, state), start=1):
        lines.append(f"Option {n}: {option.text}")
        by_stance: dict[str, list[str]] = {}
        for c in option.citations:
            by_stance.setdefault(c.stance, []).append(c.label())
        for stance, labels in by_stance.items():
            lines.append(f"  {stance.capitalize()}: {', '.join(labels)}.")
    return lines


def render_advisors(scenario: Scenario, state: GameState) -> list[str]:
    """What the essays say on the current decision (``w``): for each option, each cited
    passage with its author, stance and quote, then why its effects would happen."""
    decision = current_decision(state)
    if decision is None:
        return []
    item = scenario.item(decision.kind, decision.id)
    assert item is not None  # the engine dealt it from this scenario
    lines = [sentence(f"What the essays say on {item.title}")]
    for n, option in enumerate(item.options, start=1):
        lines.append(f"Option {n}: {option.text}")
        for c in option.citations:
            source = scenario.source.get(c.source)
            who = source.author or source.title if source else c.source
            quote = f": “{c.quote}”" if c.quote else "."
            lines.append(f"  {c.stance.capitalize()}, {who}, {c.label()}{quote}")
        for effect in option.effects:
            if effect.why:
                words = effect_words(scenario, effect)
                lines.append(f"  {words[:1].upper()}{words[1:]}, because: {effect.why}")
    for c in item.citations if isinstance(item, Event) else ():
        source = scenario.source.get(c.source)
        who = source.author or source.title if source else c.source
        lines.append(f"On this event, {who}, {c.label()}" + (f": “{c.quote}”" if c.quote else "."))
    lines.append("The lens in force may add to, cancel or scale these effects.")
    return lines


def effect_words(scenario: Scenario, effect: Effect) -> str:
    """An effect's direction in words, without its size: 'Stability goes down'."""
    target = effect.target
    if effect.set_flag or effect.clear_flag:
        flag = next((f for f in scenario.flags if f.id == target), None)
        what = (flag.description.rstrip(".") if flag and flag.description else target) or target
        head = f"{'from now on' if effect.set_flag else 'no longer'}: {what}"
    else:
        meter = scenario.meter.get(target)
        label = meter.label if meter else target
        if effect.uncertainty:
            label = f"the uncertainty of {label}"
        if effect.add is not None:
            way = {1: "up", -1: "down"}.get(effect.direction, "up or down")
            head = f"{label} goes {way}"
        elif effect.set is not None:
            head = f"{label} is set"
        else:
            head = f"{label} is scaled"
    if effect.after:
        head += f" in {effect.after} turn{'s' if effect.after != 1 else ''}"
    if effect.chance < 1:
        head += f" ({round(effect.chance * 100)} percent chance)"
    return head


def render_news(
    scenario: Scenario, news: Sequence[str], changes: Sequence[Change], state: GameState
) -> list[str]:
    """Each event of the news, then the effects it caused; an event that asks a question
    says so (its text comes once, with its options)."""
    lines = []
    left = list(changes)
    for event_id in news:
        event = scenario.event.get(event_id)
        if event is None:
            continue
        if event.options:
            lines.append(f"{sentence(f'News: {event.title}')} It asks for your decision below.")
        else:
            lines.append(f"{sentence(f'News: {event.title}')} {event.text}")
        own = [c for c in left if c.cause.kind == "event" and c.cause.ref == event_id]
        left = [c for c in left if c not in own]
        lines += [f"  Effect: {spoken(change_line(scenario, state, c))}" for c in own]
    lines += [f"Effect: {spoken(change_line(scenario, state, c))}" for c in left]
    return lines


def render_debrief(d: Debrief) -> list[str]:
    """The whole debrief as lines of text, one idea a line, for a screen reader: the
    ending, scores and total, the authors' verdicts, the timeline, the meters over time,
    the decisive moments, the lens, the counterfactuals and the questions."""
    total = d.total_score
    lines = [f"Debrief. Ending on turn {d.turn}: {d.ending_title}.", d.ending_text, ""]
    if d.scores:
        lines.append("Scores:")
        lines += [f"  {label}: {score} of 10." for label, score in d.scores]
        lines.append(f"  Total: {total}.")
    else:
        lines.append("This ending is not scored.")
    if d.verdicts:
        lines += ["", "What the authors would say:"]
        lines += [f"  {source}: {verdict}" for source, verdict in d.verdicts]

    lines += ["", "Timeline:"]
    kinds = {"card": "", "event": "Event: ", "inject": "Inject: "}
    for e in d.timeline:
        lines.append(sentence(f"  Turn {e.turn}, {e.date}: {kinds.get(e.kind, '')}{e.title}"))
        if e.option:
            lines.append(f"    You chose: {e.option}")
        lines += [f"    Effect: {spoken(_minus(change))}" for change in e.changes]
        lines += [f"    News that followed: {news}." for news in e.news]
    if not d.timeline:
        lines.append("  No decisions were taken.")

    lines += ["", "Meters over time (true values at the start of each turn, then the end):"]
    for label, values in d.history.items():
        if not values:
            continue
        change = values[-1] - values[0]
        lines.append(
            f"  {label}: from {values[0]} to {values[-1]} ({signed(change)}), "
            f"lowest {min(values)}, highest {max(values)}."
        )
        lines.append(f"    By turn: {', '.join(str(v) for v in values)}.")

    lines += ["", "Decisive moments:"]
    for n, m in enumerate(d.moments, start=1):
        lines.append(
            f"  {n}. Turn {m.turn}: {m.meter} from {m.before} to {m.after} "
            f"({signed(m.after - m.before)})."
        )
        lines.append(sentence(f"    Because: {m.cause}"))
        if m.why:
            lines.append(f"    Why: {m.why}")
        if m.citations:
            lines.append(f"    See: {', '.join(m.citations)}.")
    if not d.moments:
        lines.append("  Nothing decisive happened.")

    head = "The hidden lens was" if d.lens_was_hidden else "You played under the lens"
    source = f" ({d.lens_source})" if d.lens_source else ""
    lines += ["", f"{head}: {d.lens_name}{source}."]
    if d.lens_summary:
        lines.append(d.lens_summary)

    lines += ["", "Counterfactuals: your choices, the same seed, under each other lens:"]
    lines.append(
        f"  {d.lens_name}, yours: {d.ending_title}, on turn {d.turn}, total score {total}."
    )
    for cf in d.counterfactuals:
        lines.append(
            f"  {cf.lens_name}: {cf.ending_title}, on turn {cf.turns}, "
            f"total score {cf.total_score}."
        )
        lines.append(f"    {cf.replay_line}")
        if cf.note:
            lines.append(f"    {cf.note}")
    if not d.counterfactuals:
        lines.append("  No other lens to compare.")

    lines += ["", "Questions for discussion:"]
    lines += [f"  {n}. {q}" for n, q in enumerate(d.questions, start=1)]
    if not d.questions:
        lines.append("  No questions for this ending.")
    return lines


def _minus(line: str) -> str:
    """A change line with a real minus sign, as the game's own lines have."""
    return re.sub(r"([(\s])-(\d)", "\\1−\\2", line, count=1)


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
    export: Path | None = None,
) -> int:
    """Play one game in plain text; return the exit status (1 when the game could not be
    saved).

    With an ``exercise``, the student (``name``, asked on stdin when the exercise wants a
    name and none is given) plays the instructor's crisis, saves to
    ``save_dir/<class>/<name>.toml`` and takes the class's live injects at each turn.
    ``resume`` continues a save (a path) or the latest unfinished game ("latest").  With
    ``export``, the Markdown debrief is written to that file when the game ends."""
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
        return _play(session, inp, out, say, export)
    finally:
        session.close()


def _play(
    session: Session,
    inp: TextIO,
    out: TextIO,
    say: Callable[[list[str] | str], None],
    export: Path | None = None,
) -> int:
    """The turns, until the game ends or the input does; then the debrief.  The exit
    status."""
    scenario = session.scenario
    error = "" if session.on_disk else session.save()
    if error:
        print(f"warning: {error}", file=sys.stderr)
    news_told = 0  # the turn whose news was printed (an event's choice keeps the turn)
    news: Sequence[str] = session.state.news
    caused: Sequence[Change] = ()  # the effects of that news
    while not session.over:
        if not _heed_class(session, say):
            break  # the instructor ended the class: the debrief
        state = session.state
        if state.turn != news_told:
            news_told = state.turn
            say(["", render_heading(scenario, state)])
            say([*render_news(scenario, news, caused, state), *render_status(scenario, state)])
        say(render_decision(scenario, state))
        options = choices(scenario, state)
        answer = _ask(inp, out, len(options))
        while answer == WHY:
            say(render_advisors(scenario, state))
            answer = _ask(inp, out, len(options))
        if answer is None:
            error = "" if session.on_disk else session.save()
            if error:
                return _not_saved(error, say)
            if export is not None:
                say(f"The game is not over, so no debrief is written to {export}.")
            say(f"Saved in {session.path}. Goodbye.")
            return 0
        option = options[answer - 1]
        say(f"You chose {answer}: {option.text}")
        result = session.choose(option.id)
        for title in result.injected:
            say(f"From your instructor: {title} (next turn's news).")
        for reason in result.skipped:
            print(f"warning: {reason}", file=sys.stderr)
        changes = result.report.changes
        for change in changes:
            if change.phase != "news":
                say(f"Effect: {spoken(change_line(scenario, session.state, change))}")
        for alert in result.alerts:
            if alert.kind != "event":  # the news tells its events
                say(f"Alert: {spoken(alert.title.lstrip('▲▼ '))}.")
                say([spoken(line) for line in alert.text.splitlines()])
        news = result.report.news
        caused = [c for c in changes if c.phase == "news"]
        error = result.save_error
        if error:
            print(f"warning: {error}", file=sys.stderr)
    if session.state.termination == "instructor":
        say(["", "Your instructor has ended the exercise."])
    elif caused:  # news that came as the game ended
        say(["", *render_news(scenario, news, caused, session.state)])
    debrief = build_debrief(scenario, session.state)
    say(["", *render_debrief(debrief)])
    exported = export is None or _export(debrief, export, say)
    if error:
        return _not_saved(error, say)
    return 0 if exported else 1


PAUSE_POLL = 1.0
"""Seconds between two looks at the instructor's console while the class is paused."""


def _heed_class(session: Session, say: Callable[[list[str] | str], None]) -> bool:
    """Before a choice: say the instructor's messages; while the class is paused, hold
    (a line, then a look each :data:`PAUSE_POLL` seconds).  False when the class has
    ended (the game ended with it)."""
    news = session.heed_class()
    told_pause = False
    while True:
        _say_class_news(news, say)
        if news.ended or session.over:
            return False
        if not news.paused:
            if told_pause:
                say("Your instructor resumed the class: your game goes on.")
            return True
        if not told_pause:
            say("Paused by your instructor. Your game goes on here when the class resumes.")
            told_pause = True
        assert session.control is not None  # only a class can be paused
        stamp = session.control.stamp()
        while session.control.stamp() == stamp:
            time.sleep(PAUSE_POLL)
        news = session.heed_class()


def _say_class_news(news: ClassNews, say: Callable[[list[str] | str], None]) -> None:
    for message in news.messages:
        say(f"Message from your instructor: {message}")
    if news.save_error:
        print(f"warning: {news.save_error}", file=sys.stderr)


def _export(debrief: Debrief, path: Path, say: Callable[[list[str] | str], None]) -> bool:
    """Write the Markdown debrief to ``path`` and say where; False when it could not."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(debrief_markdown(debrief), encoding="utf-8")
    except OSError as exc:
        say(f"The debrief could NOT be written to {path}: {exc.strerror or exc}")
        return False
    say(["", f"The debrief is written to {path}."])
    return True


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


WHY = 0
"""What :func:`_ask` returns for ``w``: what the essays say, then ask again."""


def _ask(inp: TextIO, out: TextIO, count: int) -> int | None:
    """An option's number, WHY for ``w``, or None at the end of input or on ``q``."""
    while True:
        out.write(f"Choose 1 to {count} (w: what the essays say): ")
        out.flush()
        line = inp.readline()
        if not line:
            out.write("\n")
            return None
        if not inp.isatty():  # a terminal echoes what is typed; a transcript shows it too
            out.write(line if line.endswith("\n") else line + "\n")
        text = line.strip().lower()
        if text in ("q", "quit"):
            return None
        if text == "w":
            return WHY
        if text.isdigit() and 1 <= int(text) <= count:
            return int(text)
        out.write(f"Please type a number from 1 to {count}, w, or q to save and quit.\n")
