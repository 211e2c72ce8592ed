"""The browser test harness: the built site served on 127.0.0.1 and driven in Debian's Chromium.

Mark every test here `@pytest.mark.browser`. Fixtures (ask for them by name):

- `site_server`: the base URL (ending in "/") of an HTTP server on 127.0.0.1 serving `built_site`
  (see tests/conftest.py: the real project, built once per session). Session-wide.
- `site_pages`: the URL of every HTML page of that site (including 404.html), home first.
- `site_url`: `site_url("pathway/")` -> absolute URL on the test server.
- `serve_site`: `with serve_site(folder) as base_url:` serves another built site the same way.
- `hostile_site_server`, `hostile_site_pages`: the same for `hostile_site` (the site built with the
  hostile strings in every text, see tests/conftest.py).
- `browser`: one Chromium per session (Playwright's sync API, /usr/bin/chromium or $CHROMIUM).
- `page`: a fresh tab in its own browser context, guarded: every request to a host other than
  127.0.0.1 is recorded and aborted (data:, blob: and about: are allowed), and console errors and
  uncaught page errors are recorded. At teardown the test FAILS if any were recorded.
- `open_page`: `open_page(javascript=True, viewport=None, media=None) -> Page`, more guarded pages
  (JavaScript off, a 320 px viewport, print media). Each is checked at teardown like `page`.
- `keyboard`: `keyboard.walk(page) -> TabWalk` presses Tab through the page once its scripts
  have taken over: the controls it shows, each stop (shown or not), those never reached; with
  `.ready`, `.settle`, `.focused` and `.shown` for tests of one control.
- `browser_log`: the `BrowserLog` every guarded page of the test writes to. A test that provokes a
  console error on purpose can inspect it, then call `browser_log.clear()`.
- `assert_no_axe_violations`: `assert_no_axe_violations(page, context=None)` runs axe-core (from
  node_modules/axe-core) on the page once its transitions have ended (`settle`), with WCAG
  2.0/2.1/2.2 A and AA rules, and fails with one readable line per violation and node. Run it again
  after each interaction. Tests wait for states (a selector, a DOM condition, an event), never for
  a length of time.
- `run_axe`: `run_axe(page, context=None)`, the same run returning axe's own violations (for a
  test that tells a known one, such as an engine's own, from any other).

Chromium or axe-core missing: the tests are skipped with the reason, except when the CI environment
variable is set, where they fail (a skipped browser test would hide a gap).

Launch settings (verified on Debian's Chromium 156 with Playwright 1.65.2, running as root):
`--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1` stops every DNS lookup, so a stray
request fails at once and Chromium phones nowhere at start-up. Playwright's default
`chromium_sandbox=False` (it passes --no-sandbox) is kept: as root, Chromium's sandbox refuses to
start. The pages run with their real Content-Security-Policy, so a blocked inline script shows up
as a console error.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-gpu",
    "--disable-sync",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ALLOWED_SCHEMES = ("data:", "blob:", "about:")


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a skipped browser test would hide a gap."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    candidate = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass  # the tests report what matters; a line per request would bury it


@contextmanager
def serve_folder(folder: Path):
    """Serve a folder on 127.0.0.1 (a free port) until the block ends; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def page_urls(folder: Path, base_url: str) -> list[str]:
    """The URL of every HTML page of a site served at `base_url`, the home page first."""
    urls = []
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder).as_posix()
        if relative == "index.html":
            relative = ""
        elif relative.endswith("/index.html"):
            relative = relative[: -len("index.html")]
        urls.append(urljoin(base_url, relative))
    return sorted(urls, key=lambda url: (url != base_url, url))


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    """Serve the built site on 127.0.0.1 (a free port) for the whole session; yield its base URL."""
    with serve_folder(built_site) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def serve_site():
    """`with serve_site(folder) as base_url:` serves another built site (see serve_folder)."""
    return serve_folder


@pytest.fixture(scope="session")
def site_url(site_server: str):
    """`site_url(path)`: the absolute URL of a path in the site ("" or "/" for the home page)."""
    return lambda path="": urljoin(site_server, path.lstrip("/"))


@pytest.fixture(scope="session")
def site_pages(built_site: Path, site_server: str) -> list[str]:
    """The URL of every HTML page in the built site, the home page first."""
    return page_urls(built_site, site_server)


@pytest.fixture(scope="session")
def hostile_site_server(hostile_site):
    """Serve `hostile_site` (tests/conftest.py) on 127.0.0.1 for the session; yield its base URL."""
    with serve_folder(hostile_site.site_dir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def hostile_site_pages(hostile_site, hostile_site_server: str) -> list[str]:
    """The URL of every HTML page of `hostile_site`, the home page first."""
    return page_urls(hostile_site.site_dir, hostile_site_server)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (see the module docstring for its settings)."""
    executable = find_chromium()
    if executable is None:
        _unavailable("Chromium is not installed: run `make system-deps` (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python Playwright is not installed: run `make test` to set up .venv")
    with sync_playwright() as playwright:
        chromium = _Chromium(playwright, executable)
        yield chromium
        chromium.close()


class _Chromium:
    """The session's Chromium, launched again if it has died, so that a browser crash fails the test
    it happened in rather than every test after it."""

    def __init__(self, playwright, executable: str):
        self._playwright, self._executable = playwright, executable
        self._browser = self._launch()

    def _launch(self):
        return self._playwright.chromium.launch(
            executable_path=self._executable, args=CHROMIUM_ARGS
        )

    def new_context(self, **options):
        if not self._browser.is_connected():
            self._browser = self._launch()
        return self._browser.new_context(**options)

    def close(self) -> None:
        if self._browser.is_connected():
            self._browser.close()


@dataclass
class BrowserLog:
    """What guarded pages saw that they should not have: one readable line per event."""

    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request off 127.0.0.1 (blocked): {r}" for r in self.blocked_requests]
            + [f"console error: {e}" for e in self.console_errors]
            + [f"JavaScript error: {e}" for e in self.page_errors]
        )

    def clear(self) -> None:
        self.blocked_requests.clear()
        self.console_errors.clear()
        self.page_errors.clear()


def _is_local(url: str) -> bool:
    if url.startswith(ALLOWED_SCHEMES):
        return True
    return urlsplit(url).hostname == "127.0.0.1"


@pytest.fixture
def browser_log() -> BrowserLog:
    """The log all guarded pages of one test write to (checked when the test ends)."""
    return BrowserLog()


@pytest.fixture
def open_page(browser, browser_log: BrowserLog):
    """`open_page(javascript=True, viewport=None, media=None)`: a guarded page in a new context."""
    contexts = []

    def open_guarded_page(
        javascript: bool = True, viewport: dict | None = None, media: str | None = None
    ):
        options = {"java_script_enabled": javascript, "service_workers": "block"}
        if viewport:
            options["viewport"] = viewport
        context = browser.new_context(**options)
        contexts.append(context)

        def route(route_request):
            url = route_request.request.url
            if _is_local(url):
                route_request.continue_()
            else:
                browser_log.blocked_requests.append(f"{route_request.request.method} {url}")
                route_request.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()
        if media:
            page.emulate_media(media=media)

        def on_console(message):
            if message.type == "error":
                location = message.location or {}
                where = location.get("url", "")
                browser_log.console_errors.append(f"{message.text} (at {where or page.url})")

        page.on("console", on_console)
        page.on(
            "pageerror", lambda error: browser_log.page_errors.append(f"{error} (on {page.url})")
        )
        return page

    yield open_guarded_page
    for context in contexts:
        context.close()
    problems = browser_log.problems()
    if problems:
        pytest.fail("the browser saw problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def page(open_page):
    """A guarded page with JavaScript on and the default 1280x720 viewport."""
    return open_page()


# Resolves once every finite animation and transition running now has ended (an endless one, such
# as a spinner, would never end and is not waited for).
SETTLE = """() => Promise.all(document.getAnimations()
  .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map(a => a.finished.catch(() => null)))"""


def settle(page) -> None:
    """Wait until the page's CSS transitions and animations have ended: colours and positions are
    then the ones a reader sees (Material fades search results and buttons in)."""
    page.evaluate(SETTLE)


def run_axe(page, context: str | None = None) -> list[dict]:
    """Run axe-core's WCAG 2.2 A/AA rules on the page once it has settled; return the violations.

    Settled first: axe measures colours as they are drawn, and halfway through a fade-in a colour
    that passes at rest fails (seen: Material's search results at 3.94:1 while appearing)."""
    settle(page)
    if not AXE_SCRIPT.is_file():
        _unavailable(f"axe-core is missing ({AXE_SCRIPT}): run `npm ci --ignore-scripts`")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # evaluate() is not subject to the page's Content-Security-Policy; a <script> tag would be.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )
    return result["violations"]


def format_violations(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(
                f"{url}: {violation['id']} ({violation['impact']}) at {target}: "
                f"{violation['help']}. {summary}"
            )
    return lines


def assert_no_axe_violations(page, context: str | None = None) -> None:
    """Fail with one line per violating element if axe-core finds any WCAG 2.2 A/AA violation."""
    lines = format_violations(page.url, run_axe(page, context))
    if lines:
        pytest.fail(
            "axe-core found accessibility violations:\n  " + "\n  ".join(lines), pytrace=False
        )


@pytest.fixture(name="assert_no_axe_violations", scope="session")
def assert_no_axe_violations_fixture():
    """`assert_no_axe_violations(page, context=None)`: see the function of that name."""
    return assert_no_axe_violations


@pytest.fixture(name="axe_violations", scope="session")
def axe_violations_fixture():
    """`axe_violations(page, context=None) -> [readable line]`: collect now, fail later."""
    return lambda page, context=None: format_violations(page.url, run_axe(page, context))


@pytest.fixture(name="run_axe", scope="session")
def run_axe_fixture():
    """`run_axe(page, context=None) -> [violation]`: axe-core's own results, for a test that
    must tell a known violation (an engine's, say) from any other."""
    return run_axe


# -- the keyboard ---------------------------------------------------------------------------------

# What the keyboard can operate: what Tab should reach. The theme's header labels (the menu's and
# the search's) are controls too: a pointer can use them, so a shown one must be reachable.
CONTROLS = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1']), label.md-header__button"
)
# Whether an element is shown: rendered, not transparent, not hidden, and across the viewport's
# width (a closed drawer sits off its left edge). Top to bottom, a page scrolls to what it shows.
SHOWN = """(element) => {
  if (!element || element === document.body || !element.checkVisibility({
    checkOpacity: true, checkVisibilityCSS: true, contentVisibilityAuto: true})) return false;
  for (let e = element; e; e = e.parentElement || e.getRootNode().host) {
    if (parseFloat(getComputedStyle(e).opacity) === 0) return false;
  }
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth;
}"""
# Number every control shown now and return how many there are: Tab must reach each. A group of
# radio buttons is one Tab stop (the arrow keys move within it). The functions are written into
# each script, as the pages' policy forbids eval.
_MARK_SHOWN_CONTROLS = (
    "(selector) => { const shown = "
    + SHOWN
    + """;
  const targets = new Set();
  for (const element of document.querySelectorAll(selector)) {
    if (element.disabled || !shown(element)) continue;
    const radio = element.type === 'radio' && element.name;
    element.dataset.trTabTarget = radio ? `radios ${element.form?.id}:${element.name}`
      : String(targets.size);
    targets.add(element.dataset.trTabTarget);
  }
  return targets.size;
}"""
)
# The focused element (inside a shadow root, if an engine's script made one: `shadow`).
FOCUSED = (
    "() => { const shown = "
    + SHOWN
    + """;
  let element = document.activeElement, shadow = false;
  while (element?.shadowRoot?.activeElement) {
    element = element.shadowRoot.activeElement;
    shadow = true;
  }
  if (!element || element === document.body) return null;
  const words = (element.getAttribute('aria-label') || element.textContent || element.value || '');
  return {target: element.dataset.trTabTarget ?? null, shown: shown(element), shadow,
          what: `<${element.localName}> ${words.trim().replace(/\\s+/g, ' ').slice(0, 50)}`};
}"""
)
_MISSED = """(reached) => [...new Set([...document.querySelectorAll('[data-tr-tab-target]')]
  .filter(e => !reached.includes(e.dataset.trTabTarget))
  .map(e => `<${e.localName} ${e.id || e.name || ''}> `
    + (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 50)))]"""
# Our scripts have taken over: the header's (its buttons shown in place of the theme's labels)
# and, on the checker's and the form's pages, theirs.
KEYBOARD_READY = """() => document.querySelector('[data-tr-toggle="__drawer"]:not([hidden])') !== null
  && !document.querySelector('[data-tr-checker]:not([data-tr-ready])')
  && (!document.querySelector('[data-tr-form]') || document.querySelector('.tr-form--js') !== null)
"""


@dataclass
class TabWalk:
    """Tab through a page, from its top round to its end: what it showed, where Tab stopped."""

    controls: int  # the controls shown before the first Tab
    stops: list[dict]  # each: target, shown, shadow, what (a few words naming it)
    missed: list[str]  # the shown controls Tab never reached

    def hidden(self, *, in_shadow: bool = True) -> list[str]:
        """The stops that were not shown (those in an engine's shadow root too, or not)."""
        return [s["what"] for s in self.stops if not s["shown"] and (in_shadow or not s["shadow"])]


def walk_tab_order(page) -> TabWalk:
    """Wait for the page's scripts, then press Tab until the focus leaves the page or comes round
    to its first stop again, letting transitions end after each press (a skip link fades in)."""
    page.wait_for_function(KEYBOARD_READY)
    controls = page.evaluate(_MARK_SHOWN_CONTROLS, CONTROLS)
    stops = []
    for _ in range(controls + 40):
        page.keyboard.press("Tab")
        settle(page)
        stop = page.evaluate(FOCUSED)
        if stop is None or stop in stops[:1]:
            reached = sorted({s["target"] for s in stops if s["target"] is not None})
            return TabWalk(controls, stops, page.evaluate(_MISSED, reached))
        stops.append(stop)
    pytest.fail(f"Tab went on past {len(stops)} stops without coming to the end of the page")


class Keyboard:
    """What the keyboard tests ask of a page (the `keyboard` fixture)."""

    walk = staticmethod(walk_tab_order)
    settle = staticmethod(settle)

    @staticmethod
    def ready(page) -> None:
        """Wait until our scripts have taken over the page (the header's, the checker's...)."""
        page.wait_for_function(KEYBOARD_READY)

    @staticmethod
    def focused(page) -> dict | None:
        """The focused element: target, shown, shadow, what (None: nothing is focused)."""
        return page.evaluate(FOCUSED)

    @staticmethod
    def shown(page, element) -> bool:
        """Whether an element (a handle) is rendered, opaque, visible and across the viewport."""
        return page.evaluate(SHOWN, element)


@pytest.fixture(scope="session")
def keyboard() -> Keyboard:
    """`keyboard.walk(page) -> TabWalk`, `.ready(page)`, `.settle(page)`, `.focused(page)`,
    `.shown(page, handle)`: see Keyboard."""
    return Keyboard()
