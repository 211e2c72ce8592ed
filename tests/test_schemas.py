"""The JSON Schemas in schemas/ are sound, explain themselves, and accept the shipped YAML.

Editors get completion and inline errors in VS Code from these schemas (each YAML file names its
schema on its first line), so every property must carry a plain-English description, every object
must refuse misspelt keys, and every pattern must come with an `errorMessage` an editor can act on.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
KINDS = ("service", "eligibility", "guide", "checker", "pathway", "form")
SOURCES = {
    "content/service.yaml": "service",
    "content/eligibility.yaml": "eligibility",
    "content/guide.yaml": "guide",
    "content/checker.yaml": "checker",
    "content/pathway.yaml": "pathway",
    "forms/referral.yaml": "form",
}
MODELINE = re.compile(r"^# yaml-language-server: \$schema=\.\./schemas/([a-z]+)\.schema\.json$")


class CoreLoader(yaml.SafeLoader):
    """PyYAML's safe loader limited to YAML 1.2 core scalars, as the project's loader reads them.

    Only true/false, null, decimal integers without leading zeros and floats (with a point or an
    exponent) are typed; yes/no/on/off, dates, octals, sexagesimals and the rest stay strings.
    """


CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        (
            r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?[0-9]+[eE][-+]?[0-9]+"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+0123456789.",
    ),
):
    CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def load_yaml(text: str):
    return yaml.load(text, Loader=CoreLoader)


def load_schema(kind: str) -> dict:
    return json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(kind))


def errors(kind: str, data) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator(kind).iter_errors(data)
    ]


def source(path: str):
    return load_yaml((ROOT / path).read_text(encoding="utf-8"))


# Keywords whose value is one subschema, a list of them, or a name -> subschema map.
ONE = ("items", "additionalProperties", "propertyNames", "if", "then", "else", "not", "contains")
MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
MAPS = ("properties", "$defs", "patternProperties")
CONDITIONAL = ("if", "then", "else", "not", "allOf", "anyOf", "oneOf")


def walk(schema, path="#", conditional=False):
    """Yield (path, subschema, in_condition) for every subschema, through every nesting keyword."""
    if not isinstance(schema, dict):
        return
    yield path, schema, conditional
    for key in ONE:
        if key in schema:
            yield from walk(schema[key], f"{path}/{key}", conditional or key in CONDITIONAL)
    for key in MANY:
        for i, sub in enumerate(schema.get(key, ())):
            yield from walk(sub, f"{path}/{key}/{i}", conditional or key in CONDITIONAL)
    for key in MAPS:
        for name, sub in schema.get(key, {}).items():
            yield from walk(sub, f"{path}/{key}/{name}", conditional)


def named_subschemas(schema):
    """Every property and every $defs entry, anywhere in the schema, with its path."""
    for path, node, _ in walk(schema):
        for key in ("properties", "$defs"):
            for name, sub in node.get(key, {}).items():
                yield f"{path}/{key}/{name}", sub


# --- soundness ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_2020_12(kind):
    schema = load_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://trusted-relationships.invalid/schemas/{kind}.schema.json"
    assert schema.get("title")
    assert schema.get("description", "").strip()


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_and_definition_is_described(kind):
    missing = [
        path
        for path, sub in named_subschemas(load_schema(kind))
        if not (isinstance(sub, dict) and str(sub.get("description") or "").strip())
    ]
    assert not missing, f"{kind}: no description on {missing}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_object_refuses_unknown_keys(kind):
    schema = load_schema(kind)
    assert schema.get("additionalProperties") is False
    open_objects = []
    for path, node, in_condition in walk(schema):
        if "properties" not in node:
            continue
        # A real object definition. Only fragments inside if/then/else/not/allOf may leave
        # it out: there it would refuse the keys the main definition allows.
        real = node.get("type") == "object" or not in_condition
        if real and node.get("additionalProperties") is not False:
            open_objects.append(path)
    assert not open_objects, f"{kind}: additionalProperties is not false at {open_objects}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_pattern_has_an_error_message(kind):
    bare = [
        path
        for path, node, _ in walk(load_schema(kind))
        if "pattern" in node and not str(node.get("errorMessage", "")).strip()
    ]
    assert not bare, f"{kind}: pattern without errorMessage at {bare}"
    for path, node, _ in walk(load_schema(kind)):
        if "pattern" in node:
            assert "\\d" not in node["pattern"], f"{kind}: use [0-9], not \\d, at {path}"


# --- shipped YAML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SOURCES))
def test_yaml_names_its_schema_on_the_first_line(path):
    first = (ROOT / path).read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, (
        f"{path}: the first line should be "
        "'# yaml-language-server: $schema=../schemas/NAME.schema.json'"
    )
    assert match.group(1) == SOURCES[path]
    assert (SCHEMAS / f"{match.group(1)}.schema.json").is_file()


@pytest.mark.parametrize("path", sorted(SOURCES))
def test_shipped_yaml_is_valid(path):
    assert errors(SOURCES[path], source(path)) == []


def test_every_content_file_is_covered():
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "content").glob("*.yaml")}
    assert shipped <= set(SOURCES), f"no schema test for {sorted(shipped - set(SOURCES))}"


def test_core_loader_keeps_yaml_1_1_words_and_dates_as_strings():
    data = load_yaml(
        "a: yes\nb: no\nc: off\nd: 2026-11-26\ne: 17\nf: true\n"
        "g: null\nh: 017\ni: 1.5\nj: 2026\nk: 1e3\n"
    )
    assert data == {
        "a": "yes",
        "b": "no",
        "c": "off",
        "d": "2026-11-26",
        "e": 17,
        "f": True,
        "g": None,
        "h": "017",
        "i": 1.5,
        "j": 2026,
        "k": 1000.0,
    }


# --- mistakes refused -----------------------------------------------------------------------------


def test_misspelt_key_is_refused():
    guide = source("content/guide.yaml")
    guide["titel"] = "x"
    assert any("titel" in e for e in errors("guide", guide))


def _field(form, field_id):
    for section in form["sections"]:
        for item in section["fields"]:
            if item["id"] == field_id:
                return item
    raise KeyError(field_id)


def _mutated(path, change):
    data = copy.deepcopy(source(path))
    change(data)
    return data


SERVICE, ELIGIBILITY = "content/service.yaml", "content/eligibility.yaml"
GUIDE, CHECKER, PATHWAY = "content/guide.yaml", "content/checker.yaml", "content/pathway.yaml"
FORM = "forms/referral.yaml"
TWO_BRANCHES = [{"label": "a", "to": "b"}, {"label": "c", "to": "d"}]

MISTAKES = {
    "misspelt nested key": (GUIDE, lambda d: d["sections"][0].update(bdy="x")),
    "missing required key": (GUIDE, lambda d: d["sections"][0].pop("title")),
    "id with capitals": (GUIDE, lambda d: d["sections"][0].update(id="WhatIs")),
    "id starting with a digit": (CHECKER, lambda d: d.update(start="1st")),
    "empty text": (GUIDE, lambda d: d.update(kind="")),
    "date as a number": (GUIDE, lambda d: d["dates"].update(published=2026)),
    "date in another format": (GUIDE, lambda d: d["dates"].update(published="26/11/2026")),
    "age too high": (ELIGIBILITY, lambda d: d.update(upper_age=26)),
    "age as text": (ELIGIBILITY, lambda d: d.update(upper_age="17")),
    "no risk statuses": (ELIGIBILITY, lambda d: d["lists"]["risk_statuses"].update(items=[])),
    "main not a boolean": (
        ELIGIBILITY,
        lambda d: d["lists"]["exploitation_types"]["items"][0].update(main="yes"),
    ),
    "unknown outcome result": (CHECKER, lambda d: d["outcomes"][0].update(result="maybe")),
    "question with one option": (
        CHECKER,
        lambda d: d["questions"].append(
            {
                "id": "extra",
                "text": "Anything else?",
                "options": [{"id": "a", "label": "A", "next": "refer"}],
            }
        ),
    ),
    "misspelt service key": (SERVICE, lambda d: d["contacts"][0].update(phone="01609")),
    "bad email": (SERVICE, lambda d: d["contacts"][0].update(email="Mike Lord")),
    "unknown step kind": (PATHWAY, lambda d: d["steps"][1].update(kind="box")),
    "decision without branches": (PATHWAY, lambda d: d["steps"][4].pop("branches")),
    "decision with one branch": (PATHWAY, lambda d: d["steps"][4]["branches"].pop()),
    "end with next": (PATHWAY, lambda d: d["steps"][-1].update(next="concern")),
    "end with branches": (PATHWAY, lambda d: d["steps"][-1].update(branches=TWO_BRANCHES)),
    "unknown field type": (FORM, lambda d: _field(d, "full_name").update(type="number")),
    "radios without options": (FORM, lambda d: _field(d, "gender").pop("options")),
    "radios with options and options_from": (
        FORM,
        lambda d: _field(d, "gender").update(options_from="yes_no"),
    ),
    "text with options": (FORM, lambda d: _field(d, "full_name").update(options_from="yes_no")),
    "group without item_name": (FORM, lambda d: _field(d, "other_agencies").pop("item_name")),
    "group without fields": (FORM, lambda d: _field(d, "other_agencies").pop("fields")),
    "text with fields": (
        FORM,
        lambda d: _field(d, "full_name").update(fields=[copy.deepcopy(_field(d, "ethnicity"))]),
    ),
    "misspelt key inside a group item": (
        FORM,
        lambda d: _field(d, "other_agencies")["fields"][0].update(lable="x"),
    ),
    "show_if with no answers": (
        FORM,
        lambda d: _field(d, "gender_description")["show_if"].update({"in": []}),
    ),
    "max_length zero": (FORM, lambda d: _field(d, "lcs_person_id").update(max_length=0)),
    "option list named with a hyphen": (
        FORM,
        lambda d: d["option_lists"].update({"yes-no": [{"id": "yes", "label": "Yes"}]}),
    ),
    "optional as text": (FORM, lambda d: _field(d, "other_names").update(optional="yes")),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_mistake_is_refused(mistake):
    path, change = MISTAKES[mistake]
    assert errors(SOURCES[path], _mutated(path, change)), f"{mistake} was accepted"
