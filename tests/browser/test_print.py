"""Printing from the browser, as a practitioner does with Ctrl+P: Chromium's own print of every page
(`page.pdf` with the page's CSS size), read back page by page with poppler's pdfinfo and pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)  # 210 x 297 mm, rounded as pdfinfo prints it


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
    lines = page.locator("svg.tr-diagram text").all_text_contents()
    first, last = _words(lines[0]), _words(lines[-1])
    sheet = _words(sheets[0])
    assert heading in sheet, f"the heading is not on the first sheet: {sheet[:200]!r}"
    assert first in sheet and last in sheet, (
        f"the diagram is not whole on the first sheet (first line {first!r}, last {last!r})"
    )
    # Scaled to fit but still readable: its text at least 7 pt on paper (print media at A4 width).
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 px per inch
    diagram = page.locator("svg.tr-diagram")
    view_width = float(diagram.get_attribute("viewBox").split()[2])
    shown = diagram.bounding_box()["width"] / view_width  # CSS px per drawing unit
    font_pt = float(diagram.get_attribute("font-size")) * shown * 72 / 96
    assert font_pt >= 7, f"the diagram's text prints at only {font_pt:.1f} pt"


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
