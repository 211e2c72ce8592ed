"""Security headers: every built page carries a strict Content-Security-Policy and a no-referrer
policy in <meta> tags, and the nginx configuration the build writes (site/hosting/nginx.conf) sends
the same policy, plus the headers only a server can send, with every file: checked on a real nginx.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.publish.csp import PERMISSIONS_POLICY
from generator.publish.postbuild import NGINX_CONFIG

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
HEADER = re.compile(r'^\s*add_header (\S+) "([^"]*)" always;$', re.MULTILINE)


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _page_policies(site: Path) -> dict[str, str]:
    policies = {}
    for path in sorted(site.rglob("*.html")):
        found = CSP_META.findall(path.read_text(encoding="utf-8"))
        assert len(found) == 1, f"{path}: {len(found)} policies"
        policies[path.relative_to(site).as_posix()] = found[0]
    return policies


def _script_hashes(policy: str) -> set[str]:
    return {s for s in _directives(policy)["script-src"] if s.startswith("'sha256-")}


def test_every_page_has_a_strict_policy_and_no_referrer(built_site):
    policies = _page_policies(built_site)
    assert len(policies) >= 20
    for page, policy in policies.items():
        directives = _directives(policy)
        assert directives["default-src"] == ["'self'"], page
        assert directives["script-src"][0] == "'self'", page
        assert directives["object-src"] == ["'none'"], page
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, page
        html = (built_site / page).read_text(encoding="utf-8")
        assert html.count('<meta name="referrer" content="no-referrer">') == 1, page


@pytest.fixture(scope="module")
def nginx_headers(built_site) -> dict[str, str]:
    config = (built_site / NGINX_CONFIG).read_text(encoding="utf-8")
    headers = dict(HEADER.findall(config))
    assert len(headers) == len(HEADER.findall(config)), "a header is set twice"
    return headers


def test_the_nginx_config_sends_the_pages_policy_for_every_page(built_site, nginx_headers):
    policies = _page_policies(built_site)
    header = _directives(nginx_headers["Content-Security-Policy"])
    assert header.pop("frame-ancestors") == ["'none'"]
    # The same directives as every page's <meta>, the scripts allowed being all the pages' together.
    every_page_hash = set().union(*map(_script_hashes, policies.values()))
    assert set(header["script-src"][1:]) == every_page_hash
    for page, policy in policies.items():
        meta = _directives(policy)
        assert {k: v for k, v in meta.items() if k != "script-src"} == {
            k: v for k, v in header.items() if k != "script-src"
        }, page
    assert nginx_headers["Referrer-Policy"] == "no-referrer"
    assert nginx_headers["X-Content-Type-Options"] == "nosniff"
    assert nginx_headers["X-Frame-Options"] == "DENY"
    assert nginx_headers["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_hosting_page_explains_and_links_the_config(built_site, site_texts):
    html = (built_site / "hosting" / "index.html").read_text(encoding="utf-8")
    assert 'href="nginx.conf"' in html
    text = site_texts["hosting/index.html"]
    for header in ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options",
                   "Permissions-Policy", "frame-ancestors"):  # fmt: skip
        assert header in text, header


def _fetch(url: str):
    try:
        response = urllib.request.urlopen(url, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read()


def test_nginx_sends_the_headers_with_every_file_and_error(nginx_site, built_site, nginx_headers):
    samples = [
        "",
        "pathway/",
        "checker/q/age/",
        "referral-form/",
        "hosting/nginx.conf",
        "downloads/one-minute-guide.pdf",
        "sitemap.xml",
    ]
    samples += [
        p.relative_to(built_site).as_posix()
        for pattern in ("assets/stylesheets/main.*.min.css", "assets/javascripts/bundle.*.min.js")
        for p in built_site.glob(pattern)
    ]
    assert len(samples) == 9, samples
    for path in [*samples, "no-such-page/"]:
        status, headers, body = _fetch(nginx_site + path)
        assert status == (404 if path == "no-such-page/" else 200), (path, status)
        for name, value in nginx_headers.items():
            assert headers.get(name) == value, f"{path}: {name} is {headers.get(name)!r}"
        if path == "no-such-page/":
            assert b"404" in body and b"Content-Security-Policy" in body  # the site's own 404 page
    _, headers, _ = _fetch(nginx_site + samples[-2])
    assert headers.get_content_type() == "text/css"


def test_nginx_redirects_a_page_without_its_slash(nginx_site):
    request = urllib.request.Request(nginx_site + "pathway")
    opener = urllib.request.build_opener(_NoRedirect)
    status, headers, _ = _open(opener, request)
    assert status == 301 and headers["Location"].endswith("/pathway/")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(opener, request):
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read()


def _outcome(call) -> tuple[type, str]:
    with pytest.raises(BaseException) as raised:  # pytest's skip and fail are BaseExceptions
        call()
    return raised.type, str(raised.value)


def test_without_nginx_ci_fails_and_a_developer_is_told_how_to_install_it(
    require_nginx, monkeypatch
):
    """The real-server tests can never be skipped in CI; on a developer's machine they skip with
    the command to run."""
    monkeypatch.setenv("NGINX", "/nonexistent/nginx")
    monkeypatch.setenv("CI", "true")
    kind, message = _outcome(require_nginx)
    assert kind is pytest.fail.Exception, (kind, message)
    assert message.endswith("(CI is set, so this fails instead of skipping)")
    monkeypatch.delenv("CI")
    kind, message = _outcome(require_nginx)
    assert kind is pytest.skip.Exception, (kind, message)
    assert message == "nginx is not installed: run `make system-deps` (apt-get install nginx)"
