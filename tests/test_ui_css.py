"""Every widget of the game's UI gets the CSS of every Textual widget it is built on.

Textual inherits a class's DEFAULT_CSS (and the type names its selectors match) only
along the first Textual class among each class's bases. A mixin that subclassed Widget,
listed first, once cut the turn screen's panels off from VerticalScroll's
``overflow-y: auto``: none of them could scroll, and what a choice did was cut off at
80x24 (game/ui/widgets/onepass.py, WidgetMixin)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.dom import DOMNode

import game.ui


def ui_widget_classes() -> list[type[DOMNode]]:
    found: dict[str, type[DOMNode]] = {}
    for module in pkgutil.walk_packages(game.ui.__path__, "game.ui."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__.startswith("game."):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def test_every_widget_inherits_the_css_of_the_textual_widgets_it_is_built_on() -> None:
    classes = ui_widget_classes()
    assert len(classes) > 20  # the panels, the screens, the apps
    for cls in classes:
        walked = set(cls._css_bases(cls))
        missed = [
            base.__name__
            for base in cls.__mro__
            if issubclass(base, DOMNode) and base.__dict__.get("DEFAULT_CSS") and base not in walked
        ]
        assert not missed, f"{cls.__qualname__} does not get the CSS of {missed}"
