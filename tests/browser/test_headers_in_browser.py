"""The site served by nginx with the configuration the build writes: Chromium enforces the header
policy and each page's <meta> policy together, and the pages still work (no policy violation, no
error); no other page can show them in a frame."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# One page per depth (the theme's inline scripts differ by depth), the two with scripts of ours,
# and the 404 page, which uses paths from the root.
PAGES = ("", "pathway/", "checker/", "checker/q/age/", "referral-form/", "no-such-page/")


def test_pages_work_under_the_header_policy_and_the_meta_policy(page, nginx_site, browser_log):
    for path in PAGES:
        response = page.goto(nginx_site + path, wait_until="load")
        assert response.status == (404 if path == "no-such-page/" else 200), path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        # Material's own script ran (it marks the page), so its inline scripts were allowed.
        page.wait_for_function("() => document.documentElement.classList.contains('js')")
    # Chromium logs the 404 status itself as an error: expected here, and nothing else may be.
    missing = f"status of 404 (Not Found) (at {nginx_site}no-such-page/)"
    errors = browser_log.console_errors
    errors[:] = [error for error in errors if not error.endswith(missing)]
    page.goto(nginx_site + "checker/", wait_until="load")
    page.wait_for_selector("[data-tr-checker][data-tr-ready]", state="attached")
    page.goto(nginx_site + "referral-form/", wait_until="load")
    page.wait_for_function("() => window.TRForm && document.querySelector('.tr-form--js')")
    # The guarded page fails the test at teardown on any policy violation or script error.


def test_no_page_can_be_shown_in_a_frame(page, nginx_site, browser_log):
    # Waits for the refusal itself (Chromium logs it), not for a length of time.
    with page.expect_console_message(lambda message: "frame-ancestors 'none'" in message.text):
        page.set_content(f'<iframe src="{nginx_site}" title="framed"></iframe>')
    blocked = [e for e in browser_log.console_errors if "frame-ancestors 'none'" in e]
    framed = page.frame_locator("iframe").locator(".md-header").count()
    browser_log.clear()  # the refusal is logged as an error, on purpose
    assert blocked, "Chromium did not refuse to frame the page"
    assert framed == 0, "the page was shown inside another page"
