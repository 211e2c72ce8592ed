"""The "What changed" page: from the history of content/ and forms/, or plainly without one."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest

from generator.render import pages
from generator.render.context import BuildContext
from generator.render.history import read_history
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = '<script>alert(1)</script> *not bold* [link](javascript:alert(1)) {: onclick="x" }'


def _git(root: Path, *args: str, date: str = "") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "An Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "An Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _copy(destination: Path) -> Path:
    for folder in ("content", "forms"):
        shutil.copytree(ROOT / folder, destination / folder)
    return destination


@pytest.fixture
def repository(tmp_path, edit_file) -> Path:
    """A copy of the sources in a new repository with three commits to them and one beside them."""
    root = _copy(tmp_path / "service")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "content", "forms")
    _git(root, "commit", "-q", "-m", "Add the guide's first text", date="2026-01-05")
    edit_file(root / "content/eligibility.yaml", "upper_age: 17", "upper_age: 18")
    _git(root, "commit", "-q", "-am", "Raise the age limit to 18", date="2026-03-02")
    (root / "notes.txt").write_text("not the guide's text\n")
    _git(root, "add", "notes.txt")
    _git(root, "commit", "-q", "-m", "A change beside the guide", date="2026-03-09")
    (root / "forms/referral.yaml").write_text(
        (root / "forms/referral.yaml").read_text() + "# a note\n"
    )
    _git(root, "commit", "-q", "-am", HOSTILE, date="2026-04-20")
    return root


def _page(root: Path) -> str:
    context = BuildContext(root=root, cache_dir=root / ".cache")
    return pages.render_files(load_project(root), context)["what-changed.md"]


def _html(page: str) -> str:
    body = page.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["attr_list", "md_in_html", "toc", "admonition"])


def test_three_changes_newest_first(repository):
    changes = read_history(repository)
    assert [(c.date, c.message) for c in changes] == [
        ("2026-04-20", HOSTILE),
        ("2026-03-02", "Raise the age limit to 18"),
        ("2026-01-05", "Add the guide's first text"),
    ]
    page = _page(repository)
    assert page.index("20 April 2026") < page.index("2 March 2026") < page.index("5 January 2026")
    assert "A change beside the guide" not in page
    assert "Last reviewed:" in page and "26 November 2026" in page
    assert "Next review:" in page


def _text(html: str) -> str:
    """What a reader sees: the page's text nodes, character references read."""
    from html.parser import HTMLParser

    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append
    parser.feed(html)
    parser.close()
    return "".join(parts)


def test_commit_messages_are_shown_as_written_never_as_markup(repository):
    html = _html(_page(repository))
    assert "<script>" not in html
    # Shown as typed: the page's text, once the browser has read its character references.
    assert "<script>alert(1)</script> *not bold* [link](javascript:alert(1))" in _text(html)
    assert "<em>" not in html
    assert 'href="javascript' not in html
    assert 'onclick="' not in html


def test_a_folder_without_history_says_so_plainly(tmp_path):
    root = _copy(tmp_path / "tarball")
    assert read_history(root) is None
    page = _page(root)
    assert "The history of changes is not available for this copy of the website" in page
    assert "Last reviewed:" in page


def test_without_git_the_page_still_builds(repository, monkeypatch):
    monkeypatch.setenv("PATH", str(repository / "no-such-folder"))
    assert read_history(repository) is None
    assert "is not available" in _page(repository)


def test_a_repository_without_changes_to_the_text(tmp_path):
    root = _copy(tmp_path / "service")
    _git(root, "init", "-q", "-b", "main")
    (root / "notes.txt").write_text("not the guide's text\n")
    _git(root, "add", "notes.txt")
    _git(root, "commit", "-q", "-m", "Only a note", date="2026-03-09")
    assert read_history(root) == ()
    assert "No changes to the guide's text have been recorded yet." in _page(root)
