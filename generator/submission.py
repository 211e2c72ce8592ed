"""Check a saved submission against its form: JSON answers -> every problem, worded from the labels.

The checks are the submission schema (`generator.form_schema`) plus the rules a schema cannot state:
a date must be a real one, some dates cannot be in the future, and a date of birth must give an age
within the form's limit (`AgeLimit.max_age`, the same fact the eligibility checker reads).

Every message comes from one table, `build_rules(form)`, which is also written into the form's web
page: the page's script (generator/static/js/referral-form.js) runs the same steps on the same
table, so the page and `python -m generator validate` say the same words about the same answers.

A draft (`"status": "draft"`) is checked only for answers that are wrong, never for answers that are
missing: the schema asks for answers only when the status is "complete".
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

from generator import reading
from generator.form_schema import (
    DATE_PATTERN,
    METADATA_KEYS,
    STATUSES,
    build_submission_schema,
    max_length_of,
)
from generator.model import Form, FormField
from generator.reading import FileRefused, read_regular_file

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
    "age_order",
    "age",
)

FILE_MESSAGES = {
    "too_large": "This file is too large to be a saved form: the most allowed is 1 MB",
    "not_json": "This file is not a saved form: it is not valid JSON",
    "not_object": "This file is not a saved form: it holds JSON, but not a set of answers",
}
UNKNOWN_MESSAGE = "This is not a question on this form"
FILE_SECTION = "File"
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
        if field.age_limit is not None:
            on = form.find_field(field.age_limit.on_field)
            on_name = on.error_name if on else field.age_limit.on_field
            messages["age"] = (
                f"{named} must give an age of {field.age_limit.max_age} or under on {on_name}"
            )
            messages["age_order"] = f"{named} must be the same as or before {on_name}"
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
    rules: dict[str, object] = {
        "section": section,
        "label": field.label,
        "type": field.type,
        "messages": _messages_for(form, field),
    }
    if field.show_if is not None:
        rules["show_if"] = {"field": field.show_if.field, "values": list(field.show_if.values)}
    if field.not_in_future:
        rules["not_in_future"] = True
    if field.age_limit is not None:
        rules["age_limit"] = {
            "max_age": field.age_limit.max_age,
            "on_field": field.age_limit.on_field,
        }
    if field.type == "group":
        rules["item_name"] = field.item_name
        rules["order"] = [sub.id for sub in field.fields]
        rules["fields"] = {sub.id: _field_rules(form, sub, section) for sub in field.fields}
    return rules


@lru_cache(maxsize=16)
def build_rules(form: Form) -> dict:
    """Return the JSON-ready table both checkers run on: the schema, the order and every message."""
    fields: dict[str, dict] = {
        "form": {
            "section": FILE_SECTION,
            "label": "form",
            "type": "meta",
            "messages": {
                "required": f'Add "form": "{form.id}"',
                "const": f'Must be "{form.id}", the id of this form',
            },
        },
        "status": {
            "section": FILE_SECTION,
            "label": "status",
            "type": "meta",
            "messages": {
                "required": 'Add "status": "draft" or "status": "complete"',
                "enum": 'Must be "draft" or "complete"',
            },
        },
        "saved_at": {
            "section": FILE_SECTION,
            "label": "saved_at",
            "type": "meta",
            "messages": {
                "type": "Must be a date and time, like 2026-03-27T14:05:00Z",
                "pattern": "Must be a date and time, like 2026-03-27T14:05:00Z",
            },
        },
    }
    for section in form.sections:
        for field in section.fields:
            fields[field.id] = _field_rules(form, field, section.title)
    return {
        "form": form.id,
        "statuses": list(STATUSES),
        "max_bytes": MAX_BYTES,
        "max_depth": MAX_DEPTH,
        "date_pattern": DATE_PATTERN,
        "priority": list(PRIORITY),
        "file_messages": FILE_MESSAGES,
        "unknown_message": UNKNOWN_MESSAGE,
        "order": list(METADATA_KEYS) + [f.id for f in form.all_fields()],
        "fields": fields,
    }


# --- Checking ------------------------------------------------------------------------------------

Path_ = tuple  # a path into the submission: keys and list indexes
_DATE = re.compile(DATE_PATTERN)


@lru_cache(maxsize=16)
def _validator(form: Form) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(build_submission_schema(form))


def _schema_errors(form: Form, data: dict) -> list[tuple[Path_, str]]:
    """Every schema error as (path to the answer, keyword); missing and unknown keys one by one."""
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


def _real_date(text: str) -> datetime.date | None:
    if not isinstance(text, str) or not _DATE.search(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _age_on(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _date_errors(rules: dict, data: dict, taken: set[str], today: str) -> list[tuple[Path_, str]]:
    """The date rules no schema can state, for answers the schema accepted, in the form's order."""
    found: list[tuple[Path_, str]] = []

    def check(path: Path_, rule: dict, value, answers: dict) -> None:
        key = ".".join(str(p) for p in path)
        if rule["type"] != "date" or key in taken or not isinstance(value, str):
            return
        day = _real_date(value)
        problem = None
        if day is None:
            problem = "date"
        elif rule.get("not_in_future") and value > today:
            problem = "future"
        elif "age_limit" in rule:
            limit = rule["age_limit"]
            on_path = path[:-1] + (limit["on_field"],)
            on_key = ".".join(str(p) for p in on_path)
            on_day = _real_date(answers.get(limit["on_field"]))
            if on_day is not None and on_key not in taken:
                if day > on_day:
                    problem = "age_order"
                elif _age_on(day, on_day) > limit["max_age"]:
                    problem = "age"
        if problem:
            found.append((path, problem))
            taken.add(key)

    for field_id in rules["order"]:
        rule = rules["fields"][field_id]
        if field_id not in data:
            continue
        if rule["type"] == "group":
            items = data[field_id] if isinstance(data[field_id], list) else []
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                for sub_id in rule["order"]:
                    if sub_id in item:
                        check((field_id, index, sub_id), rule["fields"][sub_id], item[sub_id], item)
        else:
            check((field_id,), rule, data[field_id], data)
    return found


def _rule_name(rules: dict, path: Path_, keyword: str) -> str:
    """The name a message is filed under: a schema keyword, or `item_type` for a group's item."""
    top = rules["fields"].get(path[0]) if path and isinstance(path[0], str) else None
    if keyword == "type" and len(path) == 2 and top is not None and top["type"] == "group":
        return "item_type"
    return keyword


def _locate(rules: dict, path: Path_, rule: str) -> tuple[str, SubmissionProblem]:
    """Turn (path, rule name) into the problem a person reads, and the answer's dotted key."""
    fields = rules["fields"]
    top = fields.get(path[0]) if path and isinstance(path[0], str) else None
    unknown = rules["unknown_message"]
    if top is None or (rule == "additionalProperties" and len(path) == 1):
        key = ".".join(str(p) for p in path)
        return key, SubmissionProblem(key, "", key, unknown)
    if len(path) == 1:
        return path[0], SubmissionProblem(
            path[0], top["section"], top["label"], top["messages"][rule]
        )
    item = f"{top['item_name']} {path[1] + 1}"
    if len(path) == 2:
        key = f"{path[0]}.{path[1]}"
        return key, SubmissionProblem(key, top["section"], "", top["messages"][rule], item)
    key = f"{path[0]}.{path[1]}.{path[2]}"
    sub = top["fields"].get(path[2])
    if rule == "additionalProperties" or sub is None:
        return key, SubmissionProblem(key, top["section"], str(path[2]), unknown, item)
    return key, SubmissionProblem(key, top["section"], sub["label"], sub["messages"][rule], item)


def _normal_path(rules: dict, path: Path_) -> Path_:
    """A problem with one ticked box is a problem with the whole question."""
    top = rules["fields"].get(path[0]) if path and isinstance(path[0], str) else None
    return path[:1] if top is not None and top["type"] == "checkboxes" else path


def _order_key(rules: dict, path: Path_) -> tuple:
    """Sort problems in the form's order; unknown keys after the known ones, by name."""

    def place(names: list[str], name) -> tuple[int, str]:
        return (names.index(name), "") if name in names else (len(names), str(name))

    top = place(rules["order"], path[0])
    if len(path) == 1:
        return (*top, -1, -1, "")
    sub = place(rules["fields"][path[0]]["order"], path[2]) if len(path) == 3 else (-1, "")
    return (*top, path[1], *sub)


def _today_text(today: datetime.date | str | None) -> str:
    if today is None:
        return datetime.date.today().isoformat()
    return today if isinstance(today, str) else today.isoformat()


def validate_submission(
    form: Form, data: object, today: datetime.date | str | None = None
) -> list[SubmissionProblem]:
    """Return every problem with `data` as a submission to `form`: one per answer, in form order.

    `today` (a date or YYYY-MM-DD) is the day dates may not be after; it defaults to today.
    """
    rules = build_rules(form)
    if not isinstance(data, dict):
        return [SubmissionProblem("", "", "", FILE_MESSAGES["not_object"])]
    chosen: dict[str, tuple[int, Path_, SubmissionProblem]] = {}

    def choose(path: Path_, rule: str) -> None:
        path = _normal_path(rules, path)
        key, problem = _locate(rules, path, rule)
        rank = PRIORITY.index(rule)
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, path, problem)

    for path, keyword in _schema_errors(form, data):
        choose(path, _rule_name(rules, path, keyword))
    for path, rule in _date_errors(rules, data, set(chosen), _today_text(today)):
        choose(path, rule)
    ordered = sorted(chosen.values(), key=lambda found: _order_key(rules, found[1]))
    return [problem for _, _, problem in ordered]


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
    return sum(1 for _, keyword in _schema_errors(form, as_complete) if keyword == "required")


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
    from generator.load import load_project

    form = load_project(Path(args.root).resolve()).form
    data, problems = load_submission(args.file)
    if data is not None:
        problems = validate_submission(form, data, today=args.today)
    status = data.get("status") if data is not None else None
    if args.format in ("github", "gitlab"):
        return _report_for_pipelines(args, problems)
    if args.format == "json":
        print(
            json.dumps(
                {"ok": not problems, "status": status, "problems": [p.as_dict() for p in problems]},
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
