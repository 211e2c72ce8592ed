"""Finish an engine's HTML: refuse foreign code, secure each page, mark print URLs, add the rest.

Whichever engine built the pages, this stage runs over the built folder before it is swapped in:
every page gets its policy (`csp.secure_html`) from the inline scripts known in advance, links in
the page's content get a `data-print-url`, `hosting/nginx.conf` is written with the same policy,
every published file is judged (`scan`), and the PDFs rendering in other processes are judged the
same way as they are written in (`write_pdfs_in`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from generator.problems import Location, Problem, SourceError
from generator.publish import csp, scan
from generator.render import pages
from generator.render.pdf_workers import PdfWorkers

NGINX_CONFIG = pages.LINKS["nginx_config"]
# What the docs tree holds for it, so that links to it resolve; `finish_site` writes the real one.
NGINX_STAND_IN = "# Written by the build.\n"

_LINK = re.compile(r"<a\s([^>]*?)href=\"([^\"]*)\"")
# The page's own content, where print URLs help; the theme's navigation is not printed.
_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)


class ForeignCodeError(SourceError):
    """A built page holds code that neither our templates nor the theme wrote."""

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(
            "The website was not published: only the scripts the generator and the theme write "
            "may run, and every published file is checked for what could run, load from another "
            "website or mislead. Look for HTML, links and files in the text that made these pages."
        )
        return "\n".join(lines)


@dataclass
class FinishedSite:
    """What the post-build stage did: the pages it secured and every known inline script's hash."""

    pages: int = 0
    script_hashes: set[str] = field(default_factory=set)


def finish_site(
    site_dir: Path,
    *,
    language: str = "",
    site_url: str = "",
    inline_injected: bool = False,
    shown_as: str = "site",
    repairs: dict[str, str] | None = None,
    inline_scripts: dict[str, re.Pattern[str]],
    inline_styles: tuple[str, ...] = (),
) -> FinishedSite:
    """Secure every page of the built site at `site_dir` and write the nginx sample.

    `inline_injected`: the server adds inline scripts of its own (`mkdocs serve`'s live reload),
    so the pages allow them. `inline_scripts` are the engine's theme's known inline scripts, `inline_styles` the hashes of
    the styles its own script adds (`Engine.inline_scripts`, `Engine.inline_styles`). Raises
    ForeignCodeError, listing every inline script, event handler or `javascript:` address that no
    template of ours or the theme's wrote, located as `<shown_as>/<page>:line:column`. `repairs`
    ({text: replacement}) are made in every page first (see `Engine.repairs`).
    """
    finished, problems, secured, repaired = FinishedSite(), [], {}, {}
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        html = path.read_text(encoding="utf-8")
        for text, replacement in (repairs or {}).items():
            html = html.replace(text, replacement)
        known, foreign = csp.scan_page(html, inline_scripts)
        problems += [
            Problem(Location(f"{shown_as}/{relative}", f.line, f.column), f"{f.what} was found")
            for f in foreign
        ]
        finished.script_hashes |= known
        repaired[relative] = html
        html = _mark_article(html, _page_url(relative), site_url)
        secured[path] = csp.secure_html(html, known, language, inline_injected, inline_styles)
    # Every other file too, whatever its name, and what in a page misleads rather than runs.
    problems += scan.scan_site(site_dir, shown_as, pages=repaired)
    if problems:
        raise ForeignCodeError(problems)
    for path, html in secured.items():
        path.write_text(html, encoding="utf-8")
    finished.pages = len(secured)
    # The server's policy must allow every page's known inline scripts: all the hashes seen.
    nginx_config = site_dir / NGINX_CONFIG
    nginx_config.parent.mkdir(parents=True, exist_ok=True)
    headers = csp.http_headers(sorted(finished.script_hashes), inline_styles)
    nginx_config.write_text(pages.render_nginx_config(headers), encoding="utf-8")
    return finished


def write_pdfs_in(workers: PdfWorkers, site_dir: Path, shown_as: str = "site") -> dict[str, bytes]:
    """Write in the PDFs rendered in other processes, judged first like every published file:
    they were stand-ins when `finish_site` scanned the site. Raises ForeignCodeError, writing none,
    if any holds what a viewer could run."""

    def judge(pdfs: dict[str, bytes]) -> None:
        problems = scan.scan_files(pdfs, shown_as)
        if problems:
            raise ForeignCodeError(problems)

    return workers.write_into(site_dir, judge)


def _page_url(relative: str) -> str:
    """The page's address from the site's root, as the engines write it (`checker/`, `404.html`)."""
    if relative == "index.html":
        return ""
    if relative.endswith("/index.html"):
        return relative.removesuffix("index.html")
    return relative


def _mark_article(html: str, page_url: str, site_url: str) -> str:
    if not _ARTICLE.search(html):
        return mark_print_urls(html, page_url, site_url)
    return _ARTICLE.sub(lambda m: mark_print_urls(m.group(0), page_url, site_url), html, count=1)


def mark_print_urls(html: str, page_url: str, site_url: str = "") -> str:
    """Give each link to another page of the site a `data-print-url` for the print stylesheet.

    On paper a relative link such as `../pathway/` means nothing, so print shows the page's address
    from the site's root (or in full when `site_url` is set).
    """
    base = urljoin("/", page_url)

    def mark(match: re.Match) -> str:
        before, href = match.group(1), match.group(2)
        if (
            "data-print-url" in before
            or not href
            or href.startswith(("#", "mailto:", "tel:"))
            or re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.IGNORECASE)
        ):
            return match.group(0)
        target = urljoin(base, href)
        if site_url:
            target = urljoin(
                site_url if site_url.endswith("/") else site_url + "/", target.lstrip("/")
            )
        return f'<a {before}data-print-url="{target}" href="{href}"'

    return _LINK.sub(mark, html)
