"""Measure the referral form's journey in Chromium at 375 px, by keyboard, and print the figures.

Builds the site (or takes `--site DIR`, a site built already, such as one from an older commit,
for a before-and-after), serves it on 127.0.0.1 and measures on its form page:
- the page's height at 375 px: as it opens, and for each view it has (the task list, the tallest
  section, check answers with the fictional example's answers);
- Tab presses from the page's top to the first question, and to "Save to file" with no problem
  left: every answer of the fictional example filled in on the way (set by the script when Tab
  reaches its box: typing and arrow keys are not counted), Enter pressed on the way where the
  page needs it (the first section's link, each Continue, or "Check your answers");
- the size of the first error summary a practitioner meets: the first check of an empty form;
- the bytes of the page's own script and stylesheet (minified, as served).

    .venv/bin/python bench/form_journey.py [--site DIR]

Works on the page before and after it had a task list (issue 19): it finds either way through.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "forms" / "examples" / "referral-example.json").read_text("utf-8"))
CHROMIUM_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--disable-gpu"]
WIDTH = 375

# What has the focus, in words the walk below acts on.
FOCUS = """() => { const e = document.activeElement;
  const field = e.closest('[data-tr-form] .tr-field');
  return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',
          id: e.id || '', save: e.hasAttribute('data-tr-save'), next: e.hasAttribute('data-tr-next'),
          check: e.hasAttribute('data-tr-check'), task: !!e.closest('.tr-task-list'),
          inForm: !!e.closest('[data-tr-form-page]'), question: !!field}; }"""
# Set an answer where Tab has reached it, as a practitioner's typing would (events included).
FILL = """([name, value]) => {
  const e = document.activeElement;
  if (e.type === 'radio' || e.type === 'checkbox') {
    for (const box of document.querySelectorAll(`input[name="${CSS.escape(name)}"]`)) {
      const on = [].concat(value).includes(box.value);
      if (box.checked !== on) box.click();
    }
    const chosen = document.querySelector(`input[name="${CSS.escape(name)}"]:checked`);
    (e.type === 'radio' && chosen ? chosen : e).focus();
  } else { e.value = value; e.dispatchEvent(new Event('input', {bubbles: true})); }
}"""


# The page's Tab stops as it is now, header and footer included (a group of radios is one).
TAB_STOPS = """() => {
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const all = [...document.querySelectorAll(
    'a[href], button, input, textarea, select, summary, [tabindex]')].filter((e) =>
      shown(e) && !e.disabled && e.tabIndex >= 0);
  const radios = new Set();
  return all.filter((e) => e.type !== 'radio' || (!radios.has(e.name) && radios.add(e.name))).length;
}"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _answer_for(name: str):
    """The example's answer for a control's name (date parts, agency items) or None."""
    parts = name.split("-")
    if len(parts) == 2 and parts[1] in ("day", "month", "year"):
        value = EXAMPLE.get(parts[0])
        if not value:
            return None
        year, month, day = value.split("-")
        return {"day": str(int(day)), "month": str(int(month)), "year": year}[parts[1]]
    if len(parts) == 3:
        items = EXAMPLE.get(parts[0], [])
        index = int(parts[1])
        return items[index].get(parts[2]) if index < len(items) else None
    return EXAMPLE.get(name)


def _walk(page, has_tasks: bool) -> dict:
    """Tab from the top of the page to "Save to file" with no problem left, filling the example
    in on the way; count the Tab and Enter presses."""
    filled: set[str] = set()
    counts = {"tabs": 0, "enters": 0, "first_question": None, "first_question_in_form": None}
    started_form = None
    for _ in range(2000):
        page.keyboard.press("Tab")
        counts["tabs"] += 1
        here = page.evaluate(FOCUS)
        if here["inForm"] and started_form is None:
            started_form = counts["tabs"] - 1
        if here["question"] and counts["first_question"] is None:
            counts["first_question"] = counts["tabs"]
            counts["first_question_in_form"] = counts["tabs"] - started_form
        if here["save"] and page.locator("[data-tr-status]").inner_text().startswith(
            "There are no problems"
        ):
            return counts
        first_task = here["task"] and counts["first_question"] is None
        if first_task or here["next"] or (here["check"] and not has_tasks):
            page.keyboard.press("Enter")  # into the first section, Continue, or the old check
            counts["enters"] += 1
            if first_task:  # the section opens on the address's hashchange, a task later
                page.wait_for_function("() => document.activeElement.tagName === 'H2'")
            continue
        name = here["name"]
        if here["question"] and name and name not in filled:
            value = _answer_for(name)
            if value is not None:
                page.evaluate(FILL, [name, value])
                # A checkbox is a Tab stop of its own: its group is filled once, at the first.
                filled.add(name)
    raise RuntimeError(f"Tab never reached Save with no problem: {page.evaluate(FOCUS)}")


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/referral-form/"
    height = "() => document.documentElement.scrollHeight"
    ready = "() => window.TRForm && document.querySelector('.tr-form--js')"
    figures: dict[str, object] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            page = browser.new_page(viewport={"width": WIDTH, "height": 800})
            page.goto(url, wait_until="load")
            page.wait_for_function(ready)
            has_tasks = page.locator(".tr-task-list").count() > 0
            figures["page height as it opens (px)"] = page.evaluate(height)
            figures["Tab stops on the page as it opens"] = page.evaluate(TAB_STOPS)

            # The first error summary a practitioner meets: the first check of an empty form.
            if has_tasks:
                page.locator(".tr-task-list a").first.click()
                page.wait_for_selector(".tr-section--current")
                page.locator(".tr-section--current [data-tr-next]").click()
            else:
                page.locator("[data-tr-check]").click()
            summary = page.locator("[data-tr-summary] li")
            figures["first error summary (problems listed)"] = summary.count()
            if has_tasks:
                tallest = stops = 0
                for section in page.locator("[data-tr-section]").all():
                    name = section.get_attribute("data-tr-section")
                    page.evaluate("id => { location.hash = '#tr-section-' + id; }", name)
                    page.wait_for_selector(f".tr-section--current[data-tr-section='{name}']")
                    tallest = max(tallest, page.evaluate(height))
                    stops = max(stops, page.evaluate(TAB_STOPS))
                figures["tallest section (px)"] = tallest
                figures["most Tab stops in a section"] = stops

            # Tab, from a fresh page, to Save with every answer filled in.
            page.goto("about:blank")
            page.goto(url, wait_until="load")
            page.wait_for_function(ready)
            counts = _walk(page, has_tasks)
            figures["Tab presses to the first question"] = counts["first_question"]
            figures["  of which inside the form"] = counts["first_question_in_form"]
            figures["Tab presses to Save, every answer filled"] = counts["tabs"]
            figures["  Enter presses on the way"] = counts["enters"]
            if has_tasks:
                figures["check answers, filled (px)"] = page.evaluate(height)
                figures["Tab stops on check answers, filled"] = page.evaluate(TAB_STOPS)
            browser.close()
    finally:
        server.shutdown()
    own = {
        name: len((site / "assets" / "tr" / name).read_bytes())
        for name in ("referral-form.js", "referral-form.css")
    }
    figures["own script + stylesheet (bytes, minified)"] = (
        f"{sum(own.values())} ({own['referral-form.js']} + {own['referral-form.css']})"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build this tree)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = args.site
        if site is None:
            site = Path(folder) / "site"
            subprocess.run(
                [sys.executable, "-m", "generator", "build", "--site-dir", str(site)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        for name, value in measure(site).items():
            print(f"{name:45} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
