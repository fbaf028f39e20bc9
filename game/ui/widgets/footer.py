"""The key footer: Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer removes and mounts every key widget again whenever its screen's
bindings *may* have changed: each focus change and each time a dialog opens or closes
over the screen. A turn moves focus and opens a dialog, so that rebuilt and restyled
about ten widgets several times per turn for the same keys (about half the CPU of
closing a dialog, measured with benchmarks/bench_ui.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer as TextualFooter

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen


class Footer(TextualFooter):
    """The screen's keys; recomposed only when the bindings it would show differ."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[Binding, bool, str, str], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        display = screen.app.get_key_display
        shown = tuple(
            (binding, enabled, tooltip, display(binding))
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        )
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
