"""Keep text inert where an engine reads Markdown: text or sanitised HTML -> the same with every
character Markdown could read as markup written as a character reference."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Characters that can start Markdown markup anywhere in a line, and a tag as the sanitiser writes it
# (attribute values always in double quotes).
MARKDOWN_ANYWHERE = re.compile(r"[\\`*{}\[\]|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')


def inert_to_markdown(fragment: str) -> str:
    """Write the characters Markdown reads as markup as character references in the text.

    The HTML goes into Markdown pages, and an engine may read a paragraph inside a `markdown`
    block again (md_in_html), where an escaped `\\[x](javascript:...)` or `{ #id }` would become a
    link or an attribute after all; browsers show the references as the characters."""
    parts = _TAG.split(fragment)
    for index in range(0, len(parts), 2):  # the text between tags
        parts[index] = MARKDOWN_ANYWHERE.sub(lambda m: f"&#{ord(m.group())};", parts[index])
    return "".join(parts)


# Markdown's characters are written as character references (MARKDOWN_ANYWHERE, shared with the
# sanitised HTML), which Markdown passes through as text and browsers show as the character;
# backslash escapes would show inside the raw HTML blocks templates also write into.
# These matter only where a line starts (a heading, a list, a quote, a setext line, an
# admonition, a definition): a value may be written at the start of a template's line.
_MARKDOWN_LINE_START = re.compile(r"^(?:[#>+=!:-]|\d+(?=[.)]))")


def escape_markdown(text) -> Markup:
    """An editor's plain text (a label, a title) for a Markdown page: shown exactly as typed.

    HTML-escaped as autoescaping does, with every character Markdown could read as markup written
    as a character reference, and white space folded, so a value can neither make an element nor
    end the line it is written into (an attribute list, a list item, a heading)."""
    if isinstance(text, Markup):
        return text
    # White space folded as HTML folds it: no line break, and no indent that makes a code block.
    escaped = str(escape(" ".join(str(text).split())))

    def reference(match: re.Match) -> str:
        return "".join(f"&#{ord(c)};" for c in match.group())

    escaped = _MARKDOWN_LINE_START.sub(reference, escaped)
    return Markup(MARKDOWN_ANYWHERE.sub(reference, escaped))
