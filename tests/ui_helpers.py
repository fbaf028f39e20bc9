"""Pilot helpers the app's test modules share: run an async test, wait for the app to
settle, start a game through the title screen, read the screen as a user sees it."""

from __future__ import annotations

import asyncio
import functools
import io
import re
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec

from rich.console import Console
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot

from game.ui.screens.briefing import BriefingScreen
from game.ui.screens.new_game import NewGameScreen
from game.ui.screens.turn import TurnScreen
from game.ui.widgets.effects import EffectsPanel

P = ParamSpec("P")


def async_test(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async test in its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the scenario to load behind the title screen, for workers and for
    pending refreshes."""
    for _ in range(200):
        if pilot.app.ready:
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    assert pilot.app.ready


async def start_game(pilot: Pilot[Any], *, lens_down: int = 0) -> None:
    """From the title screen: new game (hidden lens unless moved), begin turn one."""
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NewGameScreen)
    for _ in range(lens_down):
        await pilot.press("down")
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BriefingScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TurnScreen)


def reading(app: App[Any]) -> EffectsPanel | None:
    """What the choice did (or the opening's alerts), when the turn screen shows it in the
    card's place; None when the decision is in sight."""
    screen = app.screen
    if not isinstance(screen, TurnScreen):
        return None
    panel = screen.query_one(EffectsPanel)
    return panel if panel.display else None


async def read_on(pilot: Pilot[Any]) -> None:
    """Close what the choice did (Enter), until the decision is in sight."""
    while reading(pilot.app) is not None:
        await pilot.press("enter")
        await pilot.pause()


def screen_lines(app: App[Any]) -> list[str]:
    """The rendered screen as text, one string a row (what a terminal shows, modals over
    the screens below them): what the compositor draws, not the widget tree."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    lines = console.export_text(styles=False).split("\n")
    return [line.ljust(width) for line in lines[:height]]


FRAME = re.compile(r"[\u2500-\u259f▶▲▼]")
"""Box drawing, blocks and pointers: borders, gutters, scrollbars and the pick mark."""


def words(text: str) -> str:
    """``text`` with its whitespace made single spaces (to find wrapped text)."""
    return " ".join(text.split())


def region_text(lines: list[str], region: Region) -> str:
    """The text shown inside ``region`` of the screen, frames left out, rows joined and
    whitespace made single spaces: a wrapped paragraph reads as one line."""
    rows = [line[region.x : region.right] for line in lines[region.y : region.bottom]]
    return words(FRAME.sub(" ", " ".join(rows)))
