"""The decision card: its situation and 2–4 options, picked by number, click or arrows.

A pick is not a choice: the player confirms with Enter, the Confirm button or a second
click on the picked option.  The chosen option goes up as :class:`OptionsBox.Chosen`.

On a short terminal (``compact``) the card fills the room left by the meters; when every
option with its citations would not fit in it, the citations leave the options and the
picked option's show under them, so the situation and every option stay in sight.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.scalar import Scalar
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Button, Static

from game.content.models import Card, Event, Option
from game.content.scenario import Scenario
from game.timeline import citation_summary
from game.ui.text import linked
from game.ui.widgets.onepass import OneLayoutPass, ScrollWithLayout

PICK_BINDINGS = (
    Binding("1", "pick(1)", "Pick", key_display="1-4", tooltip="Pick option 1"),
    Binding("2", "pick(2)", "Pick option 2", show=False),
    Binding("3", "pick(3)", "Pick option 3", show=False),
    Binding("4", "pick(4)", "Pick option 4", show=False),
    Binding("enter", "confirm", "Confirm", key_display="⏎", tooltip="Confirm the pick"),
)
"""Keys 1-4 pick an option and Enter confirms: the screen that shows the card defines the
``pick`` and ``confirm`` actions (Enter stays the screen's key, whatever has the focus)."""


def option_content(
    option: Option, number: int, picked: bool, width: int, citations: bool = True
) -> Content:
    """An option: number, text and (with ``citations``) who argues for it, wrapped under a
    3-cell gutter."""
    indent = Content("   ")
    room = max(width - len(indent), 8)
    text = Content.styled(option.text, "bold" if picked else "").wrap(room)
    head = Content.assemble(
        ("▶" if picked else " ", "bold"), (f"{number}", "bold reverse" if picked else "bold"), " "
    )
    lines = [head + text[0], *(indent + line for line in text[1:])]
    cites = citation_summary(option.citations) if citations else ""
    if cites:
        lines += [indent + line for line in Content.styled(cites, "italic dim").wrap(room)]
    return Content("\n").join(lines)


class OptionsBox(OneLayoutPass, Widget, can_focus=True):
    """The options of the decision owed: pick with 1–4, arrows or a click; Enter confirms.

    One widget draws every option (with hanging indents), line by line: a pick repaints
    the lines of the two options it changes, since the pick mark takes the same room as
    its absence, and lines once drawn are kept for these options.
    """

    DEFAULT_CSS = """
    OptionsBox {
        height: auto;
        border-left: blank;
        text-wrap: nowrap;  /* the lines come wrapped (option_content) */
    }
    OptionsBox:focus {
        border-left: thick $accent;
    }
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Previous option", show=False),
        Binding("down", "move(1)", "Next option", show=False),
    ]

    picked: reactive[int | None] = reactive(None, repaint=False)

    class Chosen(Message):
        """The player confirmed an option."""

        def __init__(self, option: Option) -> None:
            super().__init__()
            self.option = option

    class NothingPicked(Message):
        """The player tried to confirm before picking."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options: tuple[Option, ...] = ()
        self.citations = True
        """Whether each option shows who argues for it (see :meth:`show_citations`)."""
        self.held = False
        """While the options are out of sight (something else in the card's place), the
        arrows are left to the screen, though the box keeps the focus (Enter, which
        confirms, is the screen's key: see PICK_BINDINGS)."""
        self._drawn: dict[tuple[int, bool, int, bool], list[tuple[int, Content]]] = {}
        """Each option's lines by (index, picked, width, citations), for these options: a
        pick redraws two options' lines, not every option's."""
        self._strips: dict[tuple[int, bool, int, bool], list[Strip]] = {}
        """The strips of each option's lines, keyed as those lines, in this style."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "move" and self.held)

    def show_citations(self, show: bool) -> None:
        """Show or leave out the citations under each option."""
        if show != self.citations:
            self.citations = show
            self.refresh(layout=True)

    def set_options(self, options: Sequence[Option]) -> None:
        """Show a new set of options, none picked."""
        self.options = tuple(options)
        self._drawn.clear()
        self._strips.clear()
        if self.is_attached:  # the footer's pick keys follow the number of options
            self.screen.refresh_bindings()
        self.picked = None
        self.refresh(layout=True)

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

    def watch_picked(self, old: int | None, picked: int | None) -> None:
        # repaint the rows of the options whose pick mark changed
        lines = self.option_lines(self.content_size.width)
        rows = [y for y, (i, _) in enumerate(lines) if i in (old, picked)]
        if rows:  # (content coordinates)
            width = self.content_size.width
            self.refresh(Region(0, rows[0], width, rows[-1] - rows[0] + 1))
        if picked is not None:
            self._keep_in_sight(picked)

    def option_lines(
        self, width: int, picked: int | None = None, citations: bool | None = None
    ) -> list[tuple[int, Content]]:
        """(option index, line) for every line drawn, each line padded to the width so a
        click anywhere on it picks its option."""
        cites = self.citations if citations is None else citations
        lines = []
        for index, option in enumerate(self.options):
            key = (index, index == picked, width, cites)
            drawn = self._drawn.get(key)
            if drawn is None:
                content = option_content(option, index + 1, index == picked, width, cites)
                meta = Style.from_meta({"option": index})
                drawn = self._drawn[key] = [
                    (index, line.pad_right(max(width - line.cell_length, 0)).stylize(meta))
                    for line in content.split("\n")
                ]
            lines += drawn
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.option_lines(width))

    def render(self) -> Content:
        lines = self.option_lines(self.content_size.width, self.picked)
        return Content("\n").join(line for _, line in lines)

    def render_line(self, y: int) -> Strip:
        """Line ``y``, from its option's lines as drawn for this pick (Textual's own
        render_line draws every line again after any change); while text is selected,
        Textual's."""
        if self.text_selection is not None:
            return super().render_line(y)
        width = self.content_size.width
        lines = self.option_lines(width, self.picked)
        if not 0 <= y < len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        index = lines[y][0]
        key = (index, index == self.picked, width, self.citations)
        strips = self._strips.get(key)
        if strips is None:
            own = [line for i, line in lines if i == index]
            content = Content("\n").join(own)
            strips = Visual.to_strips(self, content, width, len(own), self.visual_style)
            self._strips[key] = strips
        first = next(n for n, (i, _) in enumerate(lines) if i == index)
        # where in the whole text each cell is (drawn per option, the offsets start at
        # the option's first line), for the mouse to select what it is over
        return strips[y - first].apply_offsets(0, y)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("option")
        if not isinstance(index, int):
            return
        if not self.has_focus:  # focus() repaints every option, even with the focus here
            self.focus(scroll_visible=False)
        if self.picked == index:
            self.confirm()
        else:
            self.pick(index)

    def _keep_in_sight(self, index: int) -> None:
        """Scroll the card only when the picked option is out of sight (scrolling costs a
        layout)."""
        parent = self.parent
        if not isinstance(parent, Widget) or parent.max_scroll_y <= 0:
            return
        lines = self.option_lines(self.content_size.width)
        rows = [y for y, (i, _) in enumerate(lines) if i == index]
        if not rows:
            return
        top = self.virtual_region.y + self.styles.gutter.top + rows[0]
        region = Region(0, top, self.size.width, len(rows))
        seen_top = parent.scroll_offset.y
        seen_bottom = seen_top + parent.scrollable_content_region.height
        if region.y < seen_top or region.bottom > seen_bottom:
            parent.scroll_to_region(region, animate=False)


class CardPanel(ScrollWithLayout, OneLayoutPass, VerticalScroll):
    """The decision card: title, situation, options, and the picked option's detail."""

    item: reactive[Card | Event | None] = reactive(None, always_update=True)
    compact: reactive[bool] = reactive(False)
    """Fit the situation and every option in the card's room (on short terminals)."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario
        self._rooms: dict[tuple[int, bool], int] = {}
        """The rows under the options, by (width, citations inline), for this card."""

    def compose(self) -> ComposeResult:
        yield Static(id="card-text")
        yield OptionsBox(id="options")
        yield Static(id="option-detail")
        yield Button("Confirm (Enter)", id="confirm", compact=True, variant="primary")

    @property
    def options_box(self) -> OptionsBox:
        """The options."""
        return self.query_one(OptionsBox)

    def watch_item(self, item: Card | Event | None) -> None:
        self._rooms.clear()
        if not self.is_mounted:
            return
        if item is None:
            self.border_title = "No decision"
            self.query_one("#card-text", Static).update("")
            self.options_box.set_options(())
            return
        event = isinstance(item, Event)
        self.set_class(event, "-event")
        self.border_title = Content.assemble(
            ("‼ EVENT — your decision: " if event else "", "bold"), item.title
        )
        self.query_one("#card-text", Static).update(linked(self.scenario.glossary, item.text))
        self.options_box.set_options(item.options)
        self._fit()
        self._detail()

    def watch_compact(self, compact: bool) -> None:
        self.border_subtitle = "a: advisors · n: news & log" if compact else ""
        if self.is_mounted:
            self._fit()
            self._detail()

    def on_resize(self) -> None:
        if self.compact:
            self._fit()
            self._detail()

    def rows_needed(self, width: int, citations: bool) -> int:
        """The rows the situation, the options and the text under them take at ``width``
        (the card's inside), with or without the citations under each option."""
        item = self.item
        if item is None:
            return 0
        text = len(Content(item.text).wrap(width)) + 1  # and the margin under it
        options = len(self.options_box.option_lines(width - 1, citations=citations))
        detail = self._detail_room(width, citations)
        return text + options + detail + (0 if self.compact else 1)

    def _detail_room(self, width: int, citations: bool | None = None) -> int:
        """The rows of the longest text under the options, at ``width`` (kept per card)."""
        inline = self.options_box.citations if citations is None else citations
        key = (width, inline)
        room = self._rooms.get(key)
        if room is None:
            count = len(self.options_box.options)
            room = self._rooms[key] = max(
                (len(self._detail_of(i, inline).wrap(width)) for i in range(count)), default=1
            )
        return room

    def _fit(self) -> None:
        """Leave the citations out of the options when the card would not hold them all."""
        region = self.content_region
        show = (
            not self.compact
            or not region.height
            or self.rows_needed(region.width, citations=True) <= region.height
        )
        self.options_box.show_citations(show)

    def on_mount(self) -> None:
        self.watch_item(self.item)
        # Follow the pick in the same frame (a message would cost a second redraw).
        self.watch(self.options_box, "picked", self._detail, init=False)

    @on(Button.Pressed, "#confirm")
    def _confirm(self, event: Button.Pressed) -> None:
        event.stop()
        self.options_box.confirm()

    def _detail(self) -> None:
        box = self.options_box
        if box.picked is None:
            count = len(box.options)
            self._set_detail(
                Content.styled(f"Pick an option: 1–{count}, arrows or a click.", "italic")
            )
            return
        self._set_detail(self._detail_of(box.picked))

    def _detail_of(self, index: int, citations: bool | None = None) -> Content:
        """An option's longer explanation (if any), who argues for it when the options do
        not say it (``citations`` False), and how to choose it."""
        option = self.options_box.options[index]
        inline = self.options_box.citations if citations is None else citations
        parts: list[Content | str | tuple[str, str]] = []
        if option.detail:
            parts += [linked(self.scenario.glossary, option.detail), "\n"]
        cites = "" if inline else citation_summary(option.citations)
        if cites:
            parts += [(f"{index + 1}: {cites}", "italic dim"), " — "]
        parts.append((f"Enter (or a second click) chooses option {index + 1}.", "italic"))
        return Content.assemble(*parts)

    def _set_detail(self, content: Content) -> None:
        """Show the text under the options.  Its room is the longest option's, reserved
        once per card, so picking another option repaints without a new layout."""
        detail = self.query_one("#option-detail", Static)
        width = detail.content_size.width
        if not width:
            detail.update(content)
            return
        room = self._detail_room(width)
        if detail.styles.min_height != Scalar.from_number(room):
            detail.styles.min_height = room
            detail.update(content)
        else:
            detail.update(content, layout=len(content.wrap(width)) > room)
