"""Report problems to people and to pipelines: Problems -> text, JSON, GitHub annotations, GitLab report.

Commands call `write_report` and nothing else, so `check` and `validate` speak the same formats:
- `text`: `file:line:column: message` lines and a summary, for people at a terminal;
- `json`: `{"ok": ..., "problems": [...]}` for tools;
- `github`: GitHub Actions workflow commands (`::error file=...,line=...,col=...::message`), which
  GitHub shows on the changed line of a pull request;
- `gitlab`: a GitLab Code Quality report (a JSON list), which GitLab shows in a merge request.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TextIO

from generator.problems import Problem

FORMATS = ("text", "json", "github", "gitlab")

# GitLab's Code Quality severities are info, minor, major, critical, blocker. A mistake in the
# sources stops the build, so it is the worst there is.
GITLAB_SEVERITY = "blocker"


class ReportNotWritten(Exception):
    """The report file could not be written: a plain message, no traceback."""


def github_annotations(problems: Sequence[Problem]) -> str:
    """Every problem as a GitHub workflow command, one a line (no trailing newline)."""
    lines = []
    for problem in problems:
        properties = [f"file={_github_property(problem.where.file)}"]
        if problem.where.line:
            properties.append(f"line={problem.where.line}")
            if problem.where.column:
                properties.append(f"col={problem.where.column}")
        lines.append(f"::error {','.join(properties)}::{_github_data(problem.message)}")
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
        key = (problem.where.file, problem.message)
        seen[key] += 1
        fingerprint = hashlib.sha256(
            "\0".join((check_name, *key, str(seen[key]))).encode("utf-8")
        ).hexdigest()
        report.append(
            {
                "description": problem.message,
                "check_name": check_name,
                "fingerprint": fingerprint,
                "severity": GITLAB_SEVERITY,
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
    check_name: str,
    summary: Callable[[int], str],
    success: str,
    json_extra: dict | None = None,
    output: str | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Print (or, for gitlab with `output`, write) the problems in one of FORMATS.

    `summary(count)` is the closing line for people ("3 problems found ..."), `success` the line
    printed when there are none. Annotations go to stdout, where the runner reads them; the summary
    goes to stderr, so the pipeline's log still says in words why the job failed.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if format == "json":
        payload = {
            "ok": not problems,
            **(json_extra or {}),
            "problems": [p.as_dict() for p in problems],
        }
        print(json.dumps(payload, indent=2), file=stdout)
        return
    if format == "github":
        if problems:
            print(github_annotations(problems), file=stdout)
    elif format == "gitlab":
        text = json.dumps(gitlab_report(problems, check_name), indent=2, ensure_ascii=False) + "\n"
        if output:
            try:
                with open(output, "w", encoding="utf-8") as file:
                    file.write(text)
            except OSError as error:
                raise ReportNotWritten(
                    f"{output}: the report cannot be written there ({error.strerror or error})"
                ) from None
        else:
            stdout.write(text)
    if problems:
        if format in ("text", "gitlab"):
            for problem in problems:
                print(str(problem), file=stderr)
        print(summary(len(problems)), file=stderr)
    else:
        print(success, file=stderr if format == "gitlab" and not output else stdout)


def add_format_options(parser) -> None:
    """The --format, --json and --output options every reporting command takes."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="how to report problems: text for people (default), json for tools, github for "
        "GitHub Actions annotations, gitlab for a GitLab Code Quality report",
    )
    parser.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="the same as --format json",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        default=None,
        help="with --format gitlab: write the report to this file (default: print it)",
    )
