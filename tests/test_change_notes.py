"""The "What changed" page: editors' change notes only, newest first; never a commit; a note's
summary is sanitised text that cannot make a row, a date or another entry; each page a note names
shows the day it last changed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generator.render import pages
from generator.render.change_notes import PAGE_FILES, add_last_changed
from generator.render.context import BuildContext
from generator.sources.load import check_sources, load_project

ROOT = Path(__file__).resolve().parent.parent
NOTES_START = "changes:\n"

NOTES = """changes:
  - date: "2026-03-02"
    summary: The age limit is now explained on the pathway page.
    pages: [pathway]
  - date: "2026-04-20"
    summary: A new contact for questions.
    pages: [contact]
    home_sections: [contact]
  - date: "2026-01-05"
    summary: First published.
    pages: [home, pathway, contact]
"""


def _copy(destination: Path, notes: str = NOTES) -> Path:
    for folder in ("content", "forms"):
        shutil.copytree(ROOT / folder, destination / folder)
    guide = destination / "content" / "guide.yaml"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text[: text.index(NOTES_START)] + notes, encoding="utf-8")
    return destination


def _files(root: Path) -> dict:
    context = BuildContext(root=root, cache_dir=root / ".cache")
    return add_last_changed(pages.render_files(load_project(root), context), load_project(root))


def _html(page: str) -> str:
    body = page.split("---\n", 2)[2]
    return markdown.markdown(body, extensions=["attr_list", "md_in_html", "toc", "admonition"])


class _Rows(HTMLParser):
    """The change table's rows, each as the text of its cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.times: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "time":
            self.times.append(dict(attrs).get("datetime", ""))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _rows(page: str) -> _Rows:
    parser = _Rows()
    parser.feed(_html(page))
    return parser


def test_notes_are_listed_newest_first_with_the_pages_they_changed(tmp_path):
    page = _files(_copy(tmp_path / "service"))["what-changed.md"]
    rows = _rows(page).rows
    assert rows[0] == ["Date", "What changed", "Pages changed"]
    assert [r[:2] for r in rows[1:]] == [
        ["20 April 2026", "A new contact for questions."],
        ["2 March 2026", "The age limit is now explained on the pathway page."],
        ["5 January 2026", "First published."],
    ]
    assert rows[1][2] == "One minute guide, Contact"
    assert "Last reviewed:" in page and "Next review:" in page


def test_each_page_a_note_names_shows_the_day_it_last_changed(tmp_path):
    files = _files(_copy(tmp_path / "service"))
    assert 'Last changed: <time datetime="2026-04-20">20 April 2026</time>' in files["contact.md"]
    assert "2026-04-20" in files["index.md"]  # through home_sections
    assert '<time datetime="2026-03-02">2 March 2026</time>' in files["pathway.md"]
    assert "Last changed" not in files["how-to-refer.md"]
    assert "[What changed](what-changed.md#changes)" in files["contact.md"]


def test_the_shipped_notes_name_every_page():
    project = load_project(ROOT)
    named = {name for note in project.guide.changes for name in note.pages}
    assert named == set(PAGE_FILES)


def test_commits_never_reach_the_page(tmp_path):
    root = _copy(tmp_path / "service")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    identity = ["-c", "user.name=An Editor", "-c", "user.email=editor@example.org"]
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "."],
        ["commit", "-qm", "Merge branch 'drafts'"],
    ):
        subprocess.run(["git", *identity, "-C", str(root), *args], check=True, env=env)
    page = _files(root)["what-changed.md"]
    assert "Merge branch" not in page
    assert len(_rows(page).rows) == 4


FORGERIES = [
    "Real note. | 2099-01-01 | A forged row |",
    "Real note.\n\n| Date | What changed |\n| --- | --- |\n| 2099-01-01 | Forged |",
    "Real note.\n\n2099-01-01\n: a forged definition",
    'Real note. {: datetime="2099-01-01" }',
]


@pytest.mark.parametrize("summary", FORGERIES)
def test_a_note_cannot_forge_a_row_or_a_date(tmp_path, summary):
    notes = f'changes:\n  - date: "2026-03-02"\n    summary: {json.dumps(summary)}\n    pages: [pathway]\n'
    root = _copy(tmp_path / "service", notes)
    problems = check_sources(root)
    if problems:  # refused: located at the summary
        assert all(str(p).startswith("content/guide.yaml:") for p in problems), problems
        return
    parsed = _rows(_files(root)["what-changed.md"])
    assert len(parsed.rows) == 2, parsed.rows
    shown = " ".join(parsed.rows[1][1].split())
    assert "Real note" in shown or "Bold" in shown or "Ask" in shown, shown
    assert "2099-01-01" not in parsed.times


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("</td></tr><tr><td>2099-01-01</td><td>Forged", "HTML such as '</td>' is not allowed"),
        ("[www.northyorks.gov.uk](https://evil.example/)", "the link's words show the website"),
        ("Trusted \u202eRelationships", "invisible direction control"),
        ("Null\u0000byte", "invisible control character"),
        ("A {nonexistent} fact", "unknown placeholder {nonexistent}"),
        ("x" * 301, "at most 300 characters"),
    ],
)
def test_hostile_notes_are_refused_at_their_line(tmp_path, summary, expected):
    notes = f'changes:\n  - date: "2026-03-02"\n    summary: {json.dumps(summary)}\n    pages: [pathway]\n'
    root = _copy(tmp_path / "service", notes)
    guide = (root / "content" / "guide.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(guide, 1) if text.startswith("    summary:"))
    problems = [str(p) for p in check_sources(root)]
    assert any(
        re.match(rf"content/guide\.yaml:{line}:\d+: .*{re.escape(expected)}", p) for p in problems
    ), problems


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ('  - date: "2026-03-02"\n    summary: x\n    pages: [nowhere]\n', "name a page: home,"),
        (
            '  - date: "2026-03-02"\n    summary: x\n    home_sections: [contactt]\n',
            "unknown section 'contactt'",
        ),
        (
            '  - date: "2026-3-2"\n    summary: x\n    pages: [home]\n',
            "write the date as YYYY-MM-DD",
        ),
        (
            '  - date: "2026-03-02\\n"\n    summary: x\n    pages: [home]\n',
            "write the date as YYYY-MM-DD",
        ),
        ('  - date: "2026-03-02"\n    summary: x\n', "'pages' is missing here"),
    ],
)
def test_a_mistaken_note_is_refused_plainly(tmp_path, note, expected):
    root = _copy(tmp_path / "service", "changes:\n" + note)
    problems = [str(p) for p in check_sources(root)]
    assert any(expected in p and p.startswith("content/guide.yaml:") for p in problems), problems


def test_the_search_index_holds_the_notes_and_no_commit(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    changed = " ".join(
        d["text"] for d in index["docs"] if d["location"].startswith("what-changed/")
    )
    for note in load_project(ROOT).guide.changes:
        assert " ".join(note.summary.split()) in changed
    assert "Merge branch" not in changed
