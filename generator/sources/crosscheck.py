"""Checks across parts of the sources that a schema cannot express: documents -> located problems.

References resolve, ids are unique, the form's conditions and shared answer lists exist and the
criteria name its questions; the two graphs (the checker, the pathway) are checked in `flowcheck`.
Each check is a generator of problems, so every problem is reported in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from generator.model import SUBMISSION_METADATA_KEYS
from generator.problems import WARNING, Problem
from generator.sources.assets import check_logo
from generator.sources.facts import fill_placeholders
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


def check_criteria_on_form(
    e_doc: YamlDocument, f_doc: YamlDocument, shared_lists: dict, facts: dict
) -> Iterator[Problem]:
    """Each criterion's `met_when` names form fields, answers and facts that exist."""
    lists = dict(shared_lists)
    lists.update(f_doc.data.get("option_lists", {}))
    fields = {}
    mains: dict[str, list[str]] = {}
    for section in f_doc.data["sections"]:
        for fld in section["fields"]:
            options = (
                lists.get(fld["options_from"], [])
                if "options_from" in fld
                else fld.get("options", [])
            )
            fields[fld["id"]] = (fld["type"], {o["id"] for o in options})
            mains[fld["id"]] = [o["id"] for o in options if o.get("main")]
    yield from _check_required(e_doc, f_doc)
    shown_if = {
        fld["id"]: fld.get("show_if")
        for section in f_doc.data["sections"]
        for fld in section["fields"]
    }
    for ci, criterion in enumerate(e_doc.data["criteria"]):
        yield from _check_reason_field(e_doc, ci, criterion, fields)
        if criterion.get("reason_field") in shown_if:
            yield from _check_reason_asked(e_doc, ci, criterion, fields, shown_if)
        for mi, condition in enumerate(criterion.get("met_when", [])):
            path = ("criteria", ci, "met_when", mi)
            name = condition["field"]
            if name not in fields:
                yield Problem(
                    e_doc.where(path + ("field",)),
                    f"criterion '{criterion['id']}' names field '{name}', which is not on the referral "
                    f"form ({known_names(fields, name)})",
                )
                continue
            kind, allowed = fields[name]
            if ("in" in condition or "main" in condition) and kind not in CHOICE_FIELDS:
                yield Problem(
                    e_doc.where(path + ("field",)),
                    f"field '{name}' has no fixed answers, so a criterion cannot name its answers",
                )
            if condition.get("main") and kind in CHOICE_FIELDS and not mains[name]:
                yield Problem(
                    e_doc.where(path + ("main",)),
                    f"this condition asks for a main answer, but no answer of field '{name}' is "
                    "marked main: write 'main: true' on the main item of the list the field offers",
                )
            for vi, value in enumerate(condition.get("in", [])):
                if kind in CHOICE_FIELDS and value not in allowed:
                    yield Problem(
                        e_doc.where(path + ("in", vi)),
                        f"'{value}' is not an answer of field '{name}' ({known_names(allowed, value)})",
                    )
            if "age_at_most" in condition:
                if not isinstance(facts.get(condition["age_at_most"]), int):
                    numeric = sorted(k for k, v in facts.items() if isinstance(v, int))
                    yield Problem(
                        e_doc.where(path + ("age_at_most",)),
                        f"age_at_most names fact '{condition['age_at_most']}', which is no number in "
                        f"content/eligibility.yaml ({known_names(numeric, condition['age_at_most'])})",
                    )
                for key in ("field", "on_field"):
                    other = condition[key]
                    if fields.get(other, ("",))[0] != "date":
                        yield Problem(
                            e_doc.where(path + (key,)),
                            f"age_at_most needs date fields, and '{other}' is not a date field on the referral form",
                        )


def _check_required(e_doc: YamlDocument, f_doc: YamlDocument) -> Iterator[Problem]:
    """A question is required because a criterion needs its answer, or because it says
    `required: true`. One that says neither is optional: a note says so at the question, since
    that is what removing a criterion (or a field from its `met_when`) does to it."""
    needed = {c["reason_field"] for c in e_doc.data["criteria"] if "reason_field" in c}
    for criterion in e_doc.data["criteria"]:
        for condition in criterion.get("met_when", []):
            needed |= {condition[k] for k in ("field", "on_field") if k in condition}
    for si, section in enumerate(f_doc.data["sections"]):
        for fi, fld in enumerate(section["fields"]):
            path = ("sections", si, "fields", fi)
            yield from _required_problems(f_doc, fld, path, fld["id"] in needed)
            for gi, sub in enumerate(fld.get("fields", [])):
                yield from _required_problems(f_doc, sub, path + ("fields", gi), False)


def _required_problems(doc: YamlDocument, fld: dict, path: tuple, needed: bool):
    label = fld["label"]
    if fld.get("required") and fld.get("optional"):
        yield Problem(
            doc.where(path + ("optional",)),
            f"'{label}' says both `required: true` and `optional: true`: keep one",
        )
    elif needed and fld.get("optional"):
        yield Problem(
            doc.where(path + ("optional",)),
            f"'{label}' is needed by a criterion in content/eligibility.yaml, so it is required: "
            "remove `optional: true`",
        )
    elif not needed and "required" not in fld and "optional" not in fld:
        yield Problem(
            doc.where(path + ("id",)),
            f"'{label}' is now optional: no criterion in content/eligibility.yaml needs its "
            "answer, and it does not say `required: true`. Write `required: true` to keep it "
            "required, or `optional: true` to say it may be left out",
            severity=WARNING,
        )


def _check_reason_asked(e_doc, ci: int, criterion: dict, fields: dict, shown_if: dict):
    """A should criterion's reason question is asked for every answer that does not meet it: a
    reason the form cannot record cannot be recorded."""
    reason, condition = criterion["reason_field"], shown_if[criterion["reason_field"]]
    if condition is None:
        return
    for mi, met in enumerate(criterion.get("met_when", [])):
        if met["field"] != condition["field"] or "in" not in met or met["field"] not in fields:
            continue
        unasked = sorted(fields[met["field"]][1] - set(met["in"]) - set(condition["in"]))
        if unasked:
            yield Problem(
                e_doc.where(("criteria", ci, "met_when", mi, "in")),
                f"criterion '{criterion['id']}' is not met by the answer "
                f"{', '.join(repr(a) for a in unasked)} to '{met['field']}', but its reason "
                f"question '{reason}' is not asked then: add the answer to that question's "
                "`show_if` in forms/referral.yaml, or to this list",
            )


def _check_reason_field(e_doc: YamlDocument, ci: int, criterion: dict, fields: dict):
    """A should criterion the form records names the question for the reason it is not met; a
    must criterion names none (a referral that does not meet it is refused, not explained)."""
    reason, cid = criterion.get("reason_field"), criterion["id"]
    if criterion["strength"] == "must" and reason is not None:
        yield Problem(
            e_doc.where(("criteria", ci, "reason_field")),
            f"criterion '{cid}' is a must, so a referral that does not meet it is refused and "
            "needs no reason: remove `reason_field`, or make the criterion a should",
        )
    elif criterion["strength"] == "should" and criterion.get("met_when") and reason is None:
        yield Problem(
            e_doc.where(("criteria", ci, "strength")),
            f"criterion '{cid}' is a should, so a referral that does not meet it is accepted if "
            "the reason is recorded: name the form's question for it as `reason_field`",
        )
    elif reason is not None and reason not in fields:
        yield Problem(
            e_doc.where(("criteria", ci, "reason_field")),
            f"criterion '{cid}' names field '{reason}' for its reason, which is not on the "
            f"referral form ({known_names(fields, reason)})",
        )


CHOICE_FIELDS = ("radios", "checkboxes")


def check_form(doc: YamlDocument, shared_lists: dict[str, list], facts: dict) -> Iterator[Problem]:
    """Fields have unique ids; option lists, conditions and age limits name things that exist."""
    data = doc.data
    lists = dict(shared_lists)
    lists.update(data.get("option_lists", {}))
    yield from unique_ids(doc, ("sections",), "section")
    seen: dict[str, tuple] = {}
    earlier: dict[str, dict] = {}
    for si, section in enumerate(data["sections"]):
        for fi, fld in enumerate(section["fields"]):
            path = ("sections", si, "fields", fi)
            yield from _check_field(doc, fld, path, seen, earlier, lists, facts)
            if fld["type"] == "group":
                inner_seen: dict[str, tuple] = {}
                for gi, sub in enumerate(fld.get("fields", [])):
                    sub_path = path + ("fields", gi)
                    if sub["type"] == "group":
                        yield Problem(
                            doc.where(sub_path + ("type",)), "a group cannot contain another group"
                        )
                    yield from _check_field(doc, sub, sub_path, inner_seen, {}, lists, facts)
    yield from _check_summary(doc, {k: v["type"] for k, v in earlier.items()})


def _check_summary(doc: YamlDocument, types: dict[str, str]) -> Iterator[Problem]:
    """The printed summary names questions of the form, and no group (it shows one answer each)."""
    summary = doc.data.get("summary") or {}
    named = [(("summary", "header", i), name) for i, name in enumerate(summary.get("header", []))]
    for key in ("rows", "flags"):
        named += [
            (("summary", key, i, "field"), item["field"])
            for i, item in enumerate(summary.get(key, []))
        ]
    for path, name in named:
        if name not in types:
            yield Problem(
                doc.where(path),
                f"the summary names '{name}', which is no question of the form "
                f"({known_names(types, name)})",
            )
        elif types[name] == "group":
            yield Problem(
                doc.where(path),
                f"the summary names '{name}', a group of questions: name one question instead",
            )


def _check_field(doc, fld, path, seen, earlier, lists, facts) -> Iterator[Problem]:
    fid = fld["id"]
    if fid in SUBMISSION_METADATA_KEYS:
        yield Problem(
            doc.where(path + ("id",)),
            f"the field id '{fid}' is kept for the saved file's own details "
            f"({', '.join(SUBMISSION_METADATA_KEYS)}); choose another id",
        )
    if fid in seen:
        first = doc.where(seen[fid] + ("id",))
        yield Problem(
            doc.where(path + ("id",)),
            f"the field id '{fid}' is used twice (first on line {first.line}); ids must be unique",
        )
    seen[fid] = path
    options = fld.get("options")
    if "options_from" in fld:
        if fld["options_from"] not in lists:
            yield Problem(
                doc.where(path + ("options_from",)),
                f"options_from names '{fld['options_from']}', which is no list of answers "
                f"({known_names(lists, fld['options_from'])})",
            )
        else:
            options = lists[fld["options_from"]]
    if fld.get("options"):
        yield from unique_ids(doc, path + ("options",), "option")
    condition = fld.get("show_if")
    if condition:
        target = earlier.get(condition["field"])
        if target is None:
            yield Problem(
                doc.where(path + ("show_if", "field")),
                f"show_if names field '{condition['field']}', which is not a field above this one "
                f"({known_names(earlier, condition['field'])})",
            )
        elif target["type"] not in CHOICE_FIELDS:
            yield Problem(
                doc.where(path + ("show_if", "field")),
                f"show_if names field '{condition['field']}', which has no fixed answers "
                "(only radios or checkboxes can control another question)",
            )
        else:
            allowed = {o["id"] for o in target["_options"] or []}
            for vi, value in enumerate(condition["in"]):
                if value not in allowed:
                    yield Problem(
                        doc.where(path + ("show_if", "in", vi)),
                        f"'{value}' is not an answer of field '{condition['field']}' ({known_names(allowed, value)})",
                    )
    after = fld.get("not_after")
    if after:
        if fld["type"] != "date":
            yield Problem(doc.where(path + ("not_after",)), "not_after only works on a date field")
        on = earlier.get(after)
        if on is None or on["type"] != "date":
            dates = sorted(k for k, v in earlier.items() if v["type"] == "date")
            yield Problem(
                doc.where(path + ("not_after",)),
                f"not_after names field '{after}', which is no date field above this one "
                f"({known_names(dates, after)})",
            )
    earlier[fid] = {"type": fld["type"], "_options": options}


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
    from generator.sources.facts import ask_fact, ask_texts

    phrases: list[
        tuple[str, str, str, str]
    ] = []  # (normalised words, placeholder, criterion, as written)

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
                for words, name, cid, written in phrases:
                    if said.startswith(words) and not said[len(words) : len(words) + 1].isalnum():
                        yield Problem(
                            doc.where(path),
                            f"this text states criterion '{cid}' by hand (\"{written}\"): write "
                            f"{{{name}}} instead, so that it follows the criterion",
                        )
                        return
                for words, cid, written in fragments:
                    if len(words.split()) >= 4 and words in said:
                        yield Problem(
                            doc.where(path),
                            f"this text states criterion '{cid}' by hand (\"{written}\"): write "
                            f'"must {{criterion.{cid}}}" instead, so that it follows the criterion',
                        )
                        return

    yield from walk(doc.data, ())


def _normalise(text: str) -> str:
    """Words as compared: lower case, one space between, no closing punctuation or Markdown stars."""
    words = " ".join(text.replace("*", "").split()).lower()
    return words.rstrip(".?!:; ")
