"""Report problems to people and to pipelines: Problems -> text, JSON, GitHub annotations, GitLab report.

Checking returns `Problem`s; reporting is only here. Every command that reports problems calls
`write_report` and prints no problem itself, so they all speak the same formats:
- `text`: `file:line:column: message` lines and a closing line, for people at a terminal;
- `json`: `{"ok": ..., "problems": [...]}` for tools;
- `github`: GitHub Actions workflow commands (`::error file=...,line=...,col=...::message`), which
  GitHub shows on the changed line of a pull request;
- `gitlab`: a GitLab Code Quality report (a JSON list), which GitLab shows in a merge request.

Each format is one `Reporter`: `document()` is the report itself, `show()` prints it where that
format belongs when no --output file is named. With --output, the document goes to the file and the
terminal gets the problems in words (the text format), so a pipeline's log still says what failed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from generator.problems import WARNING, Pointer, Problem

FORMATS = ("text", "json", "github", "gitlab")

# GitLab's Code Quality severities are info, minor, major, critical, blocker. A mistake in the
# sources stops the build, so it is the worst there is; a warning stops nothing.
GITLAB_SEVERITY = "blocker"
GITLAB_WARNING_SEVERITY = "minor"


class ReportNotWritten(Exception):
    """The report file could not be written: a plain message, no traceback."""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Wording:
    """What a report says around its problems.

    `found(count)` closes a report with at least one error ("3 problems found in the sources;
    nothing was built."); `clean` is what is said when there is no problem at all;
    `only_warnings(count)` closes a report of warnings alone. `check_name` files the problems in
    GitLab ("source-check").
    """

    check_name: str
    found: Callable[[int], str]
    clean: str
    only_warnings: Callable[[int], str] = field(
        default=lambda count: f"{_plural(count, 'warning')} found, and no errors."
    )

    def closing(self, problems: Sequence[Problem]) -> str:
        if any(p.is_error for p in problems):
            return self.found(len(problems))
        if problems:
            return self.only_warnings(len(problems))
        return self.clean


def found_in(name: str, then: str = "") -> Callable[[int], str]:
    """The closing line of a report on one file: "3 problems found in FILE." (then `then`)."""

    def closing(count: int) -> str:
        return f"{_plural(count, 'problem')} found in {name}{then}."

    return closing


def _description(problem: Problem) -> str:
    """The message a pipeline shows at the problem's place: a referral's problems name their
    question in words too, since a JSON file has no line to show them on."""
    if isinstance(problem.where, Pointer) and str(problem.where):
        return f"{problem.where}: {problem.message}"
    return problem.message


class Reporter:
    """One format. `document` is the report; `show` prints it when no --output file is named."""

    name = ""

    def document(self, problems: Sequence[Problem], wording: Wording, fields: Mapping) -> str:
        raise NotImplementedError

    def show(self, problems, wording, fields, stdout: TextIO, stderr: TextIO) -> None:
        stdout.write(self.document(problems, wording, fields))


class TextReporter(Reporter):
    """Lines for people: `file:line:column: message` (`... warning: message`), then a closing line.

    The problems go to stderr and the all-clear to stdout, as compilers do.
    """

    name = "text"

    def document(self, problems, wording, fields) -> str:
        return "".join(f"{p}\n" for p in problems) + wording.closing(problems) + "\n"

    def show(self, problems, wording, fields, stdout, stderr) -> None:
        (stderr if problems else stdout).write(self.document(problems, wording, fields))


class JsonReporter(Reporter):
    """`{"ok": no errors, <the command's own fields>, "problems": [Problem.as_dict(), ...]}`."""

    name = "json"

    def document(self, problems, wording, fields) -> str:
        payload = {
            "ok": not any(p.is_error for p in problems),
            **fields,
            "problems": [p.as_dict() for p in problems],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


class GithubReporter(Reporter):
    """GitHub workflow commands on stdout, where the runner reads them; the closing line on
    stderr, so the job's log still says in words why it failed."""

    name = "github"

    def document(self, problems, wording, fields) -> str:
        return "".join(f"{line}\n" for line in github_annotations(problems).splitlines())

    def show(self, problems, wording, fields, stdout, stderr) -> None:
        stdout.write(self.document(problems, wording, fields))
        (stderr if problems else stdout).write(wording.closing(problems) + "\n")


class GitlabReporter(Reporter):
    """A GitLab Code Quality report on stdout; the problems in words on stderr."""

    name = "gitlab"

    def document(self, problems, wording, fields) -> str:
        report = gitlab_report(problems, wording.check_name)
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"

    def show(self, problems, wording, fields, stdout, stderr) -> None:
        stdout.write(self.document(problems, wording, fields))
        stderr.write(TEXT.document(problems, wording, fields))


TEXT = TextReporter()
REPORTERS: dict[str, Reporter] = {
    reporter.name: reporter
    for reporter in (TEXT, JsonReporter(), GithubReporter(), GitlabReporter())
}


def github_annotations(problems: Sequence[Problem]) -> str:
    """Every problem as a GitHub workflow command, one a line (no trailing newline)."""
    lines = []
    for problem in problems:
        properties = [f"file={_github_property(problem.where.file)}"]
        if problem.where.line:
            properties.append(f"line={problem.where.line}")
            if problem.where.column:
                properties.append(f"col={problem.where.column}")
        command = "warning" if problem.severity == WARNING else "error"
        lines.append(f"::{command} {','.join(properties)}::{_github_data(_description(problem))}")
    return "\n".join(lines)


def _github_data(text: str) -> str:
    # What GitHub's runner unescapes in a command's message (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    # A property value ends at `,` and the properties at `::`, so those are escaped too.
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def gitlab_report(problems: Sequence[Problem], check_name: str) -> list[dict]:
    """A GitLab Code Quality report of the problems (an empty list when there are none).

    The fingerprint leaves the line out, so a problem that moves down a file when lines are added
    above it is still the same problem to GitLab; the same message twice in one file is told apart
    by its place in the order.
    """
    seen: Counter[tuple[str, str]] = Counter()
    report = []
    for problem in problems:
        description = _description(problem)
        key = (problem.where.file, description)
        seen[key] += 1
        fingerprint = hashlib.sha256(
            "\0".join((check_name, *key, str(seen[key]))).encode("utf-8")
        ).hexdigest()
        report.append(
            {
                "description": description,
                "check_name": check_name,
                "fingerprint": fingerprint,
                "severity": GITLAB_WARNING_SEVERITY
                if problem.severity == WARNING
                else GITLAB_SEVERITY,
                # GitLab needs a line; a problem with a whole file points at its first.
                "location": {
                    "path": problem.where.file,
                    "lines": {"begin": problem.where.line or 1},
                },
            }
        )
    return report


def write_report(
    problems: Sequence[Problem],
    *,
    format: str,
    wording: Wording,
    json_fields: Mapping | None = None,
    output: str | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Report the problems in one of FORMATS: to the terminal, or to the file `output`.

    `json_fields` are the command's own fields of the JSON document (validate's `status`). With
    `output`, the document is written there (ReportNotWritten when it cannot be) and the terminal
    shows the problems in words.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    reporter = REPORTERS[format]
    fields = json_fields or {}
    if output is None:
        reporter.show(problems, wording, fields, stdout, stderr)
        return
    try:
        with open(output, "w", encoding="utf-8") as file:
            file.write(reporter.document(problems, wording, fields))
    except OSError as error:
        raise ReportNotWritten(
            f"{output}: the report cannot be written there ({error.strerror or error})"
        ) from None
    TEXT.show(problems, wording, fields, stdout, stderr)


def add_format_options(parser) -> None:
    """The --format, --json and --output options every reporting command takes."""
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="how to report problems: text for people (default), json for tools, github for "
        "GitHub Actions annotations, gitlab for a GitLab Code Quality report",
    )
    chosen.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="the same as --format json",
    )
    parser.add_argument(
        "--output",
        dest="report_file",
        metavar="FILE",
        default=None,
        help="write the report to FILE instead of printing it (in any format); the problems are "
        "still listed on the terminal",
    )
