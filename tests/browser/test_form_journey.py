"""The referral form's way through, in Chromium (issue 19): GOV.UK's task list with each section's
status, one section at a time with its own errors, "Check your answers" listing every answer by
section with a Change link to its question and back, views with addresses of their own (Back and
reload keep the place), and without JavaScript one page holding every question."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from form_pages import (
    focused,
    open_form,
    settle,
    show_check,
    show_section,
    show_tasks,
    wait_for_focus,
)

from generator.rules.submission import (
    applicable_fields,
    criteria_report,
    validate_submission,
)
from generator.sources.load import load_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "forms" / "examples" / "referral-example.json"
MONTHS = "January February March April May June July August September October November December"


@pytest.fixture(scope="module")
def form():
    return load_project(ROOT).form


@pytest.fixture
def form_page(page, site_url):
    return open_form(page, site_url)


# What the page shows once it has read a file named `name`: the question before it replaces
# answers ("asked"), or the file opened or refused ("done"). Both messages name the file.
FILE_SHOWN = """name => {
  const shown = e => e && e.checkVisibility() && e.textContent.includes(name);
  if (shown(document.querySelector('[data-tr-confirm]'))) return 'asked';
  return shown(document.querySelector('[data-tr-opened]'))
    || shown(document.querySelector('[data-tr-summary]')) ? 'done' : '';
}"""


def open_file(page, path: Path) -> None:
    """Open a file as the practitioner does, saying yes if the page asks first. The page reads
    the file in a later task, so whether it asks is known only once it shows the question or
    the result: the state just after choosing the file is neither."""
    assert not page.evaluate(FILE_SHOWN, path.name), "this file's message is already shown"
    page.set_input_files("#tr-open-file", str(path))
    if page.wait_for_function(FILE_SHOWN, arg=path.name).json_value() == "asked":
        page.click("[data-tr-replace]")
        page.wait_for_function(f"name => ({FILE_SHOWN})(name) === 'done'", arg=path.name)


def statuses(page) -> list[str]:
    return page.locator(".tr-task-list__status").all_inner_texts()


def problems_of_section(form, data: dict, section_id: str) -> list[str]:
    fields = {f.id for f in next(s for s in form.sections if s.id == section_id).fields}
    complete = {"form": "referral", **data, "status": "complete"}
    found = validate_submission(form, complete, today=datetime.date.today())
    return [p.message for p in found if p.field_id.split(".")[0] in fields]


def printed(field, value) -> str:
    """An answer as check answers shows it, worked out here from the form, not from the page."""
    labels = {o.id: o.label for o in field.options}
    if field.type == "radios":
        return labels[value]
    if field.type == "checkboxes":
        return "\n".join(labels[v] for v in value)
    if field.type == "date":
        year, month, day = map(int, value.split("-"))
        return f"{day} {MONTHS.split()[month - 1]} {year}"
    if field.type == "group":
        lines = []
        for number, item in enumerate(value, 1):
            lines.append(f"{field.item_name} {number}")
            for sub in field.fields:
                lines += [sub.label, item.get(sub.id, "Not answered")]
        return "\n".join(lines)
    return value


def test_check_answers_lists_every_answer_by_section(form_page, form, assert_no_axe_violations):
    page = form_page
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    open_file(page, EXAMPLE)
    page.locator("[data-tr-check]").click()
    assert page.url.endswith("#tr-check") and focused(page)["id"] == "tr-check"
    asked = {f.id for f in applicable_fields(form, example)}
    sections = page.locator(".tr-review__section")
    assert sections.locator("h3").all_inner_texts() == [s.title for s in form.sections]
    for section, shown in zip(form.sections, sections.all(), strict=True):
        fields = [f for f in section.fields if f.id in asked]
        rows = shown.locator(".tr-summary-list__row")
        assert rows.locator(":scope > dt").all_inner_texts() == [f.label for f in fields]
        for field, row in zip(fields, rows.all(), strict=True):
            value = re.sub(r"\n+", "\n", row.locator("dd").first.inner_text())
            assert value == printed(field, example[field.id]), field.id
            # "Change", and the question for a screen reader.
            change = row.get_by_role("link", name=f"Change {field.label}", exact=True)
            assert change.inner_text().startswith("Change")
            assert change.get_attribute("href") == f"#tr-section-{section.id}"
    # Every answer in the file is listed once: nothing left out, nothing twice.
    assert page.locator("[data-tr-change]").count() == len(asked)
    assert page.locator("[data-tr-status]").inner_text() == (
        "There are no problems with your answers. Save them to a file to keep them."
    )
    settle(page)
    assert_no_axe_violations(page)


def test_each_change_link_returns_to_its_question_and_back(form_page, form):
    page = form_page
    open_file(page, EXAMPLE)
    show_check(page)
    keys = [a.get_attribute("data-tr-change") for a in page.locator("[data-tr-change]").all()]
    assert len(keys) > 30
    sections = {f.id: s.id for s in form.sections for f in s.fields}
    for key in keys:
        page.locator(f"[data-tr-change='{key}']").click()
        shown = page.locator(".tr-section--current")
        assert shown.get_attribute("data-tr-section") == sections[key]
        # The question's first box or choice has the focus, and Back leads to the answers.
        assert page.evaluate("key => !!document.activeElement.closest(`[id='q-${key}']`)", key), key
        assert shown.locator("[data-tr-back]").get_attribute("href") == "#tr-check"
        page.focus(".tr-section--current [data-tr-next]")
        page.keyboard.press("Enter")
        assert page.is_visible(".tr-review"), key
        assert focused(page)["change"] == key  # back at the same answer


def test_change_then_back_link_returns_to_the_answers(form_page):
    page = form_page
    open_file(page, EXAMPLE)
    show_check(page)
    page.get_by_role("link", name="Change Full name", exact=True).click()
    page.fill("#f-full_name", "Changed Name (fictional)")
    page.locator(".tr-section--current [data-tr-back]").click()
    wait_for_focus(page, "tr-check")
    assert page.is_visible(".tr-review")
    row = page.locator(".tr-summary-list__row", has_text="Full name").first
    assert "Changed Name (fictional)" in row.inner_text()


def test_task_list_statuses(form_page, form, assert_no_axe_violations):
    """GOV.UK's words: "Not yet started", "Incomplete" (answered, with problems left) and
    "Completed" (no problems; a section of optional questions once continued from)."""
    page = form_page
    titles = page.locator(".tr-task-list a").all_inner_texts()
    assert titles == [s.title for s in form.sections]
    assert statuses(page) == ["Not yet started"] * 10
    assert page.locator("[data-tr-progress]").inner_text() == "You have completed 0 of 10 sections."
    # Each status is read with its section's link.
    link = page.get_by_role("link", name="The young person", exact=True)
    assert link.get_attribute("aria-describedby") == "tr-status-young_person"

    show_section(page, "young_person")
    page.fill("#f-full_name", "Sam Example")
    show_section(page, "about")
    for part, value in (("day", "5"), ("month", "10"), ("year", "2026")):
        page.fill(f"#f-referral_date-{part}", value)
    show_section(page, "agencies")  # only optional questions: completed once continued from
    page.click(".tr-section--current [data-tr-next]")
    show_tasks(page)
    expected = ["Completed", "Incomplete"] + ["Not yet started"] * 5 + ["Completed"]
    assert statuses(page) == expected + ["Not yet started"] * 2
    assert page.locator("[data-tr-progress]").inner_text() == "You have completed 2 of 10 sections."
    settle(page)
    assert_no_axe_violations(page)

    open_file(page, EXAMPLE)
    assert statuses(page) == ["Completed"] * 10


def test_errors_are_shown_per_section_not_all_at_once(form_page, form):
    page = form_page
    empty = {"form": "referral", "status": "complete"}
    everything = validate_submission(form, empty, today=datetime.date.today())
    assert len(everything) == 26  # what the first check used to list, all at once
    for section in form.sections:
        show_section(page, section.id)
        page.click(".tr-section--current [data-tr-next]")
        expected = problems_of_section(form, {}, section.id)
        shown = page.locator("[data-tr-summary] li").all_inner_texts()
        if expected:
            assert shown == expected, section.id
            assert page.is_visible("[data-tr-summary]")
            assert page.is_visible(f".tr-section--current[data-tr-section='{section.id}']")
        else:  # nothing to put right: on to the next section
            assert not page.is_visible("[data-tr-summary]"), section.id
    # The first section asks one question, so its first error summary holds one problem.
    assert len(problems_of_section(form, {}, "about")) == 1


def test_sections_in_any_order_and_continue_moves_to_the_next_not_completed(form_page):
    page = form_page
    page.get_by_role("link", name="Worker safety", exact=True).click()
    wait_for_focus(page, "tr-section-safety")
    assert page.url.endswith("#tr-section-safety")
    page.fill("#f-worker_safety", "None known (fictional).")
    page.keyboard.press("Tab")  # the section's one question, then Continue
    assert focused(page)["next"]
    page.keyboard.press("Enter")
    # The next section not completed, after this one.
    assert page.url.endswith("#tr-section-other")
    page.keyboard.press("Enter")  # on its heading: nothing happens
    page.click(".tr-section--current [data-tr-next]")  # nothing but optional questions
    # Earlier sections are left: back to the task list, with the two done.
    assert page.url.endswith("#tr-tasks") and focused(page)["id"] == "tr-tasks"
    assert statuses(page)[-2:] == ["Completed", "Completed"]


def test_back_and_reload_keep_the_place(form_page, site_url):
    page = form_page
    page.get_by_role("link", name="The young person", exact=True).click()
    wait_for_focus(page, "tr-section-young_person")
    page.get_by_role("link", name="Back", exact=True).click()
    wait_for_focus(page, "tr-tasks")
    page.go_back()  # the browser's Back: the section again
    wait_for_focus(page, "tr-section-young_person")
    page.go_back()
    page.wait_for_selector(".tr-tasks", state="visible")
    assert page.url == site_url("referral-form/")
    page.go_forward()
    wait_for_focus(page, "tr-section-young_person")
    assert page.is_visible("#f-full_name")
    page.reload(wait_until="load")
    page.wait_for_function("() => document.querySelector('.tr-form--js')")
    assert page.is_visible("#f-full_name") and not page.is_visible(".tr-tasks")


def test_check_answers_shows_what_is_missing_as_links(form_page, form, assert_no_axe_violations):
    page = form_page
    show_section(page, "case_holder")
    page.fill("#f-case_holder_email", "not-an-address")
    show_check(page)
    row = page.locator(".tr-summary-list__row", has_text="Your full name").first
    # Not answered: the message is the link to the question; no Change link beside it.
    link = row.get_by_role("link", name="Enter your full name", exact=True)
    assert link.get_attribute("data-tr-change") == "case_holder_name"
    assert row.locator(".tr-summary-list__actions a").count() == 0
    # Answered wrongly: the answer, its message, and Change.
    wrong = page.locator(".tr-summary-list__row", has_text="Your work email address").first
    assert "not-an-address" in wrong.inner_text()
    assert wrong.locator(".tr-error-message").text_content() == (
        "Error: Enter your work email address in the correct format, like name@example.com"
    )
    assert wrong.get_by_role("link", name="Change Your work email address").count() == 1
    # Optional and not answered: "Not answered", and Change.
    other = page.locator(".tr-summary-list__row", has_text="Other names used").first
    assert other.locator("dd").first.inner_text() == "Not answered"
    assert page.locator("[data-tr-status]").inner_text() == ""
    settle(page)
    assert_no_axe_violations(page)
    link.click()
    assert focused(page)["id"] == "f-case_holder_name"


@pytest.mark.parametrize("width", [320, 375])
def test_each_view_fits_a_phone(open_page, site_url, width, assert_no_axe_violations):
    page = open_form(open_page(viewport={"width": width, "height": 700}), site_url)
    open_file(page, EXAMPLE)
    for show in (show_tasks, lambda p: show_section(p, "young_person"), show_check):
        show(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        settle(page)
        assert_no_axe_violations(page)


def test_without_javascript_the_form_is_one_page(open_page, site_url, form):
    page = open_page(javascript=False)
    page.goto(site_url("referral-form/"), wait_until="load")
    assert not page.is_visible(".tr-tasks") and not page.is_visible(".tr-review")
    assert not page.locator("[data-tr-back]").first.is_visible()
    titles = page.locator(".tr-section[data-tr-section] .tr-section__title")
    assert titles.all_inner_texts() == [s.title for s in form.sections]
    for section in form.sections:
        for field in section.fields:
            assert page.is_visible(f"#q-{field.id}"), field.id
    # Tab goes from the first question to the last, through every section, with no step between.
    page.focus("#f-referral_date-day")
    seen = []
    for _ in range(200):
        page.keyboard.press("Tab")
        name = page.evaluate("() => document.activeElement.name || ''")
        if not name:
            break
        seen.append(re.sub(r"-(day|month|year)$", "", name))
    asked = [f.id for f in form.all_fields() if f.type != "group"]
    assert [k for k in dict.fromkeys(seen) if "-" not in k] == asked


def test_after_opening_a_file_the_criteria_judge_its_own_answers(form_page, form, tmp_path):
    """Issue 20: a date of birth the boxes tidy (" 2008-10-06" shows as 6 October 2008) is no
    date in the file, so the file's age criterion is not yet known, as `validate` says, until the
    practitioner changes an answer."""
    page = form_page
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data = {**example, "date_of_birth": " 2008-10-06", "status": "draft"}
    path = tmp_path / "tidied.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    open_file(page, path)
    show_check(page)
    words = {True: "Met", False: "Not met", None: "Not yet known"}
    expected = [
        words[c["met"]] + (f": {'; '.join(c['reasons'])}" if c["reasons"] else "")
        for c in criteria_report(form, data)
    ]
    # The criteria table on screen (the print summary has the same cells, for paper).
    cells = page.locator(".tr-criteria [data-tr-criterion]").all_inner_texts()
    assert cells == expected
    age = page.locator(".tr-criteria [data-tr-criterion='age']").inner_text()
    assert age.startswith("Not yet known")
    # Once an answer changes, the page judges what its boxes hold.
    show_section(page, "young_person")
    page.fill("#f-ethnicity", "Changed (fictional)")
    show_check(page)
    assert page.locator(".tr-criteria [data-tr-criterion='age']").inner_text() == "Met"
