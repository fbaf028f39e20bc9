"""Content: TOML scenario folders loaded into validated, cross-checked models."""

from pathlib import Path

from game.content.errors import ContentError, Problem
from game.content.loader import load_scenario
from game.content.scenario import Scenario

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


__all__ = [
    "CONTENT_ROOT",
    "DEFAULT_SCENARIO",
    "ContentError",
    "Problem",
    "Scenario",
    "load_scenario",
    "resolve_scenario_dir",
]
