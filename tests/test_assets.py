"""Our own scripts and stylesheets: the site gets minified copies of generator/static/, every page
links only files that exist, and the checker and form pages load exactly the files bench weighs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.render import checker_site, form_site, pages
from generator.render.bundle import bundle_modules
from generator.render.context import BuildContext
from generator.render.rendering import read_asset, read_script_bundle, read_static
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent

# Each file a renderer writes into the site, and its readable source in generator/static/ (for the
# form's script, the ES module whose bundle it is). Written out, not taken from the renderers'
# constants: bench/run.py and the pages name these paths.
FORM_SCRIPT = "js/form/main.mjs"
ASSETS = {
    "assets/tr/checker.js": "js/checker.js",
    "assets/tr/checker.css": "css/checker.css",
    "assets/tr/referral-form.js": FORM_SCRIPT,
    "assets/tr/referral-form.css": "css/referral-form.css",
    "assets/guide/guide.css": "css/guide.css",
    "assets/guide/home.css": "css/home.css",
    "assets/guide/pathway.css": "css/pathway.css",
    "assets/guide/header.js": "js/header.js",
}
GUIDE_CSS = "assets/guide/guide.css"
HEADER_JS = "assets/guide/header.js"  # every page: the header's menu and search buttons
MARKING_STYLESHEET = "assets/tr/referral-form-marking.css"  # written from forms/referral.yaml
# A stylesheet's class selectors: a minified copy keeps every one of them.
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# As bench/run.py finds them: every script or stylesheet a page names, Material's own left out.
LINKED_ASSET = re.compile(r'(?:src|href)="([^"]+\.(?:js|css))(?:\?[^"]*)?"')
MATERIAL = ("assets/stylesheets/", "assets/javascripts/")
# A script's comments, template literals and strings, in order; group 1 is a double-quoted string's
# text. (The scripts' regular expression literals hold no quotes.)
JS_TOKENS = re.compile(
    r"//[^\n]*|/\*.*?\*/|`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'|\"((?:[^\"\\\n]|\\.)*)\"", re.DOTALL
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str | bytes]:
    project = load_project(ROOT)
    files: dict[str, str | bytes] = {}
    for renderer in (checker_site, form_site, pages):
        context = BuildContext(ROOT, tmp_path_factory.mktemp("cache"))
        files.update(renderer.render_files(project, context))
    return files


def readable(relative: str) -> str:
    """The readable text a site file is made from: the file, or a module and all it imports."""
    return (
        bundle_modules(relative, read_static)
        if relative.endswith(".mjs")
        else read_static(relative)
    )


def assert_minified_copy(built: str, source: str) -> None:
    """`built` is `source` made smaller: shorter, and every string or class name still in it."""
    assert built and len(built) < len(source)
    if "use strict" in source:
        literals = [m.group(1) for m in JS_TOKENS.finditer(source) if m.group(1)]
        kept = [literal for literal in literals if "\\" not in literal]
    else:
        kept = CSS_CLASS.findall(re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL))
    assert kept
    missing = [item for item in kept if item not in built]
    assert not missing, missing[:5]


def own_assets(site: Path, page: str) -> set[str]:
    """The site paths of our own scripts and stylesheets that a built page loads."""
    html = (site / page).read_text(encoding="utf-8")
    found = set()
    for url in LINKED_ASSET.findall(html):
        if not any(part in url for part in MATERIAL):
            found.add(
                (site / page).parent.joinpath(url).resolve().relative_to(site.resolve()).as_posix()
            )
    return found


@pytest.mark.parametrize("site_path", sorted(ASSETS))
def test_the_site_gets_a_minified_copy_of_each_source(rendered, site_path):
    source = readable(ASSETS[site_path])
    built = rendered[site_path]
    assert_minified_copy(built, source)
    # Comments stay in the source; the copy has none (a CSS or JS comment starts "/*").
    assert "/*" in source
    assert "/*" not in built


@pytest.mark.parametrize("source", ["js/checker.js", FORM_SCRIPT])
def test_minified_scripts_keep_strict_mode_and_every_string(source):
    text = readable(source)
    built = read_script_bundle(source) if source == FORM_SCRIPT else read_asset(source)
    assert '"use strict"' in built
    # Interface words and selectors are strings: the minifier may change quotes, never the words.
    # (Escapes such as "\n" may be written another way, so strings holding one are left out.)
    literals = [
        m.group(1) for m in JS_TOKENS.finditer(text) if m.group(1) and "\\" not in m.group(1)
    ]
    assert len(literals) > 20
    for literal in literals:
        assert literal in built, literal


def test_read_asset_refuses_anything_but_scripts_and_stylesheets():
    with pytest.raises(ValueError, match="not a script or stylesheet"):
        read_asset("fonts/OFL.txt")


def test_every_script_and_stylesheet_a_page_links_exists(built_site):
    missing = []
    for html in sorted(built_site.rglob("*.html")):
        page = html.relative_to(built_site).as_posix()
        for url in LINKED_ASSET.findall(html.read_text(encoding="utf-8")):
            # 404.html names files from the site's root, as it is served at any address.
            folder = built_site if url.startswith("/") else html.parent
            if "://" in url or not folder.joinpath(url.lstrip("/")).resolve().is_file():
                missing.append(f"{page}: {url}")
    assert not missing


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "checker/index.html",
            {"assets/tr/checker.js", "assets/tr/checker.css", GUIDE_CSS, HEADER_JS},
        ),
        (
            "referral-form/index.html",
            {
                "assets/tr/referral-form.js",
                "assets/tr/referral-form.css",
                MARKING_STYLESHEET,
                GUIDE_CSS,
                HEADER_JS,
            },
        ),
        ("index.html", {GUIDE_CSS, HEADER_JS, "assets/guide/home.css"}),
        ("pathway/index.html", {GUIDE_CSS, HEADER_JS, "assets/guide/pathway.css"}),
    ],
)
def test_pages_load_only_their_own_minified_files(built_site, page, expected):
    # bench/run.py weighs these pages' own JS and CSS: they are these files, minified.
    assert own_assets(built_site, page) == expected
    for site_path in expected:
        built = (built_site / site_path).read_text(encoding="utf-8")
        if site_path == MARKING_STYLESHEET:  # written from forms/referral.yaml, no source
            marking = load_project(ROOT).form.protective_marking
            assert "@media print" in built and "@page" in built
            assert built.count(f'content:"{marking}"') == 2, "the marking at the top and the foot"
        else:
            assert_minified_copy(built, readable(ASSETS[site_path]))
