"""The printable PDFs: the guide's facts, the blank form's fields, the filled referral's answers,
tags, pages neither blank nor overflowing, local-only fetching, the cache and the command."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pikepdf
import pypdf
import pytest
import yaml
from PIL import Image

from generator.cli import main
from generator.render import pdf, pdf_site
from generator.render.context import BuildContext
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "forms" / "examples" / "referral-example.json"
OTHER_SERVICE = ROOT / "tests" / "fixtures" / "other-service"
GENERATED_AT = datetime(2026, 11, 26, 14, 3, tzinfo=UTC)
# The example's dates are in 2026: check it as if on a fixed day, as `validate --today` does.
TODAY = "2026-11-26"

# Facts of the seed (the one-minute guide of 2026, shared/seed/) the guide PDF must carry, as the
# seed words them. Each stands for a fact an editor could get wrong: a name, a number, a route.
SEED_FACTS = (
    "One minute guide",
    "Trusted Relationships Service (2026)",
    # What it is
    "What is the Trusted Relationships Service?",
    "part of the wider Children & Families Early Help Service",
    "at risk of or subject to Child Criminal Exploitation (CCE)",
    (
        "Child Sexual Exploitation (CSE), Online Child Exploitation (OCE), County Lines, and "
        "Modern Slavery & Human Trafficking (MSHT)"
    ),
    (
        "a young person must be aged 17 or below, have an exploitation risk status assigned "
        "('Low', 'Medium' or 'High') and be open to a Children & Families (C&F) Service"
    ),
    "consent-based service that uses relational, trauma-informed, and strengths-based practice",
    # Support and practice model
    "supplements the work of other services in North Yorkshire",
    "highly flexible, tailored support",
    "Trusted Relationships Workers (TRWs) use restorative approaches",
    "Family Finding and network mapping",
    "self-esteem, resilience, and the development of positive support networks",
    # How it is different
    "placing greater emphasis on relational work and emotional wellbeing/safety",
    "not tied to specific timeframes or assessment cycles",
    "relational repair and protective connections",
    # Accessing support: the route, in order
    "fully integrated within the designated Child Exploitation process for North Yorkshire",
    (
        "the C&F Service case-holder must first route the case through the Multi-Agency Child "
        "Exploitation (MACE) Level 1 process"
    ),
    "Child Exploitation Risk Assessment (CERA) in conjunction with partners",
    "the CERA is sent to the MACE Level 1 forum",
    "made with the agreement of the young person / family",
    "the Children and Families System, LCS",
    "considered by a Referrals Panel",
    "Appendix 1",
    # Who can refer, and why
    (
        "agencies external to the C&F Service cannot submit a referral directly to the Trusted "
        "Relationships Service"
    ),
    "existing child exploitation pathway is not bypassed",
    "Promoting consistency in how cases are considered, referred, and allocated",
    "multi-agency agreement on the appropriateness of Trusted Relationships support",
    "the MACE Level 1 forum retains oversight",
    "case-holding responsibility remains with the C&F Service",
    # Contact and the appendix
    "Contact",
    "Mike Lord, Planning & Development Officer (Michael.Lord@northyorks.gov.uk)",
    "MACE Level 1 and Trusted Relationships referral pathway",
)


def extract_text(data: bytes) -> str:
    """All the text of a PDF, whitespace collapsed (a line broken after a hyphen joined again)."""
    reader = pypdf.PdfReader(BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text)


def run_cli(*argv: str, capsys) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def guide_pdf(project) -> bytes:
    return pdf.render_guide_pdf(project)


@pytest.fixture(scope="module")
def blank_pdf(project) -> bytes:
    return pdf.render_blank_form_pdf(project)


@pytest.fixture(scope="module")
def filled_pdf(project, example) -> bytes:
    from generator.rules.submission import drop_inapplicable

    return pdf.render_filled_referral_pdf(
        project, drop_inapplicable(project.form, example), GENERATED_AT
    )


@pytest.fixture(scope="module")
def guide_text(guide_pdf) -> str:
    return extract_text(guide_pdf)  # pypdf takes about a second: once per module


@pytest.fixture(scope="module")
def filled_text(filled_pdf) -> str:
    return extract_text(filled_pdf)


@pytest.fixture(scope="module")
def all_pdfs(guide_pdf, blank_pdf, filled_pdf) -> dict[str, bytes]:
    return {"guide": guide_pdf, "blank form": blank_pdf, "filled referral": filled_pdf}


# --- The guide ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_guide_carries_every_seed_fact(guide_text, fact):
    assert fact in guide_text


def test_guide_has_every_section_criterion_step_and_date_of_the_model_in_order(project, guide_text):
    text = guide_text
    at = text.find(project.guide.sections[0].title)
    for section in project.guide.sections[1:]:  # each title comes after the one before
        found = text.find(section.title, at + 1)
        assert found > at, f"{section.title!r} is missing or out of the guide's order"
        at = found
    for criterion in project.eligibility.criteria:
        assert criterion.text in text
    for step in project.pathway.steps:
        assert step.text in text
    for when in ("26 November 2026", "26 November 2027"):
        assert when in text


def test_guide_is_two_to_five_a4_pages_and_at_most_200_kb(guide_pdf):
    """Five since the pathway's step list follows its drawing, which takes a sheet of its own."""
    reader = pypdf.PdfReader(BytesIO(guide_pdf))
    assert 2 <= len(reader.pages) <= 5
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert len(guide_pdf) <= 200 * 1024


def _find_words(words, phrase: str) -> int:
    """The index of the first word of `phrase` in the page's words."""
    wanted = phrase.split()
    texts = [w[-1] for w in words]
    return next(i for i in range(len(texts)) if texts[i : i + len(wanted)] == wanted)


def test_guide_prints_the_pathway_drawing_wide_with_text_of_at_least_9_pt(
    project, guide_pdf, tmp_path, word_boxes, ink_width
):
    """The appendix sheet: its heading, then the drawing at least 60% of the width between the
    margins with every word at least 9 pt, its caption, then the step list. A word's box is the
    font's ascent to descent, so its height over the font's (ascent - descent) per em is its size."""
    from fontTools.ttLib import TTFont

    font = TTFont(pdf.static_folder() / "fonts" / "atkinson-hyperlegible-latin-400-normal.woff")
    em_height = (font["hhea"].ascent - font["hhea"].descent) / font["head"].unitsPerEm
    path = tmp_path / "guide.pdf"
    path.write_bytes(guide_pdf)
    sheets = [page.extract_text() for page in pypdf.PdfReader(BytesIO(guide_pdf)).pages]
    sheet = next(n for n, text in enumerate(sheets, 1) if "Appendix 1:" in text)
    words = word_boxes(path, sheet)
    heading_bottom = words[_find_words(words, "Appendix 1:")][3]
    caption_top = words[_find_words(words, "The diagram reads from the top.")][1]
    drawn = [(y0, y1, word) for _, y0, _, y1, word in words if heading_bottom < y0 < caption_top]
    assert drawn, "no drawing found under the appendix heading"
    sizes = {word: (y1 - y0) / em_height for y0, y1, word in drawn}
    small = {word: round(size, 2) for word, size in sizes.items() if size < 9}
    assert not small, f"the drawing's text is under 9 pt: {small}"
    drawn_words = {word for *_, word in drawn}
    for step in project.pathway.steps:
        missing = set(step.text.split()) - drawn_words
        assert not missing, f"{step.text!r} is not whole in the drawing: {missing}"
    printable = 595.28 - 2 * 18 * 72 / 25.4  # A4 less the 18 mm side margins, in points
    width = ink_width(path, sheet, heading_bottom + 2, caption_top - 2, tmp_path)
    assert width >= 0.6 * printable, f"the drawing is {width / printable:.0%} of the width"
    # The step list comes after the drawing, not beside it.
    if "The pathway step by step" in sheets[sheet - 1]:
        assert words[_find_words(words, "The pathway step by step")][1] > caption_top


def test_guide_draws_the_pathway_as_the_site_does(project, guide_pdf):
    """The Appendix 1 drawing is the SVG the site prints, tagged a Figure whose text is its title."""
    from generator.render.diagram import PRINT_WIDTH, render_pathway_svg

    html = pdf.guide_html(project)
    assert str(render_pathway_svg(project.pathway, width=PRINT_WIDTH)) in html
    with pikepdf.open(BytesIO(guide_pdf)) as document:
        figures = [
            element
            for element in _structure_elements(document.Root.StructTreeRoot)
            if element.get("/S") == "/Figure"
        ]
    assert [str(f.get("/Alt")) for f in figures] == [project.pathway.title]


def test_guide_uses_only_the_bundled_font(guide_pdf):
    with pikepdf.open(BytesIO(guide_pdf)) as document:
        names = {str(font.get("/BaseFont")) for page in document.pages for font in _fonts_of(page)}
    assert names and all("Atkinson-Hyperlegible" in name for name in names), names


def test_every_line_of_the_drawing_fits_its_box_in_the_bundled_font(project):
    """The drawing wraps its text by estimated widths; the bundled font must be no wider."""
    from fontTools.ttLib import TTFont

    from generator.render import diagram

    def width(font: TTFont, text: str) -> float:
        advances, glyphs = font["hmtx"], font.getBestCmap()
        units = sum(advances[glyphs[ord(c)]][0] for c in text)
        return units / font["head"].unitsPerEm * diagram.FONT_SIZE

    drawing = diagram.layout_pathway(project.pathway)
    lines = [line.text for node in drawing.nodes for line in node.lines]
    lines += [link.label for link in drawing.links if link.label]
    for weight in (400, 700):
        font = TTFont(
            pdf.static_folder() / "fonts" / f"atkinson-hyperlegible-latin-{weight}-normal.woff"
        )
        for line in lines:
            assert width(font, line) <= diagram.measure_text(line, bold=weight == 700), line


# --- The blank form -------------------------------------------------------------------------------


def names_from_yaml(root: Path) -> list[str]:
    """The blank form's field names as the module docstring of render/pdf.py gives them, worked
    out here from the form's YAML itself: a question's id; a checkbox's `id[option]`; a date's
    `id[day]`, `id[month]` and `id[year]`; three items of a group, `group[0][id]` and so on."""
    form = yaml.safe_load((root / "forms" / "referral.yaml").read_text(encoding="utf-8"))
    shared = yaml.safe_load((root / "content" / "eligibility.yaml").read_text(encoding="utf-8"))
    lists = {name: entry["items"] for name, entry in (shared.get("lists") or {}).items()}
    lists.update(form.get("option_lists") or {})

    def names(field: dict, prefix: str = "") -> list[str]:
        name = f"{prefix}[{field['id']}]" if prefix else field["id"]
        if field["type"] == "group":
            rows = min(3, field.get("max_items") or 3)
            return [
                n
                for i in range(rows)
                for sub in field["fields"]
                for n in names(sub, f"{name}[{i}]")
            ]
        if field["type"] == "checkboxes":
            options = field.get("options") or lists[field["options_from"]]
            return [f"{name}[{option['id']}]" for option in options]
        if field["type"] == "date":
            return [f"{name}[{part}]" for part in ("day", "month", "year")]
        return [name]

    return [n for section in form["sections"] for field in section["fields"] for n in names(field)]


def test_blank_form_has_a_named_field_with_a_tooltip_for_every_form_field(project, blank_pdf):
    fields = pypdf.PdfReader(BytesIO(blank_pdf)).get_fields()
    assert sorted(fields) == sorted(names_from_yaml(ROOT))
    assert "date_of_birth[year]" in fields and "other_agencies[2][role]" in fields
    for form_field in project.form.all_fields():
        if form_field.type == "group":
            for sub in form_field.fields:
                assert f"{form_field.id}[0][{sub.id}]" in fields
        elif form_field.type == "checkboxes":
            for option in form_field.options:
                assert f"{form_field.id}[{option.id}]" in fields
        elif form_field.type == "date":
            assert fields[f"{form_field.id}[day]"]["/TU"] == f"{form_field.label}: Day"
        else:
            assert form_field.id in fields
    for name, field in fields.items():
        assert field.get("/TU"), f"{name} has no tooltip"


MM = 72 / 25.4  # points in a millimetre
LINE = 8 * MM  # a line of handwriting (static/pdf/form.css)


def widget_boxes(data: bytes) -> dict[str, list[tuple[int, float, float, float, float]]]:
    """{field name: [(page, x0, y0, x1, y1), ...]} of every widget of the PDF, in points: its
    writing space (inside the box's border and padding)."""
    boxes: dict[str, list] = {}
    for number, page in enumerate(pypdf.PdfReader(BytesIO(data)).pages, 1):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            parent = widget.get("/Parent")
            name = widget.get("/T") or (parent.get_object().get("/T") if parent else None)
            x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
            box = (number, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            boxes.setdefault(str(name), []).append(box)
    return boxes


def test_blank_form_boxes_are_sized_for_handwriting_by_kind(project, blank_pdf):
    """A long answer gets at least eight lines of handwriting, a short one one line, a date a box
    each for its day, month and year side by side with its hint beside them."""
    boxes = widget_boxes(blank_pdf)
    heights: dict[str, list[float]] = {"textarea": [], "short": [], "date": []}
    for form_field in project.form.all_fields():
        fields = form_field.fields if form_field.type == "group" else (form_field,)
        for sub in fields:
            prefix = f"{form_field.id}[0]" if form_field.type == "group" else ""
            name = f"{prefix}[{sub.id}]" if prefix else sub.id
            if sub.type == "textarea":
                heights["textarea"] += [y1 - y0 for *_, y0, _, y1 in boxes[name]]
            elif sub.type in ("text", "email", "tel"):
                heights["short"] += [y1 - y0 for *_, y0, _, y1 in boxes[name]]
            elif sub.type == "date":
                parts = [boxes[f"{name}[{part}]"][0] for part in ("day", "month", "year")]
                assert len({(page, round(y0)) for page, _, y0, _, _ in parts}) == 1, name
                assert [x0 for _, x0, *_ in parts] == sorted(x0 for _, x0, *_ in parts), name
                heights["date"] += [y1 - y0 for *_, y0, _, y1 in parts]
    near = 0.01  # points lost to rounding in the PDF
    assert heights["textarea"] and min(heights["textarea"]) >= 8 * LINE - near
    assert heights["short"] and all(LINE - near <= h < 2 * LINE for h in heights["short"])
    assert heights["date"] and all(LINE - near <= h < 2 * LINE for h in heights["date"])
    text = extract_text(blank_pdf)
    assert "Day Month Year For example, 27 3 2011" in text  # the hint beside the boxes


def fill_of_pages(data: bytes, tmp_path: Path) -> list[float]:
    """How far down each page's body its ink goes, as a share of the body's height."""
    fills = []
    for image in page_images(data, tmp_path):
        dots_per_mm = image.width / 210
        dark = image.point(lambda v: 255 if v < 200 else 0)
        top, bottom = round(16 * dots_per_mm), image.height - round(18 * dots_per_mm)
        body = dark.crop(
            (round(18 * dots_per_mm), top, image.width - round(18 * dots_per_mm), bottom)
        )
        box = body.getbbox()
        fills.append(0.0 if box is None else box[3] / (bottom - top))
    return fills


def test_blank_form_sheets_are_at_least_a_third_full_but_the_last(blank_pdf, tmp_path):
    fills = fill_of_pages(blank_pdf, tmp_path)
    assert len(fills) >= 2
    thin = {n: f"{fill:.0%}" for n, fill in enumerate(fills[:-1], 1) if fill < 1 / 3}
    assert not thin, f"sheets under a third full: {thin}"


def test_no_question_is_split_from_its_box(project, blank_pdf):
    """Each question's label is on the page of its first box."""
    reader = pypdf.PdfReader(BytesIO(blank_pdf))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    boxes = widget_boxes(blank_pdf)
    for form_field in project.form.all_fields():
        if form_field.type in ("group", "radios"):
            continue
        name = form_field.id
        if form_field.type == "checkboxes":
            name = f"{form_field.id}[{form_field.options[0].id}]"
        elif form_field.type == "date":
            name = f"{form_field.id}[day]"
        page = boxes[name][0][0]
        assert form_field.label in texts[page - 1], f"{form_field.label!r} is not with its box"


def test_blank_form_says_how_to_submit_in_the_forms_words(blank_pdf):
    form = yaml.safe_load((ROOT / "forms" / "referral.yaml").read_text(encoding="utf-8"))
    text = extract_text(blank_pdf)
    assert "How to submit this form" in text
    assert " ".join(form["how_to_submit"].split()) in text
    assert "submits the referral on LCS" in text and "Referrals Panel" in text


def test_blank_form_radios_are_one_group_named_by_the_question(project, blank_pdf):
    fields = pypdf.PdfReader(BytesIO(blank_pdf)).get_fields()
    for form_field in project.form.all_fields():
        if form_field.type != "radios":
            continue
        group = fields[form_field.id]
        assert group["/FT"] == "/Btn"
        assert group["/TU"] == form_field.label
        assert list(group["/Opt"]) == [o.label for o in form_field.options]
        assert not any(name.startswith(f"{form_field.id}.") for name in fields), (
            "a radio button is a field of its own"
        )


def test_blank_form_tooltips_come_from_labels(project, blank_pdf):
    fields = pypdf.PdfReader(BytesIO(blank_pdf)).get_fields()
    full_name = project.form.find_field("full_name")
    assert fields["full_name"]["/TU"] == full_name.label
    types = project.form.find_field("exploitation_types")
    first = types.options[0]
    assert fields[f"exploitation_types[{first.id}]"]["/TU"] == f"{types.label}: {first.label}"
    # In a group the tooltip names the item too, or three fields would all be called "Agency".
    assert fields["other_agencies[1][contact]"]["/TU"] == "Agency 2: Contact name and details"


def test_blank_form_is_at_most_300_kb_on_a4(blank_pdf):
    assert len(blank_pdf) <= 300 * 1024
    page = pypdf.PdfReader(BytesIO(blank_pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_blank_form_leaves_room_for_three_items_of_a_group(project):
    names = pdf.blank_field_names(project.form)
    assert {n for n in names if n.startswith("other_agencies[")} == {
        f"other_agencies[{i}][{sub}]" for i in range(3) for sub in ("agency", "contact", "role")
    }


def test_blank_form_says_when_a_question_applies(project):
    html = pdf.blank_form_html(project)
    assert "Answer this only if your answer to ‘Gender’ was ‘In another way’." in html


# --- The filled referral --------------------------------------------------------------------------


def test_filled_referral_shows_every_answer_of_the_example(project, example, filled_text):
    text = filled_text
    form = project.form
    for key in (
        "full_name",
        "other_names",
        "lcs_person_id",
        "case_holder_email",
        "worker_safety",
        "anything_else",
        "young_person_agreement_how",
    ):
        assert example[key] in text, key
    gender = form.find_field("gender")
    assert {o.id: o.label for o in gender.options}[example["gender"]] in text
    types = {o.id: o.label for o in form.find_field("exploitation_types").options}
    for chosen in example["exploitation_types"]:
        assert types[chosen] in text
    assert "27 March 2011" in text  # date_of_birth 2011-03-27, written as GOV.UK writes dates
    assert "Medium" in text
    agency = example["other_agencies"][0]
    for value in agency.values():
        assert value in text
    assert "Agency 1" in text


def test_filled_referral_shows_every_question_and_marks_those_that_did_not_apply(
    project, filled_text
):
    text = filled_text
    for form_field in project.form.all_fields():
        assert form_field.label in text, form_field.label
    # gender is "not_known", so the description question did not apply; nor did the "no" reasons.
    for skipped in (
        "How does the young person describe their gender?",
        "Why has the young person not agreed?",
        "Why has the parent or carer not agreed?",
    ):
        assert f"{skipped} Not applicable" in text


def test_filled_referral_names_the_young_person_on_every_page(filled_pdf):
    """The running header: name, LCS ID, the marking and "Page N of M", so loose pages go back."""
    pages = pypdf.PdfReader(BytesIO(filled_pdf)).pages
    assert len(pages) == 4  # the fixture's page count: a change shows here
    for number, page in enumerate(pages, 1):
        text = " ".join(page.extract_text().split())
        for part in ("Sam Example", "LCS person ID EXAMPLE-0001", "OFFICIAL-SENSITIVE"):
            assert part in text, f"page {number} lacks {part!r}"
        assert f"Page {number} of {len(pages)}" in text


def test_filled_referral_opens_with_the_summary_on_page_1(project, filled_pdf):
    pages = [
        " ".join(re.sub(r"-\s*\n\s*", "-", page.extract_text()).split())
        for page in pypdf.PdfReader(BytesIO(filled_pdf)).pages
    ]
    first = pages[0]
    for words in (
        "Summary",
        "Name Sam Example",
        "Date of birth 27 March 2011 (aged 15 on 5 October 2026)",
        "Risk status Medium",
        "Exploitation Child Criminal Exploitation (CCE), County Lines",
        "Referred by Alex Example",
        "Date of referral 5 October 2026",
        "Worker safety: see section 9, Worker safety",
    ):
        assert words in first, words
    at = first.index("Who can be referred: what the answers show")
    for criterion in project.form.criteria:  # each by name, then its status, in order
        found = first.find(criterion.name, at)
        assert found > at, criterion.name
        status = "Not recorded on this form" if not criterion.met_when else "Met"
        assert first[found + len(criterion.name) :].lstrip().startswith(status), criterion.name
        at = found
    # The answers follow, the form's order kept: the flag points to where worker safety is.
    assert "Section 1: About this referral" not in first
    safety = next(text for text in pages if "Section 9: Worker safety" in text)
    assert "None known. This is a fictional example." in safety


def test_filled_referral_states_when_it_was_generated(filled_text):
    text = filled_text
    assert "Generated on 26 November 2026 at 14:03 UTC" in text
    assert "saved on 5 October 2026 at 14:30 UTC" in text


SHOULD_NOT_MET = (
    ROOT / "tests" / "submissions" / "warnings" / "family-does-not-agree-reason-recorded.json"
)


def pdftotext(path: Path) -> list[str]:
    """Each page's text as poppler's pdftotext reads it, whitespace collapsed."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in out.split("\f")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_should_not_met_is_printed_with_its_reason_and_the_warning(capsys, tmp_path):
    """Issue 20: a referral with only warnings still gets its PDF (exit code 4), and page 1's
    summary shows the criterion as "Not met (should)" with the reason the form records."""
    out = tmp_path / "referral.pdf"
    code, stdout, stderr = run_cli(
        "--root",
        str(ROOT),
        "pdf",
        "--today",
        TODAY,
        str(SHOULD_NOT_MET),
        "-o",
        str(out),
        capsys=capsys,
    )
    assert code == 4, stderr
    assert stderr.startswith(
        "Criteria > The young person's family agrees to the referral: warning: "
    )
    assert stdout.startswith(f"Wrote {out} (")
    first = pdftotext(out)[0]
    assert (
        "The young person's family agrees to the referral Not met (should): Fictional example: "
        "the young person's mother does not want services involved at present; the young person "
        "wants support."
    ) in first
    assert "The service reads this as: the young person's family agrees too;" in first


def test_filled_referral_says_not_answered_and_draft(project, example):
    draft = {**example, "status": "draft"}
    del draft["wider_network"]
    html = pdf.filled_referral_html(project, draft, GENERATED_AT)
    assert "This is a draft" in html
    assert re.search(
        r"Wider family and community network</dt><dd>\s*<span class=\"missing\">"
        r"Not answered</span>",
        html,
    )


# --- Every PDF: tags, language, title, bookmarks, pages that look right ---------------------------


@pytest.mark.parametrize("name", ["guide", "blank form", "filled referral"])
def test_pdf_is_tagged_in_english_with_a_title_and_bookmarks(all_pdfs, name):
    with pikepdf.open(BytesIO(all_pdfs[name])) as document:
        root = document.Root
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB"
        assert bool(root.MarkInfo.Marked)
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(document.docinfo.get("/Title", "")).strip()
        assert str(document.docinfo.get("/Subject", "")).strip()
        assert "pdfuaid" in str(document.open_metadata())
        with document.open_outline() as outline:
            assert len(outline.root) >= 1  # the h1, holding the h2s
            titles = [item.title for item in outline.root]
    assert all(title.strip() for title in titles)


def page_images(data: bytes, tmp_path: Path) -> list[Image.Image]:
    """Every page drawn at 50 dpi by Poppler's pdftoppm (a missing pdftoppm fails the test)."""
    program = shutil.which("pdftoppm")
    assert program, "pdftoppm is missing: install Debian's poppler-utils"
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    subprocess.run(
        [program, "-r", "50", "-png", str(source), str(tmp_path / "page")], check=True, timeout=120
    )
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob("page-*.png"))]


def ink_problems(image: Image.Image, page: int) -> list[str]:
    """Why a page looks wrong: nothing drawn inside its margins (a page number alone does not
    count), or ink in the outer strips of its right or bottom margin.

    The side and bottom margins are 18 mm; the outer 12 mm of the right one and 5 mm of the bottom
    one (under the page footer) must stay white, so text running off the page shows up here.
    """
    width, height = image.size
    dots_per_mm = width / 210
    dark = image.point(lambda v: 255 if v < 200 else 0)
    problems = []
    body = dark.crop(
        (
            round(18 * dots_per_mm),
            round(16 * dots_per_mm),
            width - round(18 * dots_per_mm),
            height - round(18 * dots_per_mm),
        )
    )
    if body.getbbox() is None:
        problems.append(f"page {page} is blank")
    right = dark.crop((width - round(12 * dots_per_mm), 0, width, height))
    bottom = dark.crop((0, height - round(5 * dots_per_mm), width, height))
    if right.getbbox() is not None:
        problems.append(f"page {page} has ink in its right margin")
    if bottom.getbbox() is not None:
        problems.append(f"page {page} has ink at its foot")
    return problems


@pytest.mark.parametrize("name", ["guide", "blank form", "filled referral"])
def test_pages_are_neither_blank_nor_overflowing(all_pdfs, name, tmp_path):
    images = page_images(all_pdfs[name], tmp_path)
    assert images
    problems = [p for number, image in enumerate(images, 1) for p in ink_problems(image, number)]
    assert problems == []


def test_the_page_check_catches_text_running_off_the_page(tmp_path):
    html = (
        '<html lang="en-GB"><head><title>Overflow</title></head><body>'
        f'<p style="white-space: nowrap">{"overflowing words " * 40}</p></body></html>'
    )
    overflowing = pdf.convert_html_to_pdf(html, ("base.css",))
    problems = ink_problems(page_images(overflowing, tmp_path)[0], 1)
    assert problems == ["page 1 has ink in its right margin"]
    blank = pdf.convert_html_to_pdf('<html lang="en"><title>x</title></html>', ("base.css",))
    assert "page 1 is blank" in ink_problems(page_images(blank, tmp_path / "b")[0], 1)


# --- Records: the protective marking, and no promise that paper cannot keep ------------------------


@pytest.mark.parametrize("name", ["blank form", "filled referral"])
def test_every_page_of_the_forms_pdfs_carries_the_protective_marking(project, all_pdfs, name):
    marking = project.form.protective_marking
    assert marking == "OFFICIAL-SENSITIVE"  # the default in forms/referral.yaml
    pages = pypdf.PdfReader(BytesIO(all_pdfs[name])).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert page.extract_text().count(marking) == 1, f"{name}, page {number}"


def test_the_marking_comes_from_the_form_and_can_be_left_out(project, example):
    def form_with(marking):
        form = dataclasses.replace(project.form, protective_marking=marking)
        return dataclasses.replace(project, form=form)

    for page_html in (
        pdf.blank_form_html(form_with("OFFICIAL")),
        pdf.filled_referral_html(form_with("OFFICIAL"), example, GENERATED_AT),
    ):
        assert '<p class="marking">OFFICIAL</p>' in page_html
    assert 'class="marking"' not in pdf.blank_form_html(form_with(""))


def test_the_blank_form_promises_no_saving_or_opening(blank_pdf):
    text = extract_text(blank_pdf)
    assert "Use this form to prepare" in text
    assert not re.search(r"save the form|as a file|open it again", text, re.IGNORECASE)


# --- Fetching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://example.com/logo.png", "https://example.com/a.css", "file:///etc/hostname"]
)
def test_nothing_outside_the_static_folder_is_fetched(url):
    html = f'<html lang="en-GB"><title>x</title><body><img src="{url}" alt="x"></body></html>'
    with pytest.raises(pdf.PdfError, match="may not read"):
        pdf.convert_html_to_pdf(html, ("base.css",))


def test_the_bundled_font_and_its_licence_are_in_the_package():
    fonts = pdf.static_folder() / "fonts"
    assert (fonts / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1
    for weight in (400, 700):
        assert (fonts / f"atkinson-hyperlegible-latin-{weight}-normal.woff").stat().st_size > 0


# --- The site's copies and their cache ------------------------------------------------------------


class CountingRenderer:
    """Stands in for WeasyPrint, counting renderings, so the cache is tested in milliseconds."""

    def __init__(self):
        self.rendered: list[str] = []

    def __call__(self, html: str, stylesheets: tuple[str, ...]) -> bytes:
        self.rendered.append(stylesheets[-1])
        return b"%PDF-1.7 fake " + str(len(self.rendered)).encode()


def test_a_rebuild_with_nothing_changed_does_not_render_again(
    project, tmp_path, monkeypatch, caplog
):
    renderer = CountingRenderer()
    monkeypatch.setattr(pdf, "convert_html_to_pdf", renderer)
    context = BuildContext(ROOT, tmp_path / "cache")

    first = pdf_site.render_files(project, context)
    assert sorted(first) == ["downloads/one-minute-guide.pdf", "downloads/referral-form-blank.pdf"]
    assert len(renderer.rendered) == 2

    caplog.clear()
    with caplog.at_level("INFO", logger="generator.render.pdf_site"):
        again = pdf_site.render_files(project, context)
    assert again == first
    assert len(renderer.rendered) == 2, "a rebuild with nothing changed rendered again"
    assert caplog.text.count("Reused") == 2

    # A change the guide shows re-renders the guide only, and replaces its cached copy.
    retitled = dataclasses.replace(
        project, guide=dataclasses.replace(project.guide, title="A retitled guide")
    )
    changed = pdf_site.render_files(retitled, context)
    assert renderer.rendered[2:] == ["guide.css"]
    assert (
        changed["downloads/referral-form-blank.pdf"] == first["downloads/referral-form-blank.pdf"]
    )
    assert len(list((tmp_path / "cache" / "pdf").glob("one-minute-guide-*.pdf"))) == 1

    # So does a new stylesheet, font or WeasyPrint: the renderer's fingerprint is in the key.
    monkeypatch.setattr(pdf, "fingerprint_renderer", lambda: "another renderer")
    pdf_site.render_files(retitled, context)
    assert len(renderer.rendered) == 5


def test_the_renderer_fingerprint_covers_the_fonts_and_stylesheets():
    names = {path.name for path in pdf.static_assets()}
    assert {
        "base.css",
        "guide.css",
        "form.css",
        "referral.css",
        "atkinson-hyperlegible-latin-400-normal.woff",
        "atkinson-hyperlegible-latin-700-normal.woff",
    } <= names


def test_an_image_in_the_guide_never_reaches_the_pdf(project):
    """`check` refuses an image (tests/test_sanitise.py); a model that skipped the check still
    gets none into the PDF's HTML, so WeasyPrint has nothing to fetch."""
    first = project.guide.sections[0]
    with_image = dataclasses.replace(
        first, body=first.body + "\n\n![Logo](https://example.com/a.png)\n"
    )
    changed = dataclasses.replace(
        project,
        guide=dataclasses.replace(
            project.guide, sections=(with_image, *project.guide.sections[1:])
        ),
    )
    html = pdf.guide_html(changed)
    assert "<img" not in html and "example.com" not in html


def test_a_time_with_a_zone_keeps_it(project, example):
    html = pdf.filled_referral_html(project, example, GENERATED_AT)
    assert "Generated on 26 November 2026 at 14:03 UTC" in html


def test_a_time_without_a_zone_is_taken_as_local(project, example):
    html = pdf.filled_referral_html(project, example, datetime(2026, 11, 26, 14, 3))
    created = re.search(r'name="dcterms.created" content="([^"]+)"', html).group(1)
    assert datetime.fromisoformat(created).tzinfo is not None  # WeasyPrint drops a zoneless date


def test_an_unwritable_cache_only_means_rendering_again(project, tmp_path, monkeypatch):
    renderer = CountingRenderer()
    monkeypatch.setattr(pdf, "convert_html_to_pdf", renderer)
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    files = pdf_site.render_files(project, BuildContext(ROOT, blocked))
    assert len(files) == 2 and len(renderer.rendered) == 2


# --- Another service ------------------------------------------------------------------------------


def test_another_service_gets_its_own_guide_and_form():
    other = load_project(OTHER_SERVICE)
    guide = extract_text(pdf.render_guide_pdf(other))
    assert other.guide.title in guide
    assert "Trusted Relationships" not in guide
    fields = pypdf.PdfReader(BytesIO(pdf.render_blank_form_pdf(other))).get_fields()
    assert sorted(fields) == sorted(names_from_yaml(OTHER_SERVICE))


# --- The command ----------------------------------------------------------------------------------


def test_pdf_command_writes_the_filled_referral(tmp_path, capsys):
    output = tmp_path / "referral.pdf"
    code, out, err = run_cli(
        "--root", str(ROOT), "pdf", str(EXAMPLE), "-o", str(output), "--today", TODAY, capsys=capsys
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"Wrote {output} (")
    text = extract_text(output.read_bytes())
    assert "Sam Example" in text and "Generated on" in text


def test_pdf_command_lists_the_same_problems_as_validate_and_writes_nothing(
    tmp_path, capsys, example
):
    broken = {**example, "gender": "unknown", "referral_date": "2026-13-40"}
    del broken["full_name"]
    source = tmp_path / "broken.json"
    source.write_text(json.dumps(broken), encoding="utf-8")
    output = tmp_path / "broken.pdf"

    code, _, err = run_cli(
        "--root", str(ROOT), "pdf", str(source), "-o", str(output), "--today", TODAY, capsys=capsys
    )
    v_code, _, v_err = run_cli(
        "--root", str(ROOT), "validate", str(source), "--today", TODAY, capsys=capsys
    )
    assert code == v_code == 1
    problem_lines = err.splitlines()[:-1]
    assert problem_lines == v_err.splitlines()[:-1]
    assert len(problem_lines) == 3
    assert err.splitlines()[-1] == f"3 problems found in {source}; no PDF was made."
    assert "Traceback" not in err
    assert not output.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"{not json", "This file is not a saved form: it is not valid JSON"),
        (None, "This file cannot be found"),
    ],
)
def test_pdf_command_explains_a_file_that_is_not_a_referral(tmp_path, capsys, content, message):
    source = tmp_path / "referral.json"
    if content is not None:
        source.write_bytes(content)
    code, _, err = run_cli("--root", str(ROOT), "pdf", str(source), capsys=capsys)
    assert code == 1
    assert err.splitlines()[0] == message
    assert not source.with_suffix(".pdf").exists()


def test_pdf_command_refuses_to_overwrite_its_input(tmp_path, capsys):
    source = tmp_path / "referral.pdf"
    source.write_bytes(EXAMPLE.read_bytes())
    code, _, err = run_cli("--root", str(ROOT), "pdf", str(source), "--today", TODAY, capsys=capsys)
    assert code == 2 and "would overwrite" in err
    assert source.read_bytes() == EXAMPLE.read_bytes()


def test_pdf_command_reports_an_unwritable_output(tmp_path, capsys):
    code, _, err = run_cli(
        "--root",
        str(ROOT),
        "pdf",
        str(EXAMPLE),
        "-o",
        str(tmp_path / "missing folder" / "out.pdf"),
        "--today",
        TODAY,
        capsys=capsys,
    )
    assert code == 2
    assert err.startswith("Cannot write ")
    assert "Traceback" not in err


def test_pdf_command_runs_as_a_module(tmp_path):
    output = tmp_path / "out.pdf"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(ROOT),
            "pdf",
            str(EXAMPLE),
            "-o",
            str(output),
            "--today",
            TODAY,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    assert output.read_bytes().startswith(b"%PDF-")


# --- helpers --------------------------------------------------------------------------------------


def _structure_elements(node):
    """Every structure element under a StructTreeRoot, depth first."""
    kids = node.get("/K")
    if kids is None:
        return
    items = kids if isinstance(kids, pikepdf.Array) else [kids]
    for item in items:
        if isinstance(item, pikepdf.Dictionary) and "/S" in item:
            yield item
            yield from _structure_elements(item)


def _fonts_of(page):
    """The fonts a page uses, including those inside its form XObjects (the drawing's text)."""
    seen = set()

    def walk(resources):
        if resources is None:
            return
        for font in resources.get("/Font", {}).values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                yield font
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form":
                yield from walk(xobject.get("/Resources"))

    yield from walk(page.obj.get("/Resources"))
