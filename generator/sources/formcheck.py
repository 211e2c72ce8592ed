"""Checks of the referral form (forms/*.yaml) that a schema cannot express: documents -> problems.

The form against itself: field ids are unique, option lists, conditions and date limits name
questions above that exist, and the printed summary names questions. The criteria against the
form: each `met_when` and `reason_field` names questions and answers the form has, and a question
says whether it is required unless a criterion needs its answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import SUBMISSION_METADATA_KEYS
from generator.problems import WARNING, Problem
from generator.sources.crosscheck import known_names, unique_ids
from generator.sources.yamlsource import YamlDocument

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
    """One question: its id is free, and what it names (a list, a controlling question, an
    earlier date) exists above it. `seen` and `earlier` gather the questions so far."""
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
    if fld.get("show_if"):
        yield from _check_show_if(doc, fld["show_if"], path, earlier)
    if fld.get("not_after"):
        yield from _check_not_after(doc, fld, path, earlier)
    earlier[fid] = {"type": fld["type"], "_options": options}


def _check_show_if(doc, condition: dict, path: tuple, earlier: dict) -> Iterator[Problem]:
    """A question shown only for some answers names a choice question above it, and its answers."""
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


def _check_not_after(doc, fld: dict, path: tuple, earlier: dict) -> Iterator[Problem]:
    """A date not after another is a date, and the other is a date question above it."""
    after = fld["not_after"]
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


def check_criteria_on_form(
    e_doc: YamlDocument, f_doc: YamlDocument, shared_lists: dict, facts: dict
) -> Iterator[Problem]:
    """Each criterion's `met_when` names form fields, answers and facts that exist."""
    fields, mains = _answers_of_fields(f_doc, shared_lists)
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
            yield from _check_met_when(e_doc, path, criterion, condition, fields, mains, facts)


def _answers_of_fields(f_doc: YamlDocument, shared_lists: dict) -> tuple[dict, dict]:
    """Each top-level question's (type, answer ids), and the ids of its answers marked main."""
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
    return fields, mains


def _check_met_when(
    e_doc: YamlDocument, path: tuple, criterion: dict, condition: dict, fields, mains, facts
) -> Iterator[Problem]:
    """One condition of a criterion: its question is on the form, and what it asks of the
    answer (answers, a main answer, an age on a date) is what that question can give."""
    name = condition["field"]
    if name not in fields:
        yield Problem(
            e_doc.where(path + ("field",)),
            f"criterion '{criterion['id']}' names field '{name}', which is not on the referral "
            f"form ({known_names(fields, name)})",
        )
        return
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
