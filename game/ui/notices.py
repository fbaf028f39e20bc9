"""Words to the player that several screens say the same way."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget


def save_failed(node: App[Any] | Screen[Any] | Widget, reason: str) -> None:
    """Tell the player a save failed, without stopping the game."""
    node.notify(
        f"{reason}\nThe game goes on; fix the folder and press s to save again.",
        title="Could not save",
        severity="error",
        timeout=10,
        markup=False,
    )
