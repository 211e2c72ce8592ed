"""Editors' Markdown as the HTML it is published as: text -> sanitised HTML, for a web page or a PDF.

One Markdown configuration for every page, the checker, the form and the PDFs, so an editor's text
reads the same everywhere, followed by one allow-list sanitiser (`generator.text.sanitiser`). The
sanitiser runs on the text as it is published: placeholders are filled in before it is called, so
markup cannot be assembled from pieces that each looked harmless.

`generator.sources.textsafety` compares what Markdown makes of a text with what the sanitiser keeps, and
reports any difference to the editor as a located problem; a build refuses such sources, and the
sanitiser still runs on everything a build publishes, so a page never depends on that check alone.
"""

from __future__ import annotations

import html
import re
import threading
from typing import Literal
from xml.etree import ElementTree

import markdown
import markdown.extensions
import markdown.treeprocessors
import markdown.util
from markupsafe import Markup

from generator.text.escaping import inert_to_markdown
from generator.text.links import EMAIL
from generator.text.sanitiser import URL_SCHEMES, sanitise_html

Target = Literal["web", "pdf"]

# A link to another page is written as its source page, `pathway.md` or `checker/index.md#top`.
_PAGE_LINK = re.compile(r"^(?P<page>[a-z0-9][a-z0-9_/-]*)\.md(?P<fragment>#[A-Za-z0-9_-]*)?$")


def render_markdown(text: str, target: Target = "web", to_root: str = "") -> Markup:
    """An editor's Markdown (placeholders already filled) as sanitised HTML.

    `to_root` leads from the page the text is on to the site's root, for links to other pages; in
    a PDF such links keep their words but are not links (they would point at the building machine).
    """
    return Markup(inert_to_markdown(sanitise_html(markdown_to_html(text, target, to_root))))


def markdown_to_html(text: str, target: Target = "web", to_root: str = "") -> str:
    """What Markdown makes of the text, before sanitising: for comparison by the text check."""
    # One converter per target and page depth, reset between texts: building a Markdown instance
    # costs more than converting a short text, and a site converts tens of thousands of them.
    # Per thread, since a converter holds the state of the text it is converting.
    converters = _converters.__dict__.setdefault("by_place", {})
    converter = converters.get((target, to_root))
    if converter is None:
        converter = converters[(target, to_root)] = markdown.Markdown(
            extensions=["sane_lists", _PageLinks(target=target, to_root=to_root)],
            output_format="html",
        )
    return converter.reset().convert(text).strip()


_converters = threading.local()


class _PageLinkProcessor(markdown.treeprocessors.Treeprocessor):
    """Point links to other pages (`pathway.md`) at their published address, or, in a PDF, keep only
    their words; links to the web, an e-mail address or a phone number stay as written."""

    def __init__(self, md, target: Target, to_root: str):
        super().__init__(md)
        self.target = target
        self.to_root = to_root

    def run(self, root):
        for element in root.iter("a"):
            # Markdown hides e-mail autolinks behind character references; read them as a browser would.
            href = html.unescape(element.get("href", "").replace(markdown.util.AMP_SUBSTITUTE, "&"))
            href = href.strip()
            page = _PAGE_LINK.match(href)
            if self.target == "pdf" and not href.lower().startswith(_LINK_PREFIXES):
                element.tag = "span"
                element.attrib.pop("href", None)
                element.attrib.pop("title", None)
            elif page:
                address = self.to_root + published_url(page["page"]) + (page["fragment"] or "")
                element.set("href", address)


_LINK_PREFIXES = tuple(f"{scheme}:" for scheme in sorted(URL_SCHEMES))


class _PageLinks(markdown.extensions.Extension):
    def __init__(self, target: Target, to_root: str):
        super().__init__()
        self.target = target
        self.to_root = to_root

    def extendMarkdown(self, md):
        processor = _PageLinkProcessor(md, self.target, self.to_root)
        md.treeprocessors.register(processor, "page_links", 0)
        md.treeprocessors.register(_EmailLinks(md), "email_links", 1)


class _EmailLinks(markdown.treeprocessors.Treeprocessor):
    """Make every e-mail address written in the text a mailto: link to it, so a reader can always
    write to an address they see (and the post-build scan refuses one that is not a link)."""

    _LEAVE = frozenset({"a", "code", "pre"})

    def run(self, root):
        self._link_in(root)

    def _link_in(self, element):
        if element.tag in self._LEAVE:
            return
        children = list(element)
        element.text = self._split(element, element.text, 0)
        for child in children:
            self._link_in(child)
            child.tail = self._split(element, child.tail, list(element).index(child) + 1)

    @staticmethod
    def _split(parent, text, index):
        """Keep the text before the first address; put a link (its tail the text after) for each."""
        if not text or not EMAIL.search(text):
            return text
        pieces = EMAIL.split(text)
        addresses = EMAIL.findall(text)
        for offset, address in enumerate(addresses):
            link = ElementTree.Element("a", {"href": f"mailto:{address}"})
            link.text, link.tail = address, pieces[offset + 1]
            parent.insert(index + offset, link)
        return pieces[0]


def published_url(page: str) -> str:
    """`pathway` -> `pathway/`, `checker/index` -> `checker/`, `index` -> `./`: directory URLs, as
    every engine we build with writes them."""
    if page == "index":
        return "./"
    if page.endswith("/index"):
        return page[: -len("index")]
    return page + "/"
