"""A checker far deeper than Python's recursion limit is checked and walked, not a crash: the
graph checks and the path walk keep their own stacks. (The bench's 100x service, about a thousand
questions on a path, once stopped `check` with the bug message.)"""

from __future__ import annotations

import json
import sys

import pytest

from generator.cli import main

DEPTH = sys.getrecursionlimit() + 200  # deeper than any recursive walk could go


@pytest.fixture(name="deep_project")
def deep_project_fixture(tmp_path, copy_project_to, edit_file):
    """The project with DEPTH questions of the checker's own before the first criterion's: each
    one's "Go on" leads to the next, its "Stop" to an outcome of its own."""
    project = copy_project_to(tmp_path / "project")
    checker = project / "content" / "checker.yaml"
    chain = "".join(
        f"  - id: step_{i}\n"
        f"    text: Step {i}?\n"
        f"    options:\n"
        f"      - id: go_on\n        label: Go on\n"
        f"        next: {f'step_{i + 1}' if i + 1 < DEPTH else 'case_holder'}\n"
        f"      - id: stop\n        label: Stop\n        next: stopped\n"
        for i in range(DEPTH)
    )
    edit_file(checker, "start: case_holder\n", "start: step_0\n")
    edit_file(checker, "questions:\n", "questions:\n" + chain)
    edit_file(
        checker,
        "outcomes:\n",
        "outcomes:\n  - id: stopped\n    result: not_yet\n    title: You stopped\n"
        "    body: Start again when you are ready.\n    next_steps: [contact]\n",
    )
    return project


def _run(capsys, *argv):
    code = main(list(argv))
    output = capsys.readouterr()
    return code, output.out, output.err


def test_a_checker_deeper_than_the_recursion_limit_checks_clean(deep_project, capsys):
    assert _run(capsys, "--root", str(deep_project), "check") == (
        0,
        "No problems found in the sources.\n",
        "",
    )


def test_a_loop_at_the_end_of_a_deep_checker_is_found(deep_project, capsys, edit_file):
    checker = deep_project / "content" / "checker.yaml"
    edit_file(checker, "next: case_holder\n", "next: step_0\n")
    code, out, err = _run(capsys, "--root", str(deep_project), "check")
    loop = " -> ".join(f"step_{i}" for i in range(DEPTH)) + " -> step_0"
    lines = checker.read_text(encoding="utf-8").splitlines()
    last = lines.index("        next: step_0") + 1  # the last step's "Go on" leads back
    assert code == 1
    assert (
        f"content/checker.yaml:{last}:15: this makes a loop ({loop}); every answer must lead "
        "forward to an outcome\n"
    ) in err
    assert "Something went wrong" not in out + err


def test_every_path_of_a_deep_checker_is_listed(deep_project, capsys, project_root):
    code, out, err = _run(capsys, "--root", str(deep_project), "eligibility", "--paths", "--json")
    assert (code, err) == (0, "")
    paths = json.loads(out)["paths"]
    _, real, _ = _run(capsys, "--root", str(project_root), "eligibility", "--paths", "--json")
    # One path stops at each step; the rest go on into each of the real checker's paths, in order.
    assert [p["outcome"]["id"] for p in paths] == [
        p["outcome"]["id"] for p in json.loads(real)["paths"]
    ] + ["stopped"] * DEPTH
