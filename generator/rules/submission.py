"""Check a saved submission against its form: JSON answers -> every problem, worded from the labels.

The checks are the rows `generator.rules.compile.build_rules` compiles, run by
`generator.rules.interpret` (the page's script runs the same table), plus the JSON Schema of
`generator.rules.form_schema`, which `jsonschema` is kept to check in the tests.

A draft (`"status": "draft"`) is checked only for answers that are wrong, never for answers that are
missing, and its unmet criteria are listed as "not yet met", not as problems.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema

from generator.model import Form, FormField
from generator.rules import interpret
from generator.rules.compile import CRITERIA_SECTION, MAX_BYTES, MAX_DEPTH, MAX_LIST, build_rules
from generator.rules.form_schema import build_submission_schema
from generator.rules.messages import FILE_MESSAGES
from generator.sources import reading
from generator.sources.reading import FileRefused, read_regular_file


@dataclass(frozen=True)
class SubmissionProblem:
    """One thing wrong with a submission. `str()` gives `Section > Label: message`.

    `field_id` is the answer's key, dotted for an item of a group (`other_agencies.0.agency`);
    `item` names the group item ("Agency 1"). Problems with the file itself have no `field_id`.
    `path` is the answer's place as keys and indexes (empty for the file or a criterion), `check`
    the rule's kind (`required`, `criterion`, ...; empty for the file), `severity` "error" or
    "warning" (a should criterion not met); none of the three is compared.
    """

    field_id: str
    section: str
    label: str
    message: str
    item: str = ""
    path: tuple = dataclasses.field(default=(), compare=False)
    check: str = dataclasses.field(default="", compare=False)
    # "warning" for a should criterion not met: the referral is accepted, its reason recorded.
    severity: str = dataclasses.field(default="error", compare=False)

    def __str__(self) -> str:
        where = " > ".join(part for part in (self.section, self.item, self.label) if part)
        message = f"warning: {self.message}" if self.severity == "warning" else self.message
        return f"{where}: {message}" if where else message

    def as_dict(self) -> dict:
        return {
            "field": self.field_id,
            "section": self.section,
            "item": self.item,
            "label": self.label,
            "message": self.message,
            "text": str(self),
            "severity": self.severity,
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
        place = places[key]
        return SubmissionProblem(
            key, CRITERIA_SECTION, place["label"], message, check=check, severity=place["severity"]
        )
    place = interpret.place_of(places, at)
    top = places.get(at[0]) if at and isinstance(at[0], str) else None
    item = f"{top['item']} {at[1] + 1}" if top is not None and len(at) > 1 else ""
    if place is None:  # an unknown key
        section = top["section"] if top is not None and len(at) > 1 else ""
        return SubmissionProblem(key, section, str(at[-1]), message, item, at, check)
    return SubmissionProblem(key, place["section"], place["label"], message, item, at, check)


def refusal(form: Form, data: object) -> str | None:
    """Why `data` is no saved file of `form` at all, so that nothing in it is checked (the form
    page refuses to open it, in these words), or None."""
    if not isinstance(data, dict):
        return FILE_MESSAGES["not_object"]
    if not isinstance(data.get("form"), str):
        return FILE_MESSAGES["no_form_id"]
    return FILE_MESSAGES["other_form"] if data["form"] != form.id else None


def validate_submission(
    form: Form, data: object, today: datetime.date | str | None = None
) -> list[SubmissionProblem]:
    """Return every problem with `data` as a submission to `form`: one per answer, in form order,
    then each criterion a complete submission does not meet. A file of another form, or of none,
    has one problem: that (`refusal`).

    `today` (a date or YYYY-MM-DD) is the day dates may not be after; it defaults to today.
    """
    refused = refusal(form, data)
    if refused:
        return [SubmissionProblem("", "", "", refused)]
    table = build_rules(form)
    return [_problem(table, *found) for found in interpret.run(table, data, _today_text(today))]


def criteria_report(
    form: Form, data: Mapping, today: datetime.date | str | None = None
) -> list[dict]:
    """Each criterion the form records, met (True), not met (False) or not known yet (None), with
    the answers that decided it: what a draft lists, the form page shows and the PDF prints."""
    table = build_rules(form)
    answers = dict(data) if isinstance(data, Mapping) else {}
    problems = interpret.run(table, {**answers, "status": "draft"}, _today_text(today))
    return interpret.criteria(
        table, answers, {at[0]: True for _, at, *_ in problems if len(at) == 1}
    )


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
    found = interpret.run(build_rules(form), as_complete, _today_text(None))
    return sum(1 for _, _, check, _ in found if check == "required")


# --- Files ---------------------------------------------------------------------------------------


def _file_problem(message: str) -> SubmissionProblem:
    return SubmissionProblem("", "", "", message)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _longest_list(value: object) -> int:
    """The most items any list in `value` holds (nested no deeper than MAX_DEPTH, checked first)."""
    if isinstance(value, list):
        return max([len(value), *map(_longest_list, value)])
    if isinstance(value, dict):
        return max([0, *map(_longest_list, value.values())])
    return 0


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
    if _longest_list(data) > MAX_LIST:
        return None, [_file_problem(FILE_MESSAGES["too_many"])]
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
