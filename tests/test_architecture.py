"""The house's walls: arrows point bot -> core, no cycles in core, handlers never touch tables,
and every room stays small enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 410  # "about 400": a module past this is two concepts
# The repositories and the database: only core's services reach them.
STORAGE = ("core.db", "core.migrations", ".repository", "core.publishing.attempts")
STORAGE += ("core.publishing.waiting", "core.events", "core.purge")


def modules(package: str) -> dict[str, Path]:
    root = REPO / package
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every module this file imports anywhere (functions and TYPE_CHECKING blocks too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return found


def test_core_never_imports_the_bot_or_telegram() -> None:
    core = modules("core")
    for name, path in core.items():
        for imported in imports_of(path, set(core)):
            assert not imported.startswith(("bot", "telegram")), f"{name} imports {imported}"


def test_the_bot_reaches_the_core_through_its_services_only() -> None:
    known = set(modules("core")) | set(modules("bot"))
    for name, path in modules("bot").items():
        for imported in imports_of(path, known):
            assert not any(
                imported == s or imported.endswith(s) or imported.startswith(s + ".")
                for s in STORAGE
            ), f"{name} imports {imported}"


def test_core_has_no_import_cycle() -> None:
    core = modules("core")
    graph = {
        name: {i for i in imports_of(path, set(core)) if i in core and i != name}
        for name, path in core.items()
    }
    cycles = strongly_connected(graph)
    assert cycles == [], f"import cycles in core: {cycles}"


def test_no_module_is_a_warehouse() -> None:
    for package in ("core", "bot", "tests/fakes"):
        for path in (REPO / package).rglob("*.py"):
            if path.parent.name == "texts":
                continue  # one table of strings per language, by design (STYLE.md)
            lines = len(path.read_text("utf-8").splitlines())
            assert lines <= MAX_LINES, f"{path.relative_to(REPO)} has {lines} lines"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the groups of modules that import each other (Tarjan), largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups, key=len, reverse=True)
