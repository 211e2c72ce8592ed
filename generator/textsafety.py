"""Refuse text that could run code or disguise itself once published: document -> located problems.

Editors' text becomes HTML (through Markdown) and PDF. Markdown passes raw HTML through and its
attribute lists can add event handlers, so both are refused here, with the place and a plain reason,
rather than trusted to the Content-Security-Policy alone. Template syntax such as `{{ x }}` needs no
check: editors' text is never rendered as a template.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from generator.problems import Problem
from generator.yamlsource import YamlDocument

MAX_TEXT = 10_000  # characters in one text; the longest guide section is under 1,500

_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]+>|<[^<>\s@]+@[^<>\s]+>")
# Link targets as Markdown reads them: inline `[text](target)` and reference `[name]: target`.
_INLINE_LINK_TARGET = re.compile(r"\]\(([^)]*)")
_REFERENCE_LINK_TARGET = re.compile(r"^\s{0,3}\[[^\]]+\]:[ \t]*(\S*)", re.MULTILINE)
# A browser decodes entities and drops tabs, newlines and control characters before it reads a
# scheme, so "&#106;avascript:" and "java<newline>script:" are javascript: links.
_IGNORED_IN_URL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^<?([^/?#]*?):")
_IMAGE = re.compile(r"!\[[^\]]*\]\s*[(\[]")
_SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_ATTRIBUTE_LIST = re.compile(r"\{:?[^{}\n]*=[^{}\n]*\}|\{:[^{}\n]*\}|\{\s*[#.][^{}\n]*\}")
# Bidirectional overrides, embeddings and isolates: they can make text read differently from what it
# is ("Trojan Source"). Plain right-to-left text needs none of them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_OTHER_CONTROLS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")


def check_text(document: YamlDocument) -> Iterator[Problem]:
    """Every unsafe text in the document, located."""
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
    """Why this text cannot be published, or None."""
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
    without_autolinks = _AUTOLINK.sub("", text)
    tag = _HTML.search(without_autolinks)
    if tag:
        snippet = without_autolinks[tag.start() : tag.start() + 12].split("\n")[0]
        return f"HTML such as '{snippet}' is not allowed in the text; write plain text or Markdown"
    if _IMAGE.search(text):
        return (
            "images are not allowed in the text: the PDFs cannot show them, and an image from another "
            "website would tell that website who reads the guide"
        )
    for pattern in (_INLINE_LINK_TARGET, _REFERENCE_LINK_TARGET):
        for match in pattern.finditer(text):
            # The target ends at the first space; a title may follow it.
            target = _IGNORED_IN_URL.sub("", html.unescape(match.group(1))).strip().split(" ")[0]
            scheme = _SCHEME.match(target)
            if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
                return (
                    f"a link to '{scheme.group(1)}:' is not allowed; links may only start with "
                    "https:, http:, mailto: or tel:, or point to another page of the guide"
                )
    attributes = _ATTRIBUTE_LIST.search(text)
    if attributes:
        return (
            f"'{attributes.group()[:30]}' looks like a Markdown attribute list, which is not allowed in "
            "the text; remove the curly brackets"
        )
    return None
