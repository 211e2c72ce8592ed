"""The editing page: written for editors without a terminal, with messages the check really gives."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from generator.render import pages
from generator.render.context import BuildContext
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "fixtures" / "broken"


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def _editing_page(project) -> str:
    context = BuildContext(root=ROOT, cache_dir=ROOT / ".cache" / "generator")
    return pages.render_files(project, context)["editing.md"]


def test_every_example_message_is_one_the_check_gives(project):
    """The examples are copied from the fixtures' exact messages, so they cannot drift from them."""
    real = {
        line
        for expected in BROKEN.glob("*/expected.txt")
        for line in expected.read_text(encoding="utf-8").splitlines()
    }
    blocks = re.findall(r"```text\n(.*?)```", _editing_page(project), flags=re.DOTALL)
    examples = [line for block in blocks for line in block.splitlines()]
    assert len(examples) >= 12
    for example in examples:
        assert example in real, f"the editing page shows a message the check never gives: {example}"


def test_the_web_editor_comes_first_and_the_terminal_second(project):
    page = _editing_page(project)
    headings = re.findall(r"^## (.+?) \{ #([a-z-]+) \}$", page, flags=re.MULTILINE)
    ids = [anchor for _, anchor in headings]
    assert (
        ids.index("web-editor") < ids.index("messages") < ids.index("kinds") < ids.index("terminal")
    )
    assert ids[-1] == "terminal"
    for words in (
        "pull request",
        "merge request",
        "Files changed",
        "Code Quality",
        "Commit changes",
    ):
        assert words in page


def test_the_edit_link_is_explained_when_it_is_set(project):
    assert "they set `edit_url`" in _editing_page(project)
    service = dataclasses.replace(
        project.service, edit_url="https://git.example.org/{path}#L{line}"
    )
    page = _editing_page(dataclasses.replace(project, service=service))
    assert "ends with an **Edit this page** link" in page
    assert "they set `edit_url`" not in page
