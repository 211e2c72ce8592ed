"""The keyboard on every width, in Chromium: Tab reaches every control a reader can see, and nothing
hidden takes the focus, from a 320 px phone to a 1280 px laptop; the header's menu and search open,
close and give the focus back as buttons do."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 1280)
PAGES = ("", "pathway/", "checker/", "referral-form/", "downloads/")


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_every_shown_control_and_nothing_hidden(open_page, site_url, width, keyboard):
    page = open_page(viewport={"width": width, "height": 700})
    problems, counts = [], []
    for path in PAGES:
        page.goto(site_url(path), wait_until="load")
        walk = keyboard.walk(page)
        where = f"{path or 'home'} at {width} px"
        problems += [f"{where}: hidden, yet focused: {what}" for what in walk.hidden()]
        problems += [f"{where}: shown, never reached: {what}" for what in walk.missed]
        counts.append((path or "home", walk.controls, len(walk.stops)))
    assert problems == [], "\n".join(problems)
    assert all(controls >= 5 for _, controls, _ in counts), counts


@pytest.mark.parametrize("width", (320, 375))
def test_the_menu_opens_from_the_keyboard_and_gives_the_focus_back(
    open_page, site_url, width, assert_no_axe_violations, keyboard
):
    page = open_page(viewport={"width": width, "height": 700})
    page.goto(site_url("pathway/"), wait_until="load")
    keyboard.ready(page)
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    drawer_links = page.locator(".md-sidebar--primary a.md-nav__link[href]")
    assert keyboard.shown(page, drawer_links.first.element_handle()) is False
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    keyboard.settle(page)
    focused = page.evaluate("() => document.activeElement.closest('.md-sidebar--primary') !== null")
    assert focused, "the focus did not move into the open menu"
    # Every link the open menu lays out is shown (the current page's is a heading for its
    # contents here, and laid out not at all).
    rendered = [
        link
        for link in drawer_links.element_handles()
        if link.evaluate("a => a.getClientRects().length")
    ]
    assert len(rendered) >= 5
    assert all(keyboard.shown(page, link) for link in rendered)
    assert_no_axe_violations(page)

    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.dataset.trToggle") == "__drawer"
    keyboard.settle(page)
    assert keyboard.shown(page, drawer_links.first.element_handle()) is False

    # Opened again: Tab goes through what the menu shows, and nothing hidden; once the focus
    # leaves it, it closes, so that nothing focused is hidden behind it.
    page.keyboard.press("Enter")
    stops = []
    while page.evaluate("() => document.getElementById('__drawer').checked"):
        keyboard.settle(page)
        stops.append(keyboard.focused(page))
        assert len(stops) <= len(rendered) + 1, stops
        page.keyboard.press("Tab")
    assert [s["what"] for s in stops if not s["shown"]] == []
    assert len(stops) >= len(rendered) - 1, stops  # every link but the one it opened on
    keyboard.settle(page)
    assert keyboard.focused(page)["shown"]


@pytest.mark.parametrize("width", (320, 375))
def test_the_search_opens_from_the_keyboard_and_escape_gives_the_focus_back(
    open_page, site_url, width, keyboard
):
    page = open_page(viewport={"width": width, "height": 700})
    page.goto(site_url(""), wait_until="load")
    keyboard.ready(page)
    button = page.get_by_role("button", name="Search", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    keyboard.settle(page)
    assert keyboard.focused(page)["shown"], "the search field is focused but not shown"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.dataset.trToggle") == "__search"


def test_without_javascript_the_keyboard_reaches_the_menu_as_it_slides_in(
    open_page, site_url, keyboard
):
    """No menu button without JavaScript: the drawer's links keep their Tab stops, and the drawer
    slides into view while the focus is in it."""
    page = open_page(javascript=False, viewport={"width": 375, "height": 700})
    page.goto(site_url("pathway/"), wait_until="load")
    links = page.locator(".md-sidebar--primary a.md-nav__link[href]")
    assert links.count() >= 5
    links.first.focus()
    keyboard.settle(page)
    assert keyboard.shown(page, links.first.element_handle())
