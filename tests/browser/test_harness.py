"""The harness itself: a Chromium that died is launched again for the next page."""

import pytest


@pytest.mark.browser
def test_a_dead_browser_is_launched_again(browser, open_page, site_url):
    browser._browser.close()  # as a crash would leave it
    page = open_page()
    page.goto(site_url(""))
    assert page.title()
