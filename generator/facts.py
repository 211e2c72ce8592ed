"""Fill {placeholders} in editors' text from facts written once elsewhere: text + facts -> text.

A placeholder is a name in single braces, such as `{upper_age}` or `{criterion.age}`. Anything else in
braces (including template syntax such as `{{ x }}` or `{% x %}`) is left alone as ordinary text, so no
editor's text is ever run as a template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}")


def join_words(items: Sequence[str], conjunction: str = "and", serial_comma: bool = False) -> str:
    """'a', 'a and b', 'a, b and c' (or 'a, b, and c' with the serial comma)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    comma = "," if serial_comma else ""
    return f"{', '.join(items[:-1])}{comma} {conjunction} {items[-1]}"


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def fill_placeholders(text: str, facts: Mapping[str, str]) -> tuple[str, list[str]]:
    """Return the text with known placeholders filled, and the names of unknown ones."""
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in facts:
            return facts[name]
        unknown.append(name)
        return match.group(0)

    return PLACEHOLDER.sub(replace, text), unknown


def describe_known(facts: Mapping[str, str], near: str) -> str:
    """A short list of the placeholder names an editor could have meant."""
    import difflib

    names = sorted(facts)
    close = difflib.get_close_matches(near, names, n=3, cutoff=0.5)
    if close:
        return "did you mean " + join_words([f"{{{n}}}" for n in close], "or") + "?"
    return "known: " + ", ".join(f"{{{n}}}" for n in names)
