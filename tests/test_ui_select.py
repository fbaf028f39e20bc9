"""Selecting text with the mouse copies what the mouse went over.

The game's text widgets draw their lines themselves (one line at a time, cached); each
cell must still say where in the text it is, or a drag over the fourth and fifth lines
copies from the first."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget

from game.engine import new_game
from game.session import Session
from game.ui.app import OffRampApp
from game.ui.widgets.card import OptionsBox
from game.ui.widgets.prose import Doc, Prose, ProseView

from .helpers import MINI
from .ui_helpers import async_test, settle


class Texts(App[None]):
    CSS = "ProseView { height: 6; }"

    def compose(self) -> ComposeResult:
        yield Prose(id="prose")
        yield ProseView(id="view")

    def on_mount(self) -> None:
        doc = Doc()
        for n in range(10):
            doc.add(f"line{n} alpha beta gamma", prefix="• ")
        self.query_one(Prose).update(doc)
        self.query_one(ProseView).update(doc)


async def drag(
    pilot: Pilot[object], widget: Widget, start: tuple[int, int], end: tuple[int, int]
) -> str | None:
    """Drag from ``start`` to ``end`` (cells inside ``widget``); the text selected."""
    x, y = widget.content_region.offset
    await pilot.mouse_down(offset=(x + start[0], y + start[1]))
    await pilot.hover(offset=(x + end[0], y + end[1]))
    await pilot.pause()
    await pilot.mouse_up(offset=(x + end[0], y + end[1]))
    await pilot.pause()
    return pilot.app.screen.get_selected_text()


def selected_cells(widget: Widget, y: int) -> str:
    """The text of row ``y`` drawn in the screen's selection style."""
    look = widget.screen.get_component_rich_style("screen--selection")
    return "".join(
        s.text
        for s in widget.render_line(y)
        if s.style is not None and look.bgcolor is not None and s.style.bgcolor == look.bgcolor
    )


@pytest.mark.parametrize("kind", [Prose, ProseView], ids=["prose", "prose-view"])
@async_test
async def test_a_drag_over_two_lines_selects_those_lines(kind: type[Widget]) -> None:
    app = Texts()
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        widget = app.query_one(kind)
        text = await drag(pilot, widget, (2, 2), (8, 3))
        assert text == "line2 alpha beta gamma\n• line3 a"
        # and the screen shows what will be copied
        assert selected_cells(widget, 2).strip() == "line2 alpha beta gamma"
        assert selected_cells(widget, 3) == "• line3 a"
        assert selected_cells(widget, 1) == ""


@async_test
async def test_a_drag_in_a_scrolled_view_selects_the_lines_in_sight() -> None:
    app = Texts()
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        view = app.query_one(ProseView)
        view.scroll_to(0, 4, animate=False, immediate=True)
        await pilot.pause()
        assert await drag(pilot, view, (2, 0), (6, 0)) == "line4"


@async_test
async def test_a_drag_over_an_option_selects_its_words(tmp_path: Path) -> None:
    app = OffRampApp(MINI, tmp_path, seed=3)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        scenario = app.scenario
        app.session = Session(scenario, new_game(scenario, 3, "hawkish"), tmp_path)
        app.show_game()
        await pilot.pause()
        box = app.screen.query_one(OptionsBox)
        lines = box.render().plain.split("\n")
        # the first line of the second option, whatever the card
        row = next(y for y, line in enumerate(lines) if line.lstrip().startswith("2"))
        start = len(lines[row]) - len(lines[row].lstrip())
        text = await drag(pilot, box, (start, row), (start + 12, row))
        assert text == lines[row][start : start + 13]
