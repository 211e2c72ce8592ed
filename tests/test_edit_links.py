"""Edit links and source notes: each page points editors at the YAML line its text comes from."""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path

import pytest

from generator.problems import Location
from generator.render import checker_site, form_site, pages
from generator.render.context import BuildContext
from generator.render.edit_links import add_source_links, edit_address, page_sources
from generator.sources.load import UNCHECKED, check_sources, load_project

ROOT = Path(__file__).resolve().parent.parent
GITLAB = "https://gitlab.example.org/council/guide/-/edit/main/{path}#L{line}"
EDIT_LINK = re.compile(r'<a href="([^"]*)">Edit this page</a>')


def _pages(project, preview=False) -> dict[str, str]:
    """The Markdown pages of the guide, the checker and the form (no PDFs: they are slow)."""
    context = BuildContext(root=ROOT, cache_dir=ROOT / ".cache" / "generator", preview=preview)
    files: dict = {}
    for module in (pages, checker_site, form_site):
        files.update(module.render_files(project, context))
    files = add_source_links(files, project, preview)
    return {path: text for path, text in files.items() if path.endswith(".md")}


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def with_edit_url(project):
    service = dataclasses.replace(project.service, edit_url=GITLAB)
    return dataclasses.replace(project, service=service)


def _line(path: str, number: int) -> str:
    return (ROOT / path).read_text(encoding="utf-8").splitlines()[number - 1]


def test_every_page_with_editors_text_has_one_edit_link(with_edit_url):
    rendered = _pages(with_edit_url)
    sources = page_sources(with_edit_url)
    assert len(sources) >= 10  # the guide's pages, every checker page, the form
    for page in sources:
        links = EDIT_LINK.findall(rendered[page])
        assert len(links) == 1, page
        where = sources[page]
        assert unescape(links[0]) == (
            f"https://gitlab.example.org/council/guide/-/edit/main/{where.file}#L{where.line}"
        )
    # Pages that are not editors' text (downloads, editing, hosting) get none.
    assert not EDIT_LINK.search(rendered["hosting.md"])


@pytest.mark.parametrize(
    "page, expected_line",
    [
        ("index.md", "title: Trusted Relationships Service"),
        ("contact.md", "- id: enquiries"),
        # A criterion's question is written with the criterion, in its `ask:` block.
        ("checker/q/age.md", "question: Is the young person aged"),
        ("pathway.md", "title: "),
        ("referral-form.md", "id: referral"),  # the form starts here
    ],
)
def test_the_link_points_at_the_line_that_holds_the_text(with_edit_url, page, expected_line):
    link = unescape(EDIT_LINK.search(_pages(with_edit_url)[page]).group(1))
    path, line = re.fullmatch(
        r"https://gitlab\.example\.org/council/guide/-/edit/main/(.+)#L(\d+)", link
    ).groups()
    assert _line(path, int(line)).strip().startswith(expected_line)


def test_each_outcome_page_links_to_its_outcome(with_edit_url):
    rendered = _pages(with_edit_url)
    for outcome in with_edit_url.checker.outcomes:
        link = unescape(EDIT_LINK.search(rendered[f"checker/outcome/{outcome.id}.md"]).group(1))
        line = int(link.rsplit("#L", 1)[1])
        assert _line("content/checker.yaml", line).strip() == f"- id: {outcome.id}"


def test_without_edit_url_there_is_no_link_and_no_note(project):
    pages = _pages(project)
    assert len(pages) >= 20, sorted(pages)
    for page, text in pages.items():
        # The editing page tells editors about the link in its prose; no page carries the link.
        assert 'class="tr-edit"' not in text, page
        assert 'class="tr-source"' not in text, page


def test_the_preview_shows_the_source_under_each_section(project):
    rendered = _pages(project, preview=True)
    index = rendered["index.md"]
    assert "Edit this page" not in index
    for section in project.guide.sections:
        note = f"Source: content/guide.yaml, line {section.where.line}"
        assert note in index
        assert _line("content/guide.yaml", section.where.line).strip() == f"- id: {section.id}"
    assert "Source: content/guide.yaml, line 21" in index  # what_is, the first section
    assert "Source: content/service.yaml, line" in rendered["contact.md"]


def test_the_edit_address_is_escaped_in_the_page(project):
    service = dataclasses.replace(
        project.service, edit_url="https://git.example.org/edit?file={path}&line={line}"
    )
    index = _pages(dataclasses.replace(project, service=service))["index.md"]
    assert 'href="https://git.example.org/edit?file=content/guide.yaml&amp;line=9"' in index


@pytest.mark.parametrize(
    "edit_url",
    [
        "javascript:alert(1)//{path}",
        "http://git.example.org/{path}",
        'https://git.example.org/{path}" onclick="alert(1)',
        "https://git.example.org/edit/main/",  # no {path}
        "https://git.example.org/{path}{oops}",
    ],
)
def test_an_unsafe_edit_url_is_refused_with_its_line(edit_url, tmp_path, edit_file):
    root = tmp_path / "service"
    for folder in ("content", "forms"):
        shutil.copytree(ROOT / folder, root / folder)
    edit_file(
        root / "content/service.yaml",
        "# edit_url: https://github.com/council/guide/edit/main/{path}#L{line}",
        f"edit_url: '{edit_url}'",
    )
    lines = (root / "content/service.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index(f"edit_url: '{edit_url}'") + 1
    # The check's own note that other checks wait for service.yaml is not the point here.
    problems = [str(p) for p in check_sources(root) if p.code != UNCHECKED]
    assert len(problems) == 1
    assert problems[0].startswith(f"content/service.yaml:{line}:")
    assert "starting https://" in problems[0]


def test_the_renderer_refuses_an_unsafe_address_even_without_the_schema():
    with pytest.raises(ValueError):
        edit_address("javascript:alert(1)//{path}", Location("content/guide.yaml", 1, 1))
    assert edit_address(GITLAB, Location("content/a b.yaml", 3, 1)).endswith(
        "/content/a%20b.yaml#L3"
    )


# -- through MkDocs: the link and the note survive the build and the preview -----------------------


def test_a_built_site_with_edit_url_has_the_links(project_copy, edit_file, build_site):
    edit_file(
        project_copy / "content/service.yaml",
        "# edit_url: https://github.com/council/guide/edit/main/{path}#L{line}",
        "edit_url: https://github.com/council/guide/edit/main/{path}#L{line}",
    )
    result = build_site(project_copy, project_copy / "site", strict=True)
    assert result.ok, result.output
    site = project_copy / "site"
    for page, path in (
        ("index.html", "content/guide.yaml"),
        ("contact/index.html", "content/service.yaml"),
    ):
        html = (site / page).read_text(encoding="utf-8")
        link = EDIT_LINK.search(html)
        assert link, page
        assert unescape(link.group(1)).startswith(
            f"https://github.com/council/guide/edit/main/{path}#L"
        )
    assert "Source: " not in (site / "index.html").read_text(encoding="utf-8")


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return None


def test_only_the_preview_shows_the_sources(project_copy, preview_server):
    with preview_server(project_copy, project_copy / "serve.log") as base_url:
        deadline = time.monotonic() + 90
        page = None
        while page is None and time.monotonic() < deadline:
            page = _get(base_url)
            time.sleep(0.25)
    assert page is not None, (project_copy / "serve.log").read_text()
    assert "Source: content/guide.yaml, line 21" in page
    assert "Edit this page" not in page
