"""The key footer: the screen's keys drawn as one line of one widget.

A screen may reword its keys for the moment with a ``describe_key(action)`` method (the
title screen's in a class exercise: "Join the class" for n).

Textual's Footer is a container of one widget per key, removed and mounted again
whenever the screen's bindings change: each time focus moves between the decision and
what the choice did, every turn. Mounting and styling those widgets cost about a third
of a turn's CPU (benchmarks/bench_ui.py). This footer draws the same keys, in the same
theme colours, as the text of a single widget: new keys only repaint it. A click on a
key presses it, as in Textual's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen


class Key:
    """A key the footer shows."""

    __slots__ = ("description", "display", "enabled", "key")

    def __init__(self, key: str, display: str, description: str, enabled: bool) -> None:
        self.key = key
        self.display = display
        self.description = description
        self.enabled = enabled

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and (
            self.key,
            self.display,
            self.description,
            self.enabled,
        ) == (other.key, other.display, other.description, other.enabled)

    __hash__ = None  # type: ignore[assignment]


class Footer(Widget, can_focus=False):
    """The current screen's keys (one per action), the command palette's on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"footer--key", "footer--description"}
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[Key, ...] = ()
        self._styles: tuple[Style, Style] | None = None
        self._lines: dict[tuple[int, tuple[tuple[str, str, str, bool], ...]], Strip] = {}
        """The line drawn, by width and keys: a turn goes back and forth between the
        decision's keys and those of what the choice did."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        keys = self.read_keys(screen)
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    def read_keys(self, screen: Screen[object]) -> tuple[Key, ...]:
        """The keys to show: each action's first shown binding, in the screen's order;
        consecutive bindings of one group (←/→: Tabs) as one key with the group's name."""
        app = self.app
        seen: set[str] = set()
        keys: list[Key] = []
        last_group: Binding.Group | None = None
        for _, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            if binding.action == "command_palette" or binding.key == app.COMMAND_PALETTE_BINDING:
                continue
            seen.add(binding.action)
            display = app.get_key_display(binding)
            describe = getattr(screen, "describe_key", None)  # a screen may reword its keys
            description = (describe(binding.action) if describe else None) or binding.description
            group = binding.group
            if group is not None and group is last_group and keys:
                joined = keys[-1]
                joined.display += display if group.compact else f" {display}"
                joined.description = group.description
                joined.enabled = joined.enabled or enabled
                continue
            last_group = group
            keys.append(Key(binding.key, display, description, enabled))
        return tuple(keys)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._lines.clear()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        key = (width, tuple((k.key, k.display, k.description, k.enabled) for k in self.keys))
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) > 16:
                self._lines.clear()
            line = self._lines[key] = super().render_line(y)
        return line

    def _key_styles(self) -> tuple[Style, Style]:
        """The styles of a key and of its description (kept until the theme changes)."""
        if self._styles is None:
            self._styles = (
                Style.from_rich_style(self.get_component_rich_style("footer--key")),
                Style.from_rich_style(self.get_component_rich_style("footer--description")),
            )
        return self._styles

    def render(self) -> Content:
        key_style, text_style = self._key_styles()
        parts: list[Content] = []
        for key in self.keys:
            click = Style.from_meta({"key": key.key})
            dim = Style(dim=True) if not key.enabled else Style()
            parts.append(
                Content.assemble(
                    (f" {key.display} ", key_style + dim + click),
                    (f"{key.description} " if key.description else "", text_style + dim + click),
                )
            )
        return Content(" ").join(parts)

    def on_click(self, event: events.Click) -> None:
        key = event.style.meta.get("key")
        if isinstance(key, str):
            event.stop()
            self.app.simulate_key(key)
