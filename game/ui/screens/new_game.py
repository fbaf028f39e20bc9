"""The new-game dialog: scenario, lens (or hidden, revealed in the debrief), optional seed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from game.content import ContentError, load_scenario
from game.content.scenario import Scenario
from game.session import MAX_SEED
from game.ui.widgets.footer import Footer


@dataclass(frozen=True, slots=True)
class NewGame:
    """What the dialog returns: the scenario, the seed (None: random) and the lens id
    (or "hidden")."""

    scenario: Scenario
    seed: int | None
    lens: str


HIDDEN = "hidden"


class NewGameScreen(ModalScreen[NewGame | None]):
    """Choose scenario, lens and seed, then start (dismissed with a :class:`NewGame`)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", tooltip="Start the game", priority=True),
    ]

    def __init__(
        self,
        scenario: Scenario,
        folders: list[Path],
        seed: int | None = None,
        lens: str | None = None,
    ) -> None:
        """``folders``: the scenario folders offered, ``scenario``'s own first; ``seed``
        and ``lens``: what the command line asked for."""
        super().__init__(classes="dialog-screen")
        self.scenario = scenario
        self.folders = folders
        self.seed = seed
        self.lens = lens
        self.scenarios: dict[Path, Scenario] = {folders[0]: scenario}
        self.lens_choices: list[tuple[str, str]] = []
        self.lens_about: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        folders = self.folders
        with Vertical(id="new-game", classes="dialog"):
            yield Static("New game", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Label("Scenario")
                if len(folders) > 1:
                    yield Select(
                        [(Content(self._folder_label(f)), str(f)) for f in folders],
                        value=str(folders[0]),
                        allow_blank=False,
                        compact=True,
                        id="scenario",
                    )
                else:
                    yield Static(Content(f"  {self.scenario.info.title}"), id="scenario-name")
                yield Label("Lens — whose theory of cause and effect runs the world")
                yield OptionList(id="lens")
                yield Static(id="lens-about")
                yield Label("Seed — the same seed and choices give the same game (optional)")
                yield Input(
                    value="" if self.seed is None else str(self.seed),
                    placeholder="random",
                    type="integer",
                    id="seed",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", id="start", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._fill_lenses(self.scenario, self.lens)
        self.query_one("#lens", OptionList).focus()

    def _folder_label(self, folder: Path) -> str:
        known = self.scenarios.get(folder)
        return known.info.title if known else folder.name

    def _fill_lenses(self, scenario: Scenario, preferred: str | None) -> None:
        """List the lenses, 'hidden' first; the highlighted one is the choice."""
        self.lens_choices = [(HIDDEN, "Hidden — one of these, revealed in the debrief")]
        self.lens_choices += [(lens.id, lens.name) for lens in scenario.lenses]
        self.lens_about = {
            HIDDEN: "One of these lenses runs the world; the debrief reveals which, "
            "and what your choices would have done under the others."
        }
        for lens in scenario.lenses:
            source = scenario.source.get(lens.source)
            by = f" ({source.author or source.title})" if source else ""
            self.lens_about[lens.id] = f"{lens.name}{by}: {lens.summary}"
        lenses = self.query_one("#lens", OptionList)
        lenses.clear_options()
        lenses.add_options(
            [
                Option(self._lens_prompt(i, False), id=lid)
                for i, (lid, _) in enumerate(self.lens_choices)
            ]
        )
        ids = [lid for lid, _ in self.lens_choices]
        lenses.highlighted = ids.index(preferred) if preferred in ids else 0

    def _lens_prompt(self, index: int, chosen: bool) -> Content:
        mark = "(●) " if chosen else "( ) "
        return Content.assemble(
            (mark, "bold"), (self.lens_choices[index][1], "bold" if chosen else "")
        )

    @on(OptionList.OptionHighlighted, "#lens")
    def _lens_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        lenses = event.option_list
        for i in range(lenses.option_count):
            lenses.replace_option_prompt_at_index(i, self._lens_prompt(i, i == event.option_index))
        about = self.lens_about.get(self.lens_choices[event.option_index][0], "")
        self.query_one("#lens-about", Static).update(Content(about))

    @on(OptionList.OptionSelected, "#lens")
    def _lens_selected(self) -> None:
        self.query_one("#seed", Input).focus()

    def _scenario(self) -> Scenario | None:
        """The chosen scenario, loaded (None, with a notification, if it does not load)."""
        selects = self.query(Select)
        if not selects:
            return self.scenario
        folder = Path(str(selects.first().value))
        if folder not in self.scenarios:
            try:
                self.scenarios[folder] = load_scenario(folder)
            except ContentError as exc:
                lines = "\n".join(str(p) for p in exc.problems[:5])
                more = len(exc.problems) - 5
                self.notify(
                    lines + (f"\n… and {more} more" if more > 0 else ""),
                    title=f"{folder.name} does not load",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
                return None
        return self.scenarios[folder]

    @on(Select.Changed, "#scenario")
    def _scenario_changed(self) -> None:
        scenario = self._scenario()
        if scenario is not None:
            self._fill_lenses(scenario, None)

    @on(Input.Submitted, "#seed")
    def _seed_submitted(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close without starting."""
        self.dismiss(None)

    def action_start(self) -> None:
        """Start the game with the chosen settings."""
        scenario = self._scenario()
        if scenario is None:
            return
        text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(text) if text else None
        except ValueError:
            self.notify(
                "The seed must be a whole number (or empty).", severity="error", markup=False
            )
            return
        if seed is not None and not 0 <= seed < MAX_SEED:
            self.notify("The seed must be from 0 to 2**63 − 1.", severity="error", markup=False)
            return
        lenses = self.query_one("#lens", OptionList)
        index = lenses.highlighted
        lens = self.lens_choices[index][0] if index is not None else HIDDEN
        self.dismiss(NewGame(scenario, seed, lens))
