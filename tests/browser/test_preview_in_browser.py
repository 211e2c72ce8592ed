"""`python -m generator serve` (what `make serve` runs) in Chromium: the preview's pages run under
the published policy, and a page open in the browser reloads by itself once a change has rebuilt
the site."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

CSP_META = 'meta[http-equiv="Content-Security-Policy"]'


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_an_open_page_reloads_after_a_change(
    page, project_copy, edit_file, preview_server, http_get, wait_until, engine
):
    eligibility = project_copy / "content" / "eligibility.yaml"
    with preview_server(project_copy, project_copy / "serve.log", engine=engine) as base_url:
        # The server answers the page once its first build is in place.
        wait_until(lambda: http_get(base_url + "who-can-be-referred/"), 120, "the first build")
        page.goto(base_url + "who-can-be-referred/", wait_until="load")
        assert "aged 17 or below" in page.locator("article").inner_text()
        policy = page.locator(CSP_META).get_attribute("content")
        assert "'unsafe-inline'" not in policy, "the preview runs under the published policy"
        assert re.search(r"script-src 'self'( 'sha256-[^']+')*;", policy), policy
        reload_script = page.locator('script[src*="assets/preview/reload-"]')
        assert reload_script.count() == 1, "no live-reload script"

        edit_file(eligibility, "upper_age: 17\n", "upper_age: 16\n")
        # No reload from the test: the page's own script reloads it.
        page.wait_for_function(
            "() => document.querySelector('article')?.innerText.includes('aged 16 or below')",
            timeout=120_000,
        )
        # The reloaded page loads whole, then leaves before the server stops: its script would ask
        # a stopped server (an error the page fixture counts).
        page.wait_for_load_state("load")
        page.goto("about:blank")
    # The page fixture fails the test on any error or blocked script (a policy violation logs one).
