"""Compile a form's rules into the flat table both interpreters run: Form -> rows.

`build_rules(form)` compiles the form's checks and the criteria of content/eligibility.yaml once
into a flat table of rows (check, field, value, message, when, priority); `generator.rules.interpret`
runs it in Python and the page's script (generator/static/js/form/rules.mjs) runs the same table,
so the page and `python -m generator validate` say the same words about the same answers. Each
interpreter has one entry per `check` in its `CHECKS` (CONTRIBUTING.md: "Adding a rule kind").
The table states what the submission schema (`generator.rules.form_schema`) states and what a
schema cannot: a date must be a real one, some dates cannot be in the future, a date of birth is
not after the referral, and a complete referral meets the criteria.
"""

from __future__ import annotations

from functools import lru_cache

from generator.model import Form, FormField
from generator.rules import interpret
from generator.rules.form_schema import (
    DATE_PATTERN,
    DATE_TIME_PATTERN,
    INVISIBLE_PATTERN,
    METADATA_KEYS,
    PATTERNS,
    STATUSES,
    max_length_of,
)
from generator.rules.messages import (
    FILE_MESSAGES,
    SAVED_AT_MESSAGE,
    UNKNOWN_MESSAGE,
    messages_for,
    quote_answers,
)

# A saved submission is a few kilobytes and nests three deep; anything beyond these is not one.
MAX_BYTES = 1_000_000
MAX_DEPTH = 32
# No list in one holds more answers than this: the page draws a box for each item of a group, and
# 60,000 items took it a minute (a form's own limit, such as 10 agencies, is a problem to list).
MAX_LIST = 1000

# When one answer breaks several rules, the first of these names the problem shown. Schema keywords
# come first; the rules the schema cannot state run only on answers the schema accepted.
PRIORITY = (
    "not",
    "additionalProperties",
    "type",
    "const",
    "enum",
    "uniqueItems",
    "maxLength",
    "maxItems",
    "invisible",
    "pattern",
    "minItems",
    "required",
    "item_type",
    "date",
    "future",
    "not_after",
    "criterion",
)

FILE_SECTION = "File"
# Where `validate` lists the criteria a complete referral does not meet.
CRITERIA_SECTION = "Criteria"


# --- The rules table, shared with the page -------------------------------------------------------


def _field_rules(form: Form, field: FormField, section: str) -> dict:
    """What the page needs to read, write and show a question (its checks are rows of `rules`)."""
    rules: dict[str, object] = {"section": section, "label": field.label, "type": field.type}
    if field.show_if is not None:
        rules["show_if"] = {"field": field.show_if.field, "values": list(field.show_if.values)}
    if field.type == "group":
        rules["item_name"] = field.item_name
        rules["max_items"] = field.max_items
        rules["order"] = [sub.id for sub in field.fields]
        rules["fields"] = {sub.id: _field_rules(form, sub, section) for sub in field.fields}
    return rules


def applies_when(form: Form, field: FormField) -> list[dict]:
    """The conditions under which `field` is asked: its `show_if` and every one above it, as the
    table's `when` conditions (the schema says the same with `form_schema.conditions_for`)."""
    conditions: list[dict] = []
    condition = field.show_if
    while condition is not None:
        controller = form.find_field(condition.field)
        if controller is None:  # the loader's cross-checks make this impossible
            raise ValueError(f"show_if of '{field.id}' names no field '{condition.field}'")
        entry = {"field": controller.id, "in": list(condition.values)}
        if controller.type == "checkboxes":
            entry["any"] = True
        conditions.insert(0, entry)
        condition = controller.show_if
    return conditions


_COMPLETE = {"field": "status", "in": ["complete"]}


def _field_rows(form: Form, field: FormField, name: str) -> list[tuple]:
    """(check, field, value, message key, when) for each check of one question; `name` is the
    question's key in the table: its id, or `group.*.id` inside a group's items."""
    messages = messages_for(form, field)
    rows: list[tuple] = []
    if field.show_if is not None:
        rows.append(("absent", name, applies_when(form, field), "not", []))
    if not field.optional:
        rows.append(("required", name, None, "required", [_COMPLETE, *applies_when(form, field)]))
    if field.type in ("text", "textarea", "email", "tel"):
        rows += [
            ("type", name, "string", "type", []),
            ("maxLength", name, max_length_of(field), "maxLength", []),
            # Characters a text answer must not hold, written once (form_schema.INVISIBLE_PATTERN).
            ("excludes", name, INVISIBLE_PATTERN, "invisible", []),
            ("pattern", name, field_pattern(field), "pattern", []),
        ]
    elif field.type == "date":
        rows += [
            ("type", name, "string", "type", []),
            ("pattern", name, DATE_PATTERN, "pattern", []),
            ("date", name, None, "date", []),
        ]
        if field.not_in_future:
            rows.append(("future", name, None, "future", []))
        if field.not_after:
            rows.append(("not_after", name, field.not_after, "not_after", []))
    elif field.type == "radios":
        rows.append(("enum", name, [o.id for o in field.options], "enum", []))
    elif field.type == "checkboxes":
        rows += [
            ("type", name, "array", "type", []),
            ("items_enum", name, [o.id for o in field.options], "enum", []),
            ("uniqueItems", name, None, "uniqueItems", []),
            ("minItems", name, 1, "minItems", []),
        ]
    else:  # group
        rows += [("type", name, "array", "type", []), ("minItems", name, 1, "minItems", [])]
        if field.max_items is not None:
            rows.append(("maxItems", name, field.max_items, "maxItems", []))
        rows += [
            ("type", f"{name}.*", "object", "item_type", []),
            ("known", f"{name}.*", [sub.id for sub in field.fields], "additionalProperties", []),
        ]
    worded = [
        (check, at, value, messages.get(key, UNKNOWN_MESSAGE), key, w)
        for check, at, value, key, w in rows
    ]
    for sub in field.fields:
        worded += _field_rows(form, sub, f"{name}.*.{sub.id}")
    return worded


def _criterion_rows(form: Form) -> list[tuple]:
    """One `criterion` row per criterion the form records: its conditions, each with the words for
    an answer that does not meet it and for one still missing."""
    rows = []
    for criterion in form.criteria:
        conditions = []
        for condition in criterion.met_when:
            field = form.find_field(condition.field)
            if field is None:  # the loader's cross-checks make this impossible
                raise ValueError(f"criterion '{criterion.id}' names no field '{condition.field}'")
            entry: dict[str, object] = {"field": field.id}
            question = f'"{field.label}"'
            if condition.values:
                entry["in"] = list(condition.values)
                if field.type == "checkboxes":
                    entry["any"] = True
                    wanted = quote_answers(field, condition.values)
                    entry["unmet"] = f"the answers to {question} do not include {wanted}"
                else:
                    entry["unmet"] = {
                        o.id: f"the answer to {question} is {quote_answers(field, (o.id,))}"
                        for o in field.options
                        if o.id not in condition.values
                    }
            elif condition.age_at_most is not None:
                on = form.find_field(condition.on_field)
                entry.update(age_at_most=condition.age_at_most, on_field=condition.on_field)
                # {age} is filled in by the interpreters with the age the answers give.
                entry["unmet"] = (
                    f"the answer to {question} gives an age of {{age}} on "
                    f"{on.error_name if on else condition.on_field}"
                )
            else:
                entry["answered"] = True
                entry["unmet"] = ""
            on = form.find_field(condition.on_field) if condition.on_field else None
            entry["missing"] = (
                f'{question} and "{on.label}" are not both answered yet'
                if on
                else f"{question} is not answered yet"
            )
            conditions.append(entry)
        if conditions:
            rows.append(
                (
                    "criterion",
                    f"criterion.{criterion.id}",
                    conditions,
                    criterion.name,
                    "criterion",
                    [_COMPLETE],
                    _criterion_extra(form, criterion),
                )
            )
    return rows


def _criterion_extra(form: Form, criterion) -> dict:
    """What a criterion's row adds to its conditions: its strength, the question for the reason a
    should is not met (`reason_field`, whose answer is the reason recorded), and `note`, the words
    both interpreters add to the message of a criterion not met: what "should" allows, and the
    service's reading (an inference, never the seed's words)."""
    extra: dict[str, object] = {"strength": criterion.strength}
    notes = []
    if criterion.strength == "should":
        reason = form.find_field(criterion.reason_field) if criterion.reason_field else None
        notes.append(
            f'The guide\'s word is "should" ("{criterion.strength_words}"), so the referral can '
            "still be made"
        )
        if reason is not None:
            extra["reason_field"] = reason.id
            notes.append(f'Record the reason in "{reason.label}"')
    if criterion.reading:
        notes.append(f"{READING_WORDS} {criterion.reading}")
    if notes:
        extra["note"] = ". ".join(notes) + "."
    return extra


# How every output introduces a criterion's `reading`: the service's inference, not the seed's words.
READING_WORDS = "The service reads this as:"


def field_pattern(field: FormField) -> str:
    """The pattern an answer to a text question must match (the schema's `pattern`)."""
    return PATTERNS[field.type]


def _compile_rows(form: Form) -> list[dict]:
    """Every check of the form and every criterion as flat rows, in the order both interpreters
    run them: by priority (the first problem an answer has is the one shown), then the form's."""
    meta = [
        ("required", "form", None, f'Add "form": "{form.id}"', "required", []),
        ("const", "form", form.id, f'Must be "{form.id}", the id of this form', "const", []),
        (
            "required",
            "status",
            None,
            'Add "status": "draft" or "status": "complete"',
            "required",
            [],
        ),
        ("enum", "status", list(STATUSES), 'Must be "draft" or "complete"', "enum", []),
        ("type", "saved_at", "string", SAVED_AT_MESSAGE, "type", []),
        ("pattern", "saved_at", DATE_TIME_PATTERN, SAVED_AT_MESSAGE, "pattern", []),
        (
            "known",
            "",
            list(METADATA_KEYS) + [f.id for f in form.all_fields()],
            UNKNOWN_MESSAGE,
            "additionalProperties",
            [],
        ),
    ]
    found = meta + [row for f in form.all_fields() for row in _field_rows(form, f, f.id)]
    found += _criterion_rows(form)
    rows = []
    for check, at, value, message, key, when, *extra in found:
        row: dict[str, object] = {"check": check, "field": at}
        if value is not None:
            row["value"] = value
        row["message"] = message
        if when:
            row["when"] = when
        row["priority"] = PRIORITY.index(key)
        for more in extra:
            row.update(more)
        rows.append(row)
    return sorted(rows, key=lambda row: row["priority"])


def _places(form: Form) -> dict[str, dict]:
    """Where each answer's problems are shown and sorted: section, question, group item name."""
    places: dict[str, dict] = {
        key: {"at": i, "section": FILE_SECTION, "label": key} for i, key in enumerate(METADATA_KEYS)
    }
    for section in form.sections:
        for field in section.fields:
            at = len(places) - sum(1 for k in places if "." in k)
            places[field.id] = {"at": at, "section": section.title, "label": field.label}
            if field.type == "group":
                places[field.id]["item"] = field.item_name
                places[f"{field.id}.*"] = {"at": at, "section": section.title, "label": ""}
                for j, sub in enumerate(field.fields):
                    places[f"{field.id}.*.{sub.id}"] = {
                        "at": at,
                        "sub": j,
                        "section": section.title,
                        "label": sub.label,
                    }
    for i, criterion in enumerate(form.criteria):
        places[f"criterion.{criterion.id}"] = {
            "at": interpret.CRITERIA_AT + i,
            "section": CRITERIA_SECTION,
            "label": criterion.name,
            # A should not met is a warning: the referral is accepted, with the reason recorded.
            "severity": "warning" if criterion.strength == "should" else "error",
        }
    return places


@lru_cache(maxsize=16)
def build_rules(form: Form) -> dict:
    """Return the JSON-ready table both interpreters run (`rules`, with `places` to say where each
    problem is), and what the page needs to read and write its questions (`order`, `fields`)."""
    fields: dict[str, dict] = {
        key: {"section": FILE_SECTION, "label": key, "type": "meta"} for key in METADATA_KEYS
    }
    for section in form.sections:
        for field in section.fields:
            fields[field.id] = _field_rules(form, field, section.title)
    return {
        "form": form.id,
        "statuses": list(STATUSES),
        "max_bytes": MAX_BYTES,
        "max_depth": MAX_DEPTH,
        "max_list": MAX_LIST,
        "file_messages": FILE_MESSAGES,
        "order": list(METADATA_KEYS) + [f.id for f in form.all_fields()],
        "fields": fields,
        "rules": _compile_rows(form),
        "places": _places(form),
    }
