"""The notice shown while the terminal is below the minimum size; it goes when enlarged."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static


class TooSmallScreen(Screen[None]):
    """'The terminal is too small': covers everything until the window is large enough."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen #too-small { width: auto; max-width: 100%; text-align: center; }
    """

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.min_width = width
        self.min_height = height

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="too-small")

    def on_mount(self) -> None:
        self.show_size(self.app.size)

    def show_size(self, size: Size) -> None:
        """Say how big the terminal is and how big it must be."""
        self.query_one("#too-small", Static).update(
            f"Off-Ramp needs a terminal of at least {self.min_width}×{self.min_height}.\n"
            f"This one is {size.width}×{size.height}.\n"
            "Enlarge the window (or make the font smaller);\n"
            "the game is waiting, nothing is lost."
        )
