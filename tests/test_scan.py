"""The post-build scan judges every published file, whatever its name: one fixture per kind of file
(tests/fixtures/scan/, with the exact messages in expected.txt), PDFs made here, the site's own
pages and drawing, and a hand-written file beside the docs stopping a real build."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from generator.publish import scan

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scan"


def test_each_kind_of_file_is_judged_with_the_exact_message():
    found = [str(p).removeprefix("site/") for p in scan.scan_site(FIXTURES, "site")]
    expected = (FIXTURES / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert found == expected


@pytest.mark.parametrize(
    "name",
    ["sitemap-ok.xml", "drawing-ok.svg", "notes", "expected.txt"],
)
def test_what_is_harmless_passes(name):
    assert scan.judge_file(name, (FIXTURES / name).read_bytes()) == []


def test_every_file_with_a_problem_is_named():
    named = {str(p).split(":")[0].removeprefix("site/") for p in scan.scan_site(FIXTURES, "site")}
    harmless = {"sitemap-ok.xml", "drawing-ok.svg", "notes", "expected.txt"}
    assert named == {p.name for p in FIXTURES.iterdir()} - harmless


def _pdf(with_script: bool) -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    if with_script:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        document.Root.OpenAction = document.make_indirect(action)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_pdf_that_runs_script_is_refused_and_a_plain_one_passes():
    assert scan.judge_file("downloads/x.pdf", _pdf(False)) == []
    assert scan.judge_file("downloads/x.pdf", _pdf(True)) == [
        (1, 1, "a PDF holds JS (an action a viewer could run)"),
        (1, 1, "a PDF holds JavaScript (an action a viewer could run)"),
    ]
    # A PDF under no known name is judged by its first bytes.
    assert scan.judge_file("download", _pdf(True))
    assert scan.judge_file("x.pdf", b"not a pdf") == [
        (1, 1, "this is not a PDF that can be read: it cannot be checked")
    ]


def test_svgz_and_sniffed_drawings_are_refused():
    assert scan.judge_file("logo.svgz", b"\x1f\x8b...") == [
        (1, 1, "a compressed drawing (.svgz) cannot be checked: publish it as .svg")
    ]
    assert scan.judge_file("drawing", b'<svg xmlns="http://www.w3.org/2000/svg"/>')


def test_the_built_site_passes_and_its_own_drawing_is_judged(built_site):
    assert scan.scan_site(built_site, "site") == []
    pathway = (built_site / "pathway/index.html").read_text(encoding="utf-8")
    assert "<svg" in pathway
    # The same scan refuses the pathway drawing once it holds what a drawing may not.
    for planted, expected in (
        ("<svg", "an event-handler attribute onload= on <svg>"),
        ("<foreignObject><p>x</p></foreignObject>", "a <foreignObject> element"),
        ('<image href="https://tracker.example/p.png"/>', "a reference to another file"),
    ):
        if planted == "<svg":
            page = pathway.replace("<svg", '<svg onload="alert(1)"', 1)
        else:
            page = pathway.replace("</svg>", planted + "</svg>", 1)
        found = scan.judge_page(page)
        assert len(found) == 1 and expected in found[0][2], (planted, found)


def test_a_hostile_file_beside_the_docs_stops_the_build_and_keeps_the_last_site(
    project_copy, build_site, folder_snapshot
):
    site_dir = project_copy / "site"
    assert build_site(project_copy, site_dir, command="generator").returncode == 0
    before = folder_snapshot(site_dir)
    (project_copy / "docs" / "logo.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg">\n  <script>alert(document.domain)</script>\n</svg>\n'
    )
    (project_copy / "docs" / "old.htm").write_text("<p>old</p>\n", encoding="utf-8")
    result = build_site(project_copy, site_dir, command="generator")
    assert result.returncode == 1
    assert "site/logo.svg:2:3: a drawing holds a <script> element" in result.output
    assert "site/old.htm:1:1: a web page named .htm" in result.output
    assert "Traceback" not in result.output
    assert folder_snapshot(site_dir) == before


def test_every_page_has_a_description_and_the_contact_link_names_the_contact(built_site):
    from generator.sources.load import load_project

    missing = [
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if not re.search(r'<meta name="description" content="[^"]+"', p.read_text("utf-8"))
    ]
    assert missing == []
    contact = load_project(Path(__file__).resolve().parent.parent).service.contacts[0]
    how = (built_site / "how-to-refer/index.html").read_text("utf-8")
    assert f"Contact {contact.name}, {contact.role.replace('&', '&amp;')}</a>" in how
    assert "team</a>" not in how
