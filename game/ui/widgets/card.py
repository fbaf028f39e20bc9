"""The decision card: its situation and 2–4 options, picked by number, click or arrows.

A pick is not a choice: the player confirms with Enter, the Confirm button or a second
click on the picked option.  The chosen option goes up as :class:`OptionsBox.Chosen`.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

from game.content.models import Card, Citation, Event, Option
from game.content.scenario import Scenario
from game.ui.text import linked


def short_citation(scenario: Scenario, citation: Citation) -> str:
    """'for Walt ¶8' — stance, the essay's short name and its paragraphs."""
    source = scenario.source.get(citation.source)
    name = (source.author or source.title) if source else citation.source
    paragraphs = citation.label()[len(citation.source) + 1 :]
    return f"{citation.stance} {name} {paragraphs}"


def option_content(scenario: Scenario, number: int, option: Option, picked: bool) -> Content:
    """An option row: number, text, who argues for or against it."""
    mark = "▶" if picked else " "
    parts: list[Content | str | tuple[str, str]] = [
        (f"{mark}{number} ", "bold"),
        (option.text, "bold" if picked else ""),
    ]
    if picked:
        parts.append(("  ◀ picked", "bold italic"))
    if option.citations:
        cites = " · ".join(short_citation(scenario, c) for c in option.citations)
        parts += ["\n   ", (cites, "italic $text-muted")]
    return Content.assemble(*parts)


class OptionRow(Static):
    """One option of a card or an event."""

    class Clicked(Message):
        """The player clicked this option."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, index: int) -> None:
        super().__init__(classes="option-row")
        self.index = index

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.index))


class OptionsBox(Vertical, can_focus=True):
    """The options of the decision owed: pick with 1–4, arrows or a click; Enter confirms."""

    BINDINGS = [
        Binding("up", "move(-1)", "Previous option", show=False),
        Binding("down", "move(1)", "Next option", show=False),
        Binding("enter", "confirm", "Confirm", show=False),
    ]

    picked: reactive[int | None] = reactive(None)

    class Chosen(Message):
        """The player confirmed an option."""

        def __init__(self, option: Option) -> None:
            super().__init__()
            self.option = option

    class Picked(Message):
        """The player picked an option (not yet chosen)."""

        def __init__(self, index: int | None) -> None:
            super().__init__()
            self.index = index

    class NothingPicked(Message):
        """The player tried to confirm before picking."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario
        self.options: tuple[Option, ...] = ()

    def set_options(self, options: Sequence[Option]) -> None:
        """Show a new set of options, none picked."""
        self.options = tuple(options)
        self.picked = None
        self.remove_children()
        self.mount_all([OptionRow(i) for i in range(len(self.options))])
        self._show()

    def pick(self, index: int) -> bool:
        """Pick an option by index (0-based); False if there is no such option."""
        if not 0 <= index < len(self.options):
            return False
        self.picked = index
        return True

    def confirm(self) -> None:
        """Choose the picked option."""
        if self.picked is None:
            self.post_message(self.NothingPicked())
            return
        self.post_message(self.Chosen(self.options[self.picked]))

    def action_move(self, step: int) -> None:
        if not self.options:
            return
        start = -1 if step > 0 else len(self.options)
        current = self.picked if self.picked is not None else start
        self.picked = (current + step) % len(self.options)

    def action_confirm(self) -> None:
        self.confirm()

    def watch_picked(self, picked: int | None) -> None:
        self._show()
        self.post_message(self.Picked(picked))

    @on(OptionRow.Clicked)
    def _clicked(self, event: OptionRow.Clicked) -> None:
        event.stop()
        self.focus()
        if self.picked == event.index:
            self.confirm()
        else:
            self.pick(event.index)

    def _show(self) -> None:
        for row in self.query(OptionRow):
            if row.index >= len(self.options):
                continue
            here = row.index == self.picked
            row.set_class(here, "-picked")
            row.update(option_content(self.scenario, row.index + 1, self.options[row.index], here))
            if here:
                row.scroll_visible()


class CardPanel(VerticalScroll):
    """The decision card: title, situation, options, and the picked option's detail."""

    item: reactive[Card | Event | None] = reactive(None, always_update=True)

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        yield Static(id="card-text")
        yield OptionsBox(self.scenario, id="options")
        yield Static(id="option-detail")
        yield Button("Confirm (Enter)", id="confirm", compact=True, variant="primary")

    @property
    def options_box(self) -> OptionsBox:
        """The options."""
        return self.query_one(OptionsBox)

    def watch_item(self, item: Card | Event | None) -> None:
        if not self.is_mounted:
            return
        if item is None:
            self.border_title = "No decision"
            self.query_one("#card-text", Static).update("")
            self.options_box.set_options(())
            return
        prefix = "Event: " if isinstance(item, Event) else ""
        self.border_title = f"{prefix}{item.title}"
        self.query_one("#card-text", Static).update(linked(self.scenario.glossary, item.text))
        self.options_box.set_options(item.options)
        self._detail()

    def on_mount(self) -> None:
        self.watch_item(self.item)

    @on(Button.Pressed, "#confirm")
    def _confirm(self, event: Button.Pressed) -> None:
        event.stop()
        self.options_box.confirm()

    def on_options_box_picked(self) -> None:
        self._detail()

    def _detail(self) -> None:
        box = self.options_box
        detail = self.query_one("#option-detail", Static)
        if box.picked is None:
            count = len(box.options)
            detail.update(
                Content.styled(f"Pick an option: 1–{count}, arrows or a click.", "italic")
            )
            return
        option = box.options[box.picked]
        parts: list[Content | str | tuple[str, str]] = []
        if option.detail:
            parts += [linked(self.scenario.glossary, option.detail), "\n"]
        parts.append((f"Enter (or a second click) chooses option {box.picked + 1}.", "italic"))
        detail.update(Content.assemble(*parts))
