"""Keep only what editors' HTML may hold: HTML -> HTML, with one allow-list (nh3, the binding of the
Rust `ammonia` crate), and HTML -> tokens, to compare what the sanitiser kept with what it was given.
"""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser

import nh3

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
