"""Judge SVG and XML as a browser would read them: bytes -> what in them could run, fetch or mislead.

Read with a real XML parser (expat), never with regular expressions, so what is judged is what a
browser builds. The same element rules (`svg_element_findings`) judge a `.svg` file, an SVG inside
an HTML page (the pathway diagram) and an editor's logo. An editor's SVG logo must moreover keep to
a small allow-list of drawing elements and attributes (`judge_svg_logo`): anything else is refused
with its line and column rather than cleaned, so what is published is exactly the file in the
repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Namespaces a browser renders or runs in any XML file: a page, a drawing, formulas, a transform,
# links and inclusions. A file of plain data (a sitemap) uses none of them.
RENDERED_NAMESPACES = {
    "http://www.w3.org/1999/xhtml": "HTML",
    SVG_NS: "SVG",
    "http://www.w3.org/1998/Math/MathML": "MathML",
    "http://www.w3.org/1999/XSL/Transform": "XSLT",
    XLINK_NS: "XLink",
    "http://www.w3.org/2001/XInclude": "XInclude",
}
_SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_IGNORED_IN_URLS = re.compile(r"[\t\n\r\x00-\x1f]")
# What CSS can fetch or run: an import, a font, any url() or image-set() not to this document, and
# old browsers' expression() and behavior. Read on CSS with its comments and escapes removed.
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}\s?|.)")
_CSS_FETCH = re.compile(
    r"@import|@font-face|expression\s*\(|behavior\s*:|-moz-binding", re.IGNORECASE
)
_CSS_URL = re.compile(r"(?:url|image-set|image|src)\s*\(\s*(['\"]?)([^)'\"]*)\1", re.IGNORECASE)

# The allow-list for an editor's SVG logo: shapes, text, paint and grouping.
LOGO_ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "title",
        "desc",
        "defs",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "symbol",
        "use",
    ]
)
LOGO_ATTRIBUTES = frozenset(
    [
        "id",
        "class",
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "clip-path",
        "clip-rule",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "letter-spacing",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "fx",
        "fy",
        "clipPathUnits",
        "preserveAspectRatio",
        "version",
        "role",
        "aria-label",
        "aria-hidden",
        "focusable",
        "href",
        "dx",
        "dy",
        "xml:space",
        "visibility",
        "display",
    ]
)


@dataclass(frozen=True)
class Finding:
    """One thing in a document that may not be published, where it starts (1-based)."""

    line: int
    column: int
    what: str


def css_findings(css: str) -> list[str]:
    """What in a piece of CSS (a <style> element or a style attribute) could fetch or run."""
    plain = _CSS_ESCAPE.sub(lambda m: _unescape_css(m.group(1)), _CSS_COMMENT.sub("", css))
    found = [f"CSS that fetches or runs ({m.group().strip()})" for m in _CSS_FETCH.finditer(plain)]
    for match in _CSS_URL.finditer(plain):
        if not match.group(2).strip().startswith("#"):
            found.append(f"CSS that loads another file ({match.group(2).strip()[:60] or 'url()'})")
    return found


def _unescape_css(escape: str) -> str:
    digits = escape.strip()
    if re.fullmatch(r"[0-9a-fA-F]{1,6}", digits):
        code = int(digits, 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return escape


def _is_reference_attribute(name: str) -> bool:
    return name in ("href", f"{XLINK_NS} href", "xlink:href", "src")


def svg_element_findings(name: str, attributes: dict[str, str]) -> list[str]:
    """What one SVG element (its local name, and attributes by name) may not carry when published.

    No script, no foreignObject (HTML inside a drawing), no event handler, no script address, no
    reference to anything outside the drawing itself (href, xlink:href, src), no animation that sets
    an address, and no CSS that fetches or runs."""
    local = name.rsplit(" ", 1)[-1]
    found = []
    if local.lower() == "script":
        found.append("a <script> element")
    if local.lower() == "foreignobject":
        found.append("a <foreignObject> element (HTML inside a drawing)")
    if local.lower() in ("set", "animate") and _is_reference_attribute(
        (attributes.get("attributeName") or attributes.get("attributename") or "").strip()
    ):
        found.append(f"a <{local}> element that changes a link's address")
    for attribute, value in attributes.items():
        short = attribute.rsplit(" ", 1)[-1]
        cleaned = _IGNORED_IN_URLS.sub("", value)
        if short.lower().startswith("on"):
            found.append(f"an event-handler attribute {short}= on <{local}>")
        elif _SCRIPT_URL.match(cleaned) and not cleaned.lower().lstrip().startswith("data"):
            found.append(f"a script address in {short}= on <{local}>")
        elif _is_reference_attribute(attribute) and not cleaned.strip().startswith("#"):
            found.append(
                f"a reference to another file in {short}= on <{local}> ({cleaned.strip()[:60]})"
            )
        elif short.lower() == "style":
            found += [f"{what} in style= on <{local}>" for what in css_findings(value)]
    return found


class _XmlReader:
    """Read a document with expat and collect findings; subclasses judge its elements."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._parser = expat.ParserCreate(namespace_separator=" ")
        parser = self._parser
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.ProcessingInstructionHandler = self._instruction
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.ExternalEntityRefHandler = lambda *args: 0  # never fetched

    def _here(self, what: str) -> None:
        self.findings.append(
            Finding(self._parser.CurrentLineNumber, self._parser.CurrentColumnNumber + 1, what)
        )

    def _doctype(self, *args) -> None:
        self._here("a document type declaration (<!DOCTYPE ...>), which can define entities")

    def _entity(self, *args) -> None:
        self._here("an entity declaration (<!ENTITY ...>)")

    def _instruction(self, target: str, data: str) -> None:
        what = "a stylesheet instruction" if target == "xml-stylesheet" else "an instruction"
        self._here(f"{what} (<?{target} ...?>)")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        raise NotImplementedError

    def _end(self, name: str) -> None:
        pass

    def _text(self, data: str) -> None:
        pass

    def read(self, data: bytes) -> list[Finding]:
        try:
            self._parser.Parse(data, True)
        except expat.ExpatError as error:
            message = expat.ErrorString(error.code)
            self.findings.append(
                Finding(error.lineno, error.offset + 1, f"this is not well-formed XML ({message})")
            )
        return self.findings


class _SvgReader(_XmlReader):
    def __init__(self, logo: bool) -> None:
        super().__init__()
        self._logo = logo
        self._style: list[str] | None = None
        self._style_at = (0, 0)

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace != SVG_NS:
            kind = RENDERED_NAMESPACES.get(namespace, namespace or "no namespace")
            self._here(f"an element <{local}> that is not SVG ({kind})")
            return
        for what in svg_element_findings(name, attributes):
            self._here(what)
        if local == "style":
            self._style = []
            self._style_at = (self._parser.CurrentLineNumber, self._parser.CurrentColumnNumber + 1)
        if self._logo:
            self._judge_logo(local, attributes)

    def _judge_logo(self, local: str, attributes: dict[str, str]) -> None:
        if local not in LOGO_ELEMENTS and local not in ("style", "script", "foreignObject"):
            self._here(f"an element <{local}>, which a logo may not use")
        if local == "style":
            self._here(
                "a <style> element: a logo may set its colours only with attributes such as "
                'fill="#1d70b8"'
            )
        for attribute in attributes:
            namespace, _, short = attribute.rpartition(" ")
            shown = {XLINK_NS: "xlink:", XML_NS: "xml:"}.get(namespace, "") + short
            if shown == "style":
                self._here(
                    "a style= attribute: a logo may set its colours only with attributes such as "
                    'fill="#1d70b8"'
                )
            elif shown not in LOGO_ATTRIBUTES | {"xlink:href"} and not shown.startswith("on"):
                self._here(f"an attribute {shown}= on <{local}>, which a logo may not use")

    def _end(self, name: str) -> None:
        if name.rpartition(" ")[2] == "style" and self._style is not None:
            line, column = self._style_at
            for what in css_findings("".join(self._style)):
                self.findings.append(Finding(line, column, f"{what} in <style>"))
            self._style = None

    def _text(self, data: str) -> None:
        if self._style is not None:
            self._style.append(data)


def judge_svg(data: bytes) -> list[Finding]:
    """Everything in an SVG file that could run, fetch or show what is not in it."""
    return _SvgReader(logo=False).read(data)


def judge_svg_logo(data: bytes) -> list[Finding]:
    """`judge_svg`, and everything outside the logo's allow-list (LOGO_ELEMENTS, LOGO_ATTRIBUTES)."""
    return _SvgReader(logo=True).read(data)


class _DataReader(_XmlReader):
    def _start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace in RENDERED_NAMESPACES:
            self._here(
                f"an element <{local}> in the {RENDERED_NAMESPACES[namespace]} namespace, which a "
                "browser would show or run"
            )
        for attribute in attributes:
            space, _, short = attribute.rpartition(" ")
            if space in RENDERED_NAMESPACES:
                self._here(
                    f"an attribute {short}= in the {RENDERED_NAMESPACES[space]} namespace on <{local}>"
                )


def judge_xml(data: bytes) -> list[Finding]:
    """Everything in an XML file of data (a sitemap) that a browser would show as a page or run:
    a stylesheet instruction, a document type, or any element of HTML, SVG, MathML or XSLT."""
    return _DataReader().read(data)
