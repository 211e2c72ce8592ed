"""Printing from the browser, as a practitioner does with Ctrl+P: Chromium's own print of every page
(`page.pdf` with the page's CSS size), read back page by page with poppler's pdfinfo and pdftotext."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)  # 210 x 297 mm, rounded as pdfinfo prints it
MM = 72 / 25.4  # points in a millimetre


def _poppler() -> None:
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.fail("poppler-utils (pdfinfo, pdftotext) is missing: run `make system-deps`")


def print_page(page, url: str, folder: Path) -> tuple[Path, list[str]]:
    """Print `url` as Chromium's print dialog does; return the PDF and each sheet's text."""
    page.goto(url, wait_until="load")
    name = re.sub(r"[^a-z0-9]+", "-", url.split("//", 1)[1].split("/", 1)[1]).strip("-") or "home"
    pdf = folder / f"{name}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.MULTILINE)
    assert (round(float(size.group(1))), round(float(size.group(2)))) == A4_POINTS, (url, info)
    sheets = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]
    return pdf, sheets


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_page_prints_on_a4_with_no_blank_sheet(page, site_pages, tmp_path):
    _poppler()
    problems = []
    for url in site_pages:
        _, sheets = print_page(page, url, tmp_path)
        for number, text in enumerate(sheets, start=1):
            if not text.split():
                problems.append(f"{url}: sheet {number} of {len(sheets)} is blank")
    assert not problems, "\n".join(problems)


def test_pathway_heading_and_whole_diagram_print_on_the_first_sheet(page, site_url, tmp_path):
    _poppler()
    url = site_url("pathway/")
    _, sheets = print_page(page, url, tmp_path)
    heading = _words(page.locator("article h1").inner_text())
    lines = page.locator(".tr-pathway--print svg.tr-diagram text").all_text_contents()
    first, last = _words(lines[0]), _words(lines[-1])
    sheet = _words(sheets[0])
    assert heading in sheet, f"the heading is not on the first sheet: {sheet[:200]!r}"
    assert first in sheet and last in sheet, (
        f"the diagram is not whole on the first sheet (first line {first!r}, last {last!r})"
    )
    steps = "The pathway step by step"  # the step list follows the drawing
    assert steps in _words(" ".join(sheets))
    if steps in sheet:
        assert sheet.index(steps) > sheet.index(last)


def text_sizes(pdf: Path, page_number: int) -> list[tuple[str, float]]:
    """Each run of text on a page with the size it prints at, in points (font size times the
    text and graphics scaling), read with pypdf."""
    page = pypdf.PdfReader(str(pdf)).pages[page_number - 1]
    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            runs.append((text.strip(), size * scale))

    page.extract_text(visitor_text=visit)
    return runs


def test_the_printed_pathway_is_wide_and_its_text_at_least_9_pt(
    page, site_url, tmp_path, word_boxes, ink_width
):
    """Measured on Chromium's print: the drawing at least 60% of the 180 mm between guide.css's
    15 mm margins, and every line of its text at least 9 pt."""
    _poppler()
    pdf, _ = print_page(page, site_url("pathway/"), tmp_path)
    lines = {
        _words(t)
        for t in page.locator(".tr-pathway--print svg.tr-diagram tspan").all_text_contents()
    }
    drawn = [(text, size) for text, size in text_sizes(pdf, 1) if _words(text) in lines]
    assert len(drawn) >= len(lines) * 0.9, "the drawing's text was not found on the first sheet"
    small = {text: round(size, 1) for text, size in drawn if size < 9}
    assert not small, f"the drawing's text prints under 9 pt: {small}"
    words = word_boxes(pdf, 1)
    texts = [w[-1] for w in words]
    heading = page.locator("article h1").inner_text().split()
    heading_bottom = max(y1 for *_, y1, word in words[: len(heading) + 2] if word in heading)
    top_of_steps = next(
        (
            words[i][1]
            for i in range(len(texts))
            if texts[i : i + 4] == ["The", "pathway", "step", "by"]
        ),
        842.0 - 18 * MM,
    )
    width = ink_width(pdf, 1, heading_bottom + 2, top_of_steps - 2, tmp_path)
    printable = 595.28 - 2 * 15 * MM
    assert width >= 0.6 * printable, f"the drawing is {width / printable:.0%} of the width"


def test_headings_print_with_what_follows_them(page, site_pages, tmp_path):
    """No sheet ends with a heading: each heading's next line is on the same sheet."""
    _poppler()
    problems = []
    for url in site_pages:
        page.goto(url, wait_until="load")
        headings = [
            _words(h) for h in page.locator("article :is(h1, h2, h3)").all_inner_texts() if h
        ]
        _, sheets = print_page(page, url, tmp_path)
        for number, text in enumerate(sheets[:-1], start=1):
            lines = [_words(line) for line in text.splitlines() if line.strip()]
            if lines and lines[-1] in headings:
                problems.append(f"{url}: sheet {number} ends with the heading {lines[-1]!r}")
    assert not problems, "\n".join(problems)


# --- The referral form, printed as a practitioner prints it ----------------------------------------

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "forms" / "examples" / "referral-example.json"
# What is written for developers of receiving systems, never for paper.
DEVELOPER_WORDS = ("JSON Schema", "rule table", "data format", "schema.json", "rules.json")


@pytest.fixture(scope="module")
def project():
    from generator.sources.load import load_project

    return load_project(ROOT)


def _pdf_words(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return _words(re.sub(r"-\s*\n\s*", "-", text))


def print_form(page, site_url, folder: Path, answers: Path | None = None) -> tuple[Path, str]:
    page.goto(site_url("referral-form/"), wait_until="load")
    page.wait_for_function("() => window.TRForm && document.querySelector('.tr-form--js')")
    if answers is not None:
        page.set_input_files("#tr-open-file", str(answers))
        page.wait_for_function(
            "() => document.querySelector('[data-tr-opened]').textContent.includes('Opened')"
        )
    pdf = folder / ("filled.pdf" if answers else "empty.pdf")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    return pdf, _pdf_words(pdf)


def _labels(form) -> list:
    return [
        sub
        for field in form.all_fields()
        for sub in ((field, *field.fields) if field.type == "group" else (field,))
    ]


def _find_in_order(words: list[str], wanted: list[str], start: int, gap: int = 12):
    """(first, after last) of `wanted` in `words`: its words in order from `start`, fewer than
    `gap` others between two of them; (-1, -1) if it is not there."""
    for first in (i for i in range(start, len(words)) if words[i] == wanted[0]):
        at = first
        for word in wanted[1:]:
            following = words[at + 1 : at + 1 + gap]
            if word not in following:
                break
            at += 1 + following.index(word)
        else:
            return first, at + 1
    return -1, -1


def test_an_empty_form_prints_every_question_with_its_condition(page, site_url, tmp_path, project):
    """With JavaScript on, the conditional questions too, each with its condition in the words
    the blank PDF uses; nothing written for developers."""
    from generator.render.referral_print import condition_text

    _poppler()
    _, text = print_form(page, site_url, tmp_path)
    form = project.form
    missing = [f.label for f in _labels(form) if _words(f.label) not in text]
    assert not missing, f"questions missing from the print: {missing}"
    conditional = [f for f in form.all_fields() if f.show_if]
    assert conditional
    for field in conditional:
        words = _words(condition_text(form, field))
        assert words and words in text, field.id
        assert text.index(words) < text.index(_words(field.label), text.index(words))
    assert not [w for w in DEVELOPER_WORDS if w in text], "developer wording on paper"
    assert "Not answered" not in text


def test_a_filled_form_prints_the_panel_summary_then_every_answer(
    page, site_url, tmp_path, project
):
    """The summary the PDF opens with, in the same words (one Python function wrote both), each
    criterion by name with its status; then every question and answer; nothing for developers."""
    import json

    from generator.render.referral_print import describe_answer, summarise_referral, summary_lines
    from generator.rules.submission import applicable_fields, drop_inapplicable

    _poppler()
    _, text = print_form(page, site_url, tmp_path, EXAMPLE)
    form = project.form
    data = drop_inapplicable(form, json.loads(EXAMPLE.read_text(encoding="utf-8")))
    expected = summary_lines(summarise_referral(form, data))
    shown = page.evaluate(
        """() => [...document.querySelectorAll('[data-tr-print-summary] :is(h2, h3, .summary-row, .summary-flag:not([hidden]))')]
          .map(e => e.matches('.summary-row')
            ? [e.querySelector('dt'), ...e.querySelectorAll('dd')].map(d => d.textContent).join(' ') : e.textContent)
          .map(t => t.replace(/\\s+/g, ' ').trim())"""
    )
    assert shown == expected
    # On paper, in order, before the answers. A criterion's name wraps beside its status, so
    # pdftotext reads their lines interleaved: each name's words are looked for in order, a few
    # words apart at most, and its value from where the name starts (pdftotext also drops the
    # hyphen of a word broken at a line's end).
    summary = summarise_referral(form, data)
    pairs = [(summary.words["title"], "")]
    pairs += [(row.label, row.value) for row in summary.rows]
    pairs += [(flag.words, "") for flag in summary.flags if flag.shown]
    pairs += [(summary.words["criteria"], "")] + [(c.name, c.words) for c in summary.criteria]
    paper = text.replace("-", "").split()
    at = 0
    for name, value in pairs:
        start, end = _find_in_order(paper, name.replace("-", "").split(), at)
        assert start >= 0, f"{name!r} is not printed (in order) after what comes before it"
        if value:
            _, value_end = _find_in_order(paper, value.replace("-", "").split(), start)
            assert value_end >= 0, f"{name!r} is not printed with {value!r}"
            end = max(end, value_end)
        at = end
    assert at <= paper.index("Section", paper.index("1:") - 1)  # the answers follow
    assert "Worker safety: see section 9, Worker safety" in text
    assert "Section 9: Worker safety" in text
    applying = {f.id for f in applicable_fields(form, data)}
    for field in form.all_fields():
        answer = describe_answer(field, data, field.id in applying)
        assert _words(field.label) in text, field.label
        values = answer.value if answer.kind == "list" else [answer.value]
        if answer.kind == "items":
            values = [sub.value for item in answer.value for sub in item]
        for value in values:
            assert _words(str(value)) in text, (field.id, value)
    assert not [w for w in DEVELOPER_WORDS if w in text], "developer wording on paper"


@pytest.fixture(scope="module")
def site_with_address(copy_project_to, build_site, edit_file, serve_site, tmp_path_factory):
    """The project built (by `python -m generator build`) with content/service.yaml's site_url."""
    root = copy_project_to(tmp_path_factory.mktemp("with-address"))
    edit_file(
        root / "content" / "service.yaml",
        "# site_url: https://council.example.org/trusted-relationships/",
        "site_url: https://council.example.org/trusted-relationships/",
    )
    built = build_site(root, root / "site", command="generator")
    assert built.ok, built.output
    assert "printed pages will show links" not in built.output  # no note: the address is set
    with serve_site(built.site_dir) as base_url:
        yield base_url


def test_printed_links_show_full_addresses_when_the_site_url_is_set(
    page, site_with_address, tmp_path
):
    _poppler()
    pdf, _ = print_page(page, site_with_address, tmp_path)
    text = _pdf_words(pdf).replace(" ", "")  # long addresses wrap anywhere
    assert "(https://council.example.org/trusted-relationships/pathway/)" in text
    assert "(/pathway/)" not in text
