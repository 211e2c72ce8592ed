"""Valid HTML, checked by the Nu Html Checker (npm vnu-jar, run with Java): every built page, and
the checker and the referral form as the reader sees them after using them (the DOM Chromium holds).

One message is allowed, and only on Material's own toggles: Material puts autocomplete="off" on
its drawer and search checkboxes (upstream mkdocs-material#1513), reported on every page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
EXAMPLE = ROOT / "forms" / "examples" / "referral-example.json"
MATERIAL_TOGGLE_MESSAGE = (
    "Attribute 'autocomplete' is only allowed when the input type is 'color', 'date', "
    "'datetime-local', 'email', 'hidden', 'month', 'number', 'password', 'range', 'search', 'tel', "
    "'text', 'time', 'url', or 'week'."
)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def run_vnu(*paths: Path) -> list[dict]:
    """Check HTML files or folders in one run; return the checker's messages (as its JSON gives)."""
    java = shutil.which("java")
    if java is None:
        _unavailable("Java is not installed: run `make system-deps` (default-jre-headless)")
    if not VNU_JAR.is_file():
        _unavailable(f"vnu-jar is missing ({VNU_JAR}): run `npm ci --ignore-scripts`")
    completed = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--stdout",
            "--asciiquotes",
            "--exit-zero-always",
            "--skip-non-html",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)["messages"]


def is_upstream_material_message(message: dict) -> bool:
    return message.get(
        "message"
    ) == MATERIAL_TOGGLE_MESSAGE and 'class="md-toggle" data-md-toggle=' in message.get(
        "extract", ""
    )


def errors_in(messages: list[dict]) -> list[str]:
    """Every error (and fatal error) but the upstream Material one, as `file:line: message`."""
    return [
        f"{m.get('url', '?').split('/site/')[-1]}:{m.get('lastLine', '?')}: {m['message']}  "
        f"[{m.get('extract', '').strip()[:160]}]"
        for m in messages
        if m.get("type") in ("error", "non-document-error") and not is_upstream_material_message(m)
    ]


def test_every_built_page_is_valid_html(built_site):
    pages = sorted(built_site.rglob("*.html"))
    messages = run_vnu(built_site)
    checked = {m["url"] for m in messages if is_upstream_material_message(m)}
    # The toggles are on every page: a page the checker did not read would be missing here.
    assert len(checked) == len(pages), "the checker did not read every page"
    errors = errors_in(messages)
    assert errors == [], f"{len(errors)} HTML errors:\n  " + "\n  ".join(errors)


def _save_dom(page, folder: Path, name: str) -> None:
    html = page.content()
    if not html.lstrip().lower().startswith("<!doctype"):
        html = "<!DOCTYPE html>" + html
    (folder / f"{name}.html").write_text(html, encoding="utf-8")


def _assert_valid_states(folder: Path, names: list[str]) -> None:
    messages = run_vnu(folder)
    checked = {m["url"].rsplit("/", 1)[-1] for m in messages if is_upstream_material_message(m)}
    assert checked == {f"{name}.html" for name in names}, "the checker did not read every state"
    errors = errors_in(messages)
    assert errors == [], f"{len(errors)} HTML errors:\n  " + "\n  ".join(errors)


def test_the_checker_is_valid_html_at_a_question_in_error_and_at_an_outcome(
    page, site_url, tmp_path
):
    page.goto(site_url("checker/"), wait_until="load")
    page.wait_for_selector("[data-tr-checker][data-tr-ready]", state="attached")
    _save_dom(page, tmp_path, "start")
    page.locator("[data-tr-start-link]").click()
    page.wait_for_selector("form[data-tr-question]")
    _save_dom(page, tmp_path, "question")
    page.locator("form[data-tr-question] button[type=submit]").click()
    page.wait_for_selector(".govuk-error-summary")
    _save_dom(page, tmp_path, "question-error")
    # The first answer to every question leads, on this service, to an outcome in a few steps.
    for _ in range(50):
        if page.locator(".tr-outcome__title").count():
            break
        page.locator("form[data-tr-question] input[type=radio]").first.check()
        page.locator("form[data-tr-question] button[type=submit]").click()
    assert page.locator(".tr-outcome__title").count() == 1, "no outcome after 50 answers"
    _save_dom(page, tmp_path, "outcome")
    _assert_valid_states(tmp_path, ["start", "question", "question-error", "outcome"])


def test_the_form_is_valid_html_with_errors_a_question_revealed_and_an_agency_added(
    page, site_url, tmp_path
):
    page.goto(site_url("referral-form/"), wait_until="load")
    page.wait_for_function("() => window.TRForm && document.querySelector('.tr-form--js')")
    _save_dom(page, tmp_path, "form")
    page.evaluate("() => { location.hash = '#tr-section-agencies'; }")
    page.locator("[data-tr-add='other_agencies']").click()
    assert page.locator("[data-tr-items='other_agencies'] > [data-tr-item]").count() == 2
    page.evaluate("() => { location.hash = '#tr-section-young_person'; }")
    page.check("#f-gender-other")  # reveals the question asking how they describe their gender
    assert page.is_visible("#q-gender_description")
    page.locator(".tr-section--current [data-tr-next]").click()
    page.locator("[data-tr-summary]").wait_for(state="visible")
    assert page.locator(".tr-field--error").count() > 0
    _save_dom(page, tmp_path, "form-errors-revealed-agency")
    page.evaluate("() => { location.hash = '#tr-check'; }")
    page.locator(".tr-review").wait_for(state="visible")
    _save_dom(page, tmp_path, "form-check-answers")
    # Asked before a saved file replaces the answers; then the printout built for printing.
    page.evaluate("() => { location.hash = '#tr-tasks'; }")
    page.locator(".tr-tasks").wait_for(state="visible")
    page.set_input_files("#tr-open-file", str(EXAMPLE))
    page.locator("[data-tr-confirm]").wait_for(state="visible")
    _save_dom(page, tmp_path, "form-asking")
    page.locator("[data-tr-replace]").click()
    page.pdf()
    assert page.locator("[data-tr-printout] dt").count() > 20
    _save_dom(page, tmp_path, "form-printout")
    _assert_valid_states(
        tmp_path,
        [
            "form",
            "form-errors-revealed-agency",
            "form-check-answers",
            "form-asking",
            "form-printout",
        ],
    )
