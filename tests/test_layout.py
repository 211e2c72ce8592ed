"""The package is laid out by stage: every import points down the stages or within its own, and no
module imports one that imports it back.

The graph is read from the source with `ast` (every import, those inside functions too), so an
import against the stages or a cycle is found even where a lazy import would hide it at run time."""

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

# The stages, from the bottom up: a module imports only from its own stage and the ones below it.
# A name is a module, or a package and everything in it. `report` is in the commands' stage: only
# commands print, and it is how they print problems (check and validate import it, as cli does);
# it imports only problems, but below commands it would let a domain stage print.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("generator", "generator.problems", "generator.model", "generator.text")),
    ("sources", ("generator.sources",)),
    ("rules", ("generator.rules",)),
    ("render", ("generator.render",)),
    ("publish", ("generator.publish",)),
    ("commands", ("generator.commands", "generator.report")),
    ("entry points", ("generator.cli", "generator.plugin", "generator.__main__")),
)


def _stage_of(module: str) -> int | None:
    """The index in STAGES of the stage `module` belongs to, or None when it has none."""
    for index, (_, names) in enumerate(STAGES):
        for name in names:
            # The package `generator` itself is one module; every other name includes its package.
            if module == name or (name != "generator" and module.startswith(name + ".")):
                return index
    return None


def _import_lines(name: str, path: Path) -> list[tuple[str, int]]:
    """The generator modules `name` imports, each with the line of its import: `from generator.x
    import y` counts as generator.x.y when that is a module, else as generator.x."""
    found = []
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
        found += [(t, node.lineno) for t in targets if t in MODULES and t != name]
    return sorted(set(found), key=lambda found: (found[1], found[0]))


def _imports(name: str, path: Path) -> set[str]:
    return {target for target, _ in _import_lines(name, path)}


def _against_the_stages(
    imports: dict[str, list[tuple[str, int]]], files: dict[str, str]
) -> list[str]:
    """Each import that points up the stages, as `file:line: stage module imports stage module`."""
    found = []
    for module, targets in sorted(imports.items()):
        for target, line in targets:
            here, there = _stage_of(module), _stage_of(target)
            if here is not None and there is not None and there > here:
                found.append(
                    f"{files[module]}:{line}: {module} ({STAGES[here][0]}) imports {target} "
                    f"({STAGES[there][0]}), a later stage"
                )
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


def test_every_module_has_a_stage():
    assert [name for name in MODULES if _stage_of(name) is None] == []


def test_every_import_points_down_the_stages_or_within_its_own():
    imports = {name: _import_lines(name, path) for name, path in MODULES.items()}
    files = {name: path.relative_to(PACKAGE.parent).as_posix() for name, path in MODULES.items()}
    against = _against_the_stages(imports, files)
    assert against == [], "imports against the stages:\n" + "\n".join(against)


def test_the_stage_check_names_an_import_against_the_stages():
    imports = {
        "generator.sources.load": [("generator.model", 3), ("generator.render.pages", 9)],
        "generator.render.pages": [
            ("generator.render.rendering", 2),
            ("generator.rules.compile", 4),
        ],
        "generator.model": [("generator.text.markup", 5)],
    }
    files = {name: name.replace(".", "/") + ".py" for name in imports}
    assert _against_the_stages(imports, files) == [
        (
            "generator/sources/load.py:9: generator.sources.load (sources) imports "
            "generator.render.pages (render), a later stage"
        )
    ]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


# generator.__main__ runs the command line when imported; the CLI tests run it as `-m generator`.
@pytest.mark.parametrize("name", sorted(set(MODULES) - {"generator.__main__"}))
def test_every_module_imports_from_this_tree_and_says_what_it_is_for(name):
    module = importlib.import_module(name)
    # The graph above is read from these files: the module that runs must be the one read.
    assert Path(module.__file__) == MODULES[name]
    assert (module.__doc__ or "").strip(), f"{MODULES[name]} has no docstring"


def test_the_folders_are_the_stages():
    # The stages' packages, each with packages of its own inside if it likes (publish/engines/).
    packages = {path.relative_to(PACKAGE).parts[0] for path in PACKAGE.glob("*/**/__init__.py")}
    assert packages == {"text", "sources", "rules", "render", "publish", "commands"}
    flat = {path.stem for path in PACKAGE.glob("*.py")}
    assert flat == {"__init__", "__main__", "cli", "model", "plugin", "problems", "report"}


# Sizes a reader can hold in mind: a module of at most MAX_MODULE_LINES lines, a function of at
# most MAX_FUNCTION_LINES (its decorators, signature, docstring and body). One that truly has no
# natural split is named here with its reason, as "file" or "file:function": keep this list short.
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
TOO_LONG_BY_NATURE: dict[str, str] = {}


def _oversized(
    files: dict[str, str], max_module: int, max_function: int, exceptions: dict[str, str]
) -> list[str]:
    """Each module and function over its limit and not an exception, as `file:line: module is N
    lines (most M)` or `file:line: function name is N lines (most M)`."""
    found = []
    for file, source in sorted(files.items()):
        lines = len(source.splitlines())
        if lines > max_module and file not in exceptions:
            found.append(f"{file}:1: module is {lines} lines (most {max_module})")
        for node in ast.walk(ast.parse(source, file)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            size = node.end_lineno - first + 1
            if size > max_function and f"{file}:{node.name}" not in exceptions:
                found.append(
                    f"{file}:{node.lineno}: function {node.name} is {size} lines (most {max_function})"
                )
    return found


def _package_sources() -> dict[str, str]:
    return {
        path.relative_to(PACKAGE.parent).as_posix(): path.read_text(encoding="utf-8")
        for path in MODULES.values()
    }


def test_every_module_and_function_is_within_its_size():
    found = _oversized(_package_sources(), MAX_MODULE_LINES, MAX_FUNCTION_LINES, TOO_LONG_BY_NATURE)
    assert found == [], "too long: split along a natural seam\n" + "\n".join(found)


def test_the_size_check_names_what_is_too_long():
    source = "def short():\n    pass\n\n\n@decorated\ndef longer():\n    a = 1\n    return a\n"
    assert _oversized({"generator/x.py": source}, 7, 3, {}) == [
        "generator/x.py:1: module is 8 lines (most 7)",
        "generator/x.py:6: function longer is 4 lines (most 3)",
    ]
    assert _oversized({"generator/x.py": source}, 8, 4, {}) == []
    exceptions = {"generator/x.py": "a reason", "generator/x.py:longer": "a reason"}
    assert _oversized({"generator/x.py": source}, 7, 3, exceptions) == []


def test_every_size_exception_is_still_too_long_and_says_why():
    # An exception that has been split since is removed, so the list stays the short one it is.
    everything = _oversized(_package_sources(), MAX_MODULE_LINES, MAX_FUNCTION_LINES, {})
    for name, reason in TOO_LONG_BY_NATURE.items():
        assert reason.strip(), f"{name} needs its reason"
        file, _, function = name.partition(":")
        what = f": function {function} is " if function else ": module is "
        assert any(line.startswith(file + ":") and what in line for line in everything), (
            f"{name} is within its size now: remove it from TOO_LONG_BY_NATURE"
        )
