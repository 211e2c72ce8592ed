"""The referral form page as a practitioner keeps and prints it, in Chromium: opening a saved file
never loses typed answers (issue 11); the error summary shows below the sticky header, the save
confirmation sits by the buttons, the printout holds every answer in full with the protective
marking, and the page with JavaScript off promises no saving (issue 14)."""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from form_pages import open_form, settle, show_section, show_tasks
from hypothesis import given, settings

from generator.rules.submission import parse_submission, validate_submission
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "forms" / "examples" / "referral-example.json"
INVALID = ROOT / "tests" / "submissions" / "invalid"
FORM_URL = "referral-form/"
LONG_ANSWER = " ".join(
    f"Sentence {n} of a long fictional answer, written to see that nothing is cut off."
    for n in range(1, 16)
)
# Every answer on the page, as one value to compare before and after something that must not change it.
SNAPSHOT = """() => [...document.querySelectorAll('[data-tr-form] input, [data-tr-form] textarea')]
  .map(e => e.type === 'radio' || e.type === 'checkbox' ? `${e.id}=${e.checked}` : `${e.id}=${e.value}`)"""


@pytest.fixture(scope="module")
def form():
    return load_project(ROOT).form


@pytest.fixture
def form_page(page, site_url):
    return open_form(page, site_url)


def type_answers(page) -> list[str]:
    """Type two answers, in two sections, and come back to the task list, where files open."""
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type("Typed Name (fictional)")
    show_section(page, "other")
    page.focus("#f-anything_else")
    page.keyboard.type("Typed by hand, not saved yet.")
    show_tasks(page)
    return page.evaluate(SNAPSHOT)


def active(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.hasAttribute('data-tr-confirm') ? 'confirm' : e.id || e.tagName; }"
    )


def assert_leaving_warns(page) -> None:
    with page.expect_event("dialog") as info:
        page.close(run_before_unload=True)
    assert info.value.type == "beforeunload"
    info.value.dismiss()
    assert not page.is_closed()
    page.close(run_before_unload=False)


@pytest.mark.browser
def test_opening_a_file_over_typed_answers_asks_and_escape_keeps_them(
    form_page, assert_no_axe_violations
):
    page = form_page
    before = type_answers(page)
    page.set_input_files("#tr-open-file", str(EXAMPLE))
    confirm = page.locator("[data-tr-confirm]")
    confirm.wait_for(state="visible")
    assert "Opening referral-example.json will replace every answer on this page" in (
        confirm.inner_text()
    )
    assert confirm.get_attribute("role") == "alertdialog"
    assert active(page) == "confirm"  # focus moved to the question, which names itself
    assert page.evaluate(SNAPSHOT) == before  # nothing changed yet
    settle(page)
    assert_no_axe_violations(page)

    page.keyboard.press("Escape")
    assert not confirm.is_visible()
    assert active(page) == "tr-open-file"  # back where the practitioner was
    assert page.evaluate(SNAPSHOT) == before
    assert page.locator("[data-tr-opened]").inner_text() == (
        "referral-example.json was not opened. Your answers have not changed."
    )
    assert page.get_attribute("[data-tr-opened]", "role") == "status"
    assert_leaving_warns(page)  # the typed answers are still unsaved


@pytest.mark.browser
def test_cancel_keeps_everything_and_replace_opens_the_file(form_page):
    page = form_page
    before = type_answers(page)
    page.set_input_files("#tr-open-file", str(EXAMPLE))
    page.locator("[data-tr-cancel]").click()
    assert page.evaluate(SNAPSHOT) == before
    assert not page.is_visible("[data-tr-confirm]")
    assert active(page) == "tr-open-file"

    page.set_input_files("#tr-open-file", str(EXAMPLE))
    # The page asks once it has read the file, a task later: focusing Replace before then
    # would do nothing, and Enter would not open the file.
    page.locator("[data-tr-confirm]").wait_for(state="visible")
    page.focus("[data-tr-replace]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-tr-opened]').textContent.includes('Opened')"
    )
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert page.input_value("#f-full_name") == example["full_name"]
    assert page.input_value("#f-anything_else") == example["anything_else"]
    # Opened, then changed: leaving warns again.
    show_section(page, "voice")
    page.focus("#f-interests")
    page.keyboard.type(" More.")
    assert_leaving_warns(page)


@pytest.mark.browser
def test_an_empty_draft_over_typed_answers_also_asks(form_page, tmp_path):
    page = form_page
    before = type_answers(page)
    empty = tmp_path / "empty-draft.json"
    empty.write_text('{"form": "referral", "status": "draft"}', encoding="utf-8")
    page.set_input_files("#tr-open-file", str(empty))
    page.locator("[data-tr-confirm]").wait_for(state="visible")
    assert page.evaluate(SNAPSHOT) == before
    page.click("[data-tr-replace]")
    assert page.input_value("#f-full_name") == ""


@pytest.mark.browser
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            (INVALID / "file-details-wrong.json").read_text(encoding="utf-8"),
            "This file was saved from another form, not this one",
        ),
        (
            (INVALID / "file-details-missing.json").read_text(encoding="utf-8"),
            "This file is not a saved form: it does not say which form it was saved from",
        ),
        ('{"form": 7, "full_name": "Other"}', "This file is not a saved form: it does not say"),
        ('["referral"]', "This file is not a saved form: it holds JSON, but not a set of answers"),
        ("full_name: Other", "This file is not a saved form: it is not valid JSON"),
    ],
    ids=["another-form", "no-form-id", "form-id-not-text", "not-an-object", "not-json"],
)
def test_a_file_not_of_this_form_is_refused_and_nothing_changes(
    form_page, tmp_path, content, message, assert_no_axe_violations
):
    page = form_page
    before = type_answers(page)
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")
    page.set_input_files("#tr-open-file", str(path))
    summary = page.locator("[data-tr-summary]")
    summary.wait_for(state="visible")
    assert summary.locator("li").all_inner_texts()[0].startswith(message)
    assert page.locator("[data-tr-summary-intro]").inner_text() == "other.json could not be opened."
    assert not page.is_visible("[data-tr-confirm]")  # refused outright, not asked about
    assert page.evaluate(SNAPSHOT) == before
    settle(page)
    assert_no_axe_violations(page)
    assert_leaving_warns(page)


@pytest.mark.browser
def test_opening_a_file_on_an_empty_page_does_not_ask_and_typing_rearms_the_warning(form_page):
    page = form_page
    page.set_input_files("#tr-open-file", str(EXAMPLE))
    page.wait_for_function(
        "() => document.querySelector('[data-tr-opened]').textContent.includes('Opened')"
    )
    assert not page.is_visible("[data-tr-confirm]")
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type("x")
    assert_leaving_warns(page)


def header_and_button(page) -> dict:
    return page.evaluate(
        """() => ({header: document.querySelector('.md-header').getBoundingClientRect().bottom,
                   top: document.querySelector('.md-top').getBoundingClientRect().bottom,
                   height: window.innerHeight})"""
    )


def top_of(page, selector: str) -> float:
    return page.evaluate(f"() => document.querySelector({selector!r}).getBoundingClientRect().top")


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_error_summary_shows_below_the_header_and_back_to_top(
    open_page, site_url, width, assert_no_axe_violations
):
    page = open_form(open_page(viewport={"width": width, "height": 720}), site_url)
    show_section(page, "young_person")
    page.focus(".tr-section--current [data-tr-next]")
    page.keyboard.press("Enter")
    settle(page)
    bars = header_and_button(page)
    title = page.locator("[data-tr-summary] h2").bounding_box()
    top = top_of(page, "[data-tr-summary]")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-tr-summary')")
    # Below Material's sticky header and the "Back to top" button under it, heading in view.
    assert top >= max(bars["header"], bars["top"]), (top, bars)
    assert title["y"] + title["height"] <= bars["height"], (title, bars)
    assert_no_axe_violations(page)

    # A link in the summary brings its question, error message first, to the same place.
    page.locator("[data-tr-summary] a", has_text="date of birth").click()
    settle(page)
    message = top_of(page, "#f-date_of_birth-error")
    assert max(bars["header"], bars["top"]) <= message < bars["height"], (message, bars)


@pytest.mark.browser
def test_the_save_confirmation_is_by_the_buttons_with_where_to_keep_the_file(
    form_page, form, assert_no_axe_violations
):
    page = form_page
    notice = page.locator("#tr-save-notice")
    assert notice.inner_text() == form.save_notice
    assert page.get_attribute("[data-tr-save]", "aria-describedby") == "tr-save-notice"
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type("Typed Name (fictional)")
    show_tasks(page)
    page.focus("[data-tr-save]")
    with page.expect_download():
        page.keyboard.press("Enter")
    status = page.locator("[data-tr-status]")
    assert status.get_attribute("role") == "status"
    words = status.inner_text()
    assert words.startswith("Saved as referral-draft-") and words.endswith(form.saved_notice)
    assert status.is_visible()
    button, box = page.locator("[data-tr-save]").bounding_box(), status.bounding_box()
    viewport = page.viewport_size
    # Seen without scrolling (to within the rounding of a fraction of a pixel).
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"] + 1
    assert 0 <= box["y"] - (button["y"] + button["height"]) < 100  # just below the buttons
    settle(page)
    assert_no_axe_violations(page)


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


@pytest.mark.browser
def test_the_print_shows_every_answer_in_full_with_the_marking(form_page, form):
    page = form_page
    page.set_input_files("#tr-open-file", str(EXAMPLE))
    page.wait_for_function(
        "() => document.querySelector('[data-tr-opened]').textContent.includes('Opened')"
    )
    show_section(page, "other")
    page.fill("#f-anything_else", LONG_ANSWER)
    data = page.pdf()  # Chromium's own print, as Ctrl+P gives it
    text = pdf_text(data)
    flat = re.sub(r"\s+", " ", text)
    assert LONG_ANSWER in flat  # the whole answer, not the rows its box shows on screen
    # Laid out as the filled-referral PDF: the question, then its answer in words.
    assert "Full name Sam Example" in flat
    assert "Gender Not known" in flat
    assert "Date of birth 27 March 2011" in flat
    assert "How does the young person describe their gender? Not applicable" in flat
    assert "Agency 1 Agency Example Youth Justice Service (fictional)" in flat
    assert "Save to file" not in flat and "Open a saved file" not in flat
    pages = text.count("\f")
    assert flat.count(form.protective_marking) >= pages >= 2  # on every page


@pytest.mark.browser
def test_an_empty_form_prints_its_boxes_with_the_marking(form_page, form):
    text = pdf_text(form_page.pdf())
    assert "Full name" in text and "Not answered" not in text
    assert text.count(form.protective_marking) >= text.count("\f")
    # Every section and question, though the screen shows only the task list.
    flat = re.sub(r"\s+", " ", text)
    assert not form_page.is_visible("#f-full_name")
    for section in form.sections:
        assert section.title in flat
        for field in section.fields:
            if field.show_if is None:
                assert field.label in flat, field.label


@pytest.mark.browser
def test_without_javascript_the_page_promises_no_saving(open_page, site_url, form):
    page = open_page(javascript=False)
    page.goto(site_url(FORM_URL), wait_until="load")
    shown = re.sub(r"\s+", " ", page.locator("article").inner_text())
    assert "JavaScript is off or blocked" in shown
    assert form.on_screen_intro not in shown
    assert not re.search(r"save (the form|it|them)|open it again", shown, re.IGNORECASE)
    with_script = open_form(open_page(), site_url)
    assert with_script.locator(".tr-screen-intro").inner_text() == form.on_screen_intro


def _footer_links_shown(html: str) -> bool:
    nav = re.search(r'<nav class="md-footer__inner[^>]*>', html)
    return bool(nav) and " hidden" not in nav.group(0) and "md-footer__link" in html


def test_the_form_and_checker_pages_have_no_footer_next_and_previous(built_site):
    pages = [built_site / "referral-form" / "index.html", *(built_site / "checker").rglob("*.html")]
    assert len(pages) > 5
    shown = [str(p.relative_to(built_site)) for p in pages if _footer_links_shown(p.read_text())]
    assert shown == []
    # The guide's own pages keep them.
    assert _footer_links_shown((built_site / "pathway" / "index.html").read_text())


def _load_hostile_drafts():
    """tests/hostile_drafts.py, the strategies tests/test_rules_in_node.py uses too (tests/ is not
    on the import path of tests/browser/)."""
    spec = importlib.util.spec_from_file_location(
        "hostile_drafts", ROOT / "tests" / "hostile_drafts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# A file name a selector or String.replace could trip on: quotes, "$&" and "{file}" itself.
HOSTILE_NAME = "d'r$&a{file}\"ft].json"


def validate_lists(form, raw: bytes) -> list[str]:
    """What `python -m generator validate` prints for a file, one line per problem."""
    data, problems = parse_submission(raw)
    if not problems:
        problems = validate_submission(form, data, today=datetime.date.today())
    return [str(p) for p in problems]


def open_and_list(page, path: Path) -> tuple[list[str], str]:
    """Open a file on a page with no answers: what the error summary lists, and its lead-in."""
    show_tasks(page)
    page.set_input_files("#tr-open-file", str(path))
    page.wait_for_function(
        "() => !document.querySelector('[data-tr-summary]').hidden"
        " || document.querySelector('[data-tr-opened]').textContent"
    )
    if not page.is_visible("[data-tr-summary]"):
        return [], page.locator("[data-tr-opened]").inner_text()
    lead = page.locator("[data-tr-summary-intro]").text_content()
    # As text, not as rendered: white space at the ends of a key is part of what is listed.
    return page.locator("[data-tr-summary] li").all_text_contents(), lead


def use_every_view(page) -> None:
    """Check answers, each section and the printout, drawn from what the file left."""
    page.locator("[data-tr-check]").click()
    page.locator(".tr-review").wait_for(state="visible")
    for section in page.locator("[data-tr-section]").all():
        show_section(page, section.get_attribute("data-tr-section"))
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")
    show_tasks(page)


@pytest.mark.browser
def test_a_draft_with_keys_that_break_selectors_is_listed_as_validate_lists_it(
    form_page, form, tmp_path, browser_log
):
    """Issue 18: keys that end a quoted selector ("a']"), a backslash, markup, names every object
    inherits, a key that spells an agency's path: the page lists every one as `validate` does,
    marks no question for a key that only spells its path, and keeps working."""
    page = form_page
    draft = {
        "form": "referral",
        "status": "draft",
        "a']": 1,
        "\\": 2,
        '"]': 3,
        "</script><script>window.__pwned=1</script>": 4,
        "__proto__": {"polluted": True},
        "constructor": 5,
        "full_name": "Sam Example",
        "other_agencies": [{"agency": "School (fictional)", 'b"]': 1, "__proto__": 2}],
        "other_agencies.0.agency": "a key that spells the first agency's path",
        "q-full_name": 6,
    }
    path = tmp_path / HOSTILE_NAME
    path.write_text(json.dumps(draft), encoding="utf-8")
    listed, lead = open_and_list(page, path)
    expected = validate_lists(form, path.read_bytes())
    assert len(expected) == 10
    assert listed == expected
    assert lead == f"{HOSTILE_NAME} was opened. These answers need attention:"
    # Only the agency's real questions are in its boxes; no question is marked for a key.
    assert page.input_value("#f-other_agencies-0-agency") == "School (fictional)"
    assert page.locator(".tr-field--error").count() == 0
    assert page.evaluate("() => ({}).polluted === undefined && window.__pwned === undefined")
    use_every_view(page)
    assert browser_log.problems() == []


HOSTILE_DRAFTS = _load_hostile_drafts()


@pytest.mark.browser
@settings(
    max_examples=int(os.environ.get("BROWSER_DRAFT_EXAMPLES", "30")), **HOSTILE_DRAFTS.SETTINGS
)
@given(file=HOSTILE_DRAFTS.draft_files())
def test_no_hostile_draft_stops_the_page_and_it_lists_what_validate_lists(
    page, site_url, form, tmp_path_factory, browser_log, file
):
    """Issue 18, a sample in Chromium (tests/test_rules_in_node.py runs many in Node): whatever a
    saved file holds, the page refuses it or lists its problems exactly as `validate` does, and
    its script never throws, in any view or the printout."""
    raw, how = file
    path = tmp_path_factory.mktemp("draft") / HOSTILE_NAME
    path.write_bytes(raw)
    open_form(page, site_url)
    listed, _lead = open_and_list(page, path)
    assert listed == validate_lists(form, raw), how
    use_every_view(page)
    assert browser_log.problems() == [], how
