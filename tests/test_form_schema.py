"""The submission schema: valid 2020-12, built from the model, read alike by Python and JS."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from generator.render.form_site import render_files, schema_id
from generator.rules.form_schema import (
    ANSWERED_PATTERN,
    DATE_PATTERN,
    DATE_TIME_PATTERN,
    EMAIL_PATTERN,
    KEYWORDS,
    TEL_PATTERN,
    build_submission_schema,
)
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
OTHER_SERVICE = Path(__file__).resolve().parent / "fixtures" / "other-service"


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def schema(project):
    return build_submission_schema(project.form, schema_id(project))


def _walk(node, path=()):
    """Yield (path, schema object) for every schema object inside `node`."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("properties",):
                for name, sub in value.items():
                    yield from _walk(sub, path + (key, name))
            elif key in ("enum", "required", "const"):
                continue
            else:
                yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


@pytest.mark.parametrize("root", [ROOT, OTHER_SERVICE], ids=["this service", "another service"])
def test_schema_is_valid_against_the_2020_12_metaschema(root):
    project = load_project(root)
    schema = build_submission_schema(project.form, schema_id(project))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://") and schema["title"] == project.form.title


def test_the_page_links_the_published_schema_and_runs_the_published_rules(project):
    # Read from the page as a browser gets it: the rule table its script runs (data-tr-rules) and
    # the schema it links must be the files published beside it for receiving systems.
    files = render_files(project, None)
    page = files["referral-form.md"]
    assert "](forms/referral.schema.json)" in page, "the page does not link the published schema"
    embedded = re.findall(r'data-tr-rules="([^"]*)"', page)
    assert len(embedded) == 1, "the page should embed exactly one rule table"
    page_rules = json.loads(html.unescape(embedded[0]))
    published_schema = json.loads(files["forms/referral.schema.json"])
    published_rules = json.loads(files["forms/referral.rules.json"])
    assert published_rules["schema"] == published_schema["$id"]
    for key in ("form", "rules", "places"):
        assert page_rules[key] == published_rules[key], key
    # Every question the page's rules know is a property of the published schema, and back.
    assert set(page_rules["order"]) == set(published_schema["properties"])


def test_only_the_keywords_the_page_checker_knows_are_used(schema):
    used = {key for _, node in _walk(schema) for key in node}
    assert used <= KEYWORDS, f"the page's checker does not know {sorted(used - KEYWORDS)}"


def test_every_question_has_a_title_and_description_from_the_form(project, schema):
    for field in project.form.all_fields():
        prop = schema["properties"][field.id]
        assert prop["title"] == field.label
        if field.hint:
            assert field.hint in prop["description"]
    assert "Optional." in schema["properties"]["other_names"]["description"]


def test_no_unknown_keys_are_allowed(schema):
    assert schema["additionalProperties"] is False
    group = schema["properties"]["other_agencies"]["items"]
    assert group["additionalProperties"] is False


def test_enums_reuse_the_eligibility_facts(project, schema):
    risk = [c.id for c in project.eligibility.lists["risk_statuses"]]
    types = [c.id for c in project.eligibility.lists["exploitation_types"]]
    assert schema["properties"]["risk_status"]["enum"] == risk
    assert schema["properties"]["exploitation_types"]["items"]["enum"] == types


def test_changing_a_fact_changes_the_schema(project):
    fewer = replace(
        project.form.find_field("risk_status"),
        options=project.eligibility.lists["risk_statuses"][:2],
    )
    section = project.form.section_of("risk_status")
    changed = replace(
        section, fields=tuple(fewer if f.id == "risk_status" else f for f in section.fields)
    )
    form = replace(
        project.form,
        sections=tuple(changed if s.id == section.id else s for s in project.form.sections),
    )
    enum = build_submission_schema(form)["properties"]["risk_status"]["enum"]
    assert enum == [c.id for c in project.eligibility.lists["risk_statuses"][:2]]


def test_each_conditional_rule_lists_its_trigger_under_required(schema):
    assert schema["allOf"], "the form has conditional questions, so the schema has rules"
    for rule in schema["allOf"]:
        condition = rule["if"]
        assert set(condition["properties"]) <= set(condition["required"]), rule


def test_an_empty_draft_triggers_no_requirement(schema):
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors({"form": "referral", "status": "draft"})) == []


def test_conditional_questions_are_required_only_when_they_apply(schema):
    validator = jsonschema.Draft202012Validator(schema)
    base = json.loads((ROOT / "forms/examples/referral-example.json").read_text())
    other = {**base, "gender": "other"}
    assert [e.validator for e in validator.iter_errors(other)] == ["required"]
    assert list(validator.iter_errors({**other, "gender_description": "Fictional"})) == []
    assert [e.validator for e in validator.iter_errors({**base, "gender_description": "x"})] == [
        "not"
    ]


def test_chained_conditions_depend_on_every_question_above(chain_form):
    from generator.rules.form_schema import conditions_for

    form = chain_form
    applies = conditions_for(form, form.sections[0].fields[2])
    assert applies["required"] == ["a", "b"]
    assert applies["properties"]["b"] == {"type": "array", "contains": {"enum": ["no"]}}
    validator = jsonschema.Draft202012Validator(build_submission_schema(form))
    # b is answered but does not apply (a is "no"): both b and c are refused.
    data = {"form": "chain", "status": "draft", "a": "no", "b": ["no"], "c": "x"}
    assert sorted(e.validator_value["required"][0] for e in validator.iter_errors(data)) == [
        "b",
        "c",
    ]


def test_question_ids_may_not_clash_with_the_file_details(project):
    clash = replace(project.form.find_field("full_name"), id="status")
    section = project.form.sections[1]
    form = replace(project.form, sections=(replace(section, fields=(clash,)),))
    with pytest.raises(ValueError, match="reserved"):
        build_submission_schema(form)


PATTERN_SAMPLES = {
    DATE_PATTERN: ["2026-03-27", "2026-3-27", "2026-03-27\n", "٢٠٢٦-03-27", "x2026-03-27", ""],
    DATE_TIME_PATTERN: [
        "2026-03-27T14:05:00Z",
        "2026-03-27T14:05:00.123Z",
        "2026-03-27T14:05+01:00",
        "2026-03-27",
        "2026-03-27T14:05:00Z\n",
    ],
    EMAIL_PATTERN: [
        "name@example.com",
        "name@example",
        "a b@example.com",
        "name@example.com\n",
        "name@@example.com",
        "name@example.com ",
    ],
    TEL_PATTERN: [
        "01632 960 001",
        "+44 808 157 0192",
        "(01632) 960-001",
        "960 001",
        "01632 960 001\n",
        "٠١٦٣٢٩٦٠٠٠١",
        "01632 960 001 ext 4",
    ],
    ANSWERED_PATTERN: [
        "x",
        " ",
        "\n\t ",
        " x ",
        "",
        # Made only of characters nobody sees: no answer (issue 20).
        "\u00a0\u3000",
        "\u200c\u200d",
        "\u3164",
        "\ufe0f",
        "\u0085",
        "\U000e0001",
        "\U0001d173",
        # A character seen beside them is an answer.
        "\U0001f600",
        "a\u200d",
        "\u2800",
        "\U0001bc9f",
    ],
}


def test_regular_expressions_read_alike_in_python_and_javascript():
    node = shutil.which("node")
    assert node, "node is needed to compare the regular expressions with JavaScript's"
    cases = [(p, s) for p, samples in PATTERN_SAMPLES.items() for s in samples]
    script = (
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(([p, s]) => new RegExp(p, 'u').test(s))));"
    )
    result = subprocess.run(
        [node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    in_javascript = json.loads(result.stdout)
    in_python = [re.search(p, s) is not None for p, s in cases]
    assert in_python == in_javascript
    # And they say what they mean.
    assert dict(zip([s for _, s in cases], in_python, strict=True))["2026-03-27\n"] is False
    assert re.search(EMAIL_PATTERN, "name@example.com\n") is None
