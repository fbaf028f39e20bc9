"""`offramp console`: the instructor's white-cell console, a Textual app over the class
folder.

It shows, every two seconds, each student's game (connected or not, turn, rung, the
main meters as sparklines over the turns, the ending once finished), the class's
endings and rungs so far, and the injects pushed; from it the instructor pushes an
inject, pauses and resumes the class, ends the exercise and sends a message.  It reads
and writes only files of the class folder (saves, ``injects.log`` and the control
files of :mod:`game.classroom.control`), so it can be closed and opened again at any
time, in a terminal or in the browser (``offramp serve`` gives it an address of its own).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from game.classroom.control import (
    MAX_MESSAGE,
    ClassState,
    read_messages,
    read_state,
    send_message,
    write_state,
)
from game.classroom.inbox import push_inject, read_injects
from game.classroom.roster import class_dir
from game.ui.screens.confirm import ConfirmScreen
from game.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.classroom.exercise import Exercise
    from game.content.models import Event

REFRESH = 2.0
"""Seconds between two looks at the class folder."""
MAIN_METERS = 3
"""The ladder and the two meters after it: the sparklines of each student's row."""


@dataclass(frozen=True, slots=True)
class StudentGame:
    """One student's game as the console shows it."""

    path: Path
    player: str
    connected: bool
    turn: int
    turn_limit: int
    rung: str
    """The current rung's name."""
    history: tuple[tuple[int, ...], ...]
    """Per main meter, its value at the end of each turn so far (the current one last)."""
    ending: str = ""
    """The ending's title once finished ('' while playing)."""
    problem: str = ""
    """Why the save could not be read ('' when it was)."""


def read_game(path: Path, exercise: Exercise, connected: bool) -> StudentGame:
    """A student's save, replayed for its meters turn by turn (or its problem)."""
    from game.engine import outcome
    from game.saves import SaveError, load_save

    scenario = exercise.scenario
    try:
        loaded = load_save(path, scenario=scenario)
    except SaveError as exc:
        return StudentGame(path, path.stem, connected, 0, 0, "", (), problem=str(exc))
    by_turn: dict[int, list[int]] = {}
    first = loaded.initial()
    by_turn[first.turn] = first.meters
    for step in loaded.history():
        by_turn[step.after.turn] = step.after.meters
    count = min(MAIN_METERS, len(scenario.meters))
    history = tuple(tuple(by_turn[t][i] for t in sorted(by_turn)) for i in range(count))
    state = loaded.state
    rungs = scenario.ladder.rungs
    rung = rungs[state.meters[0]].name if state.meters[0] < len(rungs) else str(state.meters[0])
    result = outcome(scenario, state)
    return StudentGame(
        path,
        loaded.meta.player or path.stem,
        connected,
        state.turn,
        state.turn_limit,
        rung,
        history,
        ending=result.ending.title if result is not None else "",
    )


@dataclass
class ClassFolder:
    """The class folder as the console last read it: a save is read again only when its
    file changed (size or time), the others are only looked at (``stat``)."""

    saves: Path
    exercise: Exercise
    games: dict[Path, StudentGame] = field(default_factory=dict)
    _seen: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """Each save's time and size when it was read."""

    @property
    def folder(self) -> Path:
        """The class's folder of saves."""
        return class_dir(self.saves, self.exercise.info.class_code)

    def poll(self) -> bool:
        """Look at the folder; read the saves that changed.  Whether anything did."""
        from game.saves import game_in_play

        changed = False
        found: set[Path] = set()
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            entries = []
        for entry in entries:
            if not entry.name.endswith(".toml") or entry.name.startswith("."):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            path = Path(entry.path)
            found.add(path)
            connected = game_in_play(path)
            key = (info.st_mtime_ns, info.st_size)
            if self._seen.get(path) != key:
                self._seen[path] = key
                self.games[path] = read_game(path, self.exercise, connected)
                changed = True
            elif self.games[path].connected != connected:
                self.games[path] = replace(self.games[path], connected=connected)
                changed = True
        for gone in set(self.games) - found:
            del self.games[gone]
            self._seen.pop(gone, None)
            changed = True
        return changed

    def rows(self) -> list[StudentGame]:
        """The games, by student name."""
        return sorted(self.games.values(), key=lambda g: (g.player.casefold(), g.path.name))


def bar_lines(counts: Counter[str], width: int = 6) -> list[str]:
    """A count per label as short bars, the largest first."""
    if not counts:
        return []
    top = max(counts.values())
    return [
        f"{n:>2} {'█' * max(1, round(width * n / top)):<{width}} {label}"
        for label, n in counts.most_common()
    ]


def panel(title: str, lines: list[str]) -> Content:
    """A summary panel's text: its title in bold, then its lines ("none yet" if none)."""
    return Content.assemble((title, "bold"), "\n", "\n".join(lines or ["none yet"]))


ROW_CSS = """
StudentRow, ColumnHeads { height: 1; }
.name { width: 16; }
.on { width: 3; }
.turn { width: 7; }
.rung { width: 1fr; min-width: 10; text-wrap: nowrap; text-overflow: ellipsis; padding-right: 1; }
.value { width: 4; text-align: right; padding-right: 1; }
StudentRow Sparkline { width: 8; margin-right: 1; }
.meter { width: 13; text-wrap: nowrap; text-overflow: ellipsis; padding-right: 1; }
StudentRow.-off .name { color: $text-muted; }
StudentRow.-done .rung { color: $text-accent; text-style: bold; }
"""


class ColumnHeads(Horizontal):
    """The names of the students' columns, as wide as the rows' cells."""

    DEFAULT_CSS = ROW_CSS

    def __init__(self, meters: list[str]) -> None:
        super().__init__()
        self.meters = meters

    def compose(self) -> ComposeResult:
        yield Static("Student", classes="name")
        yield Static("", classes="on")
        yield Static("Turn", classes="turn")
        yield Static("Rung, or ending", classes="rung")
        for label in self.meters:
            yield Static(Content(label), classes="meter")


class StudentRow(Horizontal):
    """One student: name, connected, turn, rung (or the ending), the main meters."""

    DEFAULT_CSS = ROW_CSS

    def __init__(self, game: StudentGame) -> None:
        super().__init__()
        self.game = game

    def compose(self) -> ComposeResult:
        yield Static(classes="name")
        yield Static(classes="on")
        yield Static(classes="turn")
        yield Static(classes="rung")
        for _ in range(MAIN_METERS):
            yield Static(classes="value")
            yield Sparkline()

    def on_mount(self) -> None:
        self.show(self.game)

    def show(self, game: StudentGame) -> None:
        """Draw ``game`` in this row."""
        self.game = game
        self.set_class(not game.connected, "-off")
        self.set_class(bool(game.ending), "-done")
        self.query_one(".name", Static).update(Content(game.player[:15]))
        self.query_one(".on", Static).update("●" if game.connected else "○")
        if game.problem:
            self.query_one(".turn", Static).update("")
            self.query_one(".rung", Static).update(Content(f"unreadable: {game.problem}"))
            return
        self.query_one(".turn", Static).update(f"{game.turn:>2}/{game.turn_limit}")
        self.query_one(".rung", Static).update(
            Content(f"■ {game.ending}" if game.ending else game.rung)
        )
        values = list(self.query(".value").results(Static))
        for i, spark in enumerate(self.query(Sparkline).results(Sparkline)):
            series = game.history[i] if i < len(game.history) else ()
            values[i].update(str(series[-1]) if series else "")
            spark.data = [float(v) for v in series] if len(series) > 1 else None


def only(event: Event) -> str:
    """ ", inject only" for an event that fires only when pushed or scheduled."""
    return ", inject only" if event.inject_only else ""


class InjectScreen(ModalScreen[str | None]):
    """Pick one of the scenario's events to push (inject-only events first)."""

    CSS_PATH = "../ui/screens/dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back", key_display="Esc")]

    def __init__(self, exercise: Exercise) -> None:
        super().__init__(classes="dialog-screen")
        self.exercise = exercise

    def compose(self) -> ComposeResult:
        events = sorted(self.exercise.scenario.events, key=lambda e: not e.inject_only)
        with Vertical(classes="dialog"):
            yield Static("Push an inject to every game (Enter picks)", classes="dialog-title")
            yield OptionList(
                *(Option(Content(f"{e.title}  ({e.id}{only(e)})"), id=e.id) for e in events),
                id="events",
            )
        yield Footer()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without pushing."""
        self.dismiss(None)


class MessageScreen(ModalScreen[str | None]):
    """Type a one-line message for every student."""

    CSS_PATH = "../ui/screens/dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back", key_display="Esc")]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="message"):
            yield Static("A message to every student", classes="dialog-title")
            yield Input(placeholder="One line; Enter sends it", max_length=MAX_MESSAGE)
        yield Footer()

    @on(Input.Submitted)
    def _sent(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Close without sending."""
        self.dismiss(None)


class ConsoleApp(App[int]):
    """The white-cell console of one class exercise."""

    TITLE = "Off-Ramp console"
    CSS = """
    #status { height: 1; background: $accent 30%; padding: 0 1; }
    #status.-paused { background: $warning 50%; }
    #status.-ended { background: $error 40%; }
    ColumnHeads { padding: 0 1; color: $text-muted; }
    #students { height: 1fr; padding: 0 1; border-top: solid $foreground 30%; }
    #empty { color: $text-muted; }
    #summary { height: 8; border-top: solid $foreground 30%; }
    #summary > Static { width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "inject", "Inject", tooltip="Push one of the scenario's events to every game"),
        Binding("p", "pause", "Pause/resume", tooltip="Hold every game before its next choice"),
        Binding("m", "message", "Message", tooltip="Send a one-line message to every student"),
        Binding("e", "end", "End exercise", tooltip="Every game goes to its debrief"),
        Binding("q", "quit", "Quit", tooltip="Close the console (the class plays on)"),
    ]

    def __init__(self, exercise: Exercise, saves: Path) -> None:
        super().__init__()
        self.exercise = exercise
        self.saves = Path(saves)
        self.code = exercise.info.class_code
        self.folder = ClassFolder(self.saves, exercise)
        self.class_state: ClassState = "running"
        self._looking = False
        """Whether a look at the folder is under way (one at a time)."""

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield ColumnHeads([m.label for m in self.exercise.scenario.meters[:MAIN_METERS]])
        with VerticalScroll(id="students"):
            yield Static("No student has joined yet.", id="empty")
        with Horizontal(id="summary"):
            yield Static(id="endings")
            yield Static(id="rungs")
            yield Static(id="injects")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_class()
        self.set_interval(REFRESH, self.refresh_class, name="class folder")

    # --- what the class is doing ----------------------------------------------------------

    def refresh_class(self) -> None:
        """Look at the class folder again, off the UI thread, unless a look is under way."""
        if not self._looking:
            self._looking = True
            self._look()

    @work(thread=True, group="class")
    def _look(self) -> None:
        try:
            seen = self.read_class()
        except BaseException:
            self._looking = False
            raise
        self.call_from_thread(self.show_class, *seen)

    def read_class(self) -> tuple[bool, ClassState, list[str], list[str]]:
        """Whether any game changed, the class's state, the injects pushed and the
        messages sent."""
        saves, code = self.saves, self.code
        changed = self.folder.poll()
        return (
            changed,
            read_state(saves, code),
            read_injects(saves, code),
            read_messages(saves, code),
        )

    def show_class(
        self, changed: bool, state: ClassState, injects: list[str], messages: list[str]
    ) -> None:
        """Draw the status line, the students and the summary."""
        self._looking = False
        self.class_state = state
        rows = self.folder.rows()
        self.show_status(rows)
        if changed:
            self.show_students(rows)
        events = self.exercise.scenario.event
        pushed = [f"{n}. {events[e].title if e in events else e}" for n, e in enumerate(injects, 1)]
        said = [f"“{messages[-1]}”"] if messages else ["none yet"]
        self.query_one("#injects", Static).update(
            Content("\n").join([panel("Injects pushed", pushed[-3:]), panel("Last message", said)])
        )

    def show_status(self, rows: list[StudentGame]) -> None:
        """The status line: exercise, class, state, how many students and connected."""
        state = self.class_state
        on = sum(g.connected for g in rows)
        done = sum(bool(g.ending) for g in rows)
        status = self.query_one("#status", Static)
        status.set_class(state == "paused", "-paused")
        status.set_class(state == "ended", "-ended")
        status.update(
            Content(
                f"{state.upper()} · class {self.code} · {len(rows)} "
                f"student{'' if len(rows) == 1 else 's'}, {on} connected, {done} finished · "
                f"{self.exercise.info.title}"
            )
        )

    def show_students(self, rows: list[StudentGame]) -> None:
        """One row per game (rows of games still there are redrawn in place)."""
        box = self.query_one("#students", VerticalScroll)
        self.query_one("#empty").display = not rows
        shown = {row.game.path: row for row in box.query(StudentRow)}
        wanted = [g.path for g in rows]
        if list(shown) != wanted:
            for row in shown.values():
                row.remove()
            box.mount_all(StudentRow(g) for g in rows)
        else:
            for game in rows:
                if shown[game.path].game != game:
                    shown[game.path].show(game)
        endings = Counter(g.ending for g in rows if g.ending)
        rungs = Counter(g.rung for g in rows if not g.ending and not g.problem)
        self.query_one("#endings", Static).update(panel("Endings so far", bar_lines(endings)))
        self.query_one("#rungs", Static).update(panel("Rungs now (playing)", bar_lines(rungs)))

    # --- the white cell's actions ---------------------------------------------------------

    def action_inject(self) -> None:
        """Pick an event, confirm, push it to every game."""
        self.push_screen(InjectScreen(self.exercise), self._inject_picked)

    def _inject_picked(self, event_id: str | None) -> None:
        if event_id is None:
            return
        title = self.exercise.scenario.event[event_id].title
        self.push_screen(
            ConfirmScreen(
                "Push this inject?",
                f"“{title}” goes to every game of class {self.code}: each student gets it "
                "in the news of their next turn.",
                "Push",
            ),
            lambda yes: self._push(event_id) if yes else None,
        )

    def _push(self, event_id: str) -> None:
        push_inject(self.saves, self.code, event_id)
        title = self.exercise.scenario.event[event_id].title
        self.notify(f"Pushed “{title}” to class {self.code}.", title="Inject", markup=False)
        self.refresh_class()

    def action_pause(self) -> None:
        """Pause the class, or resume it."""
        state = read_state(self.saves, self.code)
        if state == "ended":
            self.notify("The exercise has ended.", severity="warning", markup=False)
            return
        new: ClassState = "running" if state == "paused" else "paused"
        write_state(self.saves, self.code, new)
        said = "paused: every game holds" if new == "paused" else "resumed: every game goes on"
        self.notify(f"Class {self.code} {said}.", title="Class", markup=False)
        self.refresh_class()

    def action_end(self) -> None:
        """End the exercise (after a confirmation)."""
        if read_state(self.saves, self.code) == "ended":
            self.notify("The exercise has ended already.", severity="warning", markup=False)
            return
        self.push_screen(
            ConfirmScreen(
                "End the exercise?",
                f"Every game of class {self.code} ends at its next turn and shows its "
                "debrief. This cannot be undone.",
                "End it",
            ),
            lambda yes: self._end() if yes else None,
        )

    def _end(self) -> None:
        write_state(self.saves, self.code, "ended")
        self.notify(f"Class {self.code} ended.", title="Class", markup=False)
        self.refresh_class()

    def action_message(self) -> None:
        """Type a one-line message and send it to every student."""
        self.push_screen(MessageScreen(), self._send)

    def _send(self, text: str | None) -> None:
        if not text:
            return
        send_message(self.saves, self.code, text)
        self.notify(f"Sent: {text}", title="Message", markup=False)
        self.refresh_class()


def run_console(exercise: Exercise, saves: Path) -> int:
    """Run the console until the instructor quits; the exit status."""
    result = ConsoleApp(exercise, saves).run()
    return result if isinstance(result, int) else 0
