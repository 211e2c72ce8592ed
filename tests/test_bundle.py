"""The form page's script is its ES modules bundled into one classic script: each module once, after
what it imports, with no import or export left; and what the bundler cannot bundle right it refuses,
naming the file and line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.render.bundle import bundle_modules
from generator.render.rendering import read_script_bundle, read_static

ENTRY = "js/form/main.mjs"
HOW = 'write imports as import { a, b } from "./file.mjs"; and put export before a declaration'
FORM_FOLDER = Path(__file__).resolve().parent.parent / "generator" / "static" / "js" / "form"


def _bundle(modules: dict[str, str], entry: str = "a.mjs") -> str:
    return bundle_modules(entry, lambda path: modules[path])


def test_the_form_script_is_every_module_once_after_what_it_imports():
    bundle = bundle_modules(ENTRY, read_static)
    modules = sorted(p.name for p in FORM_FOLDER.glob("*.mjs"))
    assert {"rules.mjs", "page.mjs", "drafts.mjs", "print.mjs", "main.mjs"} <= set(modules)
    # Each module's header comment (its first line) is in the bundle once: none is left out.
    start = {}
    for name in modules:
        text = read_static(f"js/form/{name}")
        assert bundle.count(text.splitlines()[0]) == 1, name
        start[name] = bundle.index(text.splitlines()[0])
    for name in modules:
        for imported in re.findall(r'from "\./([\w-]+\.mjs)";', read_static(f"js/form/{name}")):
            assert start[imported] < start[name], f"{imported} after {name}, which imports it"
    assert bundle.startswith('(() => {\n"use strict";\n') and bundle.endswith("})();\n")
    assert not re.search(r"^(?:import|export)\b", bundle, re.MULTILINE)


@pytest.mark.parametrize("minified", [False, True], ids=["bundle", "minified"])
def test_the_bundle_is_a_script_node_can_parse(tmp_path, minified):
    node = shutil.which("node")
    assert node, "Node is needed (see tests/test_rules_in_node.py)"
    script = tmp_path / "referral-form.js"
    script.write_text(
        read_script_bundle(ENTRY) if minified else bundle_modules(ENTRY, read_static), "utf-8"
    )
    result = subprocess.run(
        [node, "--check", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_imports_and_exports_come_out():
    modules = {
        "a.mjs": 'import { b, c } from "./b.mjs";\n\nb(c);\n',
        "b.mjs": "export const b = (x) => x;\nexport function c() {}\nexport let d, e;\n",
    }
    assert _bundle(modules) == (
        '(() => {\n"use strict";\n'
        "const b = (x) => x;\nfunction c() {}\nlet d, e;\n\n\nb(c);\n})();\n"
    )


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        (
            {"a.mjs": 'import { x } from "./b.mjs";\n', "b.mjs": "export const y = 1;\n"},
            "a.mjs:1: b.mjs exports no 'x'",
        ),
        (
            {"a.mjs": 'import * as b from "./b.mjs";\n', "b.mjs": ""},
            "a.mjs:1: cannot bundle 'import * as b from \"./b.mjs\";': " + HOW,
        ),
        (
            {"a.mjs": 'import { b as c } from "./b.mjs";\n', "b.mjs": "export const b = 1;\n"},
            "a.mjs:1: cannot bundle a renamed import: " + HOW,
        ),
        (
            {"a.mjs": "const a = 1;\nexport default a;\n"},
            "a.mjs:2: cannot bundle 'export default a;': " + HOW,
        ),
        (
            {
                "a.mjs": 'import { b } from "./b.mjs";\nexport const a = 1;\n',
                "b.mjs": 'import { a } from "./a.mjs";\nexport const b = 2;\n',
            },
            "a.mjs: imports itself through a.mjs -> b.mjs",
        ),
        (
            {
                "a.mjs": 'import { b } from "./b.mjs";\n\nconst open = b;\n',
                "b.mjs": "function open() {}\nexport const b = open;\n",
            },
            "a.mjs:3: 'open' is declared in b.mjs too, and bundled modules share one scope",
        ),
    ],
    ids=[
        "unknown-name",
        "namespace-import",
        "renamed-import",
        "default-export",
        "cycle",
        "same-name",
    ],
)
def test_what_cannot_be_bundled_right_is_refused(modules, message):
    with pytest.raises(ValueError) as refused:
        _bundle(modules)
    assert str(refused.value) == message
