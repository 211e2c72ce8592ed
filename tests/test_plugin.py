"""The MkDocs adapter: generated pages in the build, a strict Content-Security-Policy on every page,
a strict build that passes, and a live preview that survives a mistake in the YAML."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from generator.render import pages

INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# -- the built site --------------------------------------------------------------------------------


def test_every_page_carries_a_policy_that_allows_only_its_own_inline_scripts(built_site):
    html_files = sorted(built_site.rglob("*.html"))
    assert len(html_files) >= 9
    for path in html_files:
        html = path.read_text(encoding="utf-8")
        policies = CSP_META.findall(html)
        assert len(policies) == 1, f"{path}: {len(policies)} policies"
        head_start = html[html.index("<head>") : html.index("<head>") + 200]
        assert "Content-Security-Policy" in head_start, f"{path}: the policy is not first in <head>"
        policy = _directives(policies[0])
        allowed = {h.strip("'") for h in policy["script-src"] if h.startswith("'sha256-")}
        inline = {
            _sha256(body)
            for attributes, body in INLINE_SCRIPT.findall(html)
            if "src=" not in attributes and "application/json" not in attributes
        }
        assert inline == allowed, f"{path}: inline scripts and hashes differ"
        assert "'unsafe-inline'" not in policies[0]
        assert '<meta name="referrer" content="no-referrer">' in html


def test_no_page_has_style_attributes_or_asks_other_hosts_for_anything(built_site):
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle=", html), (
            f"{path}: a style attribute (blocked by the policy)"
        )
        assert not re.search(r"<style\b", html), (
            f"{path}: a <style> element (blocked by the policy)"
        )
        assert not re.search(r"rel=\"?(preconnect|dns-prefetch|prefetch|preload)", html), path
        for tag, attribute, url in re.findall(
            r"<(script|link|img|iframe|source)\b[^>]*?\b(src|href)=\"([^\"]+)\"", html
        ):
            assert not re.match(r"^(https?:)?//", url), f"{path}: <{tag} {attribute}={url}>"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_pages_come_in_the_guide_order_in_the_navigation(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    nav = html[
        html.index('<nav class="md-nav md-nav--primary"') : html.index("md-sidebar--secondary")
    ]
    links = re.findall(r'href="([^"#]*)"', nav)
    order = [
        link
        for link in (
            ".",
            "who-can-be-referred/",
            "pathway/",
            "how-to-refer/",
            "contact/",
            "downloads/",
            "accessibility/",
        )
        if link in links
    ]
    assert len(order) == 7, links
    assert order == sorted(order, key=links.index)
    # The editors' pages are not the practitioners' navigation (the footer links to them).
    assert "editing/" not in links and "hosting/" not in links, links


def test_the_site_takes_its_name_and_language_from_the_yaml(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "<title>One minute guide - Trusted Relationships Service</title>" in html
    assert '<html lang="en-GB"' in html


def test_nothing_generated_is_written_into_docs(project_root, built_site):
    docs = {
        p.relative_to(project_root / "docs").as_posix()
        for p in (project_root / "docs").rglob("*")
        if p.is_file()
    }
    # Hand-written extras only, and none today: the theme's templates ship in the package.
    assert docs <= {".gitkeep"}, docs


def test_a_docs_file_with_a_generated_name_is_refused_by_name(project_copy, build_site):
    (project_copy / "docs" / "contact.md").write_text("# Contact\n", encoding="utf-8")
    result = build_site(project_copy, project_copy / "site")
    assert result.returncode == 1
    assert "docs/contact.md: this file has the same name as a generated one" in result.output
    assert "Traceback" not in result.output


def test_strict_build_passes(project_root, build_site, tmp_path):
    """`mkdocs build --strict`: every link between pages resolves, no warning at all."""
    result = build_site(project_root, tmp_path / "site", strict=True)
    assert result.ok, result.output


def test_guide_pages_pass_a_strict_build_once_the_pages_they_link_to_exist(project_copy, tmp_path):
    """The guide's own pages are strict-clean: stand in for any page another renderer has not
    written yet, and the strict build passes."""
    stub_links = tmp_path / "stub_links.py"
    stub_links.write_text(
        "import generator.render.site as site\n"
        "from generator.render import pages\n"
        "real = site.generate_site\n"
        "def generate_site(project, context):\n"
        "    files = real(project, context)\n"
        "    for target in pages.LINKS.values():\n"
        "        if target not in files:\n"
        "            files[target] = '# Stand-in\\n' if target.endswith('.md') else b'stand-in'\n"
        "    return files\n"
        "site.generate_site = generate_site\n"
        "import sys\n"
        "from mkdocs.__main__ import cli\n"
        "sys.exit(cli())\n",
        encoding="utf-8",
    )
    completed = subprocess.run(
        [
            sys.executable,
            str(stub_links),
            "build",
            "--strict",
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize(
    "command, engine",
    [
        ("mkdocs", "mkdocs"),
        ("generator", "mkdocs"),
        ("generator", "properdocs"),
        ("generator", "zensical"),
    ],
)
def test_quotes_in_the_service_name_and_summary_stay_inside_the_attributes(
    project_copy, build_site, edit_file, command, engine
):
    """Material writes the site name and the page description into attributes without escaping
    them; the plugin hands them over escaped, so a quote in the YAML cannot end an attribute."""
    name = 'The "Quoted" Service & Friends'
    edit_file(
        project_copy / "content" / "service.yaml",
        "name: Trusted Relationships Service\n",
        "name: 'The \"Quoted\" Service & Friends'\n",
    )
    guide = project_copy / "content" / "guide.yaml"
    # The guide's summary, at the start of a line; a change note's summary is indented.
    edit_file(guide, '\nsummary: "', "\nsummary: >-\n  \"Quoted\" x='y' ")
    edit_file(guide, '{eligibility.sentence}"\n', "{eligibility.sentence}\n")
    result = build_site(project_copy, project_copy / "site", command=command, engine=engine)
    assert result.ok, result.output

    class Attributes(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    parser = Attributes()
    parser.feed((project_copy / "site" / "index.html").read_text(encoding="utf-8"))
    logos = [a for tag, a in parser.found if tag == "a" and "md-logo" in (a.get("class") or "")]
    assert logos and all(a["aria-label"] == name and a["title"] == name for a in logos), logos
    description = [a for tag, a in parser.found if tag == "meta" and a.get("name") == "description"]
    assert description[0]["content"].startswith("\"Quoted\" x='y' "), description
    for tag, attributes in parser.found:
        assert not any(key in ('quoted"', "x") for key in attributes), (tag, attributes)


def test_generator_build_command_builds_the_same_site(project_copy, build_site):
    result = build_site(project_copy, project_copy / "out", command="generator")
    assert result.ok, result.output
    assert re.search(r"Built \d+ pages into .*out in [\d.]+ s\.", result.output)
    for page in pages.FRONT_PAGES + pages.BACK_PAGES:
        name = "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"
        assert (project_copy / "out" / name).is_file(), name


# -- the live preview ------------------------------------------------------------------------------


def test_preview_shows_a_yaml_mistake_in_the_terminal_and_keeps_the_last_good_pages(
    project_copy, edit_file, preview_server, http_get, wait_until
):
    log_path = project_copy / "serve.log"
    eligibility = project_copy / "content" / "eligibility.yaml"
    line = eligibility.read_text().splitlines().index("upper_age: 17") + 1
    with preview_server(project_copy, log_path) as base_url:
        page_url = f"{base_url}who-can-be-referred/"
        first = wait_until(lambda: http_get(page_url), 90, "the preview to start")
        assert "aged 17 or below" in first

        edit_file(eligibility, "upper_age: 17\n", "upper_age: seventeen\n")
        wait_until(
            lambda: "preview still shows the last version" in log_path.read_text(),
            60,
            "the preview to report the mistake",
        )
        output = log_path.read_text()
        assert re.search(rf"content/eligibility\.yaml:{line}:\d+: .*whole number", output), output
        assert "Traceback" not in output
        still = http_get(page_url)
        assert still is not None and "aged 17 or below" in still, "the last good page is gone"

        edit_file(eligibility, "upper_age: seventeen\n", "upper_age: 16\n")
        wait_until(lambda: "aged 16 or below" in (http_get(page_url) or ""), 60, "the fixed page")
        # The preview builds into a folder of its own: nothing is staged beside the project's.
        assert not [p for p in project_copy.iterdir() if p.name.startswith(".site.")]
