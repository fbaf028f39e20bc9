"""Is the compiled engine older than its source?  (Editable installs only.)

``pip install -e .`` compiles the engine's hot modules next to their sources
(``game/engine/*.so``, see setup.py).  Python then imports the compiled module even after
its ``.py`` was edited or changed by ``git pull``, so a stale build would silently run
old rules.  This compares modification times; it is used by ``offramp`` (a warning) and
by the test suite (which refuses to run).
"""

from __future__ import annotations

from pathlib import Path

ENGINE = Path(__file__).resolve().parent / "engine"


def stale_extensions(engine: Path = ENGINE) -> list[str]:
    """``"core.py is newer than core.cpython-311-x86_64-linux-gnu.so"`` for each compiled
    engine module whose source changed after it was built; empty when none did, and
    outside a source checkout (an installed wheel's files carry no useful times)."""
    if not (engine.parent.parent / "pyproject.toml").exists():
        return []
    stale = []
    for ext in sorted(engine.glob("*.so")) + sorted(engine.glob("*.pyd")):
        source = engine / (ext.name.split(".")[0] + ".py")
        try:
            newer = source.stat().st_mtime > ext.stat().st_mtime
        except OSError:
            continue
        if newer:
            stale.append(f"{source.name} is newer than {ext.name}")
    return stale


REBUILD = (
    "run the install command again (`.venv/bin/pip install -q -e '.[dev]'`) to rebuild it, "
    "or delete game/engine/*.so to run the Python source"
)
