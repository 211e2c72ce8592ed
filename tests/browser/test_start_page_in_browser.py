"""The home page as a start page in real Chromium (issue 19): on a phone and on a laptop the start
button shows without scrolling, it leads to the checker, and axe finds nothing on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.sources.load import load_project

pytestmark = pytest.mark.browser

# A small phone (iPhone SE, as GOV.UK tests) and a common laptop.
VIEWPORTS = ({"width": 375, "height": 667}, {"width": 1280, "height": 800})
BUTTON = ".tr-start a.govuk-button--start"
FIRST_QUESTION = load_project(Path(__file__).resolve().parents[2]).checker.start


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_start_button_is_in_the_first_screen_and_leads_to_the_checker(
    open_page, site_url, viewport, javascript
):
    page = open_page(javascript=javascript, viewport=viewport)
    page.goto(site_url(""), wait_until="load")
    button = page.locator(BUTTON)
    button.wait_for(state="visible")
    assert page.evaluate("() => window.scrollY") == 0
    box = button.bounding_box()
    assert box is not None
    # Wholly inside the first screen, not cut by its edge.
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], box
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"], box
    assert button.inner_text().strip() == "Check if you can refer"
    # Nothing covers it (the header, say): the top element at its middle is the button itself.
    assert page.evaluate(
        """([selector, x, y]) => {
             const hit = document.elementFromPoint(x, y);
             return hit !== null && hit.closest(selector) !== null;
           }""",
        [BUTTON, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    button.click()
    # It opens the checker's first question: this page says what the checker's start page would.
    page.wait_for_url(site_url(f"checker/q/{FIRST_QUESTION}/"))
    page.locator("h1").first.wait_for(state="visible")


def test_the_start_page_has_no_axe_violations(open_page, site_url, assert_no_axe_violations):
    for viewport in VIEWPORTS:
        page = open_page(viewport=viewport)
        page.goto(site_url(""), wait_until="load")
        page.locator(BUTTON).wait_for(state="visible")
        assert_no_axe_violations(page)
        page.locator(BUTTON).focus()
        assert_no_axe_violations(page)  # the focused button keeps its contrast
