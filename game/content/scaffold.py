"""`offramp new NAME`: a minimal, valid, playable scenario with comments on every part."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from game.content.loader import load_scenario

NAME = re.compile(r"\A[a-z0-9][a-z0-9_]{0,63}\Z")
"""A scenario id, checked with ``NAME.fullmatch`` (``$`` would let 'zz\\n' pass)."""


class ScaffoldError(ValueError):
    """The scenario cannot be created (bad name, folder exists, not writable)."""


def new_scenario(name: str, root: Path) -> Path:
    """Create ``root/name`` from the template and check that it loads; return the folder."""
    if not NAME.fullmatch(name):
        raise ScaffoldError(
            f"{name!r} is not a valid scenario id: use lower-case letters, digits and "
            "underscores, starting with a letter or digit"
        )
    folder = root / name
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; choose another name or remove it")
    title = name.replace("_", " ").title()
    try:
        folder.mkdir(parents=True)
        template = resources.files("game.content") / "template"
        for entry in sorted(template.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                text = entry.read_text(encoding="utf-8")
                text = text.replace("__ID__", name).replace("__TITLE__", title)
                (folder / entry.name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScaffoldError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    load_scenario(folder)  # the template must always be valid
    return folder
