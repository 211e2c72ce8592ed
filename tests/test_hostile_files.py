"""Hostile files: a named pipe, /dev/zero, a folder, deep nesting, huge numbers and a mistyped `-o`.

Each command must return promptly with a plain message and exit 1, reading nothing unbounded; the
commands run in a subprocess with a timeout (a hang fails the test instead of hanging the suite)
and a cap on memory (reading /dev/zero whole fails the test instead of filling the machine).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import cli
from generator.rules.submission import FILE_MESSAGES, MAX_DEPTH, parse_submission
from generator.sources import reading
from generator.sources.reading import FileRefused, read_regular_file
from generator.sources.yamlsource import MAX_NODES, read_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "forms" / "examples" / "referral-example.json"
TODAY = "2026-11-26"
TIMEOUT = 60  # seconds: a command takes about one (ten on a busy machine); a hang never ends
# Bytes of address space: the commands use well under 1 GB, but the Go runtime of the minifier
# reserves address space for each thread it starts, and failed to start one under 1.5 GB on a busy
# machine; an unbounded read of /dev/zero still reaches 4 GB within seconds.
MEMORY = 4 << 30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *argv],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=_limit_memory,
        check=False,
    )


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's sources, to plant hostile files in."""
    root = tmp_path / "project"
    for folder in ("content", "forms", "schemas"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


# --- Sources --------------------------------------------------------------------------------------

NOT_REGULAR_SOURCE = (
    "content/guide.yaml: this is not a regular file (it is a named pipe, a device or a socket): "
    "put the YAML file itself here"
)


def _replace_with_pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _replace_with_link_to_zero(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


@pytest.mark.parametrize(
    "plant", [_replace_with_pipe, _replace_with_link_to_zero], ids=["pipe", "zero"]
)
def test_check_refuses_a_source_that_is_not_a_regular_file(project_copy: Path, plant):
    plant(project_copy / "content" / "guide.yaml")
    result = run("--root", str(project_copy), "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == NOT_REGULAR_SOURCE
    assert "Traceback" not in result.stderr and "Something went wrong" not in result.stderr


def test_a_folder_as_a_source_is_named_as_one(project_copy: Path):
    from generator.sources.load import check_sources

    guide = project_copy / "content" / "guide.yaml"
    guide.unlink()
    guide.mkdir()
    assert [str(p) for p in check_sources(project_copy)] == [
        "content/guide.yaml: this is a folder, not a file: put the YAML file itself here"
    ]


def test_a_source_growing_past_the_limit_is_read_no_further(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a" * 5000)
    with pytest.raises(FileRefused) as refused:
        read_regular_file(path, 4096)
    assert refused.value.reason == reading.TOO_LARGE and refused.value.size == 5000
    assert read_regular_file(path, 5000) == b"a" * 5000


def test_a_billion_laughs_is_refused_at_once():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    started = time.monotonic()
    document, problems = read_yaml("\n".join(lines).encode(), "content/guide.yaml")
    assert document is None
    assert [str(p) for p in problems] == [
        (
            "content/guide.yaml:1:5: YAML anchors and aliases (& and *) are not allowed; "
            "write the value out in full"
        )
    ]
    assert time.monotonic() - started < 1


def test_a_file_of_too_many_values_is_refused_before_it_is_built():
    raw = b"summary: [" + b"1," * MAX_NODES + b"]\n"
    document, problems = read_yaml(raw, "content/guide.yaml")
    assert document is None
    # The mapping, its key and the list count first: the value past the limit is number MAX_NODES - 2.
    column = len("summary: [") + 1 + 2 * (MAX_NODES - 3)
    assert [str(p) for p in problems] == [
        (
            f"content/guide.yaml:1:{column}: the file holds more than "
            "200,000 values; no source needs so many: split it or remove repeated content"
        )
    ]


def test_nesting_deep_enough_to_crash_the_parser_is_refused():
    """100,000 brackets crash libyaml's composer outright (a segmentation fault, not an error)."""
    document, problems = read_yaml(b"a: " + b"[" * 100_000, "content/guide.yaml")
    assert document is None
    assert [str(p) for p in problems] == [
        (
            "content/guide.yaml:1:53: the values here are nested more than 50 levels deep (lists or keys "
            "inside one another); no source needs so many"
        )
    ]


# --- Saved referrals ------------------------------------------------------------------------------

NOT_REGULAR_SUBMISSION = (
    "This is not a saved form: it is not a regular file (it is a named pipe, a device or a socket)"
)


@pytest.fixture
def pipe(tmp_path: Path) -> Path:
    path = tmp_path / "referral.json"
    os.mkfifo(path)
    return path


@pytest.fixture
def zero(tmp_path: Path) -> Path:
    path = tmp_path / "referral.json"
    path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize("command", ["validate", "pdf"])
@pytest.mark.parametrize("kind", ["pipe", "zero"])
def test_a_saved_referral_that_is_not_a_regular_file_is_refused(request, command, kind):
    path = request.getfixturevalue(kind)
    result = run(command, str(path), "--today", TODAY)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == NOT_REGULAR_SUBMISSION
    assert "Traceback" not in result.stderr and "Something went wrong" not in result.stderr
    assert not path.with_suffix(".pdf").exists()


def _saved(tmp_path: Path, raw: bytes) -> Path:
    path = tmp_path / "referral.json"
    path.write_bytes(raw)
    return path


def test_validate_calls_deeply_nested_answers_not_a_saved_form(tmp_path, capsys):
    raw = (
        b'{"form": "referral", "status": "draft", "full_name": '
        + b"[" * 20_000
        + b"]" * 20_000
        + b"}"
    )
    assert cli.main(["--root", str(ROOT), "validate", str(_saved(tmp_path, raw))]) == 1
    assert capsys.readouterr().err.splitlines()[0] == FILE_MESSAGES["not_json"]


def test_nesting_is_measured_outside_strings_only():
    text = "[" * 200
    raw = json.dumps({"form": "referral", "status": "draft", "full_name": text}).encode()
    data, problems = parse_submission(raw)
    assert problems == [] and data["full_name"] == text
    # As deep as a well-formed file may go (an empty innermost list): read, then found not to be
    # answers; one level more is refused before parsing.
    deepest = MAX_DEPTH + 1
    assert [str(p) for p in parse_submission(b"[" * deepest + b"]" * deepest)[1]] == [
        FILE_MESSAGES["not_object"]
    ]
    too_deep = deepest + 1
    assert [str(p) for p in parse_submission(b"[" * too_deep + b"]" * too_deep)[1]] == [
        FILE_MESSAGES["not_json"]
    ]


@pytest.mark.parametrize("sign", ["", "-"])
def test_validate_reads_a_5000_digit_number_as_a_number_where_text_is_wanted(
    tmp_path, capsys, sign
):
    raw = (
        b'{"form": "referral", "status": "draft", "full_name": '
        + sign.encode()
        + b"1" * 5000
        + b"}"
    )
    assert cli.main(["--root", str(ROOT), "validate", str(_saved(tmp_path, raw))]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "The young person > Full name: The young person's full name must be text",
        f"1 problem found in {tmp_path / 'referral.json'}.",
    ]


# --- pdf -o ---------------------------------------------------------------------------------------


def _pdf(root: Path, output: Path, capsys) -> tuple[int, str]:
    code = cli.main(["--root", str(root), "pdf", str(EXAMPLE), "-o", str(output), "--today", TODAY])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "relative",
    ["content/guide.yaml", "forms/referral.yaml", "schemas/guide.schema.json", "mkdocs.yml"],
)
def test_pdf_never_writes_over_a_source(project_copy: Path, capsys, relative):
    target = project_copy / relative
    before = target.read_bytes()
    code, err = _pdf(project_copy, target, capsys)
    assert code == 2
    assert err == (
        f"{target} is one of the project's sources: the PDF would overwrite it. "
        "Name another file with -o.\n"
    )
    assert target.read_bytes() == before


def test_pdf_never_writes_through_a_link_to_a_source(project_copy: Path, tmp_path, capsys):
    link = tmp_path / "out.pdf"
    link.symlink_to(project_copy / "content" / "guide.yaml")
    before = link.read_bytes()
    code, err = _pdf(project_copy, link, capsys)
    assert code == 2 and "is one of the project's sources" in err
    assert link.read_bytes() == before


def test_pdf_never_writes_over_a_file_that_is_not_a_pdf(tmp_path, capsys):
    target = tmp_path / "notes.pdf"
    target.write_bytes(b"my notes, not a PDF")
    code, err = _pdf(ROOT, target, capsys)
    assert code == 2
    assert err == (
        f"{target} exists and is not a PDF: the PDF would overwrite it. "
        "Name a new file, or a PDF to replace, with -o.\n"
    )
    assert target.read_bytes() == b"my notes, not a PDF"


def test_pdf_refuses_a_folder_and_a_pipe(project_copy, tmp_path, capsys):
    code, err = _pdf(ROOT, tmp_path, capsys)
    assert (code, err) == (2, f"{tmp_path} is a folder: name the PDF file to write with -o.\n")
    code, err = _pdf(project_copy, project_copy, capsys)  # the project's own folder
    assert (code, err) == (2, f"{project_copy} is a folder: name the PDF file to write with -o.\n")
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    code, err = _pdf(ROOT, fifo, capsys)
    assert (code, err) == (
        2,
        (
            f"{fifo} is not a regular file (it is a named pipe or a device): "
            "name the PDF file to write with -o.\n"
        ),
    )


def test_pdf_writes_a_new_file_and_over_an_earlier_pdf(project_copy: Path, tmp_path, capsys):
    # A new .pdf among the forms is no source: the example's PDF lands beside it by default.
    new = project_copy / "forms" / "examples" / "referral-example.pdf"
    code, err = _pdf(project_copy, new, capsys)
    assert (code, err) == (0, "")
    first = new.read_bytes()
    assert first.startswith(b"%PDF-")
    code, err = _pdf(project_copy, new, capsys)
    assert (code, err) == (0, "")
    assert new.read_bytes().startswith(b"%PDF-")


# --- Invisible characters in answers --------------------------------------------------------------


def test_validate_refuses_a_name_with_a_direction_override(tmp_path, capsys):
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    saved = tmp_path / "referral.json"
    saved.write_text(json.dumps({**example, "full_name": "Sam \u202eelpmaxE"}), encoding="utf-8")
    assert cli.main(["--root", str(ROOT), "validate", str(saved), "--today", TODAY]) == 1
    assert capsys.readouterr().err.splitlines() == [
        (
            "The young person > Full name: The young person's full name must not contain invisible "
            "characters that change how text is shown"
        ),
        f"1 problem found in {saved}.",
    ]


def test_every_kind_of_text_answer_refuses_them_long_ones_too(tmp_path):
    from generator.rules.submission import validate_submission
    from generator.sources.load import load_project

    form = load_project(ROOT).form
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    checked = []
    for field in form.all_fields():
        if field.type not in ("text", "textarea", "email", "tel") or field.id not in example:
            continue
        checked.append(field.type)
        data = {**example, field.id: example[field.id] + "\u2066"}
        problems = validate_submission(form, data, today=TODAY)
        assert [(p.field_id, p.message.endswith("change how text is shown")) for p in problems] == [
            (field.id, True)
        ], field.id
    assert set(checked) == {"text", "textarea", "email", "tel"}, checked


def test_the_refused_set_is_every_bmp_format_character_but_those_scripts_need():
    import re
    import unicodedata

    from generator.rules.form_schema import INVISIBLE_PATTERN

    pattern = re.compile(INVISIBLE_PATTERN)
    format_characters = {c for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf"}
    refused = {c for c in range(0x10000) if pattern.search(chr(c))}
    joiners = {0x200C, 0x200D}
    number_signs = {*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2}
    assert refused == format_characters - joiners - number_signs


# --- The checker's answers file -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pipe", "zero"])
def test_eligibility_refuses_an_answers_file_that_is_not_a_regular_file(request, kind):
    path = request.getfixturevalue(kind)
    result = run("eligibility", "--answers", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}: this is not a regular file (it is a named pipe, a device or a socket)"
    )


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"[" * 100_000, "this is not a set of answers: it is nested too deeply"),
        (b'{"age": ' + b"1" * 5000 + b"}", "the answer to 'age' must be an answer id in quotes"),
    ],
    ids=["deep", "huge-number"],
)
def test_eligibility_gives_plain_messages_for_deep_nesting_and_huge_numbers(
    tmp_path, capsys, raw, message
):
    path = _saved(tmp_path, raw)
    assert cli.main(["--root", str(ROOT), "eligibility", "--answers", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[0].startswith(f"{path}: {message}")
