"""One look for the guide, the checker and the form: the service's own header, GOV.UK's type and
colours, and the same 40 px radios and the same buttons in the checker and the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.sources.load import load_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BLACK = "rgb(11, 12, 12)"  # GOV.UK's text colour, #0b0c0c
BUTTON_STYLE = ("font-size", "font-weight", "line-height", "padding-top", "padding-left")


@pytest.fixture(scope="module")
def service():
    return load_project(ROOT).service


@pytest.mark.parametrize("width", [1280, 375])
def test_header_is_the_services_name_and_organisation_with_no_material_logo(
    open_page, site_url, service, width
):
    page = open_page(viewport={"width": width, "height": 800})
    page.goto(site_url(""), wait_until="load")
    header = page.locator("header.md-header")
    assert header.locator(".md-logo").count() == 0, "Material's book logo is still there"
    # Nor in the navigation drawer: its logo link is hidden when the service has no logo.
    assert page.locator(".md-nav__button.md-logo svg").count() == 0
    assert page.locator(".md-nav__button.md-logo:visible").count() == 0
    name = header.locator("a.tr-header__name")
    assert name.inner_text() == (service.name if width == 1280 else service.short_name)
    assert name.evaluate("a => new URL(a.href).pathname") == "/"
    organisation = header.locator(".tr-header__organisation")
    assert service.part_of in organisation.inner_text()
    assert organisation.is_visible() == (width == 1280)  # a phone has room for the name only
    # The neutral default: GOV.UK's near-black bar with white text.
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == BLACK
    assert name.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"


def test_guide_pages_use_the_pdfs_font_and_govuk_headings(page, site_url):
    page.goto(site_url("who-can-be-referred/"), wait_until="load")
    page.evaluate("() => document.fonts.ready")
    family = page.locator("article").evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith('"Atkinson Hyperlegible"'), family
    assert page.evaluate("() => document.fonts.check('700 16px \"Atkinson Hyperlegible\"')")
    loaded = page.evaluate(
        "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("atkinson hyperlegible" in f.lower() for f in loaded), loaded
    heading = page.locator("article h1")
    assert heading.evaluate("e => getComputedStyle(e).color") == BLACK
    assert heading.evaluate("e => getComputedStyle(e).fontWeight") == "700"


def _style(locator, properties) -> dict:
    return locator.evaluate(
        "(e, names) => Object.fromEntries(names.map(n => [n, getComputedStyle(e)[n]]))",
        list(properties),
    )


def test_checker_and_form_have_the_same_40_px_radios_and_buttons(page, site_url):
    page.goto(site_url("checker/"), wait_until="load")
    page.wait_for_selector("[data-tr-checker][data-tr-ready]", state="attached")
    page.get_by_role("link", name="Start now").click()
    circle = page.locator(".govuk-radios__label").first.evaluate(
        "e => { const s = getComputedStyle(e, '::before'); return [s.width, s.height]; }"
    )
    assert circle == ["40px", "40px"]
    checker_button = _style(page.get_by_role("button", name="Continue"), BUTTON_STYLE)

    page.goto(site_url("referral-form/#tr-section-young_person"), wait_until="load")
    radio = page.locator("input.tr-choice__input[type=radio]").first
    box = radio.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (40, 40)
    form_button = _style(page.locator(".tr-section--current [data-tr-next]"), BUTTON_STYLE)
    assert form_button == checker_button
