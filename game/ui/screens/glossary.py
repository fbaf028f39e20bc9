"""The glossary: searchable, reachable from any screen; terms of the current card first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from game.content.scenario import Scenario
from game.ui.text import linked
from game.ui.widgets.footer import Footer


class GlossaryScreen(ModalScreen[None]):
    """Look up a term: type to search, arrows to move, Escape to close."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#glossary-search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", key_display="Esc"),
        Binding("down", "terms", "Terms", show=False),
    ]

    def __init__(
        self, scenario: Scenario, *, first: Sequence[int] = (), select: int | None = None
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.scenario = scenario
        self.first = [i for i in first if 0 <= i < len(scenario.glossary)]
        self.initial = select

    def compose(self) -> ComposeResult:
        with Vertical(id="glossary", classes="dialog"):
            yield Static("Glossary", classes="dialog-title")
            yield Input(placeholder="Search terms and definitions…", id="glossary-search")
            with Horizontal(id="glossary-panes"):
                yield OptionList(id="glossary-terms")
                with VerticalScroll(id="glossary-definition"):
                    yield Static(id="glossary-text")
        yield Footer()

    def on_mount(self) -> None:
        self._fill("")
        if self.initial is not None:
            self.select(self.initial)

    def _order(self, query: str) -> list[int]:
        entries = self.scenario.glossary
        q = query.casefold().strip()
        found = [
            i
            for i, e in enumerate(entries)
            if not q
            or q in e.term.casefold()
            or any(q in a.casefold() for a in e.aliases)
            or q in e.definition.casefold()
        ]
        first = [i for i in self.first if i in found]
        rest = sorted(
            (i for i in found if i not in first), key=lambda i: entries[i].term.casefold()
        )
        return first + rest

    def _fill(self, query: str) -> None:
        entries = self.scenario.glossary
        terms = self.query_one("#glossary-terms", OptionList)
        terms.clear_options()
        order = self._order(query)
        options = []
        for i in order:
            mark = "★ " if i in self.first else ""
            options.append(Option(Content(mark + entries[i].term), id=str(i)))
        terms.add_options(options)
        if order:
            terms.highlighted = 0
            self._show(order[0])
        elif not entries:
            self._text(Content.styled("This scenario has no glossary.", "italic"))
        else:
            self._text(Content.styled(f"Nothing matches “{query}”.", "italic"))

    def select(self, index: int) -> None:
        """Show one entry (by its index in the scenario's glossary)."""
        terms = self.query_one("#glossary-terms", OptionList)
        try:
            terms.highlighted = terms.get_option_index(str(index))
        except OptionDoesNotExist:  # filtered out by the search: clear it first
            self.query_one("#glossary-search", Input).value = ""
            self._fill("")
            terms.highlighted = terms.get_option_index(str(index))
        self._show(index)

    def _show(self, index: int) -> None:
        entry = self.scenario.glossary[index]
        parts: list[Content | str | tuple[str, str]] = [(entry.term, "bold underline")]
        if entry.aliases:
            parts += ["\n", (f"also: {', '.join(entry.aliases)}", "italic")]
        parts += ["\n\n", linked(self.scenario.glossary, entry.definition)]
        if self.first:
            parts += ["\n\n", ("★ = appears in the text you were reading", "italic")]
        self._text(Content.assemble(*parts))

    def _text(self, content: Content) -> None:
        self.query_one("#glossary-text", Static).update(content)

    @on(Input.Changed, "#glossary-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#glossary-search")
    def _submitted(self) -> None:
        self.action_terms()

    @on(OptionList.OptionHighlighted, "#glossary-terms")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._show(int(event.option.id))

    def action_terms(self) -> None:
        """Move to the list of terms."""
        self.query_one("#glossary-terms", OptionList).focus()

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)
