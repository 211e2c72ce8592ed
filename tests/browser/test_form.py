"""The referral form page in Chromium: filled by keyboard section by section, saved and opened
again, errors in the GOV.UK pattern, the same verdicts and messages as `python -m generator
validate`, accessible in every state, and nothing stored or sent. (The task list, check answers
and the page without JavaScript: test_form_journey.py.)"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from form_pages import (
    focused,
    open_form,
    settle,
    show_check,
    show_question,
    show_section,
    show_tasks,
    wait_for_focus,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.rules.submission import parse_submission, validate_submission
from generator.sources.load import load_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = ROOT / "tests" / "submissions"
EXAMPLE = ROOT / "forms" / "examples" / "referral-example.json"
TODAY = datetime.date(2026, 11, 26)
FORM_URL = "referral-form/"


@pytest.fixture(scope="module")
def form():
    return load_project(ROOT).form


@pytest.fixture
def form_page(page, site_url):
    return open_form(page, site_url)


def page_validate(page, data, today=TODAY) -> list[dict]:
    # As JSON text, so the page reads exactly what a file would give it (keys like "__proto__" too).
    return page.evaluate(
        "([text, today]) => TRForm.validate(JSON.parse(text), today)",
        [json.dumps(data), today.isoformat()],
    )


def page_validate_text(page, text: str, today=TODAY) -> list[dict]:
    """As `page_validate`, from a file's own text: a number too big for a double (a 5,000-digit
    integer) is Infinity there and in `parse_submission`, which json.dumps cannot write back."""
    return page.evaluate(
        "([text, today]) => TRForm.validate(JSON.parse(text), today)", [text, today.isoformat()]
    )


def python_validate(form, data, today=TODAY) -> list[dict]:
    return [p.as_dict() for p in validate_submission(form, data, today=today)]


def fill_by_keyboard(page, answers: dict, form) -> int:
    """Fill the form with Tab, Enter, typing, Space and arrow keys only: from the task list's first
    link, through each section and its Continue button, to "Save to file" below check answers.
    Return the number of Tab presses."""
    types = {f.id: f.type for f in form.all_fields()}
    groups = {
        f.id: {s.id: s.type for s in f.fields} for f in form.all_fields() if f.type == "group"
    }
    page.focus(".tr-task-list a")
    first = page.get_attribute(".tr-task-list a", "href")
    page.keyboard.press("Enter")
    # The link changes the address; the section is shown (its heading focused) a task later. A
    # Tab pressed before that walked the task list instead (seen once, on a loaded machine).
    wait_for_focus(page, first.removeprefix("#"))
    tabs = 0
    for _ in range(600):
        element = focused(page)
        if element["save"]:
            return tabs
        if element["summary"]:
            problems = page.locator("[data-tr-summary] li").all_inner_texts()
            pytest.fail(f"Continue found problems: {problems}")
        if element["next"]:
            page.keyboard.press("Enter")  # on to the next section, or check answers
            continue
        key = element["id"][2:] if element["id"].startswith("f-") else ""
        parts = key.split("-")
        if element["add"]:
            group = element["add"]
            items_now = page.locator(f"[data-tr-items='{group}'] > [data-tr-item]").count()
            if items_now < len(answers.get(group, [])):
                page.keyboard.press("Enter")  # focus moves to the new item's first question
                continue
        elif element["type"] == "radio":
            wanted = answers.get(element["name"])
            if wanted is not None:
                while focused(page)["value"] != wanted:
                    page.keyboard.press("ArrowDown")
                if not focused(page)["checked"]:
                    page.keyboard.press("Space")
        elif element["type"] == "checkbox":
            if element["value"] in answers.get(element["name"], []) and not element["checked"]:
                page.keyboard.press("Space")
        elif len(parts) == 3 and parts[0] in groups:
            value = answers.get(parts[0], [])
            index, sub = int(parts[1]), parts[2]
            if index < len(value) and sub in value[index]:
                page.keyboard.type(value[index][sub])
        elif len(parts) == 2 and types.get(parts[0]) == "date" and parts[0] in answers:
            year, month, day = answers[parts[0]].split("-")
            page.keyboard.type(
                {"day": str(int(day)), "month": str(int(month)), "year": year}[parts[1]]
            )
        elif len(parts) == 1 and key in answers:
            page.keyboard.type(answers[key])
        page.keyboard.press("Tab")
        tabs += 1
    pytest.fail(f"Tab never reached the Save button; stuck at {focused(page)}")


def save_with_keyboard(page, tmp_path: Path, name: str) -> tuple[dict, Path]:
    """Save from the task list (its buttons are there and below check answers)."""
    if not page.is_visible("[data-tr-save]"):
        show_tasks(page)
    page.focus("[data-tr-save]")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    path = tmp_path / name
    download.save_as(path)
    assert download.suggested_filename.endswith(".json")
    return json.loads(path.read_text(encoding="utf-8")), path


def without_saved_at(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "saved_at"}


def test_fill_by_keyboard_save_validate_and_open_again(
    form_page, form, site_url, tmp_path, assert_no_axe_violations
):
    page = form_page
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    fill_by_keyboard(page, example, form)
    saved, path = save_with_keyboard(page, tmp_path, "saved.json")

    # The file validates in Python, is complete, and holds exactly the answers typed.
    assert validate_submission(form, saved) == []
    assert saved["status"] == "complete" and "T" in saved["saved_at"]
    assert without_saved_at(saved) == without_saved_at(example)
    assert page.locator("[data-tr-status]").inner_text().startswith("Saved as referral-")

    # A fresh page: open the file, and every answer is back (saving again gives the same file).
    open_form(page, site_url)
    assert page.input_value("#f-full_name") == ""
    page.set_input_files("#tr-open-file", str(path))
    page.wait_for_function(
        "() => document.querySelector('[data-tr-opened]').textContent.includes('Opened')"
    )
    assert page.input_value("#f-full_name") == example["full_name"]
    assert page.input_value("#f-date_of_birth-day") == "27"
    assert page.is_checked("#f-gender-not_known")
    assert page.is_checked("#f-exploitation_types-county_lines")
    assert page.input_value("#f-other_agencies-0-role") == example["other_agencies"][0]["role"]
    show_question(page, form, "young_person_agreement_how")
    assert page.is_visible("#q-young_person_agreement_how")
    resaved, _ = save_with_keyboard(page, tmp_path, "again.json")
    assert without_saved_at(resaved) == without_saved_at(saved)
    settle(page)
    assert_no_axe_violations(page)


def test_an_incomplete_form_is_saved_as_a_draft_that_validates(form_page, form, tmp_path):
    page = form_page
    show_question(page, form, "full_name")
    page.focus("#f-full_name")
    page.keyboard.type("Sam Example")
    show_question(page, form, "case_holder_email")
    page.focus("#f-case_holder_email")
    page.keyboard.type("not-an-address")
    saved, _ = save_with_keyboard(page, tmp_path, "draft.json")
    assert saved["status"] == "draft"
    assert saved["full_name"] == "Sam Example"
    # A draft is checked for wrong answers only: the email is wrong, nothing else is reported.
    assert [p.field_id for p in validate_submission(form, saved)] == ["case_holder_email"]
    assert "draft" in page.locator("[data-tr-status]").inner_text()


def section_problems(form, data: dict, section_id: str) -> list[dict]:
    """What `validate` lists for these answers as a complete referral, in one section only."""
    fields = {f.id for f in next(s for s in form.sections if s.id == section_id).fields}
    complete = {"form": "referral", **data, "status": "complete"}
    return [p for p in python_validate(form, complete) if p["field"].split(".")[0] in fields]


def continue_by_keyboard(page) -> None:
    page.focus(".tr-section--current [data-tr-next]")
    page.keyboard.press("Enter")


def test_errors_follow_the_govuk_pattern(form_page, form, assert_no_axe_violations):
    """Continue from a section with problems: GOV.UK's error summary, of that section's problems
    only, in `validate`'s words, each linked to its question and shown by it."""
    page = form_page
    title = page.title()
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type("Sam Example")
    continue_by_keyboard(page)
    summary = page.locator("[data-tr-summary]")
    assert summary.is_visible()
    assert summary.locator("h2").inner_text() == "There is a problem"
    assert page.evaluate("() => document.activeElement.hasAttribute('data-tr-summary')")
    assert page.title() == f"Error: {title}"

    expected = section_problems(form, {"full_name": "Sam Example"}, "young_person")
    assert len(expected) == 8
    links = summary.locator("li a")
    assert links.all_inner_texts() == [p["message"] for p in expected]
    for link in links.all():
        assert page.locator(link.get_attribute("href")).count() == 1

    # Inline: the same words, aria-invalid, and the error in aria-describedby.
    error = page.locator("#f-date_of_birth-error")
    assert error.text_content() == "Error: Enter the young person's date of birth"
    assert page.get_attribute("#f-date_of_birth-day", "aria-invalid") == "true"
    described = page.get_attribute("#q-date_of_birth fieldset", "aria-describedby").split()
    assert described == ["f-date_of_birth-hint", "f-date_of_birth-error"]
    assert page.get_attribute("#f-full_name", "aria-invalid") is None
    assert page.get_attribute("#f-ethnicity", "aria-describedby").split() == [
        "f-ethnicity-hint",
        "f-ethnicity-error",
    ]
    settle(page)
    assert_no_axe_violations(page)

    # A link in the summary moves focus to its question.
    summary.locator("a", has_text="Select the young person's gender").click()
    assert focused(page)["id"] == "f-gender-female"

    # Once the answers are right, Continue clears the errors and moves on: every section is
    # done, so to check answers, which says so.
    show_tasks(page)
    page.set_input_files("#tr-open-file", str(EXAMPLE))
    page.click("[data-tr-replace]")  # the page had an answer, so it asked first
    page.wait_for_function(
        "() => document.querySelector('[data-tr-opened]').textContent.includes('Opened')"
    )
    show_section(page, "young_person")
    continue_by_keyboard(page)
    page.wait_for_selector(".tr-review")
    assert not summary.is_visible()
    assert page.title() == title
    assert page.locator(".tr-field--error").count() == 0
    assert focused(page)["id"] == "tr-check"
    assert page.locator("[data-tr-status]").inner_text() == (
        "There are no problems with your answers. Save them to a file to keep them."
    )


def test_conditional_questions_are_revealed_when_they_apply(
    form_page, form, assert_no_axe_violations
):
    page = form_page
    conditional = [
        "gender_description",
        "young_person_agreement_date",
        "young_person_agreement_how",
        "young_person_not_agreed_details",
        "parent_not_agreed_reason",
        "parent_not_applicable_reason",
    ]
    for question in conditional:
        show_question(page, form, question)
        assert not page.is_visible(f"#q-{question}"), question
    assert not page.is_visible(".tr-condition")  # the no-JavaScript line is not needed

    show_section(page, "young_person")
    page.focus("#f-gender-female")
    page.keyboard.press("ArrowDown")  # male
    page.keyboard.press("ArrowDown")  # in another way
    assert page.is_checked("#f-gender-other") and page.is_visible("#q-gender_description")
    assert page.get_attribute("#f-gender-other", "aria-controls") == "q-gender_description"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "f-gender_description"  # the revealed question comes next
    continue_by_keyboard(page)
    assert page.locator("#f-gender_description-error").is_visible()
    settle(page)
    assert_no_axe_violations(page)  # a conditional question open, with errors shown

    show_section(page, "agreement")
    page.focus("#f-young_person_agrees-yes")
    page.keyboard.press("Space")
    page.focus("#f-parent_agrees-yes")
    page.keyboard.press("ArrowDown")
    for question in (
        "young_person_agreement_date",
        "young_person_agreement_how",
        "parent_not_agreed_reason",
    ):
        assert page.is_visible(f"#q-{question}"), question
    continue_by_keyboard(page)
    assert page.locator("#f-young_person_agreement_how-error").is_visible()
    settle(page)
    assert_no_axe_violations(page)

    show_section(page, "young_person")
    page.focus("#f-gender-other")
    page.keyboard.press("ArrowUp")  # male
    assert not page.is_visible("#q-gender_description")


def test_the_criteria_summary_follows_the_answers(form_page, form, assert_no_axe_violations):
    """Under "Check your answers", before the buttons: each criterion met, not met or not yet
    known, as validate says."""
    page = form_page
    summary = page.locator(".tr-criteria")
    assert not summary.is_visible()  # not on the task list
    show_check(page)
    assert summary.is_visible()
    box = summary.bounding_box()
    assert page.locator("[data-tr-answers]").bounding_box()["y"] < box["y"]
    assert box["y"] < page.locator("[data-tr-save]").bounding_box()["y"]
    rows = summary.locator(".tr-summary-list__row")
    # Each criterion by name, then its reading, if any, as the service's (never the seed's words).
    names = rows.locator("dt").evaluate_all(
        "els => els.map((e) => e.firstChild.textContent.trim())"
    )
    assert names == [c.name for c in form.criteria]
    assert rows.locator("dt .tr-reading").all_inner_texts() == [
        f"The service reads this as: {c.reading}." for c in form.criteria if c.reading
    ]
    mace = summary.locator("[data-tr-criterion='mace_recommends']")
    assert mace.inner_text().startswith("Not yet known")
    show_question(page, form, "mace_recommended")
    page.check("#f-mace_recommended-no")
    show_check(page)
    assert mace.inner_text() == (
        'Not met: the answer to "Did the MACE Level 1 forum recommend Trusted Relationships '
        'support?" is "No"'
    )
    show_question(page, form, "mace_recommended")
    page.check("#f-mace_recommended-yes")
    show_check(page)
    assert mace.inner_text() == "Met"
    unrecorded = [c for c in form.criteria if not c.met_when]
    for criterion in unrecorded:
        row = rows.filter(has_text=criterion.name)
        assert "Not recorded on this form" in row.locator("dd").inner_text()
    settle(page)
    assert_no_axe_violations(page)


def test_answers_to_questions_that_no_longer_apply_are_not_saved(form_page, tmp_path):
    page = form_page
    show_section(page, "young_person")
    page.focus("#f-gender-female")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.focus("#f-gender_description")
    page.keyboard.type("Fictional answer")
    page.focus("#f-gender-other")
    page.keyboard.press("ArrowUp")
    saved, _ = save_with_keyboard(page, tmp_path, "dropped.json")
    assert saved["gender"] == "male" and "gender_description" not in saved


def test_agencies_can_be_added_and_removed(form_page, tmp_path):
    page = form_page
    show_section(page, "agencies")
    add = page.locator("[data-tr-add='other_agencies']")
    assert page.locator("[data-tr-remove]:visible").count() == 0
    page.focus("#f-other_agencies-0-agency")
    page.keyboard.type("First agency (fictional)")
    add.focus()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "f-other_agencies-1-agency"
    page.keyboard.type("Second agency (fictional)")
    assert page.locator("#q-other_agencies-1 legend").inner_text() == "Agency 2"
    remove_first = page.locator("#q-other_agencies-0 [data-tr-remove]")
    assert remove_first.text_content() == "Remove agency 1"
    remove_first.focus()
    page.keyboard.press("Enter")
    assert page.input_value("#f-other_agencies-0-agency") == "Second agency (fictional)"
    assert page.locator("[data-tr-items='other_agencies'] > [data-tr-item]").count() == 1
    saved, _ = save_with_keyboard(page, tmp_path, "agencies.json")
    assert saved["other_agencies"] == [{"agency": "Second agency (fictional)"}]
    show_section(page, "agencies")
    for _ in range(9):
        add.focus()
        page.keyboard.press("Enter")
    assert page.locator("[data-tr-items='other_agencies'] > [data-tr-item]").count() == 10
    assert not add.is_visible()  # the form's limit: 10


def test_clear_asks_first(form_page):
    page = form_page
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type("Sam Example")
    show_check(page)  # its buttons are below check answers, and below the task list
    messages = []

    def answer(dialog, accept):
        messages.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("[data-tr-clear]")
    assert page.input_value("#f-full_name") == "Sam Example"
    page.once("dialog", lambda d: answer(d, True))
    page.click("[data-tr-clear]")
    assert page.input_value("#f-full_name") == ""
    assert messages[0].startswith("Clear every answer from this form?")
    # Back to the task list, where every section starts again.
    assert page.is_visible(".tr-tasks") and page.url.endswith("#tr-tasks")
    assert page.locator(".tr-task-list__status").all_inner_texts() == ["Not yet started"] * 10
    assert page.locator("[data-tr-status]").inner_text() == "Every answer has been cleared."


def test_leaving_with_unsaved_changes_asks_first(form_page, tmp_path):
    page = form_page
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type("Sam Example")
    with page.expect_event("dialog") as info:
        page.close(run_before_unload=True)
    assert info.value.type == "beforeunload"
    info.value.dismiss()  # stay on the page
    assert not page.is_closed()
    # Close it for good without asking again: leaving a page whose leave-warning was just dismissed
    # to the context's teardown has crashed Chromium.
    page.close(run_before_unload=False)


def test_no_warning_once_saved(form_page, tmp_path):
    page = form_page
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type("Sam Example")
    save_with_keyboard(page, tmp_path, "saved.json")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert dialogs == []


SHARED = [
    *sorted((SUBMISSIONS / "valid").glob("*.json")),
    *sorted((SUBMISSIONS / "invalid").glob("*.json")),
    *sorted((SUBMISSIONS / "warnings").glob("*.json")),
]


SHOULD_NOT_MET = (
    ROOT / "tests" / "submissions" / "warnings" / "family-does-not-agree-reason-recorded.json"
)


def test_a_should_not_met_is_shown_as_a_warning_not_an_error(form_page, assert_no_axe_violations):
    """Issue 20: the family's agreement is a should. Not met, check answers says the referral can
    still be made, and the criteria table shows "Not met (should)" with the reason recorded,
    marked as a warning; a must not met stays an error."""
    page = form_page
    page.set_input_files("#tr-open-file", str(SHOULD_NOT_MET))
    page.wait_for_function(
        "() => document.querySelector('[data-tr-opened]').textContent.includes('Opened')"
    )
    show_check(page)
    reason = json.loads(SHOULD_NOT_MET.read_text(encoding="utf-8"))["parent_not_agreed_reason"]
    family = page.locator(".tr-criteria [data-tr-criterion='family_agrees']")
    assert family.inner_text() == f"Not met (should): {reason}"
    row = page.locator(".tr-criteria .tr-summary-list__row.tr-warning")
    assert row.count() == 1 and row.locator("[data-tr-criterion='family_agrees']").count() == 1
    assert page.locator("[data-tr-status]").inner_text() == (
        'There are no problems with your answers, but a criterion the guide says "should" be met '
        "is not. The referral can still be made, with the reason you recorded: see below."
    )
    assert page.locator(".tr-field--error").count() == 0
    settle(page)
    assert_no_axe_violations(page)


def test_page_and_command_give_the_same_verdicts_and_messages(form_page, form):
    compared = 0
    for path in [EXAMPLE, *SHARED]:
        data, _problems = parse_submission(path.read_bytes())
        if data is None:
            continue
        python = python_validate(form, data)
        text = path.read_text(encoding="utf-8-sig")
        assert page_validate_text(form_page, text) == python, path.name
        compared += 1
    assert compared >= 25


def _of_this_form(path: Path) -> bool:
    """False for a file the page refuses before reading its answers: one that names another form or
    none (test_form_drafts.py: test_a_file_not_of_this_form_is_refused_and_nothing_changes)."""
    data, _ = parse_submission(path.read_bytes())
    return not isinstance(data, dict) or data.get("form") == "referral"


@pytest.mark.parametrize(
    "path",
    [p for p in SHARED if "invalid" in p.parts and _of_this_form(p)][:40],
    ids=lambda p: p.stem,
)
def test_opening_a_file_lists_the_commands_messages(form_page, path):
    page = form_page
    page.set_input_files("#tr-open-file", str(path))
    summary = page.locator("[data-tr-summary]")
    summary.wait_for(state="visible")
    expected = path.with_suffix(".expected.txt").read_text(encoding="utf-8").splitlines()
    assert summary.locator("li").all_inner_texts() == expected
    assert page.title().startswith("Error: ")


_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "",
            " ",
            "yes",
            "no",
            "other",
            "cce",
            "2026-02-29",
            "2011-03-27",
            "2008-10-05",
            "2026-10-05",
            "2099-01-01",
            "a@b.co",
            "01632 960 001",
            "complete",
            "draft",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["agency", "contact", "role", "x"]) | st.text(max_size=5),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_page_and_command_agree_on_generated_answers(form_page, form, data):
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    keys = [f.id for f in form.all_fields()] + ["form", "status", "saved_at", "unknown"]
    changes = data.draw(st.dictionaries(st.sampled_from(keys), _values, max_size=6))
    removed = data.draw(st.lists(st.sampled_from(keys), max_size=4))
    submission = {k: v for k, v in {**example, **changes}.items() if k not in removed}
    assert page_validate(form_page, submission) == python_validate(form, submission)


def test_file_problems_are_plain(form_page, tmp_path):
    page = form_page
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * 1_000_001 + b"}")
    page.set_input_files("#tr-open-file", str(big))
    page.locator("[data-tr-summary]").wait_for(state="visible")
    assert page.locator("[data-tr-summary] li").all_inner_texts() == [
        "This file is too large to be a saved form: the most allowed is 1 MB"
    ]
    assert page.locator("[data-tr-summary-intro]").inner_text() == "big.json could not be opened."


def test_nothing_is_stored_and_the_form_submits_nowhere(form_page, site_url):
    page = form_page
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type("Sam Example")
    page.keyboard.press("Enter")  # implicit submission: Continue, the submit cancelled
    assert page.is_visible("[data-tr-summary]")
    show_tasks(page)
    page.focus("[data-tr-check]")
    page.keyboard.press("Enter")
    # The address names the view, never an answer.
    assert page.url == site_url(FORM_URL) + "#tr-check"
    assert page.context.cookies() == []
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
    assert page.get_attribute("[data-tr-form]", "action") is None
    assert page.get_attribute("[data-tr-form]", "method") == "dialog"  # never navigates


def test_the_page_needs_no_inline_script_or_style(built_site):
    html = (built_site / "referral-form" / "index.html").read_text(encoding="utf-8")
    form_html = html[html.index("data-tr-form-page") : html.index("referral-form.js")]
    assert " style=" not in form_html and " on" + "click=" not in form_html
    assert "<script>" not in form_html


def test_without_javascript_every_question_shows_with_its_condition(open_page, site_url):
    # (axe needs JavaScript; the same markup is checked with it on, conditional questions open.)
    page = open_page(javascript=False)
    page.goto(site_url(FORM_URL), wait_until="load")
    assert page.is_visible("#q-gender_description")
    assert page.locator("#q-gender_description .tr-condition").inner_text() == (
        "Answer this only if your answer to ‘Gender’ was ‘In another way’."
    )  # as the blank PDF words it (render/referral_print.condition_text)
    assert not page.is_visible("[data-tr-check]")
    # No submit button is enabled, so Enter in a box submits nothing.
    continues = page.locator("[data-tr-next]")
    assert continues.count() == 10
    for button in continues.all():
        assert not button.is_visible() and button.is_disabled()
    assert page.is_visible(".tr-nojs")
    page.focus("#f-full_name")
    page.keyboard.type("Sam Example")
    page.keyboard.press("Enter")
    assert page.url == site_url(FORM_URL)  # no answers in a URL


def test_printing_hides_the_buttons(open_page, site_url, tmp_path):
    page = open_page(media="print")
    page.goto(site_url(FORM_URL), wait_until="load")
    page.wait_for_function("() => document.querySelector('.tr-form--js')")
    assert not page.is_visible("[data-tr-save]") and not page.is_visible("#tr-open-file")
    assert not page.is_visible(".tr-tasks") and not page.is_visible("[data-tr-next]")
    # Paper gets every section, whichever is on screen.
    assert page.is_visible("#f-full_name") and page.is_visible("#f-worker_safety")
    assert page.pdf()[:4] == b"%PDF"


def test_reads_at_320_px_with_errors_shown(open_page, site_url, assert_no_axe_violations):
    page = open_page(viewport={"width": 320, "height": 800})
    page.goto(site_url(FORM_URL), wait_until="load")
    page.wait_for_function("() => document.querySelector('.tr-form--js')")
    show_section(page, "young_person")
    continue_by_keyboard(page)
    page.focus("#f-gender-other")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    settle(page)
    assert_no_axe_violations(page)


def test_a_name_with_a_direction_override_is_refused_as_validate_refuses_it(form_page, form):
    """U+202E typed into a name: the page gives the message `validate` gives for the same answer."""
    page = form_page
    name = "Sam \u202eelpmaxE"  # shows as "Sam Example"
    show_section(page, "young_person")
    page.focus("#f-full_name")
    page.keyboard.type(name)
    assert page.input_value("#f-full_name") == name
    continue_by_keyboard(page)
    expected = python_validate(form, {"form": "referral", "status": "complete", "full_name": name})
    message = next(p["message"] for p in expected if p["field"] == "full_name")
    assert message == (
        "The young person's full name must not contain invisible characters that change how "
        "text is shown"
    )
    assert page.locator("#f-full_name-error").text_content() == f"Error: {message}"
    assert page.get_attribute("#f-full_name", "aria-invalid") == "true"
    assert message in page.locator("[data-tr-summary] li a").all_inner_texts()


def test_page_and_command_refuse_the_same_invisible_characters(form_page, form):
    """Every format character of the BMP, and the joiners that are allowed, in a name and in an
    agency's name: the page and the command agree on each."""
    import unicodedata

    characters = [chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf"]
    base = {"form": "referral", "status": "draft"}
    refused = 0
    for character in characters:
        for data in (
            {**base, "full_name": f"Sam{character}Example"},
            {**base, "other_agencies": [{"agency": f"School{character}"}]},
        ):
            ours = python_validate(form, data)
            assert page_validate(form_page, data) == ours, f"U+{ord(character):04X}"
            refused += bool(ours)
    assert refused == 2 * (len(characters) - 13)  # 13 allowed: the joiners and number signs
