"""Check a parsed YAML document against its JSON Schema: document -> located problems in plain words.

jsonschema reports paths, not lines (check-jsonschema #359); the positions recorded while parsing turn
each error's path back into `file:line:column`. Library wording ("is not of type 'string'") is reworded
for editors, and an `errorMessage` written next to a rule in the schema wins over both.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path

import jsonschema
from jsonschema.exceptions import ValidationError

from generator.problems import Problem
from generator.sources.yamlsource import YamlDocument
from generator.text.links import EMAIL

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (lines starting with '- ')",
    "object": "a set of 'key: value' lines",
    "null": "empty",
}


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a set of 'key: value' lines"


# The schemas ship inside the package (an installed wheel checks sources too) and serve every
# service; the project's top-level schemas/ links here, for the `$schema=../schemas/...` lines
# editors' IDEs read.
SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"


@cache
def load_schema(kind: str) -> dict:
    """The JSON Schema for one kind of source file (guide, checker, form, ...)."""
    return json.loads((SCHEMAS_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


# `format` is only an annotation unless a checker is given. The schemas' e-mail addresses become
# mailto: links, so "email" means one plain address (the sanitiser's test, not jsonschema's "has an @").
FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("email")(lambda value: not isinstance(value, str) or bool(EMAIL.fullmatch(value)))


@cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema(kind), format_checker=FORMATS)


def check_against_schema(document: YamlDocument, kind: str) -> list[Problem]:
    """Every way `document` breaks the schema of its kind, each located and worded for an editor."""
    validator = _validator(kind)
    problems = []
    for error in validator.iter_errors(document.data):
        problems.extend(_to_problems(error, document))
    return _deduplicate(problems)


def _deduplicate(problems: list[Problem]) -> list[Problem]:
    seen, unique = set(), []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            unique.append(problem)
    return unique


def _name(path) -> str:
    keys = [str(p) for p in path if isinstance(p, str)]
    return f"'{keys[-1]}'" if keys else "the file"


def _to_problems(error: ValidationError, document: YamlDocument) -> list[Problem]:
    path = tuple(error.absolute_path)
    where = document.where(path)
    custom = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    keyword = error.validator

    if keyword in ("oneOf", "anyOf") and error.context:
        # Report the alternative that came closest, as jsonschema's best_match does.
        best = jsonschema.exceptions.best_match(error.context)
        return _to_problems(best, document)
    if keyword == "if":
        return []  # the `then` branch reports the real problem
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        return _unknown_keys(error, document, path)
    if custom:
        return [Problem(where, custom)]
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        if path == () and not isinstance(error.instance, dict):
            return []
        return [Problem(where, f"'{missing}' is missing here: add it")]
    return [Problem(where, _message(error, path))]


def _unknown_keys(error: ValidationError, document: YamlDocument, path: tuple) -> list[Problem]:
    """Each key the schema does not know, at the key, with the nearest one it does."""
    allowed = sorted(error.schema.get("properties", {}))
    problems = []
    for key in error.instance:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed here: {', '.join(allowed)}"
        problems.append(Problem(document.where_key(path + (key,)), f"unknown key '{key}': {hint}"))
    return problems


def _message(error: ValidationError, path: tuple) -> str:
    """The words for a value the schema refuses, by the keyword it breaks."""
    keyword, value = error.validator, error.validator_value
    if keyword == "type":
        expected = value if isinstance(value, list) else [value]
        want = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        got = _describe(error.instance)
        if path == ():
            return f"the file should be {want}, not {got}"
        message = f"{_name(path)} should be {want}, not {got}"
        if "string" in expected and isinstance(error.instance, (bool, int, float)):
            message += ": put the value in quotes to keep it as text"
        return message
    if keyword == "enum":
        allowed = ", ".join(repr(v) if not isinstance(v, str) else f"'{v}'" for v in value)
        return f"{_name(path)} is '{error.instance}', which is not allowed: use one of {allowed}"
    if keyword == "propertyNames":
        return f"a key in {_name(path)} is not in the expected form"
    if keyword in _KEYWORD_WORDS:
        words = _KEYWORD_WORDS[keyword].format(value=value, instance=error.instance)
        return f"{_name(path)} {words}"
    return f"{_name(path)}: {error.message}"


# What follows a value's name, by the keyword it breaks: {value} is the schema's, {instance} the file's.
_KEYWORD_WORDS = {
    "const": "must be '{value}'",
    "pattern": "'{instance}' is not in the expected form",
    "format": "'{instance}' is not a plain {value}",
    "minLength": "is empty: write some text",
    "maxLength": "is too long (at most {value} characters)",
    "minItems": "needs at least {value} item(s)",
    "maxItems": "has too many items (at most {value})",
    "minimum": "is too small (at least {value})",
    "exclusiveMinimum": "is too small (at least {value})",
    "maximum": "is too large (at most {value})",
    "exclusiveMaximum": "is too large (at most {value})",
    "not": "is not allowed here",
    "uniqueItems": "lists the same item twice",
}


# --- Which texts are Markdown --------------------------------------------------------------------

MARKDOWN = "text/markdown"  # the `contentMediaType` of a schema's Markdown texts


def text_kind(kind: str, path: tuple) -> str:
    """How the text at `path` of a source of this kind is published, as its schema says:
    "markdown" (`"contentMediaType": "text/markdown"`), "address" (it has a `format`, such as
    email) or "plain" (words shown as they are: titles, labels, names)."""
    schema = load_schema(kind)
    nodes = [schema]
    for step in path:
        nodes = [child for node in nodes for child in _children(schema, node, step)]
    branches = [branch for node in nodes for branch in _branches(schema, node)]
    if any(branch.get("contentMediaType") == MARKDOWN for branch in branches):
        return "markdown"
    if any("format" in branch for branch in branches):
        return "address"
    return "plain"


def _branches(schema: dict, node) -> list[dict]:
    """The node with its `$ref` followed, and every alternative it allows, each followed too."""
    if not isinstance(node, dict):
        return []
    found = [node]
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/"):
        target = schema
        for part in reference[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        found += _branches(schema, target)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for alternative in node.get(keyword, ()):
            found += _branches(schema, alternative)
    for keyword in ("then", "else"):
        found += _branches(schema, node.get(keyword))
    return found


def _children(schema: dict, node, step) -> list:
    """The schemas that may describe the value one `step` (a key or an index) inside `node`'s."""
    children = []
    for branch in _branches(schema, node):
        if isinstance(step, str):
            children.append(branch.get("properties", {}).get(step))
            children += [
                sub
                for pattern, sub in branch.get("patternProperties", {}).items()
                if re.search(pattern, step)
            ]
            children.append(branch.get("additionalProperties"))
        else:
            prefix = branch.get("prefixItems", ())
            children.append(prefix[step] if step < len(prefix) else branch.get("items"))
    return [child for child in children if isinstance(child, dict)]
