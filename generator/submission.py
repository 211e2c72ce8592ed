"""Check a saved submission against its form: JSON answers -> every problem, worded from the labels.

`build_rules(form)` compiles the form's checks and the criteria of content/eligibility.yaml once
into a flat table of rows (check, field, value, message, when, priority); `generator.rules` runs it
here and the page's script (generator/static/js/referral-form.js) runs the same table, so the page
and `python -m generator validate` say the same words about the same answers. The table states what
the submission schema (`generator.render.form_schema`) states, which `jsonschema` is kept to check in the
tests, and what a schema cannot: a date must be a real one, some dates cannot be in the future, a
date of birth is not after the referral, and a complete referral meets the criteria.

A draft (`"status": "draft"`) is checked only for answers that are wrong, never for answers that are
missing, and its unmet criteria are listed as "not yet met", not as problems.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema

from generator import rules
from generator.model import Form, FormField
from generator.render.form_schema import (
    DATE_PATTERN,
    DATE_TIME_PATTERN,
    INVISIBLE_PATTERN,
    METADATA_KEYS,
    STATUSES,
    build_submission_schema,
    max_length_of,
)
from generator.sources import reading
from generator.sources.reading import FileRefused, read_regular_file

# A saved submission is a few kilobytes and nests three deep; anything beyond these is not one.
MAX_BYTES = 1_000_000
MAX_DEPTH = 32

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

FILE_MESSAGES = {
    "too_large": "This file is too large to be a saved form: the most allowed is 1 MB",
    "not_json": "This file is not a saved form: it is not valid JSON",
    "not_object": "This file is not a saved form: it holds JSON, but not a set of answers",
}
UNKNOWN_MESSAGE = "This is not a question on this form"
SAVED_AT_MESSAGE = "Must be a date and time, like 2026-03-27T14:05:00Z"
FILE_SECTION = "File"
# Where `validate` lists the criteria a complete referral does not meet.
CRITERIA_SECTION = "Criteria"
TEL_EXAMPLES = "01632 960 001, 07700 900 982 or +44 808 157 0192"


@dataclass(frozen=True)
class SubmissionProblem:
    """One thing wrong with a submission. `str()` gives `Section > Label: message`.

    `field_id` is the answer's key, dotted for an item of a group (`other_agencies.0.agency`);
    `item` names the group item ("Agency 1"). Problems with the file itself have no `field_id`.
    """

    field_id: str
    section: str
    label: str
    message: str
    item: str = ""

    def __str__(self) -> str:
        where = " > ".join(part for part in (self.section, self.item, self.label) if part)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {
            "field": self.field_id,
            "section": self.section,
            "item": self.item,
            "label": self.label,
            "message": self.message,
            "text": str(self),
        }


# --- The rules table, shared with the page -------------------------------------------------------


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def lowercase_first(text: str) -> str:
    """'Agency' -> 'agency', but 'GP surgery' stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def quote_answers(controller: FormField, values: tuple[str, ...]) -> str:
    """'"Yes"' or '"Yes" or "No"': the labels of answers to `controller`, as messages quote them."""
    labels = {o.id: o.label for o in controller.options}
    return " or ".join(f'"{labels.get(v, v)}"' for v in values)


def _not_applicable_message(form: Form, field: FormField) -> str:
    condition = field.show_if
    controller = form.find_field(condition.field) if condition else None
    if condition is None or controller is None:
        return ""
    answers = quote_answers(controller, condition.values)
    if controller.type == "checkboxes":
        return (
            f'This question does not apply because the answers to "{controller.label}" '
            f"do not include {answers}"
        )
    return (
        f'This question does not apply because the answer to "{controller.label}" is not {answers}'
    )


def _messages_for(form: Form, field: FormField) -> dict[str, str]:
    """What to say for each rule `field` can break, keyed by schema keyword or rule name."""
    name, named = field.error_name, _capitalise(field.error_name)
    enter, select = f"Enter {name}", f"Select {name}"
    # An empty answer where one could be left out: say both ways to put it right.
    or_leave_out = ", or leave the question out" if field.optional else ""
    if field.type in ("text", "textarea", "email", "tel"):
        formats = {
            "email": f"Enter {name} in the correct format, like name@example.com",
            "tel": f"Enter {name} in the correct format, like {TEL_EXAMPLES}",
        }
        messages = {
            "required": enter,
            "type": f"{named} must be text",
            "pattern": formats.get(field.type, enter + or_leave_out),
            "maxLength": f"{named} must be {max_length_of(field)} characters or fewer",
            "invisible": f"{named} must not contain invisible characters that change how text "
            "is shown",
        }
    elif field.type == "date":
        real = f"{named} must be a real date"
        messages = {"required": enter, "type": real, "pattern": real, "date": real}
        if field.not_in_future:
            messages["future"] = f"{named} must be today or in the past"
        if field.not_after:
            on = form.find_field(field.not_after)
            on_name = on.error_name if on else field.not_after
            messages["not_after"] = f"{named} must be the same as or before {on_name}"
    elif field.type == "radios":
        messages = {"required": select, "enum": select}
    elif field.type == "checkboxes":
        messages = {
            "required": select,
            "type": select,
            "enum": select,
            "uniqueItems": select,
            "minItems": select + or_leave_out,
        }
    else:  # group
        item = lowercase_first(field.item_name)
        messages = {
            "required": f"Add {name}",
            "type": f"{named} must be a list",
            "minItems": f"Add {name}{or_leave_out}",
            "maxItems": f"{named} must be {field.max_items} or fewer",
            "item_type": f"Each {item} must be a set of answers",
        }
    if field.show_if is not None:
        messages["not"] = _not_applicable_message(form, field)
    return messages


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
    messages = _messages_for(form, field)
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
                f'{question} and "{on.label}" are not both answered yet' if on
                else f"{question} is not answered yet"
            )
            conditions.append(entry)
        if conditions:
            rows.append(("criterion", f"criterion.{criterion.id}", conditions, criterion.name,
                         "criterion", [_COMPLETE]))
    return rows


def field_pattern(field: FormField) -> str:
    """The pattern an answer to a text question must match (the schema's `pattern`)."""
    from generator.render.form_schema import _PATTERNS

    return _PATTERNS[field.type]


def _compile_rows(form: Form) -> list[dict]:
    """Every check of the form and every criterion as flat rows, in the order both interpreters
    run them: by priority (the first problem an answer has is the one shown), then the form's."""
    meta = [
        ("required", "form", None, f'Add "form": "{form.id}"', "required", []),
        ("const", "form", form.id, f'Must be "{form.id}", the id of this form', "const", []),
        ("required", "status", None, 'Add "status": "draft" or "status": "complete"', "required", []),
        ("enum", "status", list(STATUSES), 'Must be "draft" or "complete"', "enum", []),
        ("type", "saved_at", "string", SAVED_AT_MESSAGE, "type", []),
        ("pattern", "saved_at", DATE_TIME_PATTERN, SAVED_AT_MESSAGE, "pattern", []),
        ("known", "", list(METADATA_KEYS) + [f.id for f in form.all_fields()], UNKNOWN_MESSAGE,
         "additionalProperties", []),
    ]
    found = meta + [row for f in form.all_fields() for row in _field_rows(form, f, f.id)]
    found += _criterion_rows(form)
    rows = []
    for check, at, value, message, key, when in found:
        row: dict[str, object] = {"check": check, "field": at}
        if value is not None:
            row["value"] = value
        row["message"] = message
        if when:
            row["when"] = when
        row["priority"] = PRIORITY.index(key)
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
                        "at": at, "sub": j, "section": section.title, "label": sub.label,
                    }
    for i, criterion in enumerate(form.criteria):
        places[f"criterion.{criterion.id}"] = {
            "at": rules.CRITERIA_AT + i, "section": CRITERIA_SECTION, "label": criterion.name,
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
        "file_messages": FILE_MESSAGES,
        "order": list(METADATA_KEYS) + [f.id for f in form.all_fields()],
        "fields": fields,
        "rules": _compile_rows(form),
        "places": _places(form),
    }


# --- Checking ------------------------------------------------------------------------------------

Path_ = tuple  # a path into the submission: keys and list indexes


@lru_cache(maxsize=16)
def _validator(form: Form) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(build_submission_schema(form))


def schema_errors(form: Form, data: dict) -> list[tuple[Path_, str]]:
    """Every error of the published schema, by `jsonschema`, as (path, keyword): the oracle the
    tests hold the rule table to (it no longer decides what `validate` says)."""
    found: list[tuple[Path_, str]] = []
    for error in _validator(form).iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "not" and "pattern" in error.validator_value:
            found.append((path, "invisible"))  # form_schema.INVISIBLE_PATTERN
        elif error.validator == "not":  # `not required`: an answer to a question not applying
            found.extend((path + (key,), "not") for key in error.validator_value["required"])
        elif error.validator == "required":
            found.extend(
                (path + (key,), "required")
                for key in error.validator_value
                if isinstance(error.instance, dict) and key not in error.instance
            )
        elif error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            found.extend(
                (path + (key,), "additionalProperties")
                for key in error.instance
                if key not in known
            )
        else:
            found.append((path, str(error.validator)))
    # jsonschema reports each missing key once per `required` list; keep one of each.
    return list(dict.fromkeys(found))


_schema_errors = schema_errors  # the name the tests knew


def _today_text(today: datetime.date | str | None) -> str:
    if today is None:
        return datetime.date.today().isoformat()
    return today if isinstance(today, str) else today.isoformat()


def _problem(table: dict, key: str, at: Path_, check: str, message: str) -> SubmissionProblem:
    """Word one problem the table found: where it is (section, group item, question) and what."""
    places = table["places"]
    if check == "criterion":
        return SubmissionProblem(key, CRITERIA_SECTION, places[key]["label"], message)
    place = places.get(".".join("*" if isinstance(p, int) else p for p in at))
    top = places.get(at[0]) if at and isinstance(at[0], str) else None
    item = f"{top['item']} {at[1] + 1}" if top is not None and len(at) > 1 else ""
    if place is None:  # an unknown key
        section = top["section"] if top is not None and len(at) > 1 else ""
        return SubmissionProblem(key, section, str(at[-1]), message, item)
    return SubmissionProblem(key, place["section"], place["label"], message, item)


def validate_submission(
    form: Form, data: object, today: datetime.date | str | None = None
) -> list[SubmissionProblem]:
    """Return every problem with `data` as a submission to `form`: one per answer, in form order,
    then each criterion a complete submission does not meet.

    `today` (a date or YYYY-MM-DD) is the day dates may not be after; it defaults to today.
    """
    if not isinstance(data, dict):
        return [SubmissionProblem("", "", "", FILE_MESSAGES["not_object"])]
    table = build_rules(form)
    return [_problem(table, *found) for found in rules.run(table, data, _today_text(today))]


def criteria_report(form: Form, data: Mapping, today: datetime.date | str | None = None) -> list[dict]:
    """Each criterion the form records, met (True), not met (False) or not known yet (None), with
    the answers that decided it: what a draft lists, the form page shows and the PDF prints."""
    table = build_rules(form)
    answers = dict(data) if isinstance(data, Mapping) else {}
    problems = rules.run(table, {**answers, "status": "draft"}, _today_text(today))
    return rules.criteria(table, answers, {key: True for key, *_ in problems})


def applicable_fields(form: Form, data: Mapping) -> tuple[FormField, ...]:
    """The top-level questions that apply given the answers in `data`, in the form's order.

    A question with `show_if` applies when the question it depends on applies and has one of the
    answers named; the same meaning as the schema's rules (`form_schema.conditions_for`).
    """
    answers = data if isinstance(data, Mapping) else {}
    applying: dict[str, FormField] = {}
    for field in form.all_fields():
        condition = field.show_if
        if condition is not None:
            controller = applying.get(condition.field)
            value = answers.get(condition.field)
            if controller is None or condition.field not in answers:
                continue
            if controller.type == "checkboxes":
                if not isinstance(value, list) or not any(v in condition.values for v in value):
                    continue
            elif value not in condition.values:
                continue
        applying[field.id] = field
    return tuple(applying.values())


def drop_inapplicable(form: Form, data: Mapping) -> dict:
    """Return a copy of `data` without answers to questions that do not apply (other keys stay)."""
    applying = {f.id for f in applicable_fields(form, data)}
    known = {f.id for f in form.all_fields()}
    return {k: v for k, v in data.items() if k not in known or k in applying}


def count_unanswered(form: Form, data: Mapping) -> int:
    """How many questions a draft still has to answer before it can be complete."""
    as_complete = {**data, "status": "complete"}
    found = rules.run(build_rules(form), as_complete, _today_text(None))
    return sum(1 for _, _, check, _ in found if check == "required")


# --- Files ---------------------------------------------------------------------------------------


def _file_problem(message: str) -> SubmissionProblem:
    return SubmissionProblem("", "", "", message)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_well_formed(value: object) -> bool:
    """No string or key holds half a UTF-16 pair ("\\ud800" is valid JSON but no character), and
    nothing is nested deeper than MAX_DEPTH (Python's and browsers' parsers give up at different
    depths)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                return False
        elif isinstance(item, list):
            stack.extend((x, depth + 1) for x in item)
        elif isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item)
            stack.extend((x, depth + 1) for x in item.values())
    return True


# A string (skipped whole, so brackets inside it do not count) or one bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
# Python refuses to convert an integer of more than 4,300 digits; a browser reads any number as a
# double. Longer integers are read as the browser reads them (a float, or infinity), so they get
# the same message as any other number where text is wanted, not an error from the conversion.
_MAX_INT_DIGITS = 1000


def _nested_deeper_than(text: str, limit: int) -> bool:
    """Whether the JSON text opens more than `limit` brackets inside one another, found without
    parsing it: the parser recurses, and deep enough nesting exhausts Python's stack."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _read_int(text: str) -> int | float:
    return int(text) if len(text) <= _MAX_INT_DIGITS else float(text)


def parse_submission(raw: bytes) -> tuple[dict | None, list[SubmissionProblem]]:
    """Read the bytes of a saved file: (the answers, []) or (None, [the problem with the file])."""
    if len(raw) > MAX_BYTES:
        return None, [_file_problem(FILE_MESSAGES["too_large"])]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [_file_problem(FILE_MESSAGES["not_json"])]
    # One level more than _is_well_formed allows (an empty innermost list or object is still
    # well formed); that check then applies the exact rule.
    if _nested_deeper_than(text, MAX_DEPTH + 1):
        return None, [_file_problem(FILE_MESSAGES["not_json"])]
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_read_int)
    except ValueError:
        return None, [_file_problem(FILE_MESSAGES["not_json"])]
    if not _is_well_formed(data):
        return None, [_file_problem(FILE_MESSAGES["not_json"])]
    if not isinstance(data, dict):
        return None, [_file_problem(FILE_MESSAGES["not_object"])]
    return data, []


def load_submission(path: Path | str) -> tuple[dict | None, list[SubmissionProblem]]:
    """Read a saved file: (the answers, []) or (None, [why the file cannot be read as answers])."""
    try:
        raw = read_regular_file(path, MAX_BYTES)
    except FileRefused as refused:
        message = {
            reading.MISSING: "This file cannot be found",
            reading.FOLDER: "This is a folder, not a file",
            reading.NOT_REGULAR: "This is not a saved form: it is not a regular file (it is a "
            "named pipe, a device or a socket)",
            reading.TOO_LARGE: FILE_MESSAGES["too_large"],
        }.get(refused.reason, f"This file cannot be read ({refused.detail})")
        return None, [_file_problem(message)]
    return parse_submission(raw)


# --- The command ---------------------------------------------------------------------------------


def command_validate(args) -> int:
    """Check one saved submission; list every problem as `Section > Label: message`."""
    from generator.sources.load import load_project

    form = load_project(Path(args.root).resolve()).form
    data, problems = load_submission(args.file)
    if data is not None:
        problems = validate_submission(form, data, today=args.today)
    status = data.get("status") if data is not None else None
    report = criteria_report(form, data, today=args.today) if data is not None else []
    if args.format in ("github", "gitlab"):
        return _report_for_pipelines(args, problems)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": not problems,
                    "status": status,
                    "problems": [p.as_dict() for p in problems],
                    "criteria": report,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 1 if problems else 0
    if problems:
        for problem in problems:
            print(str(problem), file=sys.stderr)
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} found in {args.file}.", file=sys.stderr)
        return 1
    if status == "draft":
        missing = count_unanswered(form, data)
        print(
            f"{args.file}: a draft with no problems in the answers given; "
            f"{missing} more {'answer is' if missing == 1 else 'answers are'} needed to complete "
            "it."
        )
        for criterion in report:
            if criterion["met"] is not True:
                print(f"Not yet met: {criterion['name']}: {'; '.join(criterion['reasons'])}")
    else:
        print(f"{args.file}: a complete submission with no problems.")
    return 0


def _report_for_pipelines(args, problems: list[SubmissionProblem]) -> int:
    """Report a submission's problems as annotations on the saved file (a JSON file has no lines
    the problems could point at, so each names the file as a whole)."""
    from generator.problems import Location, Problem
    from generator.report import write_report

    noun = "problem" if len(problems) == 1 else "problems"
    write_report(
        [Problem(Location(str(args.file)), str(p)) for p in problems],
        format=args.format,
        check_name="submission-check",
        summary=lambda count: f"{count} {noun} found in {args.file}.",
        success=f"{args.file}: no problems.",
        output=args.output,
    )
    return 1 if problems else 0


def register_commands(subparsers) -> None:
    from generator.cli import iso_date
    from generator.report import add_format_options

    command = subparsers.add_parser(
        "validate",
        help="check a saved referral (a JSON file) and list every problem",
        description="Check a saved submission of the form in forms/ against its rules. Exit 0 if "
        "it has no problems, 1 listing each as 'Section > Label: message'. A draft is checked "
        "only for "
        "answers that are wrong, not for answers still missing.",
    )
    command.add_argument("file", metavar="FILE.json", help="the saved submission")
    command.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="check dates as if today were this day (default: today)",
    )
    add_format_options(command)
    command.set_defaults(run=command_validate)
