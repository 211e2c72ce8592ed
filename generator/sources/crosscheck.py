"""Checks across parts of the sources that a schema cannot express: documents -> located problems.

References resolve, ids are unique, dates and colours make sense, and no text states a criterion
by hand; the referral form against itself and the criteria is checked in `formcheck`, the two
graphs in `flowcheck` (the checker), `checker_criteria` (the checker against the criteria) and
`pathwaycheck`. Each check is a generator of problems, so every problem is reported in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from generator.problems import Problem
from generator.sources.assets import check_logo
from generator.sources.facts import ask_fact, ask_texts, fill_placeholders
from generator.sources.yamlsource import YamlDocument


def known_names(names, near: str | None = None) -> str:
    names = sorted(names)
    if near:
        close = difflib.get_close_matches(near, names, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'?"
    return "known: " + ", ".join(names) if names else "there are none"


def unique_ids(doc: YamlDocument, path: tuple, what: str) -> Iterator[Problem]:
    """Items of the list at `path` must have different ids."""
    seen: dict[str, int] = {}
    items = value_at(doc.data, path) or []
    for index, item in enumerate(items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            first = doc.where(path + (seen[item_id], "id"))
            yield Problem(
                doc.where(path + (index, "id")),
                f"the {what} id '{item_id}' is used twice (first on line {first.line}); ids must be unique",
            )
        else:
            seen[item_id] = index


def value_at(data, path: tuple):
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def check_eligibility(doc: YamlDocument) -> Iterator[Problem]:
    lists = doc.data["lists"]
    for name in lists:
        yield from unique_ids(doc, ("lists", name, "items"), f"'{name}'")
    yield from unique_ids(doc, ("criteria",), "criterion")


def check_service(doc: YamlDocument, root: Path | None = None) -> Iterator[Problem]:
    yield from unique_ids(doc, ("terms",), "term")
    yield from unique_ids(doc, ("contacts",), "contact")
    data = doc.data
    accessibility = data.get("accessibility")
    if isinstance(accessibility, dict):
        contacts = {c.get("id") for c in data.get("contacts", []) if isinstance(c, dict)}
        if accessibility.get("contact") not in contacts:
            yield Problem(
                doc.where(("accessibility", "contact")),
                f"unknown contact '{accessibility.get('contact')}'; "
                + known_names(contacts - {None}, accessibility.get("contact")),
            )
        if accessibility.get("compliance") == "fully" and accessibility.get("known_issues"):
            yield Problem(
                doc.where(("accessibility", "compliance")),
                "the website cannot be 'fully' compliant while known_issues lists problems: "
                "write 'partially', or empty the list once they are fixed",
            )
        if str(accessibility.get("last_reviewed")) < str(accessibility.get("prepared")):
            yield Problem(
                doc.where(("accessibility", "last_reviewed")),
                "the statement's last review is before the date it was prepared",
            )
    if root is not None:
        yield from check_logo(doc, root)
    colour = data.get("brand_colour")
    if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        ratio = contrast_ratio(colour, "#ffffff")
        if ratio < 4.5:
            yield Problem(
                doc.where(("brand_colour",)),
                f"white text on {colour} has a contrast of only {ratio:.1f}:1; choose a darker "
                "colour (at least 4.5:1)",
            )


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_guide(doc: YamlDocument) -> Iterator[Problem]:
    yield from unique_ids(doc, ("sections",), "section")
    sections = {s.get("id") for s in doc.data["sections"] if isinstance(s, dict)}
    for index, note in enumerate(doc.data.get("changes") or ()):
        for position, section in enumerate(note.get("home_sections") or ()):
            if section not in sections:
                yield Problem(
                    doc.where(("changes", index, "home_sections", position)),
                    f"unknown section '{section}'; " + known_names(sections - {None}, section),
                )
    dates = doc.data["dates"]
    if dates["next_review"] < dates["last_reviewed"]:
        yield Problem(
            doc.where(("dates", "next_review")),
            f"the next review ({dates['next_review']}) is before the last review ({dates['last_reviewed']})",
        )


def check_strength_words(
    doc: YamlDocument, guide: dict, facts: dict[str, str]
) -> Iterator[Problem]:
    """Each criterion's `strength_words` are the seed's: found in its own text or in the guide's
    sections, so a must or a should is never claimed from words the guide does not hold."""

    def plain(text: str) -> str:
        return " ".join(text.split()).casefold()

    sections = " | ".join(plain(s["body"]) for s in guide.get("sections", []))
    for i, c in enumerate(doc.data["criteria"]):
        words, _ = fill_placeholders(c["strength_words"], facts)
        text = facts.get(f"criterion.{c['id']}", c["text"])
        if plain(words) not in plain(text) and plain(words) not in sections:
            yield Problem(
                doc.where(("criteria", i, "strength_words")),
                f"criterion '{c['id']}': the words '{words}' are neither in its text nor in the "
                "guide's sections (content/guide.yaml); quote the seed's words that make it a "
                f"{c['strength']}",
            )


def check_criteria_stated_by_hand(
    doc: YamlDocument, e_doc: YamlDocument, facts: dict, not_text: set[str], with_texts: bool
) -> Iterator[Problem]:
    """Text that states a criterion by hand, where a placeholder would follow the criterion.

    A text (or a paragraph of one), as written before its placeholders are filled, is refused when
    it is a criterion's name, question or outcome title, or starts with one; with `with_texts`,
    also when it holds "must" followed by an eligibility criterion's words, or starts with a route
    criterion's sentence. The seed's own prose in the guide is left alone (`with_texts` off): only
    what we write in the criterion's own words is compared there.
    """
    # By first word: a paragraph is compared only with the phrases it could start with (each has
    # three words or more), so a service of many criteria and texts is checked in time.
    phrases: dict[str, list[tuple[str, str, str, str]]] = {}
    for phrase in _criterion_phrases(e_doc, facts, with_texts):
        phrases.setdefault(phrase[0].split(" ", 1)[0], []).append(phrase)
    fragments = [
        ("must " + _normalise(text), c["id"], "must " + str(facts.get(f"criterion.{c['id']}", "")))
        for c in e_doc.data["criteria"]
        if with_texts and c["kind"] == "eligibility"
        for text in dict.fromkeys((str(facts.get(f"criterion.{c['id']}", "")), c["text"]))
    ]

    def walk(value, path):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key not in not_text:
                    yield from walk(inner, path + (key,))
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                yield from walk(inner, path + (index,))
        elif isinstance(value, str):
            for paragraph in value.split("\n\n"):
                said = _normalise(paragraph)
                for words, name, cid, written in phrases.get(said.split(" ", 1)[0], ()):
                    if said.startswith(words) and not said[len(words) : len(words) + 1].isalnum():
                        yield Problem(
                            doc.where(path),
                            f"this text states criterion '{cid}' by hand (\"{written}\"): write "
                            f"{{{name}}} instead, so that it follows the criterion",
                        )
                        return
                for words, cid, written in fragments if "must " in said else ():
                    if len(words.split()) >= 4 and words in said:
                        yield Problem(
                            doc.where(path),
                            f"this text states criterion '{cid}' by hand (\"{written}\"): write "
                            f'"must {{criterion.{cid}}}" instead, so that it follows the criterion',
                        )
                        return

    yield from walk(doc.data, ())


def _criterion_phrases(
    e_doc: YamlDocument, facts: dict, with_texts: bool
) -> list[tuple[str, str, str, str]]:
    """What a text may not start with: (normalised words, placeholder, criterion, as published)
    for each criterion's name, question and outcome titles, and a route criterion's sentence."""
    phrases: list[tuple[str, str, str, str]] = []

    def add(name: str, cid: str, raw: str) -> None:
        # Both as published and as written: "aged {upper_age}" by hand is still by hand.
        value = str(facts.get(name, ""))
        for words in dict.fromkeys((_normalise(value), _normalise(raw))):
            if len(words.split()) >= 3:
                phrases.append((words, name, cid, value))

    for c in e_doc.data["criteria"]:
        cid = c["id"]
        add(f"criterion.{cid}.name", cid, c["name"])
        for path, raw in ask_texts(c):
            if path[0] in ("question", "titles"):
                add(ask_fact(cid, path), cid, raw)
        if with_texts and c["kind"] != "eligibility":
            add(f"criterion.{cid}", cid, c["text"])
    return phrases


def _normalise(text: str) -> str:
    """Words as compared: lower case, one space between, no closing punctuation or Markdown stars."""
    words = " ".join(text.replace("*", "").split()).lower()
    return words.rstrip(".?!:; ")
