"""The pathway diagram: the same steps and branches as the YAML, readable, accessible, any shape."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from generator.model import Branch, Pathway, PathwayStep
from generator.render import diagram
from generator.sources.load import load_project

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg_text: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg_text)


def _drawn_steps(root: ElementTree.Element) -> list[tuple[str, str, str]]:
    """(id, kind, text) of every step drawn, in drawing order."""
    steps = []
    for group in root.iter(f"{SVG}g"):
        if "data-step" in group.attrib:
            text = " ".join(t.text or "" for t in group.iter(f"{SVG}tspan"))
            steps.append((group.get("data-step"), group.get("data-kind"), " ".join(text.split())))
    return steps


def _drawn_links(root: ElementTree.Element) -> set[tuple[str, str, str]]:
    return {
        (g.get("data-from"), g.get("data-to"), g.get("data-label"))
        for g in root.iter(f"{SVG}g")
        if "data-from" in g.attrib
    }


def _yaml_links(steps: list[dict]) -> set[tuple[str, str, str]]:
    """Where each step leads, read straight from the YAML: a decision's branches, a step's `next`
    or else the step below it, nothing from an end."""
    links = set()
    for index, step in enumerate(steps):
        if step["kind"] == "decision":
            links |= {(step["id"], b["to"], b["label"]) for b in step["branches"]}
        elif step["kind"] != "end":
            following = step.get("next") or steps[index + 1]["id"]
            links.add((step["id"], following, ""))
    return links


@pytest.fixture(scope="module")
def pathway_yaml() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "content" / "pathway.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def project():
    return load_project(PROJECT_ROOT)


@pytest.fixture(scope="module")
def page_svg(built_site) -> ElementTree.Element:
    """The diagram as inlined in the built pathway page."""
    html = (built_site / "pathway" / "index.html").read_text(encoding="utf-8")
    match = re.search(r"<svg\b[^>]*class=\"tr-diagram\".*?</svg>", html, re.DOTALL)
    assert match, "the pathway page has no inline SVG"
    return _parse(match.group(0))


def test_the_diagram_on_the_page_has_the_yaml_steps(page_svg, pathway_yaml, project):
    drawn = {step_id: (kind, text) for step_id, kind, text in _drawn_steps(page_svg)}
    assert sorted(drawn) == sorted(s["id"] for s in pathway_yaml["steps"])
    for step in pathway_yaml["steps"]:
        assert drawn[step["id"]][0] == step["kind"]
    # The text is the YAML's, with its {placeholders} filled in.
    for step in project.pathway.steps:
        assert drawn[step.id][1] == step.text


def test_the_diagram_on_the_page_has_the_yaml_branches(page_svg, pathway_yaml):
    assert _drawn_links(page_svg) == _yaml_links(pathway_yaml["steps"])


def test_branch_labels_are_drawn_as_text(page_svg, pathway_yaml):
    drawn = []
    for group in page_svg.iter(f"{SVG}g"):
        if group.get("data-label"):
            labels = [t.text for t in group.iter(f"{SVG}text")]
            assert labels == [group.get("data-label")]
            drawn += labels
    # Every branch of the YAML has its label drawn (so the loop above had something to check).
    branches = [b["label"] for s in pathway_yaml["steps"] for b in s.get("branches", [])]
    assert sorted(drawn) == sorted(branches) and branches


def test_the_svg_is_accessible_and_scales(page_svg, project):
    assert page_svg.get("role") == "img"
    title = page_svg.find(f"{SVG}title")
    desc = page_svg.find(f"{SVG}desc")
    assert title is not None and title.text == project.pathway.title
    assert desc is not None and desc.text
    assert page_svg.get("aria-labelledby") == title.get("id")
    assert page_svg.get("aria-describedby") == desc.get("id")
    assert page_svg.get("viewBox")
    assert "width" not in page_svg.attrib and "height" not in page_svg.attrib
    # Nothing a strict Content-Security-Policy would block, nothing fetched.
    assert not list(page_svg.iter(f"{SVG}script")) and not list(page_svg.iter(f"{SVG}style"))
    assert all("style" not in e.attrib for e in page_svg.iter())
    assert all("href" not in k for e in page_svg.iter() for k in e.attrib)


def _boxes(drawing: diagram.Drawing):
    return [(n.step.id, n.x, n.y, n.x + n.width, n.y + n.height) for n in drawing.nodes]


def _assert_tidy(drawing: diagram.Drawing) -> None:
    boxes = _boxes(drawing)
    for step_id, left, top, right, bottom in boxes:
        assert 0 <= left and right <= drawing.width, f"{step_id} sticks out sideways"
        assert 0 <= top and bottom <= drawing.height, f"{step_id} sticks out at the top or bottom"
    for i, (a, al, at, ar, ab) in enumerate(boxes):
        for b, bl, bt, br, bb in boxes[i + 1 :]:
            overlap = al < br and bl < ar and at < bb and bt < ab
            assert not overlap, f"{a} and {b} overlap"
    for node in drawing.nodes:
        inset = diagram.PADDING + (diagram.DECISION_POINT if node.step.kind == "decision" else 0)
        for line in node.lines:
            width = diagram.measure_text(line.text)
            assert width <= node.width - 2 * inset + 0.01, f"{line.text!r} overflows {node.step.id}"


def test_the_real_pathway_is_laid_out_without_overlaps(project):
    drawing = diagram.layout_pathway(project.pathway)
    _assert_tidy(drawing)
    assert drawing.width == diagram.WIDTH


def test_the_drawing_for_paper_is_tidy_and_fits_one_sheet(project):
    """Printed 150 mm wide (static/pdf/guide.css, static/css/pathway.css), it must fit the
    240 mm a sheet has below its heading, and its 15-unit text be at least 9 pt (3.175 mm)."""
    drawing = diagram.layout_pathway(project.pathway, width=diagram.PRINT_WIDTH)
    _assert_tidy(drawing)
    assert drawing.width == diagram.PRINT_WIDTH
    assert drawing.height / drawing.width * 150 <= 240
    assert diagram.FONT_SIZE * 150 / drawing.width >= 9 * 25.4 / 72


def test_text_stays_readable_at_320_px():
    # On a 320 px screen the drawing gets about 288 px (the page keeps 16 px each side).
    shown_font = diagram.FONT_SIZE * 288 / diagram.WIDTH
    assert shown_font >= 12


def _step(step_id, kind, text, *branches):
    return PathwayStep(step_id, kind, text, tuple(Branch(label, to) for label, to in branches))


def test_any_pathway_shape_is_drawn_whole_and_tidy():
    # A loop back, a three-way decision, a side chain of two steps, and a jump along the main line.
    pathway = Pathway(
        "Another service's pathway",
        (
            _step("start", "start", "A request arrives", ("", "triage")),
            _step(
                "triage",
                "decision",
                "Which team should take it?",
                ("Adults", "adults"),
                ("Children", "children"),
                ("Unclear", "ask"),
            ),
            _step("adults", "step", "The adults team assesses the request", ("", "done")),
            _step("children", "step", "The children's team assesses it", ("", "review")),
            _step("review", "step", "A manager reviews the assessment", ("", "done")),
            _step(
                "ask", "decision", "Did the requester answer?", ("Yes", "triage"), ("No", "closed")
            ),
            _step("done", "end", "The request is closed with a plan"),
            _step("closed", "end", "The request is closed without a plan"),
        ),
    )
    drawing = diagram.layout_pathway(pathway)
    _assert_tidy(drawing)
    assert {n.step.id for n in drawing.nodes} == {s.id for s in pathway.steps}
    drawn = {(link.source, link.target, link.label) for link in drawing.links}
    expected = {(s.id, b.to, b.label) for s in pathway.steps for b in s.branches}
    assert drawn == expected
    svg = _parse(diagram.render_pathway_svg(pathway, id_prefix="other"))
    assert _drawn_links(svg) == expected
    assert svg.find(f"{SVG}title").get("id") == "other-title"


def test_unsafe_text_is_escaped():
    pathway = Pathway(
        "<script>alert(1)</script>",
        (
            _step("a", "start", 'Tom & Jerry <b>say</b> "hi"', ("", "b")),
            _step("b", "end", "Done"),
        ),
    )
    svg_text = diagram.render_pathway_svg(pathway)
    assert "<script>" not in svg_text and "<b>" not in svg_text
    root = _parse(svg_text)
    assert _drawn_steps(root)[0][2] == 'Tom & Jerry <b>say</b> "hi"'


@pytest.mark.parametrize(
    "text, width",
    [
        ("A young person aged 17 or under is at risk", 150),
        ("Supercalifragilisticexpialidocious words break", 60),
        ("", 100),
    ],
)
def test_wrap_text_keeps_every_line_inside_the_width(text, width):
    lines = diagram.wrap_text(text, width)
    assert all(diagram.measure_text(line) <= width for line in lines)
    assert "".join(lines).replace("-", "").replace(" ", "") == text.replace("-", "").replace(
        " ", ""
    )
