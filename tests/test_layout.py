"""The package is laid out by stage, and no module imports one that imports it back.

The graph is read from the source with `ast` (every import, those inside functions too), so a
cycle is found even where a lazy import would hide it at run time."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The generator modules `name` imports: `from generator.x import y` counts as generator.x.y
    when that is a module, else as generator.x."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found.update(target for target in targets if target in MODULES and target != name)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or [] when there is none."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = "open"
        trail.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return trail[trail.index(imported) :] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        state[module] = "done"
        trail.pop()
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_no_module_imports_one_that_imports_it_back():
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    assert _cycle(graph) == [], " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


# generator.__main__ runs the command line when imported; the CLI tests run it as `-m generator`.
@pytest.mark.parametrize("name", sorted(set(MODULES) - {"generator.__main__"}))
def test_every_module_imports(name):
    importlib.import_module(name)


def test_the_folders_are_the_stages():
    packages = {path.parent.name for path in PACKAGE.rglob("__init__.py")} - {"generator"}
    assert packages == {"text", "sources", "rules", "render", "publish", "commands"}
    flat = {path.stem for path in PACKAGE.glob("*.py")}
    assert flat == {"__init__", "__main__", "cli", "model", "plugin", "problems", "report"}
