"""The site built with hostile text in every prose field (the `hostile_site` fixture) runs no script
of it in Chromium: on every page as loaded, and in the checker and the form as they are used.

The corpus's script payloads set `window.__pwned`. Each page is guarded (tests/browser/conftest.py):
a Content-Security-Policy violation, a JavaScript error or a request off 127.0.0.1 fails the test,
so an injected handler that the policy blocked still counts as a failure. A dialog fails it too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# What in the live DOM could run script: handler attributes, script URLs, the payload's flag.
PROBE = """() => {
  const handlers = [], urls = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name)) handlers.push(`<${element.localName} ${attribute.name}>`);
    }
    for (const name of ['href', 'src', 'action', 'formAction', 'data']) {
      const value = element[name];
      if (typeof value === 'string' && /^(javascript|vbscript):|^data:text\\/html/i.test(value)) {
        urls.push(`<${element.localName} ${name}=${value.slice(0, 60)}>`);
      }
    }
    const link = element.getAttribute('xlink:href') || '';
    if (/^\\s*(javascript|vbscript):/i.test(link)) urls.push(`<${element.localName} xlink:href>`);
  }
  // What would send the reader elsewhere later, whatever its delay: found now, not waited for.
  for (const meta of document.querySelectorAll('meta[http-equiv]')) {
    if (/^\\s*refresh\\s*$/i.test(meta.httpEquiv)) urls.push(`<meta http-equiv=refresh>`);
  }
  return {pwned: window.__pwned !== undefined, title: document.title, handlers, urls};
}"""

# A page has had its first run once it has loaded, the theme's script has marked it and our own
# scripts have taken over their parts of it (each marks its root when it has).
FIRST_RUN_DONE = """() => document.readyState === 'complete'
  && document.documentElement.classList.contains('js')
  && !document.querySelector('[data-tr-checker]:not([data-tr-ready])')
  && (!document.querySelector('[data-tr-form]') || document.querySelector('.tr-form--js') !== null)
"""


@pytest.fixture
def hostile_page(page):
    """A guarded page that also records every dialog (alert, confirm, prompt) and dismisses it."""
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message} (on {page.url})")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.dialogs = dialogs
    # Every document the tab loads: a redirect (a meta refresh, a script setting location) shows
    # as a second one after the page the test opened.
    loaded: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loaded.append(frame.url))
    page.loaded = loaded
    return page


def _probe(page, where: str) -> list[str]:
    found = page.evaluate(PROBE)
    problems = [f"{where}: {item}" for item in found["handlers"] + found["urls"]]
    if found["pwned"]:
        problems.append(f"{where}: a payload ran (window.__pwned is set)")
    if "PWNED" in found["title"]:
        problems.append(f"{where}: a payload ran (the title says PWNED)")
    problems += page.dialogs
    page.dialogs.clear()
    return problems


def test_no_script_of_the_text_runs_on_any_page(hostile_page, hostile_site_pages, hostile_site):
    assert hostile_site.planted, "no hostile string reached the site"
    problems = []
    for url in hostile_site_pages:
        hostile_page.loaded.clear()
        hostile_page.goto(url, wait_until="load")
        hostile_page.wait_for_function(FIRST_RUN_DONE)
        problems += _probe(hostile_page, url)
        if hostile_page.loaded != [url]:
            problems.append(f"{url}: the page navigated: {hostile_page.loaded}")
    assert problems == [], "\n".join(problems)


def test_no_script_of_the_text_runs_in_the_checker_as_it_is_used(hostile_page, hostile_site_server):
    page = hostile_page
    problems = []
    for choice in ("first", "last"):
        page.goto(hostile_site_server + "checker/", wait_until="load")
        page.wait_for_selector("[data-tr-checker][data-tr-ready]", state="attached")
        page.locator("[data-tr-start-link]").click()
        page.locator("form[data-tr-question] button[type=submit]").click()  # the error state
        page.wait_for_selector(".govuk-error-summary")
        problems += _probe(page, f"checker, error ({choice} answers)")
        for _ in range(50):
            if page.locator(".tr-outcome__title").count():
                break
            radios = page.locator("form[data-tr-question] input[type=radio]")
            (radios.first if choice == "first" else radios.last).check()
            page.locator("form[data-tr-question] button[type=submit]").click()
            problems += _probe(page, f"checker, a question ({choice} answers)")
        assert page.locator(".tr-outcome__title").count() == 1, "no outcome after 50 answers"
        problems += _probe(page, f"checker, outcome ({choice} answers)")
    assert problems == [], "\n".join(problems)


def test_no_script_of_the_text_runs_in_the_form_as_it_is_used(hostile_page, hostile_site_server):
    page = hostile_page
    page.goto(hostile_site_server + "referral-form/#tr-section-young_person", wait_until="load")
    page.wait_for_function("() => window.TRForm && document.querySelector('.tr-form--js')")
    page.check("#f-gender-other")
    page.locator(".tr-section--current [data-tr-next]").click()
    page.locator("[data-tr-summary]").wait_for(state="visible")
    problems = _probe(page, "form, with errors and a question revealed")
    page.evaluate("() => { location.hash = '#tr-section-agencies'; }")
    page.locator("[data-tr-add='other_agencies']").click()
    problems += _probe(page, "form, an agency added")
    page.evaluate("() => { location.hash = '#tr-tasks'; }")
    page.locator("[data-tr-check]").click()
    page.locator(".tr-review").wait_for(state="visible")
    problems += _probe(page, "form, check answers")
    assert problems == [], "\n".join(problems)


# Published files a browser opens as documents of their own, not as pages: drawings and XML.
DOCUMENT_SUFFIXES = (".svg", ".xml")


def test_every_published_drawing_and_xml_file_opened_directly_runs_nothing(
    hostile_page, hostile_site, hostile_site_server
):
    documents = sorted(
        p.relative_to(hostile_site.site_dir).as_posix()
        for p in hostile_site.site_dir.rglob("*")
        if p.suffix in DOCUMENT_SUFFIXES
    )
    assert "sitemap.xml" in documents
    problems = []
    for relative in documents:
        url = hostile_site_server + relative
        hostile_page.loaded.clear()
        hostile_page.goto(url, wait_until="load")
        problems += _probe(hostile_page, url)
        if hostile_page.loaded != [url]:
            problems.append(f"{url}: the document navigated: {hostile_page.loaded}")
    assert problems == [], "\n".join(problems)


def test_an_accepted_svg_logo_opened_directly_runs_nothing(hostile_page, serve_site, tmp_path):
    """The logo check's allow-list, proved in the browser: the logo the second service ships
    (accepted by `check`) runs nothing and fetches nothing when its address is opened."""
    from generator.sources.assets import logo_problem

    logo = (
        Path(__file__).resolve().parents[1] / "fixtures" / "other-service" / "content" / "logo.svg"
    )
    assert logo_problem("content/logo.svg", logo.read_bytes()) is None
    (tmp_path / "logo.svg").write_bytes(logo.read_bytes())
    with serve_site(tmp_path) as base_url:
        hostile_page.goto(base_url + "logo.svg", wait_until="load")
        assert hostile_page.evaluate("() => document.documentElement.localName") == "svg"
        assert _probe(hostile_page, "logo.svg") == []
