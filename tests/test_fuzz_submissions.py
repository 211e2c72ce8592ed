"""Mutated referral submissions never crash anything that reads them: `validate_submission`, the
filled-referral renderer (its HTML for every example, the PDF for some) and the `validate` and `pdf`
commands, which answer 0 or 1 with plain messages and never "Something went wrong".

Each example starts from a real submission (the fictional example and the valid and invalid
fixtures) and applies a few mutations: answers removed, replaced by JSON of any shape, by hostile
text, by odd dates or numbers, groups and lists broken, the file's own details changed. The
renderer gets answers as they come out of a saved file (`parse_submission`), as the command does.

`make test` runs FUZZ_EXAMPLES=200 (the default) per test; the hardening run asks for 1000. Slower
tests have their own numbers: FUZZ_PDF_EXAMPLES (default 10; a PDF takes 0.1-0.5 s) and
FUZZ_COMMAND_EXAMPLES (default a fifth of FUZZ_EXAMPLES; each command loads the project, 0.07 s).
"""

from __future__ import annotations

import datetime
import io
import json
import os
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator import cli
from generator.render.pdf import filled_referral_html, render_filled_referral_pdf
from generator.rules.submission import (
    SubmissionProblem,
    applicable_fields,
    count_unanswered,
    drop_inapplicable,
    parse_submission,
    validate_submission,
)
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
PDF_EXAMPLES = int(os.environ.get("FUZZ_PDF_EXAMPLES", "10"))
COMMAND_EXAMPLES = int(os.environ.get("FUZZ_COMMAND_EXAMPLES", str(max(EXAMPLES // 5, 20))))
GENERATED_AT = datetime.datetime(2026, 11, 26, 14, 3, tzinfo=datetime.UTC)
FUZZ_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
}

PROJECT = load_project(ROOT)
FORM = PROJECT.form
FIELDS = {f.id: f for f in FORM.all_fields()}


def _bases() -> list[dict]:
    files = [ROOT / "forms" / "examples" / "referral-example.json"]
    files += sorted((ROOT / "tests" / "submissions").glob("*/*.json"))
    bases = []
    for path in files:
        data, _ = parse_submission(path.read_bytes())
        if isinstance(data, dict):
            bases.append(data)
    return bases


BASES = _bases()
HOSTILE = [
    entry["text"] * min(entry.get("repeat", 1), 2000)
    for entry in json.loads(
        (ROOT / "tests" / "fixtures" / "hostile-strings.json").read_text(encoding="utf-8")
    )["strings"]
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
odd_dates = st.sampled_from(
    ["2026-02-30", "2026-13-01", "0000-01-01", "0001-01-01", "9999-12-31", "2026-1-1", "26-11-2026",
     "2026-11-26T10:00:00", "+02026-11-26", "2026/11/26", "2024-02-29", "2023-02-29", "", " ",
     "2026-11-26\n", "２０２６-１１-２６", "2026-11-3\u0661"]
)  # fmt: skip
odd_text = (
    st.sampled_from(HOSTILE)
    | st.text(max_size=40)
    | st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)
    | st.sampled_from(
        ["\ud800", "a\udfffb", "\u0000", "\u202e", "x" * 20_000, "\n" * 500, "—" * 100]
    )
)


def _option_ids(field) -> list[str]:
    return [o.id for o in field.options] or ["yes", "no"]


@st.composite
def answer_for(draw, field_id: str):
    """A value for one answer: often of the right kind but wrong, sometimes anything at all."""
    field = FIELDS.get(field_id)
    kind = field.type if field else "text"
    if kind == "date":
        plausible = odd_dates | st.dates().map(str)
    elif kind == "radios":
        plausible = st.sampled_from(_option_ids(field)) | odd_text
    elif kind == "checkboxes":
        plausible = st.lists(st.sampled_from(_option_ids(field)) | odd_text, max_size=6)
    elif kind == "group":
        sub_ids = [s.id for s in field.fields]
        item = st.dictionaries(
            st.sampled_from(sub_ids) | st.text(max_size=8), odd_text | json_values, max_size=4
        )
        plausible = st.lists(item | json_values, max_size=12)
    else:
        plausible = odd_text
    return draw(plausible | json_values)


KEYS = st.sampled_from(
    sorted(FIELDS) + ["form", "status", "saved_at", "__proto__", "constructor", ""]
)


@st.composite
def mutated_submission(draw) -> object:
    data = dict(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["delete", "replace", "replace", "add", "file", "shape"]))
        if operation == "delete" and data:
            del data[draw(st.sampled_from(sorted(data)))]
        elif operation in ("replace", "add"):
            key = draw(KEYS if operation == "replace" else st.text(max_size=12) | KEYS)
            data[key] = draw(answer_for(key))
        elif operation == "file":
            odd_file_details = st.sampled_from(
                ["referral", "draft", "complete", "Complete", "", "2026-11-26T25:00Z",
                 "2026-11-26T10:00:00+14:00", "9999-12-31T23:59:59Z"]
            )  # fmt: skip
            key = draw(st.sampled_from(["form", "status", "saved_at"]))
            data[key] = draw(odd_file_details | json_values)
        else:
            return draw(json_values)  # not an object at all
    return data


VALID_BASES = [b for b in BASES if not validate_submission(FORM, b)] or BASES
TEXT_FIELDS = sorted(
    f.id for f in FORM.all_fields() if f.type not in ("date", "radios", "checkboxes", "group")
)


@st.composite
def submission_with_odd_text(draw) -> dict:
    """A valid submission with some free-text answers replaced by hostile or unusual text: most
    stay valid, so the `pdf` command prints them."""
    data = dict(draw(st.sampled_from(VALID_BASES)))
    for key in draw(st.lists(st.sampled_from(TEXT_FIELDS), min_size=1, max_size=4, unique=True)):
        data[key] = draw(odd_text)
    return data


# Found by this fuzzing: JSON may spell a lone surrogate ("\\ud800"), which is no character at all;
# `pdf` crashed on it. Files holding one are now refused as they are read.
LONE_SURROGATE = {**VALID_BASES[0], "other_names": "\ud800"}


def as_read_from_a_file(data) -> dict | None:
    """What the commands hand on after reading these answers from a saved file (None: refused)."""
    read, _ = parse_submission(json.dumps(data).encode("utf-8"))
    return read


def _check_problems(problems) -> None:
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, SubmissionProblem)
        assert str(problem).strip() and "Traceback" not in str(problem)


@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
@given(data=mutated_submission() | submission_with_odd_text(), today=st.dates() | st.none())
def test_validate_never_raises(data, today):
    _check_problems(validate_submission(FORM, data, today=today))
    if isinstance(data, dict):
        applicable_fields(FORM, data)
        drop_inapplicable(FORM, data)
        count_unanswered(FORM, data)


@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
@given(data=mutated_submission().filter(lambda d: isinstance(d, dict)) | submission_with_odd_text())
def test_the_filled_referral_html_never_raises(data):
    data = as_read_from_a_file(data)
    assume(data is not None)
    html = filled_referral_html(PROJECT, data, GENERATED_AT)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "<script" not in html.lower(), "markup in an answer must come out as text"


@settings(max_examples=PDF_EXAMPLES, **FUZZ_SETTINGS)
@given(data=mutated_submission().filter(lambda d: isinstance(d, dict)) | submission_with_odd_text())
def test_the_filled_referral_pdf_never_raises(data):
    data = as_read_from_a_file(data)
    assume(data is not None)
    pdf = render_filled_referral_pdf(PROJECT, data, GENERATED_AT)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) >= 1


def _as_file(value, escaped: bool, prefix: bytes | None) -> bytes:
    """The bytes of a saved file: JSON, non-ASCII written as \\u escapes or as UTF-8 (where a lone
    surrogate becomes bytes that are not UTF-8), maybe after a stray prefix."""
    raw = json.dumps(value, ensure_ascii=escaped).encode("utf-8", "surrogatepass")
    return (prefix or b"") + raw


@pytest.fixture(scope="module")
def command_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-commands")


@settings(max_examples=COMMAND_EXAMPLES, **FUZZ_SETTINGS)
@given(
    data=mutated_submission() | submission_with_odd_text(),
    prefix=st.none() | st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"{", b"]"]),
    escaped=st.booleans(),
    validate_options=st.sampled_from([[], ["--json"], ["--today", "2026-11-26"]]),
)
@example(data=LONE_SURROGATE, prefix=None, escaped=True, validate_options=[])
def test_the_validate_and_pdf_commands_answer_0_or_1_and_never_crash(
    data, prefix, escaped, validate_options, command_folder, capsys
):
    path = command_folder / "submission.json"
    path.write_bytes(_as_file(data, escaped, prefix))
    output = command_folder / "submission.pdf"
    output.unlink(missing_ok=True)
    for argv in (["validate", *validate_options, str(path)], ["pdf", str(path), "-o", str(output)]):
        code = cli.main(["--root", str(ROOT), *argv])
        printed = capsys.readouterr()
        assert code in (0, 1), f"{argv[0]} exited {code}: {printed.err[-500:]}"
        assert "Something went wrong" not in printed.err and "Traceback" not in printed.err
        if argv[0] == "pdf":
            assert (code == 0) == output.is_file(), "a PDF must be written exactly when it succeeds"
