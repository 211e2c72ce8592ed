"""Problems reported to people and pipelines: text, JSON, GitHub annotations and GitLab Code Quality\nreports, exactly, for errors and warnings."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.problems import WARNING, Location, Pointer, Problem, SourceError, json_pointer
from generator.report import Wording, github_annotations, gitlab_report, write_report

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
    assert err == "6 problems found in the sources; nothing was built.\n"


def test_broken_sources_give_the_exact_gitlab_report(tmp_path, capsys):
    root = _broken_copy(tmp_path / "service")
    report = tmp_path / "gl-code-quality-report.json"
    assert main(["--root", str(root), "check", "--format", "gitlab", "--output", str(report)]) == 1
    expected = (ANNOTATIONS / "expected.gitlab.json").read_text(encoding="utf-8")
    assert report.read_text(encoding="utf-8") == expected
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[0] == (
        "content/checker.yaml:9:13: option 'yes' leads to 'joinn', which is no question or "
        "outcome (did you mean 'join'?)"
    )


def test_gitlab_report_has_the_fields_gitlab_reads(tmp_path):
    report = json.loads((ANNOTATIONS / "expected.gitlab.json").read_text(encoding="utf-8"))
    assert [item["location"] for item in report] == [
        {"path": "content/checker.yaml", "lines": {"begin": 9}},
        {"path": "content/checker.yaml", "lines": {"begin": 10}},
        {"path": "content/checker.yaml", "lines": {"begin": 13}},
        {"path": "content/checker.yaml", "lines": {"begin": 25}},
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
        "6 problems found in the sources; nothing was built.",
    ]
    assert main(["--root", str(root), "check", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert payload["problems"][4] == {
        "file": "content/guide.yaml",
        "line": 5,
        "column": 10,
        "message": "unknown placeholder {uper_age}: did you mean {upper_age}?",
        "code": "placeholder",
        "severity": "error",
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


# --- One result type, one reporter per format ----------------------------------------------------

ERROR = Problem(
    Location("content/guide.yaml", 5, 10), "unknown placeholder {uper_age}", "placeholder"
)
WARNING_ = Problem(
    Location("content/eligibility.yaml", 30, 9), "the seed says 'should' here", "should", WARNING
)
WORDING = Wording("source-check", found=SourceError.summary, clean="No problems.")


def _report(problems, format, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    write_report(problems, format=format, wording=WORDING, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_text_reports_an_error_and_a_warning():
    assert _report([ERROR, WARNING_], "text") == (
        "",
        (
            "content/guide.yaml:5:10: unknown placeholder {uper_age}\n"
            "content/eligibility.yaml:30:9: warning: the seed says 'should' here\n"
            "2 problems found in the sources; nothing was built.\n"
        ),
    )
    assert _report([WARNING_], "text")[1].endswith("\n1 warning found, and no errors.\n")
    assert _report([], "text") == ("No problems.\n", "")


def test_json_reports_an_error_and_a_warning():
    out, err = _report([ERROR, WARNING_], "json", json_fields={"status": "draft"})
    assert err == ""
    assert json.loads(out) == {
        "ok": False,
        "status": "draft",
        "problems": [
            {
                "file": "content/guide.yaml",
                "line": 5,
                "column": 10,
                "message": "unknown placeholder {uper_age}",
                "code": "placeholder",
                "severity": "error",
            },
            {
                "file": "content/eligibility.yaml",
                "line": 30,
                "column": 9,
                "message": "the seed says 'should' here",
                "code": "should",
                "severity": "warning",
            },
        ],
    }
    # Warnings alone do not stop anything: the report is still ok.
    assert json.loads(_report([WARNING_], "json")[0])["ok"] is True


def test_github_reports_an_error_and_a_warning():
    assert _report([ERROR, WARNING_], "github") == (
        (
            "::error file=content/guide.yaml,line=5,col=10::unknown placeholder {uper_age}\n"
            "::warning file=content/eligibility.yaml,line=30,col=9::the seed says 'should' here\n"
        ),
        "2 problems found in the sources; nothing was built.\n",
    )


def test_gitlab_reports_an_error_and_a_warning():
    out, err = _report([ERROR, WARNING_], "gitlab")
    assert [item["severity"] for item in json.loads(out)] == ["blocker", "minor"]
    assert (
        err.splitlines()[1] == "content/eligibility.yaml:30:9: warning: the seed says 'should' here"
    )


def test_a_referrals_problem_points_into_the_file():
    place = Pointer(
        "referral.json", "/other_agencies/0/agency", "other_agencies.0.agency",
        "Other agencies involved", "Agency 1", "Agency",
    )  # fmt: skip
    problem = Problem(place, "The agency's name must be text", "type")
    assert (
        str(problem)
        == "Other agencies involved > Agency 1 > Agency: The agency's name must be text"
    )
    assert problem.as_dict() == {
        "file": "referral.json",
        "pointer": "/other_agencies/0/agency",
        "field": "other_agencies.0.agency",
        "section": "Other agencies involved",
        "item": "Agency 1",
        "label": "Agency",
        "message": "The agency's name must be text",
        "text": "Other agencies involved > Agency 1 > Agency: The agency's name must be text",
        "code": "type",
        "severity": "error",
    }
    assert github_annotations([problem]) == (
        "::error file=referral.json::Other agencies involved > Agency 1 > Agency: "
        "The agency's name must be text"
    )
    whole_file = Problem(Pointer("referral.json"), "This file cannot be found", "file")
    assert str(whole_file) == "This file cannot be found"
    assert json_pointer(("a/b", 0, "c~d")) == "/a~1b/0/c~0d"


def test_a_message_of_several_lines_keeps_its_place_on_each():
    problem = Problem(Location("content/guide.yaml", 3, 4), "first line\nsecond line")
    _out, err = _report([problem], "text")
    assert err.splitlines()[:2] == [
        "content/guide.yaml:3:4: first line",
        "content/guide.yaml:3:4: second line",
    ]
    warned = Problem(Location("content/guide.yaml", 3, 4), "one\ntwo", severity=WARNING)
    assert str(warned).splitlines() == [
        "content/guide.yaml:3:4: warning: one",
        "content/guide.yaml:3:4: warning: two",
    ]
    whole = Problem(Location("content/guide.yaml"), "one\ntwo")
    assert str(whole) == "content/guide.yaml: one\ncontent/guide.yaml: two"
    # A pipeline still gets one annotation for it.
    assert github_annotations([problem]).count("\n") == 0


def test_a_severity_is_error_or_warning():
    with pytest.raises(ValueError):
        Problem(Location("content/guide.yaml"), "oops", severity="fatal")
