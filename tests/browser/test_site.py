"""The built guide in real Chromium: accessibility, privacy, no script errors, reflow and print."""

from __future__ import annotations

import pytest

from generator.render import pages

pytestmark = pytest.mark.browser

NAVIGATION = (
    ".md-header",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-search",
    ".md-top",
)


def test_every_page_has_no_axe_violations_no_foreign_requests_and_no_errors(
    page, site_pages, axe_violations
):
    # The page fixture fails the test at teardown if any page requested another host or logged an
    # error (a script blocked by the Content-Security-Policy logs one).
    assert len(site_pages) >= 8, site_pages
    violations = []
    for url in site_pages:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
        violations += axe_violations(page)
    assert not violations, "axe-core found violations:\n  " + "\n  ".join(violations)
    _assert_nothing_stored(page)


def _assert_nothing_stored(page) -> None:
    assert page.context.cookies() == []
    stored = page.evaluate(
        "() => ({local: Object.keys(localStorage), session: Object.keys(sessionStorage)})"
    )
    # Seen empty with Material 9.8 (no palette toggle, no tabs, no consent form): keep it that way.
    assert stored == {"local": [], "session": []}


# Material searches again at each key press: the list is settled once it shows the whole query's
# results, every highlighted word the whole query (for "exploit" it would highlight "exploit").
RESULTS_OF_THE_WHOLE_QUERY = """(query) => {
  const input = document.querySelector('input.md-search__input');
  const marks = [...document.querySelectorAll('.md-search-result mark')];
  return input !== null && input.value === query && marks.length > 0 &&
    marks.every(mark => mark.textContent.toLowerCase().startsWith(query));
}"""


def test_search_works_offline(page, site_url, assert_no_axe_violations):
    page.goto(site_url(""), wait_until="load")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("exploitation")  # Material listens for key presses, not fill()
    page.wait_for_function(RESULTS_OF_THE_WHOLE_QUERY, arg="exploitation")
    assert page.locator(".md-search-result__item").count() >= 1
    assert_no_axe_violations(page)  # once the results have faded in (it waits for that)
    _assert_nothing_stored(page)


def test_print_has_no_navigation_and_shows_link_targets(
    open_page, site_url, tmp_path, assert_no_axe_violations
):
    page = open_page(media="print")
    page.goto(site_url(""), wait_until="load")
    for selector in NAVIGATION:
        for element in page.locator(selector).all():
            display = element.evaluate("e => getComputedStyle(e).display")
            assert display == "none", f"{selector} is shown in print (display: {display})"
    after = page.locator("article a[data-print-url]").evaluate_all(
        "links => links.map(a => getComputedStyle(a, '::after').content)"
    )
    # The start button first (on paper a link like any other), the pathway page further down.
    assert "/checker/" in after[0]
    assert any("/pathway/" in content for content in after), after
    screenshot = tmp_path / "home-print.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    pdf = page.pdf()  # the print layout itself: it must render without errors
    assert pdf.startswith(b"%PDF")


def test_pathway_diagram_reads_at_320_px(open_page, site_url, tmp_path, assert_no_axe_violations):
    page = open_page(viewport={"width": 320, "height": 900})
    page.goto(site_url("pathway/"), wait_until="load")
    # Reflow (WCAG 1.4.10): nothing scrolls sideways at 320 px.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    diagram = page.locator(".tr-pathway:not(.tr-pathway--print) svg.tr-diagram")  # the screen one
    box = diagram.bounding_box()
    assert box is not None and box["width"] <= 320
    view_width = float(diagram.get_attribute("viewBox").split()[2])
    font_size = float(diagram.get_attribute("font-size"))
    shown_font_px = font_size * box["width"] / view_width
    assert shown_font_px >= 12, f"diagram text is only {shown_font_px:.1f} px at 320 px wide"
    diagram.screenshot(path=str(tmp_path / "pathway-320.png"))
    assert_no_axe_violations(page)


def test_guide_pages_work_without_javascript(open_page, site_url):
    page = open_page(javascript=False)
    for path in pages.FRONT_PAGES + pages.BACK_PAGES:
        url = site_url("" if path == "index.md" else path.removesuffix(".md") + "/")
        page.goto(url, wait_until="load")
        assert page.locator("article h1").count() == 1, url
        assert page.locator("nav.md-nav--primary a").count() >= len(pages.FRONT_PAGES), url
