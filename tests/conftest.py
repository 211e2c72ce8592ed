"""Fixtures every test may use: the project, a disposable copy of it, and real MkDocs builds.

Fixtures (ask for them by name in a test's arguments):

- `project_root`: the repository's folder (a Path).
- `project_copy`: a fresh copy of the parts a build reads (mkdocs.yml, docs/, content/, forms/)
  in a temporary folder; change its YAML freely (with `edit_file`).
- `copy_project_to`: `copy_project_to(folder) -> folder`, the same copy as `project_copy` made
  anywhere (for a module- or session-scoped copy shared by several tests).
- `build_site`: `build_site(root, site_dir, strict=False, command="mkdocs", prelude="",
  engine="mkdocs")` -> `BuildResult` runs a real build in a subprocess (`mkdocs build`, or
  `python -m generator build --engine ENGINE` with `command="generator"`) and returns its exit code and output; it never raises on a failure.
  `prelude` is Python code the build's process runs first, to inject a fault (monkeypatching).
- `built_site`: the real project built once per test session (non-strict) into a temporary folder;
  a Path to the site. Read-only: copy it before changing anything.
- `site_texts`: {site path: visible text} of every HTML page in `built_site`, for fact checks.
- `chain_form`: a small form of chained show_if conditions (a -> b -> c, and d always).
- `edit_file`: `edit_file(path, old, new, count=1)` replaces text in a file, failing the test unless
  `old` occurs exactly `count` times (so a test never "changes" something that was not there).
- `html_text`: `html_text(html) -> str`, the visible text of a page with whitespace collapsed.
- `folder_snapshot`: `folder_snapshot(folder) -> {relative path: sha256}`, to prove a folder is
  unchanged.
- `word_boxes`: `word_boxes(pdf, page) -> [(x0, y0, x1, y1, word)]`, each word of a PDF's page
  where it is printed (pdftotext); `ink_width(pdf, page, top, bottom, folder)`, how wide the ink
  is between two heights of a page (pdftoppm), to measure what is printed.
- `theme_override`: `with theme_override(root, "main.html", text):` the project copy at `root`
  overrides one of the package's theme templates (generator/theme/) as a project would, through
  mkdocs.yml's `theme.custom_dir`; `theme_override.package` is the package's theme folder.
- `http_get`: `http_get(url, timeout=5) -> text or None` (None: no answer yet).
- `wait_until`: `wait_until(condition, timeout, what)` asks `condition()` until it is true and
  returns it, or fails naming `what`: for a server's state (a preview started or rebuilt).
- `nginx_site`: the base URL of a real nginx on 127.0.0.1 serving `built_site` with the server
  block the build wrote (site/hosting/nginx.conf), its `listen` and `root` pointed at the test's.
  nginx missing (`require_nginx`): skipped with the command that installs it, but failed when the
  CI environment variable is set. `make test` installs it first when run as root.
- `hostile_strings`: the corpus in tests/fixtures/hostile-strings.json, as `HostileString`s.
- `plant_hostile`: `plant_hostile(root, text) -> [files]` rewrites the YAML sources under `root`
  (a project copy) from the repository's, with `text` appended as its own paragraph to every prose
  value (titles, texts, labels, hints...; never ids, references, dates or settings).
- `hostile_site`: a `HostileSite`, built once per session: every hostile string the check accepts,
  planted together in every prose field, and the site built from that with `mkdocs build`.

The helpers are fixtures rather than imports because tests/ and tests/browser/ each have a
conftest.py, and `from conftest import ...` would pick whichever pytest imported last.

Tests that build a whole site, start a server or render PDFs are marked `slow` here (by the fixtures
they use, or by module): `make mutate` leaves them out (`-m "not slow"`), since mutmut runs every
test that touches a function again for each of that function's mutants. HYPOTHESIS_PROFILE=mutate
makes the generated examples the same on every run, so a mutant's verdict does not change by chance.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# What a build reads from the project folder; everything else (site/, .venv/) stays behind.
# No schemas/: they ship inside the package.
BUILD_INPUTS = ("mkdocs.yml", "docs", "content", "forms")


settings.register_profile("mutate", derandomize=True, database=None, deadline=None)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

# A test asking for one of these builds a site, serves one or starts a browser.
SLOW_FIXTURES = frozenset(
    {"built_site", "site_texts", "build_site", "hostile_site", "nginx_site", "preview_server"}
)
# Modules whose tests build, render PDFs or run commands in other processes throughout.
SLOW_MODULES = frozenset(
    {
        "test_check_then_build",
        "test_engines",
        "test_pdf",
        "test_pdf_workers",
        "test_pipelines",
        "test_plugin",
        "test_wheel",
    }
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rpartition(".")[2] if item.module else ""
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@dataclass(frozen=True)
class BuildResult:
    """A finished build: its exit code and everything it printed (stdout and stderr together)."""

    returncode: int
    output: str
    site_dir: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_build(
    root: Path,
    site_dir: Path,
    strict: bool = False,
    command: str = "mkdocs",
    prelude: str = "",
    engine: str = "mkdocs",
) -> BuildResult:
    """Build the site under `root` into `site_dir` in a subprocess, as an editor would.

    `prelude`: Python code run in that process before the command (to inject a fault)."""
    if command == "mkdocs":
        argv = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)]
        if strict:
            argv.append("--strict")
    elif command == "generator":
        argv = [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(root),
            "build",
            "--site-dir",
            str(site_dir),
            "--engine",
            engine,
        ]
        if strict:
            argv.append("--strict")
    else:
        raise ValueError(f"unknown build command {command!r}: use 'mkdocs' or 'generator'")
    if prelude:
        module = argv[2]  # argv is [python, "-m", module, arguments...]
        launcher = (
            f"\nimport runpy\nrunpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
        )
        argv = [sys.executable, "-c", prelude + launcher, *argv[3:]]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        argv, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    return BuildResult(completed.returncode, completed.stdout + completed.stderr, Path(site_dir))


def copy_project(destination: Path) -> Path:
    """Copy what a build reads into `destination` (created); return it."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in BUILD_INPUTS:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def replace_in_file(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` with `new` in a file; fail the test unless `old` is there `count` times."""
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    if found != count:
        pytest.fail(f"expected {old!r} {count} time(s) in {path}, found it {found} time(s)")
    path.write_text(text.replace(old, new), encoding="utf-8")


THEME = PROJECT_ROOT / "generator" / "theme"


@contextmanager
def theme_override(root: Path, template: str, text: str):
    """While the block runs, the project at `root` overrides the package's theme template
    `template` (say "main.html") with `text`, as a project of its own would: in `overrides/`,
    named by mkdocs.yml's `theme.custom_dir`. Everything is put back afterwards."""
    config = root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    replace_in_file(config, "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    target = root / "overrides" / template
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    try:
        yield target
    finally:
        shutil.rmtree(root / "overrides")
        config.write_text(original, encoding="utf-8")


class _TextExtractor(HTMLParser):
    _SKIP = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in {
            "p",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "td",
            "th",
            "dt",
            "dd",
            "tspan",
            "br",
            "div",
            "title",
            "desc",
            "figcaption",
        }:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML document (scripts dropped), with whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(html)
    return re.sub(r"\s+", " ", "".join(extractor.parts)).strip()


def snapshot_folder(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under `folder`, to prove a build left it untouched."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository folder."""
    return PROJECT_ROOT


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A disposable copy of the project's build inputs; change its YAML freely."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def copy_project_to():
    """`copy_project_to(folder) -> folder`: see copy_project."""
    return copy_project


@pytest.fixture(scope="session")
def build_site():
    """`build_site(root, site_dir, strict=False, command="mkdocs", prelude="", engine="mkdocs")`
    -> BuildResult: run_build."""
    return run_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, built once per session with `mkdocs build`; fails the tests that use it if
    the build fails. Non-strict, so a page another issue has not written yet is a warning here (the
    strict build has its own test)."""
    site_dir = tmp_path_factory.mktemp("site") / "site"
    result = run_build(PROJECT_ROOT, site_dir)
    if not result.ok:
        pytest.fail(f"mkdocs build failed (exit {result.returncode}):\n{result.output}")
    return site_dir


@pytest.fixture(scope="session")
def site_texts(built_site: Path) -> dict[str, str]:
    """{path in the site: visible text} for every HTML page of the built site."""
    return {
        str(path.relative_to(built_site)): html_to_text(path.read_text(encoding="utf-8"))
        for path in sorted(built_site.rglob("*.html"))
    }


@pytest.fixture(scope="session")
def chain_form():
    """A form of chained conditions: a (radios) -> b (checkboxes, asked if a is yes) -> c (asked
    if b includes "no"); d always."""
    from generator.model import Choice, Condition, Form, FormField, FormSection

    yes_no = (Choice("yes", "Yes"), Choice("no", "No"))
    fields = (
        FormField("a", "radios", "A?", "a", options=yes_no),
        FormField("b", "checkboxes", "B?", "b", options=yes_no, show_if=Condition("a", ("yes",))),
        FormField("c", "text", "C", "c", show_if=Condition("b", ("no",))),
        FormField("d", "text", "D", "d"),
    )
    return Form("chain", "Chain", "", (FormSection("s", "S", fields),))


@pytest.fixture(scope="session")
def edit_file():
    """`edit_file(path, old, new, count=1)`: see replace_in_file."""
    return replace_in_file


@pytest.fixture(scope="session")
def html_text():
    """`html_text(html) -> str`: see html_to_text."""
    return html_to_text


@pytest.fixture(name="theme_override", scope="session")
def theme_override_fixture():
    """`with theme_override(root, "main.html", text):` see theme_override; `THEME` is the
    package's own theme folder (`theme_override.package / "main.html"`)."""
    theme_override.package = THEME
    return theme_override


@pytest.fixture(scope="session")
def folder_snapshot():
    """`folder_snapshot(folder) -> {relative path: sha256}`: see snapshot_folder."""
    return snapshot_folder


def read_word_boxes(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, word) of every word on a page, in points from its top left, as
    `pdftotext -bbox-layout` reads them."""
    import html

    xml = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(x0), float(y0), float(x1), float(y1), html.unescape(word))
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', xml
        )
    ]


def measure_ink_width(pdf: Path, page: int, top: float, bottom: float, folder: Path) -> float:
    """How wide (in points) the ink is between two heights (points from the top) of a page,
    drawn at 72 dpi by pdftoppm."""
    from PIL import Image

    image = folder / f"ink-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-png", "-singlefile"]
        + [str(pdf), str(image)],
        check=True,
        timeout=120,
    )
    grey = Image.open(f"{image}.png").convert("L")
    band = grey.point(lambda v: 255 if v < 140 else 0)
    box = band.crop((0, round(top), grey.width, round(bottom))).getbbox()
    return 0.0 if box is None else float(box[2] - box[0])


@pytest.fixture(scope="session")
def word_boxes():
    """`word_boxes(pdf_path, page) -> [(x0, y0, x1, y1, word)]`: see read_word_boxes."""
    return read_word_boxes


@pytest.fixture(scope="session")
def ink_width():
    """`ink_width(pdf_path, page, top, bottom, folder) -> points`: see measure_ink_width."""
    return measure_ink_width


# -- Hostile input ---------------------------------------------------------------------------------

HOSTILE_STRINGS_FILE = PROJECT_ROOT / "tests" / "fixtures" / "hostile-strings.json"
# Keys whose string values are prose an editor writes. Ids, references (next, to, field, in),
# dates, emails, languages and settings are not prose and keep their values.
PROSE_KEYS = frozenset(
    {
        "title", "text", "body", "hint", "intro", "summary", "label", "error_name", "item_name",
        "name", "short_name", "role", "area", "part_of", "abbreviation", "meaning",
        "on_screen_intro", "save_notice", "saved_notice", "person",
    }
)  # fmt: skip


@dataclass(frozen=True)
class HostileString:
    """One entry of the hostile corpus: a name for reports, and the text."""

    name: str
    text: str


@dataclass(frozen=True)
class HostileSite:
    """The site built with the hostile strings the check accepts (the `hostile_site` fixture)."""

    site_dir: Path
    root: Path
    planted: tuple[HostileString, ...]  # in every prose field of this site
    refused: dict[str, str]  # name -> the first problem the check reported
    build_failures: dict[str, str]  # name -> why the build failed though the check accepted it


def read_hostile_strings() -> list[HostileString]:
    data = json.loads(HOSTILE_STRINGS_FILE.read_text(encoding="utf-8"))
    return [
        HostileString(entry["name"], entry["text"] * entry.get("repeat", 1))
        for entry in data["strings"]
    ]


def _plant(value, text: str, key=None):
    if isinstance(value, dict):
        return {k: _plant(v, text, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_plant(item, text, key) for item in value]
    if isinstance(value, str) and key in PROSE_KEYS:
        return f"{value}\n\n{text}"
    return value


def plant_hostile(root: Path, text: str | list[str]) -> list[str]:
    """Write the sources under `root` with `text` in every prose value; return the files changed.

    Several texts go into each prose value as separate paragraphs, except change notes: a note's
    summary has a length cap, so each text gets its own copy of every note (which also tests that
    one note cannot forge another)."""
    from generator.sources.load import SOURCES

    texts = [text] if isinstance(text, str) else text
    changed = []
    for relative in SOURCES.values():
        data = yaml.safe_load((PROJECT_ROOT / relative).read_text(encoding="utf-8"))
        planted = _plant(data, "\n\n".join(texts))
        if isinstance(data, dict) and isinstance(data.get("changes"), list):
            planted["changes"] = [_plant(note, one) for one in texts for note in data["changes"]]
        if planted != data:
            changed.append(relative)
        (root / relative).write_text(
            yaml.safe_dump(planted, allow_unicode=True, sort_keys=False, width=1_000_000),
            encoding="utf-8",
        )
    return changed


def _generation_failure(root: Path) -> str | None:
    """Generate every file of the site in this process (PDFs too, filling their cache); None if it
    worked, else why not."""
    from generator.render.context import BuildContext
    from generator.render.site import generate_site
    from generator.sources.load import load_project

    try:
        project = load_project(root)
        generate_site(project, BuildContext(root=root, cache_dir=root / ".cache" / "generator"))
    except Exception as error:  # noqa: BLE001 - reported by the test that reads build_failures
        return f"{type(error).__name__}: {error}"
    return None


@pytest.fixture(scope="session")
def hostile_strings() -> list[HostileString]:
    """The hostile corpus (tests/fixtures/hostile-strings.json)."""
    return read_hostile_strings()


@pytest.fixture(name="plant_hostile", scope="session")
def plant_hostile_fixture():
    """`plant_hostile(root, text) -> [files changed]`: see plant_hostile."""
    return plant_hostile


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    """Every hostile string the check accepts, all in every prose field at once, built with
    `mkdocs build`. One build rather than one per string: the strings are separate paragraphs, so
    each still ends a text as it would alone. A string the check accepts but the generator then
    refuses is recorded in `build_failures` (a test fails on it) and left out of the site."""
    from generator.sources.load import check_sources

    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    refused: dict[str, str] = {}
    accepted: list[HostileString] = []
    for hostile in read_hostile_strings():
        plant_hostile(root, hostile.text)
        problems = check_sources(root)
        if problems:
            refused[hostile.name] = str(problems[0])
        else:
            accepted.append(hostile)

    failures: dict[str, str] = {}
    plant_hostile(root, [h.text for h in accepted])
    if check_sources(root):
        pytest.fail(
            f"each hostile string passes the check alone, but not together: "
            f"{[str(p) for p in check_sources(root)][:5]}"
        )
    if _generation_failure(root):  # find which strings the generator refuses, one at a time
        for hostile in accepted:
            plant_hostile(root, hostile.text)
            failure = _generation_failure(root)
            if failure:
                failures[hostile.name] = failure
        accepted = [h for h in accepted if h.name not in failures]
        plant_hostile(root, [h.text for h in accepted])

    site_dir = root / "site"
    result = run_build(root, site_dir)
    if not result.ok:
        pytest.fail(f"the site with the accepted hostile strings did not build:\n{result.output}")
    return HostileSite(site_dir, root, tuple(accepted), refused, failures)


# -- A real web server -----------------------------------------------------------------------------


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a skipped test would hide a gap."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def find_nginx() -> str | None:
    candidate = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
    return candidate if Path(candidate).is_file() and os.access(candidate, os.X_OK) else None


def require_nginx() -> str:
    """nginx's path; without it, skip saying how to install it (`make test` installs it as root,
    through .ci/system-deps), or fail when CI is set."""
    nginx = find_nginx()
    if nginx is None:
        unavailable("nginx is not installed: run `make system-deps` (apt-get install nginx)")
    return nginx


@pytest.fixture(name="require_nginx", scope="session")
def require_nginx_fixture():
    """`require_nginx() -> path`: see require_nginx."""
    return require_nginx


def _nginx_mime_types(nginx: str) -> Path | None:
    details = subprocess.run([nginx, "-V"], capture_output=True, text=True, check=False).stderr
    found = re.search(r"--conf-path=(\S+)", details)
    candidates = [Path(found.group(1)).parent / "mime.types"] if found else []
    candidates.append(Path("/etc/nginx/mime.types"))
    return next((path for path in candidates if path.is_file()), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process(process: subprocess.Popen) -> None:
    """Ask a server to stop, and make it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def run_preview(root: Path, log_path: Path, engine: str | None = None):
    """`mkdocs serve` (or, given an engine, `python -m generator serve --engine ENGINE`) for the
    project at `root` on a free port, its output in `log_path`: yields the preview's base URL and
    stops the server afterwards."""
    port = _free_port()
    argv = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    if engine is not None:
        argv = [sys.executable, "-m", "generator", "--root", str(root), "serve"]
        argv += ["--port", str(port), "--engine", engine]
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            argv,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_process(server)


def http_get(url: str, timeout: float = 5) -> str | None:
    """The text at `url`, or None if the server does not answer it (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return None


def wait_until(condition, timeout: float, what: str):
    """Ask `condition()` again and again until it gives a true value, and return that value; fail
    the test with `what` after `timeout` seconds. For states only a server's answers show (a
    preview started, a page rebuilt); in a browser, wait with Playwright instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture(name="http_get", scope="session")
def http_get_fixture():
    """`http_get(url, timeout=5) -> text or None`: see http_get."""
    return http_get


@pytest.fixture(name="wait_until", scope="session")
def wait_until_fixture():
    """`wait_until(condition, timeout, what)`: see wait_until."""
    return wait_until


@pytest.fixture(scope="session")
def preview_server():
    """`preview_server(root, log_path, engine=None)`: a context manager, see run_preview."""
    return run_preview


def nginx_main_config(prefix: Path, site_block: Path, mime_types: Path | None) -> str:
    """A whole nginx configuration around one server block, everything it writes under `prefix`."""
    types = (
        f"include {mime_types};"
        if mime_types
        else (
            "types { text/html html; text/css css; application/javascript js; "
            "application/json json; image/svg+xml svg; application/pdf pdf; }"
        )
    )
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {prefix / kind};" for kind in kinds)
    # One process, no workers: nothing switches to another user that could not read the site.
    return (
        f"daemon off; master_process off; pid {prefix / 'nginx.pid'}; "
        f"error_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        f"http {{ {types} default_type application/octet-stream; access_log off; {temp}\n"
        f"include {site_block}; }}\n"
    )


@pytest.fixture(scope="session")
def nginx_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """nginx serving `built_site` with the server block of site/hosting/nginx.conf."""
    nginx = require_nginx()
    prefix = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    block = (built_site / "hosting" / "nginx.conf").read_text(encoding="utf-8")
    block = re.sub(r"^\s*listen .*;$", "", block, flags=re.MULTILINE)
    block = block.replace("server {", f"server {{\n    listen 127.0.0.1:{port};", 1)
    block, roots = re.subn(r"^(\s*)root \S+;$", rf"\1root {built_site};", block, flags=re.MULTILINE)
    assert roots == 1, "the server block should set `root` once"
    (prefix / "site.conf").write_text(block, encoding="utf-8")
    main = prefix / "nginx.conf"
    main.write_text(
        nginx_main_config(prefix, prefix / "site.conf", _nginx_mime_types(nginx)), encoding="utf-8"
    )
    command = [nginx, "-p", str(prefix), "-c", str(main), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, f"nginx -t refused the configuration:\n{checked.stderr}"
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(base_url, timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers; the tests judge the answer
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log = prefix / "error.log"
                    pytest.fail(
                        "nginx did not start:\n"
                        + (log.read_text(encoding="utf-8") if log.exists() else "")
                    )
                time.sleep(0.1)
        yield base_url
    finally:
        stop_process(server)
