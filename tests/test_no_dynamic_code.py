"""Content and saves are data: no ``eval``, ``exec`` or ``pickle`` anywhere in the game.

An AST scan of every module under ``game/``: a call of the builtins ``exec``, ``eval``
or ``compile`` by bare name or as ``builtins.X`` (``re.compile`` is fine), or an
import of ``pickle``, ``marshal`` or ``shelve``, fails the test with the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

GAME = Path(__file__).resolve().parents[1] / "game"

FORBIDDEN_CALLS = frozenset({"exec", "eval", "compile"})
FORBIDDEN_MODULES = frozenset({"pickle", "marshal", "shelve"})


def violations(source: str, filename: str) -> list[str]:
    """``file:line: what`` for each forbidden call or import in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        what = ""
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                what = f"calls {func.id}()"
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "builtins"
                and func.attr in FORBIDDEN_CALLS
            ):
                what = f"calls builtins.{func.attr}()"
        elif isinstance(node, ast.Import):
            bad = [a.name for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
            if bad:
                what = f"imports {', '.join(bad)}"
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] in FORBIDDEN_MODULES
        ):
            what = f"imports from {node.module}"
        if what:
            found.append(f"{filename}:{node.lineno}: {what}")
    return found


def test_the_scan_sees_the_forbidden_forms() -> None:
    source = (
        "import re\nimport pickle\nfrom marshal import loads\nimport shelve as s\n"
        "re.compile('x')\nexec('1')\neval('1')\ncompile('1', 'f', 'eval')\nbuiltins.exec('1')\n"
    )
    assert violations(source, "x.py") == [
        "x.py:2: imports pickle",
        "x.py:3: imports from marshal",
        "x.py:4: imports shelve",
        "x.py:6: calls exec()",
        "x.py:7: calls eval()",
        "x.py:8: calls compile()",
        "x.py:9: calls builtins.exec()",
    ]


def test_no_game_module_runs_dynamic_code_or_unpickles() -> None:
    files = sorted(GAME.rglob("*.py"))
    assert files, f"no Python files under {GAME}"
    found = []
    for path in files:
        rel = path.relative_to(GAME.parent).as_posix()
        found += violations(path.read_text(encoding="utf-8"), rel)
    assert not found, "content and saves are data:\n" + "\n".join(found)
