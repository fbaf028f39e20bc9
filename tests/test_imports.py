"""The import graph of game/: no import cycle, and the packages depend one way.

The graph is read from the source with :mod:`ast`, without importing anything.  An
edge is an ``import`` or ``from ... import`` written anywhere in a module, at module
level or inside a function, except under ``if TYPE_CHECKING:``:

- an import inside a function is still a dependency: deferring an import to get round
  a cycle hides the cycle rather than removing it (deferring is for start-up time);
- an import under ``TYPE_CHECKING`` never runs: it is for annotations only.

``from a.b import c`` is an import of the module ``a.b.c`` when there is one, else of
``a.b``.  Imports made by :mod:`importlib` are not seen (game.content's lazily loaded
names are only its own modules).

The packages are game.engine, game.content, game.sim and game.ui; each other module of
game/ stands alone.  The engine reads content (its models, the scenario, the condition
language), so content must never import the engine.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from .helpers import ROOT

GAME = ROOT / "game"
PACKAGES = ("game.engine", "game.content", "game.sim", "game.ui")

KNOWN_UI_CYCLE: frozenset[str] = frozenset()
"""Modules of game/ui allowed to import each other: none (screens never import the app)."""

KNOWN_PACKAGE_EDGES: frozenset[tuple[str, str]] = frozenset()
"""Imports against the packages' direction, each with why: none."""

Edge = tuple[str, str]


def module_name(path: Path) -> str:
    """``game/engine/core.py`` -> ``game.engine.core``; a package is its ``__init__``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(GAME.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(statements: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, however deeply nested, except under TYPE_CHECKING."""
    for node in statements:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.orelse)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from _imports([child])
                elif isinstance(child, ast.excepthandler):
                    yield from _imports(child.body)


def imported(name: str) -> dict[str, int]:
    """The modules of game/ that module ``name`` imports, with the line of the first
    import of each."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in _imports(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        for target in targets:
            if target in MODULES and target != name:
                found.setdefault(target, node.lineno)
    return found


GRAPH = {name: imported(name) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe(component: set[str], graph: dict[str, set[str]]) -> str:
    """The imports that tie a cycle together, as 'a -> b' lines."""
    return "\n".join(
        f"  {a} -> {b}" for a in sorted(component) for b in sorted(graph[a]) if b in component
    )


def package_of(name: str) -> str:
    """The package a module belongs to (PACKAGES), or the module itself."""
    return next((p for p in PACKAGES if name == p or name.startswith(p + ".")), name)


def test_the_graph_is_read() -> None:
    """A sanity check of the reader on imports known to exist."""
    assert "game.engine.core" in GRAPH["game.engine.replay"]
    assert "game.engine.rng" in GRAPH["game.engine.core"]  # from game.engine import rng
    assert "game.content.scenario" not in GRAPH["game.engine.core"]  # under TYPE_CHECKING
    assert "game.content.loader" in GRAPH["game.cli"]  # inside a function


def test_no_import_cycle_between_modules() -> None:
    """No module of game/ imports, directly or not, a module that imports it (apart from
    the listed cycle in game/ui being removed)."""
    graph = {name: set(targets) for name, targets in GRAPH.items()}
    found = cycles(graph)
    new = [c for c in found if not c <= KNOWN_UI_CYCLE]
    assert not new, "import cycles:\n" + "\n\n".join(describe(c, graph) for c in new)
    assert found or not KNOWN_UI_CYCLE, "game/ui has no cycle any more: empty KNOWN_UI_CYCLE"


def test_packages_depend_one_way() -> None:
    """No package of game/ imports one that imports it back (engine, content, sim, ui and
    the modules beside them)."""
    edges = {(a, b) for a, targets in GRAPH.items() for b in targets}
    assert edges >= KNOWN_PACKAGE_EDGES, "a listed exception is gone: remove it"
    graph: dict[str, set[str]] = {}
    for a, b in edges - KNOWN_PACKAGE_EDGES:
        if package_of(a) != package_of(b):
            graph.setdefault(package_of(a), set()).add(package_of(b))
    found = cycles(graph)
    assert not found, "package cycles:\n" + "\n\n".join(describe(c, graph) for c in found)


def test_content_does_not_import_the_engine() -> None:
    """The condition language and the loaded scenario are content; the engine compiles
    and runs them.  So game.content never imports game.engine (or anything above it)."""
    wrong = [
        f"{MODULES[a].relative_to(ROOT)}:{line}: imports {b}"
        for a, targets in GRAPH.items()
        if package_of(a) == "game.content"
        for b, line in targets.items()
        if package_of(b) != "game.content" and (a, b) not in KNOWN_PACKAGE_EDGES
    ]
    assert not wrong, "\n".join(wrong)
