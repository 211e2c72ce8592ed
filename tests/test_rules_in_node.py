"""Python and the page agree without a browser: the page's own rule interpreter
(generator/static/js/form/rules.mjs), loaded by Node, has a check for every rule kind the compiler
writes, as `generator.rules.interpret` has, and runs the rule table on every fixture and on
generated answers and finds what `interpret` finds; and ajv 8 (an independent draft 2020-12
validator) and `jsonschema` agree on the published schema."""

from __future__ import annotations

import base64
import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from hostile_drafts import SETTINGS as DRAFT_SETTINGS
from hostile_drafts import draft_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.rules import interpret
from generator.rules.form_schema import build_submission_schema
from generator.rules.submission import (
    build_rules,
    criteria_report,
    load_submission,
    parse_submission,
    validate_submission,
)
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
FIXTURES = sorted(SUBMISSIONS.glob("*/*.json")) + [
    ROOT / "forms" / "examples" / "referral-example.json"
]
OTHER_SERVICE = Path(__file__).resolve().parent / "fixtures" / "other-service"
# Every form the tests compile: ours and the two other services'.
FORM_ROOTS = [ROOT, OTHER_SERVICE, Path(__file__).resolve().parent / "fixtures" / "money-advice"]
TODAY = datetime.date(2026, 11, 26).isoformat()

NODE = shutil.which("node")
if NODE is None or not (ROOT / "node_modules" / "ajv").is_dir():
    pytest.fail("Node and node_modules/ajv are needed: run `make node_modules/.installed` (npm ci)")


class Node:
    """One Node process running tests/rules_node.js, asked one line at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [NODE, str(Path(__file__).with_name("rules_node.js"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def node():
    bridge = Node()
    yield bridge
    bridge.close()


@pytest.fixture(scope="module")
def form():
    return load_project(ROOT).form


def _parsed(path: Path):
    data, problems = load_submission(path)
    return data if not problems else None


PARSED = [p for p in FIXTURES if isinstance(_parsed(p), dict)]


def _python(form, data) -> dict:
    table = build_rules(form)
    found = interpret.run(table, data, TODAY)
    return {
        "problems": [[key, list(path), check, message] for key, path, check, message in found],
        "criteria": interpret.criteria(table, data),
    }


def _agree(node, form, data, text: str | None = None) -> dict:
    """`text`: the file as saved, which the page parses itself (a 5,000-digit number has no
    JSON spelling once Python has read it as a float)."""
    ours = _python(form, data)
    request = {"run": build_rules(form), "today": TODAY}
    request.update({"data_text": text} if text is not None else {"data": data})
    theirs = node.ask(request)
    assert theirs == ours
    return ours


def test_every_rule_kind_has_one_check_on_each_side(node):
    """A rule kind is one entry in each interpreter's CHECKS: one the compiler writes and either
    side lacks would pass every answer silently, so a kind added on one side only fails here."""
    written = {
        row["check"] for root in FORM_ROOTS for row in build_rules(load_project(root).form)["rules"]
    }
    # `criterion` has no entry: `criteria` weighs it, after every other row, on both sides.
    assert "criterion" in written and "criterion" not in interpret.CHECKS
    kinds = written - {"criterion"}
    python, page = set(interpret.CHECKS), set(node.ask({"checks": True})["checks"])
    assert kinds - python == set(), "written by the compiler, missing from interpret.CHECKS"
    assert kinds - page == set(), "written by the compiler, missing from form/rules.mjs CHECKS"
    # And no entry no form uses, so each kind has a form here that the comparisons below run.
    assert python == page == kinds


def test_every_fixture_is_read(form):
    assert len(PARSED) >= 25


@pytest.mark.parametrize("path", PARSED, ids=[p.stem for p in PARSED])
def test_the_page_and_python_agree_on_every_fixture(node, form, path):
    _agree(node, form, _parsed(path), path.read_text(encoding="utf-8"))


def test_they_agree_on_a_criterion_not_met(node, form):
    data = json.loads((ROOT / "forms" / "examples" / "referral-example.json").read_text())
    found = _agree(node, form, {**data, "mace_recommended": "no"})
    assert [p[2] for p in found["problems"]] == ["criterion"]
    assert [c["met"] for c in found["criteria"]].count(False) == 1


EDGES = [
    {"cera_date": TODAY},  # today is not in the future
    {"cera_date": "2026-11-27"},
    {"date_of_birth": "2008-10-05"},  # 18 on the referral date
    {"date_of_birth": "2008-10-06"},  # 17 until the next day
    {"date_of_birth": "2026-10-05"},  # born on the referral date
    {"date_of_birth": "2026-10-06"},  # after it
    {"exploitation_types": ["cse"]},
    {"parent_agrees": "not_applicable"},
    {"young_person_agrees": "no", "parent_agrees": "no"},
    {"other_agencies": [{"agency": "A", "x": 1}, 3, {"__proto__": "y", "constructor": "z"}]},
    {"constructor": 1, "__proto__": 2, "toString": 3},
    # Unknown keys sort by code point on both sides (JavaScript's "<" compares UTF-16 units,
    # which puts U+1F600 before U+FF01).
    {"\uff01": 1, "\U0001f600": 2, "a": 3, "\U0001f600a": 4, "\ufb01": 5},
    # maxLength counts code points, as Python's len(): 20 emoji are 20 characters, 40 UTF-16 units.
    {"lcs_person_id": "\U0001f600" * 20},
    {"lcs_person_id": "\U0001f600" * 21},
    {"other_agencies": [{"agency": "\U0001f600" * 300, "role": "x" * 301}]},
    # Keys that spell a path are no question, and hide no problem of the answer they spell.
    {
        "other_agencies": [{"agency": 5, "x": 1}],
        "other_agencies.0.agency": 1,
        "other_agencies.0.x": 1,
        "other_agencies.*.agency": 2,
        "other_agencies.*": 3,
        "criterion.age": 4,
        "full_name.x": 5,
    },
]


@pytest.mark.parametrize("change", EDGES, ids=[json.dumps(e)[:40] for e in EDGES])
def test_they_agree_on_the_edges(node, form, change):
    data = json.loads((ROOT / "forms" / "examples" / "referral-example.json").read_text())
    _agree(node, form, {**data, **change})
    _agree(node, form, {"form": "referral", "status": "draft", **change})


def test_another_service_agrees_too(node):
    other = load_project(OTHER_SERVICE).form
    data = {
        "form": other.id,
        "status": "complete",
        "birth_date": "2000-01-01",
        "request_date": "2026-01-01",
        "consent": "no",
        "consent_note": "x",
    }
    found = _agree(node, other, data)
    assert {p[0] for p in found["problems"]} >= {"criterion.age", "criterion.consent"}


_ANSWER = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "yes",
            "no",
            "not_applicable",
            "cce",
            "medium",
            "other",
            "2011-03-27",
            "2026-02-30",
            "2030-01-01",
            "2008-10-05",
            TODAY,
            "2026-11-27",
            "",
            " ",
        ]
    ),
    st.lists(st.sampled_from(["cce", "cse", "oce", "x"]), max_size=3),
    st.integers(),
    st.booleans(),
    st.none(),
    st.lists(
        st.dictionaries(
            st.sampled_from(["agency", "contact", "role", "x"]),
            st.one_of(st.text(max_size=5), st.integers()),
            max_size=3,
        ),
        max_size=3,
    ),
)


@pytest.fixture(scope="module")
def answers(form):
    keys = ["form", "status", "saved_at", "zzz", *(f.id for f in form.all_fields())]
    values = {
        "form": st.sampled_from([form.id, "other"]),
        "status": st.sampled_from(["draft", "complete", "x"]),
    }
    return st.dictionaries(
        st.sampled_from(keys), st.one_of(_ANSWER, *values.values()), max_size=len(keys)
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_page_and_python_agree_on_generated_answers(node, form, answers, data):
    example = json.loads((ROOT / "forms" / "examples" / "referral-example.json").read_text())
    # Half start from the complete example and change some answers, so criteria are reached.
    base = example if data.draw(st.booleans()) else {}
    _agree(node, form, {**base, **data.draw(answers)})


def _schema_valid(schema, data) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(data)


@pytest.mark.parametrize("path", PARSED, ids=[p.stem for p in PARSED])
def test_ajv_and_jsonschema_agree_on_every_fixture(node, form, path):
    schema = build_submission_schema(form)
    data = _parsed(path)
    answer = node.ask({"schema": schema, "data_text": path.read_text(encoding="utf-8")})
    assert answer["valid"] is _schema_valid(schema, data)


def test_the_schema_accepts_what_only_the_table_refuses(node, form):
    """The three invalid fixtures ajv accepts: the table refuses them, as the $comment says."""
    schema = build_submission_schema(form)
    accepted = []
    for path in sorted((SUBMISSIONS / "invalid").glob("*.json")):
        data = _parsed(path)
        if not isinstance(data, dict):
            continue  # not a set of answers: refused before any schema is asked
        text = path.read_text(encoding="utf-8")
        if node.ask({"schema": schema, "data_text": text})["valid"]:
            accepted.append(path.stem)
            checks = {check for _, _, check, _ in interpret.run(build_rules(form), data, TODAY)}
            assert checks and checks <= {"date", "future", "not_after", "criterion"}, path.stem
            assert validate_submission(form, data, today=TODAY)
    assert {
        "aged-18-on-the-referral-date",
        "born-on-29-february-18-on-1-march",
        "born-after-the-referral-date",
    } <= set(accepted)
    for name in ("date", "future", "not_after", "criterion"):
        assert f"`{name}`" in schema["$comment"]


def test_a_draft_reports_criteria_without_problems(form):
    data = {"form": "referral", "status": "draft", "mace_recommended": "no"}
    assert validate_submission(form, data, today=TODAY) == []
    report = {c["id"]: c["met"] for c in criteria_report(form, data, today=TODAY)}
    assert report["mace_recommends"] is False and report["age"] is None


def _python_reads(form, raw: bytes) -> list[dict]:
    """What `validate` lists for a file: why it cannot be read, or every problem in it."""
    data, problems = parse_submission(raw)
    if not problems:
        problems = validate_submission(form, data, today=TODAY)
    return [p.as_dict() for p in problems]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")), **DRAFT_SETTINGS)
@given(file=draft_files())
def test_the_page_reads_any_hostile_draft_as_validate_does(node, form, file):
    """Issue 18: whatever a saved file holds, the page's own reader (problems.mjs) refuses it in
    the words `validate` uses, or lists exactly the problems `validate` lists, in its order, and
    never throws (the bridge would answer nothing)."""
    raw, _how = file
    request = {"read": build_rules(form), "base64": base64.b64encode(raw).decode(), "today": TODAY}
    assert node.ask(request)["problems"] == _python_reads(form, raw)


@pytest.mark.parametrize(
    "path", sorted(SUBMISSIONS.glob("*/*.json")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_the_page_reads_every_fixture_file_as_validate_does(node, form, path):
    raw = path.read_bytes()
    request = {"read": build_rules(form), "base64": base64.b64encode(raw).decode(), "today": TODAY}
    assert node.ask(request)["problems"] == _python_reads(form, raw)
