"""Problems reported for pipelines: GitHub annotations and GitLab Code Quality reports, exactly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.problems import Location, Problem
from generator.report import github_annotations, gitlab_report

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ANNOTATIONS = FIXTURES / "annotations"
OTHER_SERVICE = FIXTURES / "other-service"


def _broken_copy(destination: Path) -> Path:
    """The small second service with the annotation fixture's files laid over it."""
    shutil.copytree(OTHER_SERVICE, destination)
    case = ANNOTATIONS / "broken"
    for path in case.rglob("*"):
        if path.is_file() and path.name != "DELETE":
            (destination / path.relative_to(case)).write_bytes(path.read_bytes())
    for line in (case / "DELETE").read_text().split():
        (destination / line).unlink()
    return destination


def test_broken_sources_give_the_exact_github_annotations(tmp_path, capsys):
    root = _broken_copy(tmp_path / "service")
    assert main(["--root", str(root), "check", "--format", "github"]) == 1
    out, err = capsys.readouterr()
    assert out == (ANNOTATIONS / "expected.github.txt").read_text(encoding="utf-8")
    # The log still says in words why the job failed.
    assert err == "4 problems found in the sources; nothing was built.\n"


def test_broken_sources_give_the_exact_gitlab_report(tmp_path, capsys):
    root = _broken_copy(tmp_path / "service")
    report = tmp_path / "gl-code-quality-report.json"
    assert main(["--root", str(root), "check", "--format", "gitlab", "--output", str(report)]) == 1
    expected = (ANNOTATIONS / "expected.gitlab.json").read_text(encoding="utf-8")
    assert report.read_text(encoding="utf-8") == expected
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[0] == (
        "content/checker.yaml:22:15: option 'yes' leads to 'joinn', which is no question or "
        "outcome (did you mean 'join'?)"
    )


def test_gitlab_report_has_the_fields_gitlab_reads(tmp_path):
    report = json.loads((ANNOTATIONS / "expected.gitlab.json").read_text(encoding="utf-8"))
    assert [item["location"] for item in report] == [
        {"path": "content/checker.yaml", "lines": {"begin": 22}},
        {"path": "content/checker.yaml", "lines": {"begin": 27}},
        {"path": "content/guide.yaml", "lines": {"begin": 5}},
        {"path": "content/pathway.yaml", "lines": {"begin": 1}},  # a whole file: its first line
    ]
    for item in report:
        assert set(item) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert item["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert len({item["fingerprint"] for item in report}) == len(report)


@pytest.mark.parametrize("format", ["github", "gitlab"])
def test_correct_sources_give_no_annotations(format, tmp_path, capsys):
    root = tmp_path / "service"
    shutil.copytree(OTHER_SERVICE, root)
    report = tmp_path / "report.json"
    assert main(["--root", str(root), "check", "--format", format, "--output", str(report)]) == 0
    out, _ = capsys.readouterr()
    if format == "github":
        assert "::" not in out
        assert out == "No problems found in the sources.\n"
    else:
        assert json.loads(report.read_text(encoding="utf-8")) == []


def test_text_and_json_formats_are_unchanged(tmp_path, capsys):
    root = _broken_copy(tmp_path / "service")
    assert main(["--root", str(root), "check"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-2:] == [
        "content/pathway.yaml: this file is missing",
        "4 problems found in the sources; nothing was built.",
    ]
    assert main(["--root", str(root), "check", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert payload["problems"][2] == {
        "file": "content/guide.yaml",
        "line": 5,
        "column": 10,
        "message": "unknown placeholder {uper_age}: did you mean {upper_age}?",
    }


def test_github_escapes_what_its_runner_unescapes():
    problem = Problem(Location("content/a,b:c%.yaml", 3, 4), "100% wrong\r\nsecond line: a, b")
    assert github_annotations([problem]) == (
        "::error file=content/a%2Cb%3Ac%25.yaml,line=3,col=4::100%25 wrong%0D%0Asecond line: a, b"
    )


def test_an_editors_text_in_a_message_cannot_start_a_second_command():
    # A message quoting an editor's text with a newline must stay one annotation.
    problem = Problem(Location("content/guide.yaml", 1, 1), "bad\n::warning::injected")
    assert github_annotations([problem]).count("\n") == 0


def test_gitlab_fingerprints_are_stable_when_lines_move():
    before = gitlab_report([Problem(Location("content/guide.yaml", 5, 10), "oops")], "source-check")
    after = gitlab_report([Problem(Location("content/guide.yaml", 9, 10), "oops")], "source-check")
    assert before[0]["fingerprint"] == after[0]["fingerprint"]
    twice = gitlab_report(
        [Problem(Location("content/guide.yaml", 5, 1), "oops")] * 2, "source-check"
    )
    assert twice[0]["fingerprint"] != twice[1]["fingerprint"]


def test_validate_reports_a_submissions_problems_for_pipelines(tmp_path, capsys):
    submission = FIXTURES.parent / "submissions" / "invalid" / "empty-answers.json"
    expected = submission.with_suffix(".expected.txt").read_text(encoding="utf-8").splitlines()
    root = Path(__file__).resolve().parent.parent
    assert (
        main(
            [
                "--root",
                str(root),
                "validate",
                "--today",
                "2026-11-26",
                str(submission),
                "--format",
                "github",
            ]
        )
        == 1
    )
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == len(expected)
    assert lines[0] == f"::error file={submission}::{expected[0]}"
    report = tmp_path / "report.json"
    assert (
        main(
            [
                "--root",
                str(root),
                "validate",
                "--today",
                "2026-11-26",
                str(submission),
                "--format",
                "gitlab",
                "--output",
                str(report),
            ]
        )
        == 1
    )
    items = json.loads(report.read_text(encoding="utf-8"))
    assert [item["description"] for item in items] == expected
    assert {item["check_name"] for item in items} == {"submission-check"}


def test_a_report_that_cannot_be_written_is_a_plain_message(tmp_path, capsys):
    root = _broken_copy(tmp_path / "service")
    target = tmp_path / "no-such-folder" / "report.json"
    assert main(["--root", str(root), "check", "--format", "gitlab", "--output", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"{target}: the report cannot be written there (No such file or directory)\n"
