"""Content: TOML scenario folders loaded into validated, cross-checked models.

The names below are imported on first use (PEP 562): the models and the loader pull in
pydantic, which the app does not need before its first frame, and `offramp --help`
never needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.content.errors import ContentError, Problem
    from game.content.loader import load_scenario
    from game.content.scenario import Scenario
    from game.content.text import printable

_LAZY = {
    "ContentError": "game.content.errors",
    "Problem": "game.content.errors",
    "load_scenario": "game.content.loader",
    "Scenario": "game.content.scenario",
    "printable": "game.content.text",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


CONTENT_ROOT = Path(__file__).resolve().parents[2] / "content"
"""The shipped content folder (beside the package in a source checkout)."""
DEFAULT_SCENARIO = "ukraine"
"""The scenario played when none is named."""


def resolve_scenario_dir(name: str | Path | None) -> Path:
    """A scenario folder from a path, a scenario name under content/, or the default."""
    if name is None:
        return CONTENT_ROOT / DEFAULT_SCENARIO
    path = Path(name)
    if path.exists() or path.is_absolute() or len(path.parts) > 1:
        return path
    return CONTENT_ROOT / path


def shipped_scenario_dir(scenario_id: str) -> Path | None:
    """The folder under content/ of a scenario named by its id (as a save names it), or
    None: an id is a name, never a path, so nothing outside content/ is ever looked at."""
    import re

    if len(scenario_id) > 64 or not re.fullmatch(r"[a-z0-9][a-z0-9_]*", scenario_id):
        return None
    folder = CONTENT_ROOT / scenario_id
    return folder if folder.is_dir() else None


__all__ = [
    "CONTENT_ROOT",
    "DEFAULT_SCENARIO",
    "ContentError",
    "Problem",
    "Scenario",
    "load_scenario",
    "printable",
    "resolve_scenario_dir",
    "shipped_scenario_dir",
]
