"""Give each built page a Content-Security-Policy that allows only the inline scripts we wrote.

A page's policy is made from what we know in advance, never from what we find: the inline scripts
the theme emits are listed here (`THEME_INLINE_SCRIPTS`, each recognised exactly, its one varying
part a relative address) and by each engine (its own, `Engine.inline_scripts`); our own templates
write none. Any other inline script, an event-handler attribute, a `javascript:` address or a
`<meta http-equiv="refresh">` redirect (which no policy can stop) in a built page is refused with
its page, line and column (`scan_page`), so text injected through the sources can never be
whitelisted.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Every page's policy. Scripts: our own files plus the known inline scripts of that page, by hash.
# Styles: our own files only; the themes' markup sets no style attributes (checked by the tests).
# frame-ancestors is left out because browsers ignore it in a <meta> policy.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'{script_hashes}; style-src 'self'{style_hashes}; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)

# What a web server should send with every file; see "Hosting this website" (hosting.md.j2).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

# A relative or root address as the themes write it into a script: ".", "..", "../..", "/".
ADDRESS = r'"(?:\.|\.\.(?:/\.\.)*|/[^"\\<>]*)"'

# The inline scripts of the theme's partials that Material for MkDocs 9.8 and Zensical 0.0.60
# (which ships Material's templates) share, each matched as a whole. Each engine adds its own
# (generator/publish/engines/: the storage scope each writes first). Our own templates write none.
THEME_INLINE_SCRIPTS: dict[str, re.Pattern[str]] = {
    "theme: the colour palette": re.compile(
        re.escape(
            'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-'
            'scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)")'
            ",input=document.querySelector(media.matches?\"[data-md-color-media='(prefers-color-"
            "scheme: light)']\":\"[data-md-color-media='(prefers-color-scheme: dark)']\");palette."
            'color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.'
            'getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-'
            'md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}'
            "for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("
            '"data-md-color-"+key,value)}'
        )
    ),
    "theme: the remembered content tabs": re.compile(
        re.escape(
            'var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelect'
            'orAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs'
            ')for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){'
            "var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}"
        )
    ),
    "theme: the announcement bar, once dismissed": re.compile(
        re.escape(
            'var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.quer'
            'ySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidd'
            "en=!0)}"
        )
    ),
    "theme: the cookie consent form": re.compile(
        re.escape(
            'var consent=__md_get("__consent");if(consent)for(var input of document.forms.consent.ele'
            'ments)input.name&&(input.checked=consent[input.name]||!1);else"file:"!==location.protoco'
            'l&&setTimeout((function(){document.querySelector("[data-md-component=consent]").hidden=!'
            '1}),250);var form=document.forms.consent;for(var action of["submit","reset"])form.addEve'
            'ntListener(action,(function(e){if(e.preventDefault(),"reset"===e.type)for(var n of docum'
            'ent.forms.consent.elements)n.name&&(n.checked=!1);__md_set("__consent",Object.fromEntrie'
            "s(Array.from(new FormData(form).keys()).map((function(e){return[e,!0]})))),location.hash"
            '="",location.reload()}))'
        )
    ),
    "theme: the outdated-version banner": re.compile(
        re.escape('var el=document.querySelector("[data-md-component=outdated]"),base=new URL(')
        + ADDRESS
        + re.escape(
            '),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)'
        )
    ),
    "theme: the tab opened by the address": re.compile(
        re.escape(
            "var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
            '(target.checked=target.name.startsWith("__tabbed_"))'
        )
    ),
}

# Script types a browser does not run; every other type (or none) is code.
_INERT_SCRIPT_TYPES = {"application/json", "application/ld+json"}
_SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript)\s*:", re.IGNORECASE)
# Browsers ignore tabs and newlines inside a URL's scheme ("java\tscript:").
_IGNORED_IN_URLS = re.compile(r"[\t\n\r\x00-\x1f]")


@dataclass(frozen=True)
class ForeignCode:
    """Something in a built page that could run script and that neither we nor the theme wrote."""

    line: int
    column: int
    what: str


def script_hash(body: str) -> str:
    """The `sha256-...` source that allows an inline script with this exact text."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def is_known_inline_script(body: str, known_scripts: dict[str, re.Pattern[str]]) -> bool:
    return any(pattern.fullmatch(body) for pattern in known_scripts.values())


class _PageScanner(HTMLParser):
    """Collect a page's inline scripts and anything else in it that could run code."""

    def __init__(self, known_scripts: dict[str, re.Pattern[str]]) -> None:
        super().__init__(convert_charrefs=True)
        self._known_scripts = known_scripts
        self.known: set[str] = set()
        self.foreign: list[ForeignCode] = []
        self._script: tuple[int, int] | None = None  # where an executable inline script started
        self._body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        for name, value in attrs:
            if name.startswith("on"):
                self.foreign.append(
                    ForeignCode(line, column + 1, f"an event-handler attribute {name}= on <{tag}>")
                )
            elif value and _SCRIPT_URL.match(_IGNORED_IN_URLS.sub("", value)):
                self.foreign.append(
                    ForeignCode(line, column + 1, f"a script address in {name}= on <{tag}>")
                )
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").strip().lower() == "refresh":
            # No policy stops it: it would send every reader elsewhere.
            self.foreign.append(
                ForeignCode(line, column + 1, 'a redirect <meta http-equiv="refresh">')
            )
        if tag == "script":
            kind = (attributes.get("type") or "").strip().lower()
            if "src" not in attributes and kind not in _INERT_SCRIPT_TYPES:
                self._script, self._body = (line, column + 1), []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body, (line, column) = "".join(self._body), self._script
            self._script = None
            if is_known_inline_script(body, self._known_scripts):
                self.known.add(script_hash(body))
            else:
                start = " ".join(body.split())[:60]
                self.foreign.append(ForeignCode(line, column, f"an inline script: {start!r}"))


def scan_page(
    html: str, known_scripts: dict[str, re.Pattern[str]]
) -> tuple[set[str], list[ForeignCode]]:
    """The hashes of a page's known inline scripts (those `known_scripts` match, the engine's),
    and everything foreign that could run code."""
    scanner = _PageScanner(known_scripts)
    scanner.feed(html)
    scanner.close()
    if scanner._script is not None:  # a <script> never closed: the rest of the page is its text
        line, column = scanner._script
        scanner.foreign.append(ForeignCode(line, column, "an inline script that is never closed"))
    return scanner.known, scanner.foreign


def content_security_policy(
    script_hashes: list[str], unsafe_inline: bool = False, style_hashes: tuple[str, ...] = ()
) -> str:
    """The policy for pages whose known inline scripts (and styles) have these hashes."""
    sources = " 'unsafe-inline'" if unsafe_inline else "".join(f" '{h}'" for h in script_hashes)
    styles = "".join(f" '{h}'" for h in style_hashes)
    return CONTENT_SECURITY_POLICY.format(script_hashes=sources, style_hashes=styles)


def http_headers(script_hashes: list[str], style_hashes: tuple[str, ...] = ()) -> dict[str, str]:
    """The HTTP headers a web server should send with a site whose pages have these known inline
    scripts: the pages' own policy (plus frame-ancestors, which works only as a header) and the
    headers no <meta> tag can give."""
    return {
        "Content-Security-Policy": content_security_policy(script_hashes, False, style_hashes)
        + "; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }


_CHARSET_META = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html lang=\"[^\"]*\"")


def secure_html(
    html: str,
    script_hashes: set[str],
    language: str = "",
    preview: bool = False,
    style_hashes: tuple[str, ...] = (),
) -> str:
    """Give a finished page its policy, referrer policy and language.

    The policy goes straight after <meta charset>, before any script, style or link, so it governs
    everything the page loads. `preview` is for the live preview only: `mkdocs serve` injects its
    live-reload script into each response with a different value every time, so no hash can allow
    it; the preview's pages allow inline scripts instead (the scan still refuses foreign ones).
    """
    policy = content_security_policy(sorted(script_hashes), preview, style_hashes)
    meta = (
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="referrer" content="no-referrer">'
    )
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    html = re.sub(r'<meta name="referrer"[^>]*>', "", html)
    charset = _CHARSET_META.search(html)
    if charset:
        html = html[: charset.end()] + meta + html[charset.end() :]
    else:
        html = re.sub(r"<head>", lambda m: m.group(0) + meta, html, count=1)
    if language:
        html = _HTML_LANG.sub(f'<html lang="{language}"', html, count=1)
    return html
