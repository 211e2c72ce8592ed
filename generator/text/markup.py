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
from typing import Literal

import markdown
import markdown.extensions
import markdown.treeprocessors
import markdown.util
from markupsafe import Markup

from generator.text.escaping import inert_to_markdown
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
    converter = markdown.Markdown(
        extensions=["sane_lists", _PageLinks(target=target, to_root=to_root)],
        output_format="html",
    )
    return converter.convert(text).strip()


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


def published_url(page: str) -> str:
    """`pathway` -> `pathway/`, `checker/index` -> `checker/`, `index` -> `./`: directory URLs, as
    every engine we build with writes them."""
    if page == "index":
        return "./"
    if page.endswith("/index"):
        return page[: -len("index")]
    return page + "/"
