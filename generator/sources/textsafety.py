"""Refuse text that could run code or disguise itself once published: text -> plain reasons.

Two checks, both located by the caller:
- `check_text` reads each text of a source as written: its length and invisible characters
  (direction overrides, control characters) that make text read differently from what it says;
- `markup_problem` reads a text as it is published, placeholders filled in: Markdown renders it,
  the allow-list sanitiser (`generator.text.sanitiser`) cleans it, and whatever the sanitiser would remove
  is explained in plain words. The build publishes the sanitised HTML only, so this check tells
  editors what would be lost rather than standing between a page and a script on its own.
Template syntax such as `{{ x }}` needs no check: editors' text is never rendered as a template.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from generator.problems import Problem
from generator.sources.yamlsource import YamlDocument
from generator.text.links import address_problem, promised, words_problem
from generator.text.markup import markdown_to_html
from generator.text.sanitiser import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    html_tokens,
    sanitise_html,
)

MAX_TEXT = 10_000  # characters in one text; the longest guide section is under 1,500
# ... and once its placeholders are filled in: a bound on the work one text can cause.
MAX_PUBLISHED = 50_000

# A browser decodes entities and drops tabs, newlines and control characters before it reads a
# scheme, so "&#106;avascript:" and "java<newline>script:" are javascript: links.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([^/?#]*?):")
# Bidirectional overrides, embeddings, isolates and marks: they can make text read differently from
# what it is ("Trojan Source"). Plain right-to-left text needs none of them. The same set as the
# submission schema refuses (rules/form_schema.py).
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_OTHER_CONTROLS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")


def check_text(document: YamlDocument) -> Iterator[Problem]:
    """Every text in the document that is too long or holds invisible controls, located."""
    yield from _walk(document, document.data, ())


def _walk(document, value, path) -> Iterator[Problem]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(document, item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(document, item, path + (index,))
    elif isinstance(value, str):
        message = text_problem(value)
        if message:
            yield Problem(document.where(path), message)


def text_problem(text: str) -> str | None:
    """Why this text, as written, cannot be published, or None."""
    if len(text) > MAX_TEXT:
        return f"this text is too long ({len(text):,} characters; the limit is {MAX_TEXT:,})"
    control = _BIDI_CONTROLS.search(text)
    if control:
        return (
            f"this text contains an invisible direction control character (U+{ord(control.group()):04X}) "
            "that can make text display differently from what it says; delete it"
        )
    control = _OTHER_CONTROLS.search(text)
    if control:
        return f"this text contains an invisible control character (U+{ord(control.group()):04X}); delete it"
    return None


def markup_problem(text: str, plain: bool = False) -> str | None:
    """What the sanitiser would remove from this text as published (placeholders filled), or None.

    Every text is judged this way, whether it is published as Markdown (a guide section) or as plain
    text (a title, which is escaped anyway), so the same words are refused in every field. A text
    published as plain words (`plain`) may not name an e-mail address or a website either
    (`plain_words_problem`)."""
    if len(text) > MAX_PUBLISHED:
        return (
            f"with its placeholders filled in, this text is too long ({len(text):,} characters; "
            f"the limit is {MAX_PUBLISHED:,})"
        )
    tag = _tag_in_plain_text(text)
    if tag:
        return _HTML_MESSAGE.format(tag)
    rendered = markdown_to_html(text)
    if html_tokens(rendered) != html_tokens(sanitise_html(rendered)):
        return _describe_removal(rendered)
    return link_words_problem(rendered) or (plain_words_problem(text) if plain else None)


def plain_words_problem(text: str) -> str | None:
    """Why a text published as plain words cannot hold what it names, or None.

    Markdown makes an e-mail address a link, and the post-build scan refuses one shown without its
    link. Plain words (titles, labels, names) are never links, and the menu and buttons make some
    of them the words of a link to a page of this site: a website named there would mislead."""
    for promise in promised(text):
        if promise.kind == "mailto":
            return (
                f"the e-mail address {promise.host} would show here without its link: this text "
                "is plain words, not Markdown. Write the address in a Markdown text, such as a "
                "section's body"
            )
        return (
            f"the website {promise.host} cannot be named here: this text is plain words, and "
            "menus and buttons make such words a link to a page of this site. Name it in a "
            "Markdown text, as a link"
        )
    return None


def link_words_problem(rendered: str) -> str | None:
    """Why a link in this HTML says one place and leads to another, or None."""
    href, words = None, []
    for token in html_tokens(rendered):
        if token[:2] == ("start", "a"):
            href, words = dict(token[2]).get("href", ""), []
        elif token[:2] == ("end", "a") and href is not None:
            problem = words_problem(" ".join(words), href)
            if problem:
                return problem
            href = None
        elif token[0] == "text" and href is not None:
            words.append(token[1])
    return None


# Where a browser would start a tag, a comment or a declaration in text it reads as HTML.
_TAG_START = re.compile(r"<(/?[A-Za-z][^\s/>]*|!|\?)")
# What Markdown reads as a link to an address: the only tag-like shape a text may hold.
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s\"'`]+>|<[^<>\s\"'`=@/]+@[^<>\s\"'`=@/]+>")


def _tag_in_plain_text(text: str) -> str | None:
    """The first tag a browser would read in this text if an engine or theme wrote it unescaped.

    Themes write some texts into pages unescaped (MkDocs' navigation titles, for one), so a text is
    refused if it holds a tag in any reading, not only in Markdown's; Markdown's autolinks pass."""
    plain = _AUTOLINK.sub("", text)
    for match in _TAG_START.finditer(plain):
        name = match.group(1)
        if name == "!":
            return "<!--" if plain.startswith("<!--", match.start()) else "<!"
        return "<?" if name == "?" else f"<{name.lower()}>"
    return None


_HTML_MESSAGE = "HTML such as '{}' is not allowed in the text; write plain text or Markdown"


def _describe_removal(rendered: str) -> str:
    for token in html_tokens(rendered):
        kind = token[0]
        if kind in ("comment", "declaration"):
            return _HTML_MESSAGE.format("<!" + ("--" if kind == "comment" else ""))
        if kind != "start":
            continue
        tag, attributes = token[1], dict(token[2])
        if tag == "img":
            return (
                "images are not allowed in the text: the PDFs cannot show them, and an image from "
                "another website would tell that website who reads the guide"
            )
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return (
                f"a heading made with {'#' * int(tag[1])} is not allowed in the text: each "
                "section's title is its heading, so start a new section instead (a # that is "
                "not a heading needs a space or a word before it)"
            )
        if tag not in ALLOWED_TAGS:
            return _HTML_MESSAGE.format(f"<{tag}>")
        for name, value in attributes.items():
            if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                return _HTML_MESSAGE.format(f'<{tag} {name}="...">')
            if name == "href" and address_problem(html.unescape(value)):
                return address_problem(html.unescape(value))
            if name == "href":
                scheme = _SCHEME.match(_IGNORED_IN_URL.sub("", html.unescape(value)))
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    return (
                        f"a link to '{scheme.group(1)}:' is not allowed; links may only start with "
                        "https:, http:, mailto: or tel:, or point to another page of the guide"
                    )
    return "this text holds markup that cannot be published; write plain text or Markdown"
