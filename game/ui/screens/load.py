"""Load a save: every save in the folder, each readable one described, each broken one with
a clear line saying why it cannot be loaded.  Broken files are never touched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from game.saves import LoadedSave, SaveError, list_saves, load_for
from game.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from game.content.scenario import Scenario


@dataclass(frozen=True, slots=True)
class SaveRow:
    """One file of the saves folder: loaded, or the reason it cannot be."""

    path: Path
    loaded: LoadedSave | None
    error: str


def check_saves(folder: Path, scenario: Scenario) -> list[SaveRow]:
    """Every save in ``folder``, newest first, each loaded (with ``scenario`` when it is
    the save's) or with its error."""
    rows = []
    for path in list_saves(folder):
        try:
            rows.append(SaveRow(path, load_for(path, scenario), ""))
        except SaveError as exc:
            rows.append(SaveRow(path, None, _without_path(str(exc), path)))
    return rows


def _without_path(message: str, path: Path) -> str:
    """The error without the file name the row already shows ('path:3: x' -> 'line 3: x')."""
    match = re.match(rf"{re.escape(str(path))}(?::(\d+))?: ", message)
    if match is None:
        return message
    rest = message[match.end() :]
    return f"line {match.group(1)}: {rest}" if match.group(1) else rest


def row_content(row: SaveRow) -> Content:
    """A row: file name, then the game's scenario, turn and date, or why it cannot load."""
    if row.loaded is None:
        first = row.error.splitlines()[0] if row.error else "unreadable"
        return Content.assemble(
            ("✗ ", "bold"),
            (row.path.name, "bold"),
            "\n   ",
            ("cannot be loaded: ", "bold"),
            first,
        )
    state = row.loaded.state
    scenario = row.loaded.scenario
    from game.engine import outcome
    from game.engine.view import date_of

    result = outcome(scenario, state)
    if result is not None:
        status = f"game over: {result.ending.title}"
    else:
        status = f"turn {state.turn} of {state.turn_limit} · {date_of(scenario, state.turn)}"
    kind = "kept copy" if row.loaded.meta.kind == "save" else "game"
    return Content.assemble(
        ("✓ ", "bold"),
        (row.path.name, "bold"),
        f"  ({kind})",
        "\n   ",
        f"{scenario.info.title} · {status} · seed {state.seed}",
    )


class LoadScreen(Screen[LoadedSave | None]):
    """Pick a save to resume (dismissed with the loaded save, or None)."""

    CSS_PATH = "load.tcss"
    AUTO_FOCUS = "#saves"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "load", "Load", key_display="⏎", tooltip="Load the highlighted save"),
        Binding("escape", "back", "Back", key_display="Esc"),
        Binding("r", "rescan", "Rescan", tooltip="Read the saves folder again"),
    ]

    def __init__(self, folder: Path, scenario: Scenario) -> None:
        super().__init__()
        self.folder = folder
        self.scenario = scenario
        self.rows: list[SaveRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="load-box"):
            yield Static(Content(f"Saves in {self.folder}/"), id="load-title")
            yield OptionList(id="saves")
            yield Static(id="load-detail")
            with Horizontal(id="load-buttons"):
                yield Button(Content("Load  [Enter]"), id="load", variant="primary", compact=True)
                yield Button(Content("Back  [Esc]"), id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.action_rescan()

    def action_rescan(self) -> None:
        """Read the folder again (off the UI thread: loading replays every game)."""
        self.query_one("#load-detail", Static).update("Reading the saves…")
        self.scan()

    @work(thread=True, exclusive=True, group="scan")
    def scan(self) -> None:
        """Load every save in a worker; the list is shown when done."""
        rows = check_saves(self.folder, self.scenario)
        self.app.call_from_thread(self.show_rows, rows)

    def show_rows(self, rows: list[SaveRow]) -> None:
        """List the rows read by :meth:`scan`."""
        self.rows = rows
        saves = self.query_one("#saves", OptionList)
        saves.clear_options()
        saves.add_options([Option(row_content(r), id=str(i)) for i, r in enumerate(self.rows)])
        broken = sum(1 for r in self.rows if r.loaded is None)
        if not self.rows:
            note = "No saves yet. Every game saves itself each turn; s keeps a copy of a turn."
        elif broken:
            note = (
                f"{broken} file{'s' if broken != 1 else ''} cannot be loaded (marked ✗); "
                "they are left untouched."
            )
        else:
            note = ""
        self.query_one("#load-detail", Static).update(note)
        if self.rows:
            saves.highlighted = 0

    @on(OptionList.OptionHighlighted, "#saves")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        row = self.rows[event.option_index]
        if row.loaded is None:
            self.query_one("#load-detail", Static).update(
                Content.assemble(("Why it cannot be loaded: ", "bold"), row.error)
            )
        else:
            warn = "; ".join(row.loaded.warnings)
            self.query_one("#load-detail", Static).update(Content(f"Note: {warn}." if warn else ""))

    @on(OptionList.OptionSelected, "#saves")
    def _selected(self) -> None:
        self.action_load()

    @on(Button.Pressed, "#load")
    def _load_pressed(self) -> None:
        self.action_load()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_load(self) -> None:
        """Resume the highlighted save (or say why it cannot be)."""
        index = self.query_one("#saves", OptionList).highlighted
        if index is None or not self.rows:
            self.notify("There is no save to load.", severity="warning", markup=False)
            return
        row = self.rows[index]
        if row.loaded is None:
            self.notify(
                f"{row.path.name}: {row.error}\nThe file was left as it is.",
                title="This save cannot be loaded",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.dismiss(row.loaded)

    def action_back(self) -> None:
        """Back to the title screen."""
        self.dismiss(None)
