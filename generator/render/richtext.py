"""Editors' Markdown as the HTML it is published as: text -> sanitised HTML, for a web page or a PDF.

One Markdown configuration for every page, the checker, the form and the PDFs, so an editor's text
reads the same everywhere, followed by one allow-list sanitiser (nh3, the binding of the Rust
`ammonia` crate). The sanitiser runs on the text as it is published: placeholders are filled in
before it is called, so markup cannot be assembled from pieces that each looked harmless.

`generator.sources.textsafety` compares what Markdown makes of a text with what the sanitiser keeps, and
reports any difference to the editor as a located problem; a build refuses such sources, and the
sanitiser still runs on everything a build publishes, so a page never depends on that check alone.
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from typing import Literal

import markdown
import markdown.extensions
import markdown.treeprocessors
import markdown.util
import nh3
from markupsafe import Markup

Target = Literal["web", "pdf"]

# Exactly what our Markdown configuration makes of ordinary text: paragraphs, emphasis, lists,
# quotes, code and links. No images (a PDF cannot fetch them, and an image from another website
# would tell it who reads the guide), no raw HTML of any kind, and no headings: a section's title is
# its heading, and an engine gives a heading in a `markdown` block an id made from its words, which
# could be one the theme's scripts look up (`### __config` would break every page's scripts).
ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"https", "http", "mailto", "tel"})

# A link to another page is written as its source page, `pathway.md` or `checker/index.md#top`.
_PAGE_LINK = re.compile(r"^(?P<page>[a-z0-9][a-z0-9_/-]*)\.md(?P<fragment>#[A-Za-z0-9_-]*)?$")


def render_markdown(text: str, target: Target = "web", to_root: str = "") -> Markup:
    """An editor's Markdown (placeholders already filled) as sanitised HTML.

    `to_root` leads from the page the text is on to the site's root, for links to other pages; in
    a PDF such links keep their words but are not links (they would point at the building machine).
    """
    return Markup(_inert_to_markdown(sanitise_html(markdown_to_html(text, target, to_root))))


# Characters that can start Markdown markup anywhere in a line, and a tag as the sanitiser writes it
# (attribute values always in double quotes).
MARKDOWN_ANYWHERE = re.compile(r"[\\`*{}\[\]|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')


def _inert_to_markdown(fragment: str) -> str:
    """Write the characters Markdown reads as markup as character references in the text.

    The HTML goes into Markdown pages, and an engine may read a paragraph inside a `markdown`
    block again (md_in_html), where an escaped `\\[x](javascript:...)` or `{ #id }` would become a
    link or an attribute after all; browsers show the references as the characters."""
    parts = _TAG.split(fragment)
    for index in range(0, len(parts), 2):  # the text between tags
        parts[index] = MARKDOWN_ANYWHERE.sub(lambda m: f"&#{ord(m.group())};", parts[index])
    return "".join(parts)


def markdown_to_html(text: str, target: Target = "web", to_root: str = "") -> str:
    """What Markdown makes of the text, before sanitising: for comparison by the text check."""
    converter = markdown.Markdown(
        extensions=["sane_lists", _PageLinks(target=target, to_root=to_root)],
        output_format="html",
    )
    return converter.convert(text).strip()


def sanitise_html(fragment: str) -> str:
    """Keep only the allowed elements, attributes and link schemes; drop scripts with their text."""
    return _cleaner()(fragment)


@cache
def _cleaner():
    tags = set(ALLOWED_TAGS)
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    schemes = set(URL_SCHEMES)

    def clean(fragment: str) -> str:
        return nh3.clean(
            fragment,
            tags=tags,
            attributes=attributes,
            url_schemes=schemes,
            # Our own links need no rel; ammonia's default would add one the source never had.
            link_rel=None,
            strip_comments=True,
        )

    return clean


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


# --- What the sanitiser changed ------------------------------------------------------------------


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("text", data))

    def handle_comment(self, data):
        self.tokens.append(("comment", data))

    def handle_decl(self, decl):
        self.tokens.append(("declaration", decl))

    handle_pi = handle_unknown_decl = handle_decl


def html_tokens(fragment: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(fragment)
    parser.close()
    return parser.tokens
