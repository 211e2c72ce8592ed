"""Turn a form's model into the JSON Schema (draft 2020-12) of a saved submission: Form -> dict.

A submission is one JSON object: `form` (the form's id), `status` ("draft" or "complete"), an
optional `saved_at`, and one key per answered question, named by the question's stable id.
Unanswered questions are left out. A group (such as "other agencies") is a list of objects keyed
by its questions' ids.

The schema is written so that Python's `jsonschema` and the page's own small checker
(generator/static/js/form/) read it alike:
- every rule that depends on another answer is one `allOf` entry, with the answer it depends on
  listed under `required` inside its `if` (otherwise the `if` passes on an empty form);
- regular expressions use only what both dialects share: `[0-9]` rather than `\\d`, and `END` rather
  than `$`, which in Python also matches before a final newline;
- only the keywords in `KEYWORDS` are used, and tests hold the generator to that list;
- `not` holds either `required` (on the submission: an answer to a question that does not apply)
  or `pattern` (on a text answer: characters it must not contain, `INVISIBLE_PATTERN`, which
  `validate` and the page both report as the rule "invisible").

A draft may leave out any answer. A complete submission must answer every question that applies and
is not optional. In both, an answer to a question that does not apply is refused, and so is an empty
answer ("" or []): an unanswered question is left out instead.
"""

from __future__ import annotations

from generator.model import SUBMISSION_METADATA_KEYS, Form, FormField

DIALECT = "https://json-schema.org/draft/2020-12/schema"
STATUSES = ("draft", "complete")
# Keys a submission holds besides the answers; no question may use these ids.
METADATA_KEYS = SUBMISSION_METADATA_KEYS

# The keywords the generated schema uses. The page's checker implements exactly these.
KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "title",
        "description",
        "type",
        "enum",
        "const",
        "pattern",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "items",
        "contains",
        "properties",
        "required",
        "additionalProperties",
        "allOf",
        "if",
        "then",
        "else",
        "not",
    }
)

# What JSON Schema cannot say, and where it is said instead.
RULES_COMMENT = (
    "This schema states each answer's type, form, length and allowed values, which questions a "
    "complete submission must answer, and which answers must be left out. It cannot compare two "
    "answers or today's date, so these rules live only in the rule table published beside it "
    "(referral.rules.json, rows by `check`): `date` (a real calendar date), `future` (not after "
    "today), `not_after` (a date not after another answer, such as a birth on or before the "
    "referral date) and `criterion` (the eligibility and route criteria a complete referral must "
    "meet, such as the age limit on the referral date). A submission this schema accepts may still "
    "fail those rows."
)

# "Nothing follows", in a form both Python's `re` and JavaScript's RegExp read the same way.
END = "(?![\\s\\S])"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}" + END
DATE_TIME_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})"
    + END
)
# At least one character that can be seen: an answer made only of spaces, of invisible characters
# (a zero width joiner, a Hangul filler, a variation selector) or of control characters is no
# answer. Not seen: Unicode's White_Space and Default_Ignorable_Code_Point characters and the C0
# and C1 controls (Unicode 15.1's lists). The few outside the BMP are written as the characters
# themselves: no escape for them reads alike in Python's `re` and JavaScript's RegExp, and both
# read a character in a class as one code point (JavaScript with the "u" flag, as the page and
# ajv use).
ANSWERED_PATTERN = (
    "[^"
    "\\u0000-\\u0020\\u007F-\\u00A0"  # controls, space, no-break space
    "\\u00AD\\u034F\\u061C\\u115F\\u1160\\u1680\\u17B4\\u17B5\\u180B-\\u180F"
    "\\u2000-\\u200F\\u2028-\\u202F\\u205F-\\u206F"  # spaces, joiners, marks, isolates
    "\\u3000\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFF8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    "]"
)
EMAIL_PATTERN = "^[^@ \\t\\n\\r]+@[^@ \\t\\n\\r]+[.][^@ .\\t\\n\\r]+" + END
# A phone number: 10 to 16 digits, with spaces, brackets and dashes allowed between them.
TEL_PATTERN = "^[+]?[ ()-]*([0-9][ ()-]*){10,16}" + END

# Characters that change how text is shown without being seen: Unicode's format characters
# (General_Category Cf) in the Basic Multilingual Plane. A right-to-left override makes a PDF show
# "Sam Example" for the text "Sam \u202eelpmaxE"; a zero-width space makes two names that look
# the same differ. Refused in every text answer, long ones too (an override in a long answer can
# reverse what a sentence says). Left out on purpose:
# - U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER: needed to spell words and names
#   in Persian, Hindi and other scripts, and inside emoji;
# - U+0600-0605, U+06DD, U+070F, U+0890-0891, U+08E2: Arabic and Syriac number signs, which are
#   visible;
# - Cf outside the BMP (U+E0000-E007F tags and a few others): no escape for them is written
#   alike in Python's `re` and JavaScript's RegExp, and they do not reorder the visible text.
# Written as \uXXXX escapes, which both dialects read; the set lives here only (the page reads it
# from the schema).
INVISIBLE_PATTERN = (
    "["
    "\\u00AD"  # soft hyphen
    "\\u061C"  # Arabic letter mark (a direction mark)
    "\\u180E"  # Mongolian vowel separator
    "\\u200B"  # zero width space
    "\\u200E\\u200F"  # left-to-right and right-to-left marks
    "\\u202A-\\u202E"  # direction embeddings, pop and overrides
    "\\u2060-\\u2064"  # word joiner, invisible times, separator, plus, function application
    "\\u2066-\\u2069"  # direction isolates
    "\\u206A-\\u206F"  # deprecated shaping and digit controls
    "\\uFEFF"  # zero width no-break space (byte order mark)
    "\\uFFF9-\\uFFFB"  # interlinear annotation controls
    "]"
)

# Longest answers accepted unless the form sets `max_length`; long enough for any real answer, short
# enough that a pasted document is caught before it reaches a PDF.
DEFAULT_MAX_LENGTH = {"text": 300, "textarea": 5000, "email": 254, "tel": 30}

_TEXT_TYPES = ("text", "textarea", "email", "tel")
# The form each text or date answer must take, by field type: the schema states it here and the rule
# table (`generator.rules.compile`) states the same.
PATTERNS = {
    "text": ANSWERED_PATTERN,
    "textarea": ANSWERED_PATTERN,
    "email": EMAIL_PATTERN,
    "tel": TEL_PATTERN,
    "date": DATE_PATTERN,
}


def max_length_of(field: FormField) -> int | None:
    """The most characters an answer to `field` may have (None for dates and choices)."""
    if field.type not in _TEXT_TYPES:
        return None
    return field.max_length or DEFAULT_MAX_LENGTH[field.type]


def required_fields(fields: tuple[FormField, ...]) -> list[str]:
    """Ids of the questions a complete submission must answer whatever else it says."""
    return [f.id for f in fields if not f.optional and f.show_if is None]


def conditions_for(form: Form, field: FormField) -> dict:
    """The schema that holds exactly when `field` applies: its condition and every one above it.

    Chained conditions are merged into one object so that each answer they depend on is listed under
    `required`, and so that a question whose controlling question does not apply never applies.
    """
    required: list[str] = []
    properties: dict[str, dict] = {}
    condition = field.show_if
    while condition is not None:
        controller = form.find_field(condition.field)
        if controller is None:  # the loader's cross-checks make this impossible
            raise ValueError(f"show_if of '{field.id}' names no field '{condition.field}'")
        required.insert(0, controller.id)
        if controller.type == "checkboxes":
            properties[controller.id] = {
                "type": "array",
                "contains": {"enum": list(condition.values)},
            }
        else:
            properties[controller.id] = {"enum": list(condition.values)}
        condition = controller.show_if
    return {"required": required, "properties": dict(reversed(list(properties.items())))}


def build_submission_schema(form: Form, schema_id: str | None = None) -> dict:
    """Return the JSON Schema of a submission to `form`, valid against the 2020-12 metaschema."""
    clashes = [f.id for f in form.all_fields() if f.id in METADATA_KEYS]
    if clashes:
        raise ValueError(f"question ids {clashes} are reserved for the file's own details")
    properties: dict[str, object] = {
        "form": {
            "title": "Form",
            "description": f'The id of the form these answers belong to: always "{form.id}".',
            "const": form.id,
        },
        "status": {
            "title": "Status",
            "description": '"draft" for answers still being written, which may leave out any '
            'question; "complete" when every question that applies is answered.',
            "enum": list(STATUSES),
        },
        "saved_at": {
            "title": "Saved at",
            "description": "Optional: when the file was saved, as an ISO 8601 date and time, such "
            "as "
            "2026-03-27T14:05:00Z.",
            "type": "string",
            "pattern": DATE_TIME_PATTERN,
        },
    }
    for field in form.all_fields():
        properties[field.id] = _field_schema(form, field)

    schema = {
        "$schema": DIALECT,
        "$id": schema_id or f"urn:form:{form.id}",
        "title": form.title,
        "$comment": RULES_COMMENT,
        "description": (
            f'Answers to the form "{form.title}", as saved by its web page. Each question is a key '
            "named by its id; unanswered questions are left out, and answers to questions that "
            "do not "
            'apply must be left out. With "status": "draft" any answer may be missing; with '
            '"status": "complete" every question that applies and is not optional must be answered.'
        ),
        "type": "object",
        "required": ["form", "status"],
        "additionalProperties": False,
        "properties": properties,
        "allOf": _rules(form),
    }
    return schema


_COMPLETE = {"required": ["status"], "properties": {"status": {"const": "complete"}}}


def _rules(form: Form) -> list[dict]:
    """One `allOf` entry per rule that depends on another answer."""
    fields = form.all_fields()
    always: dict = {"required": required_fields(fields)}
    group_items = {
        f.id: {"items": {"required": required_fields(f.fields)}}
        for f in fields
        if f.type == "group" and required_fields(f.fields)
    }
    if group_items:
        always["properties"] = group_items
    rules = [{"if": _COMPLETE, "then": always}]
    for field in fields:
        if field.show_if is None:
            continue
        applies = conditions_for(form, field)
        if not field.optional:
            rules.append(
                {
                    "if": {
                        "required": ["status", *applies["required"]],
                        "properties": {**_COMPLETE["properties"], **applies["properties"]},
                    },
                    "then": {"required": [field.id]},
                }
            )
        rules.append({"if": applies, "else": {"not": {"required": [field.id]}}})
    return rules


def _describe(form: Form, field: FormField) -> str:
    """The description of a question in the schema: its hint and the rules it follows, in words."""
    parts = [field.hint] if field.hint else []
    if field.show_if is not None:
        controller = form.find_field(field.show_if.field)
        labels = {o.id: o.label for o in controller.options} if controller else {}
        answers = " or ".join(f'"{labels.get(v, v)}"' for v in field.show_if.values)
        parts.append(f'Answered only when "{controller.label if controller else ""}" is {answers}.')
    parts.append("Optional." if field.optional else "Required in a complete submission.")
    if field.type == "date":
        parts.append("A date written YYYY-MM-DD.")
        if field.not_in_future:
            parts.append("Today or earlier.")
        if field.not_after:
            on = form.find_field(field.not_after)
            parts.append(
                f'The same as or before the date answered to "{on.label if on else field.not_after}".'
            )
    if field.options:
        parts.append("One of: " + ", ".join(f"{o.id} ({o.label})" for o in field.options) + ".")
    return " ".join(parts)


def _field_schema(form: Form, field: FormField) -> dict:
    schema: dict[str, object] = {"title": field.label, "description": _describe(form, field)}
    if field.type in _TEXT_TYPES:
        schema.update(
            type="string",
            maxLength=max_length_of(field),
            pattern=PATTERNS[field.type],
            # `type` inside: an answer that is not text at all gets only the "must be text" message.
            **{"not": {"type": "string", "pattern": INVISIBLE_PATTERN}},
        )
    elif field.type == "date":
        schema.update(type="string", pattern=DATE_PATTERN)
    elif field.type == "radios":
        schema["enum"] = [o.id for o in field.options]
    elif field.type == "checkboxes":
        schema.update(
            type="array",
            minItems=1,
            uniqueItems=True,
            items={"enum": [o.id for o in field.options]},
        )
    elif field.type == "group":
        schema.update(type="array", minItems=1)
        if field.max_items is not None:
            schema["maxItems"] = field.max_items
        schema["items"] = {
            "title": field.item_name,
            "type": "object",
            "additionalProperties": False,
            "properties": {sub.id: _field_schema(form, sub) for sub in field.fields},
        }
    else:  # the form schema's enum makes this impossible
        raise ValueError(f"unknown field type {field.type!r}")
    return schema
