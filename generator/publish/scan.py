"""Judge every file the build publishes, whatever its name: a built site -> located problems.

`csp.scan_page` judges the `.html` pages' scripts. This scan judges every other file a browser
could show as a document or run, and what in a page misleads rather than runs:
- a file's type is what the server would send for its name (nginx's standard types, which
  hosting/nginx.conf relies on; an unknown name is sent as a download) and, for a name with no
  known type, what a browser would sniff from its first bytes (the WHATWG MIME sniffing rules);
- HTML under any other name than `.html` (`.htm`, `.xhtml`, `.shtml`) is refused: only `.html`
  pages get the site's policy, so only they may be HTML;
- an SVG file, and every SVG drawn inside a page (the pathway diagram), carries no script, event
  handler, script address, foreignObject or reference to another file (`documents.judge_svg`);
- an XML file carries no stylesheet instruction, document type, or HTML, SVG or XSLT elements;
- a PDF carries no JavaScript, launch, form-submission or embedded-file actions;
- in a page, a link whose words name a website or an e-mail address leads there
  (`links.words_problem`), and every e-mail address shown is a mailto: link to it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from generator.problems import Location, Problem
from generator.text import documents
from generator.text.links import EMAIL, address_problem, words_problem

# What nginx's standard mime.types sends for the names a browser shows as a document or runs.
HTML_NAMES = (".html", ".htm", ".shtml", ".xhtml", ".xht")
SVG_NAMES = (".svg", ".svgz")
XML_NAMES = (".xml", ".rss", ".atom", ".xsl", ".xslt", ".mml", ".kml", ".rdf")
PDF_NAMES = (".pdf",)
# Names whose type a browser never shows as a page or runs as a document (styles, scripts our
# pages load, data, fonts, images, archives, plain text under nosniff); judged elsewhere or inert.
INERT_NAMES = (
    ".css", ".js", ".mjs", ".json", ".map", ".woff", ".woff2", ".ttf", ".otf", ".png", ".jpg",
    ".jpeg", ".gif", ".webp", ".ico", ".avif", ".gz", ".zip", ".txt", ".conf", ".csv",
    ".webmanifest",
)  # fmt: skip
# The WHATWG sniffing rules' HTML signatures (each followed by a space or >), `<?xml` and `%PDF-`.
_SNIFF_HTML = re.compile(
    rb"^[\t\n\x0c\r ]*<(?:!DOCTYPE HTML|HTML|HEAD|SCRIPT|IFRAME|H1|DIV|FONT|TABLE|A|STYLE|TITLE|B|"
    rb"BODY|BR|P|!--)[ >]",
    re.IGNORECASE,
)
_SNIFF_XML = re.compile(rb"^[\t\n\x0c\r ]*<\?xml|^[\t\n\x0c\r ]*<svg\b", re.IGNORECASE)
# What a PDF may not do when a browser's viewer opens it.
_PDF_ACTIONS = ("/JavaScript", "/JS", "/Launch", "/SubmitForm", "/ImportData", "/EmbeddedFile")


_NOT_HTML_NAME = (
    "a web page named {}: only .html pages get the site's security policy; rename it to .html "
    "or remove it"
)
_SNIFFED = (
    "a browser could show this file as a web page or drawing, but its name does not say so: give "
    "it its proper ending (.html, .svg) or remove it"
)


def scan_site(
    site_dir: Path, shown_as: str = "site", *, pages: dict[str, str] | None = None
) -> list[Problem]:
    """Every problem in the published files under `site_dir`, located as `<shown_as>/<path>:line:col`.

    `pages` ({path in the site: HTML}) are judged as given rather than as read, for pages the
    post-build stage has already repaired. An empty file (a PDF still rendering in another process,
    from our own templates) holds nothing to judge: `scan_files` judges it once it is written in."""
    problems: list[Problem] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(site_dir).as_posix()
        if pages and relative in pages:
            problems += _located(relative, judge_page(pages[relative]), shown_as)
        else:
            problems += scan_files({relative: path.read_bytes()}, shown_as)
    return problems


def scan_files(files: dict[str, bytes], shown_as: str = "site") -> list[Problem]:
    """Every problem in files about to be published ({path in the site: bytes}), located."""
    return [
        problem
        for relative, data in sorted(files.items())
        for problem in _located(relative, judge_file(relative, data), shown_as)
    ]


def _located(relative: str, found: list[tuple[int, int, str]], shown_as: str) -> list[Problem]:
    return [
        Problem(Location(f"{shown_as}/{relative}", line, column), what)
        for line, column, what in found
    ]


def judge_file(name: str, data: bytes) -> list[tuple[int, int, str]]:
    """What in one published file (its path in the site, its bytes) may not be published."""
    suffix = Path(name).suffix.lower()
    if not data:
        return []
    if suffix == ".html":
        return judge_page(data.decode("utf-8", "replace"))
    if suffix in HTML_NAMES:
        return [(1, 1, _NOT_HTML_NAME.format(suffix))]
    if suffix == ".svgz":
        return [(1, 1, "a compressed drawing (.svgz) cannot be checked: publish it as .svg")]
    if suffix in SVG_NAMES:
        return _found(documents.judge_svg(data), "a drawing")
    if suffix in XML_NAMES:
        return _found(documents.judge_xml(data), "an XML file")
    if suffix in PDF_NAMES:
        return judge_pdf(data)
    if suffix in INERT_NAMES:
        return []
    # A name with no known type is sent as a download, but a browser told nothing may sniff it.
    if _SNIFF_HTML.match(data[:512]) or _SNIFF_XML.match(data[:512]):
        return [(1, 1, _SNIFFED)]
    if data.startswith(b"%PDF-"):
        return judge_pdf(data)
    return []


def _found(findings: list[documents.Finding], kind: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f"{kind} holds {f.what}") for f in findings]


def judge_pdf(data: bytes) -> list[tuple[int, int, str]]:
    """A PDF with actions a browser's viewer could run (script, launching files, sending forms)."""
    import pikepdf  # only when a site has a PDF; the build already depends on it

    try:
        with pikepdf.open(_BytesFile(data)) as document:
            found = sorted(
                {
                    key
                    for item in document.objects
                    if isinstance(item, pikepdf.Dictionary)
                    for key in _pdf_names(item)
                    if key in _PDF_ACTIONS
                }
            )
    except pikepdf.PdfError:
        return [(1, 1, "this is not a PDF that can be read: it cannot be checked")]
    return [(1, 1, f"a PDF holds {key[1:]} (an action a viewer could run)") for key in found]


def _pdf_names(item) -> set[str]:
    names = set(item.keys())
    for key in ("/S", "/Type"):
        value = item.get(key)
        if value is not None and str(value).startswith("/"):
            names.add(str(value))
    return names


def _BytesFile(data: bytes):
    import io

    return io.BytesIO(data)


class _PageReader(HTMLParser):
    """Judge a page's inline SVG, its links' words against their addresses, and its e-mail
    addresses (every one shown must be a mailto: link to it)."""

    # Not read as running text: code, and what is never shown as words.
    _INVISIBLE = frozenset(
        {"script", "style", "template", "noscript", "title", "textarea", "code", "pre"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []
        self._svg_depth = 0
        self._svg_style: tuple[int, int, list[str]] | None = None
        self._link: tuple[int, int, str, list[str]] | None = None
        self._hidden: list[str] = []

    def _here(self, what: str) -> None:
        line, column = self.getpos()
        self.found.append((line, column + 1, what))

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "svg" or self._svg_depth:
            self._svg_depth += tag not in _VOID
            for what in documents.svg_element_findings(tag, attributes):
                self._here(f"a drawing holds {what}")
            if tag == "style":
                line, column = self.getpos()
                self._svg_style = (line, column + 1, [])
        if tag in self._INVISIBLE:
            self._hidden.append(tag)
        if tag == "a" and "href" in attributes:
            line, column = self.getpos()
            href = attributes["href"]
            problem = address_problem(href)
            if problem:
                self.found.append((line, column + 1, problem))
            self._link = (line, column + 1, href, [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self._svg_depth and tag not in _VOID:
            self._svg_depth -= 1

    def handle_endtag(self, tag):
        if self._svg_depth:
            self._svg_depth -= 1
            if tag == "style" and self._svg_style is not None:
                line, column, text = self._svg_style
                for what in documents.css_findings("".join(text)):
                    self.found.append((line, column, f"a drawing holds {what} in <style>"))
                self._svg_style = None
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()
        if tag == "a" and self._link is not None:
            line, column, href, words = self._link
            problem = words_problem(" ".join(words), href)
            if problem:
                self.found.append((line, column, problem))
            self._link = None

    def handle_data(self, data):
        if self._svg_style is not None:
            self._svg_style[2].append(data)
        if self._hidden:
            return
        if self._link is not None:
            self._link[3].append(data)
            return
        for match in EMAIL.finditer(data):
            line, column = self.getpos()
            before = data[: match.start()]
            if "\n" in before:
                line, column = line + before.count("\n"), len(before) - before.rfind("\n") - 1
            else:
                column += len(before)
            address = match.group()
            message = f"the e-mail address {address} is shown but is not a link: write it as a "
            self.found.append((line, column + 1, message + f"mailto:{address} link"))


_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


def judge_page(html: str) -> list[tuple[int, int, str]]:
    """What in a built page misleads or loads what it should not (its scripts are csp's to judge)."""
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.found
