"""Our own scripts and stylesheets: the site gets minified copies of generator/static/, every page
links only files that exist, and the checker and form pages load exactly the files bench weighs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.render import checker_site, form_site, pages
from generator.render.context import BuildContext
from generator.render.rendering import read_asset, read_static
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent

# Each file a renderer writes into the site, and its readable source in generator/static/.
ASSETS = {
    checker_site.SCRIPT: "js/checker.js",
    checker_site.STYLESHEET: "css/checker.css",
    form_site.SCRIPT: "js/referral-form.js",
    form_site.STYLESHEET: "css/referral-form.css",
    pages.STYLESHEET: "css/guide.css",
    pages.PAGE_STYLESHEETS["index.md"]: "css/home.css",
    pages.PAGE_STYLESHEETS["pathway.md"]: "css/pathway.css",
}
# As bench/run.py finds them: every script or stylesheet a page names, Material's own left out.
LINKED_ASSET = re.compile(r'(?:src|href)="([^"]+\.(?:js|css))(?:\?[^"]*)?"')
MATERIAL = ("assets/stylesheets/", "assets/javascripts/")
# A script's comments, template literals and strings, in order; group 1 is a double-quoted string's
# text. (The scripts' regular expression literals hold no quotes.)
JS_TOKENS = re.compile(
    r"//[^\n]*|/\*.*?\*/|`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'|\"((?:[^\"\\\n]|\\.)*)\"", re.S
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str | bytes]:
    project = load_project(ROOT)
    files: dict[str, str | bytes] = {}
    for renderer in (checker_site, form_site, pages):
        context = BuildContext(ROOT, tmp_path_factory.mktemp("cache"))
        files.update(renderer.render_files(project, context))
    return files


def own_assets(site: Path, page: str) -> set[str]:
    """The site paths of our own scripts and stylesheets that a built page loads."""
    html = (site / page).read_text(encoding="utf-8")
    found = set()
    for url in LINKED_ASSET.findall(html):
        if not any(part in url for part in MATERIAL):
            found.add((site / page).parent.joinpath(url).resolve().relative_to(site.resolve()).as_posix())
    return found


@pytest.mark.parametrize("site_path", sorted(ASSETS))
def test_the_site_gets_a_minified_copy_of_each_source(rendered, site_path):
    source = read_static(ASSETS[site_path])
    built = rendered[site_path]
    assert built == read_asset(ASSETS[site_path])
    assert len(built) < len(source)
    # Comments stay in the source; the copy has none (a CSS or JS comment starts "/*").
    assert "/*" in source
    assert "/*" not in built


@pytest.mark.parametrize("source", ["js/checker.js", "js/referral-form.js"])
def test_minified_scripts_keep_strict_mode_and_every_string(source):
    text, built = read_static(source), read_asset(source)
    assert '"use strict"' in built
    # Interface words and selectors are strings: the minifier may change quotes, never the words.
    # (Escapes such as "\n" may be written another way, so strings holding one are left out.)
    literals = [m.group(1) for m in JS_TOKENS.finditer(text) if m.group(1) and "\\" not in m.group(1)]
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
        ("checker/index.html", {checker_site.SCRIPT, checker_site.STYLESHEET, pages.STYLESHEET}),
        (
            "referral-form/index.html",
            {form_site.SCRIPT, form_site.STYLESHEET, form_site.MARKING_STYLESHEET, pages.STYLESHEET},
        ),
        ("index.html", {pages.STYLESHEET, pages.PAGE_STYLESHEETS["index.md"]}),
        ("pathway/index.html", {pages.STYLESHEET, pages.PAGE_STYLESHEETS["pathway.md"]}),
    ],
)
def test_pages_load_only_their_own_minified_files(built_site, page, expected):
    # bench/run.py weighs these pages' own JS and CSS: they are these files, as read_asset makes them.
    assert own_assets(built_site, page) == expected
    for site_path in expected:
        built = (built_site / site_path).read_text(encoding="utf-8")
        if site_path == form_site.MARKING_STYLESHEET:  # written from forms/referral.yaml, no source
            marking = load_project(ROOT).form.protective_marking
            assert built == form_site.marking_css(marking) and marking in built
        else:
            assert built == read_asset(ASSETS[site_path])
