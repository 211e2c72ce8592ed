"""`python -m generator validate`: check one saved referral and list every problem."""

from __future__ import annotations

import json
import sys

from generator.commands.options import iso_date, project_root
from generator.problems import Location, Problem
from generator.report import add_format_options, write_report
from generator.rules.submission import (
    SubmissionProblem,
    count_unanswered,
    criteria_report,
    load_submission,
    validate_submission,
)
from generator.sources.load import load_project


def command_validate(args) -> int:
    """Check one saved submission; list every problem as `Section > Label: message`."""

    form = load_project(project_root(args)).form
    data, problems = load_submission(args.file)
    if data is not None:
        problems = validate_submission(form, data, today=args.today)
    status = data.get("status") if data is not None else None
    report = criteria_report(form, data, today=args.today) if data is not None else []
    if args.format in ("github", "gitlab"):
        return _report_for_pipelines(args, problems)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": not problems,
                    "status": status,
                    "problems": [p.as_dict() for p in problems],
                    "criteria": report,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 1 if problems else 0
    if problems:
        for problem in problems:
            print(str(problem), file=sys.stderr)
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} found in {args.file}.", file=sys.stderr)
        return 1
    if status == "draft":
        missing = count_unanswered(form, data)
        print(
            f"{args.file}: a draft with no problems in the answers given; "
            f"{missing} more {'answer is' if missing == 1 else 'answers are'} needed to complete "
            "it."
        )
        for criterion in report:
            if criterion["met"] is not True:
                print(f"Not yet met: {criterion['name']}: {'; '.join(criterion['reasons'])}")
    else:
        print(f"{args.file}: a complete submission with no problems.")
    return 0


def _report_for_pipelines(args, problems: list[SubmissionProblem]) -> int:
    """Report a submission's problems as annotations on the saved file (a JSON file has no lines
    the problems could point at, so each names the file as a whole)."""

    noun = "problem" if len(problems) == 1 else "problems"
    write_report(
        [Problem(Location(str(args.file)), str(p)) for p in problems],
        format=args.format,
        check_name="submission-check",
        summary=lambda count: f"{count} {noun} found in {args.file}.",
        success=f"{args.file}: no problems.",
        output=args.output,
    )
    return 1 if problems else 0


def register_commands(subparsers) -> None:

    command = subparsers.add_parser(
        "validate",
        help="check a saved referral (a JSON file) and list every problem",
        description="Check a saved submission of the form in forms/ against its rules. Exit 0 if "
        "it has no problems, 1 listing each as 'Section > Label: message'. A draft is checked "
        "only for "
        "answers that are wrong, not for answers still missing.",
    )
    command.add_argument("file", metavar="FILE.json", help="the saved submission")
    command.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="check dates as if today were this day (default: today)",
    )
    add_format_options(command)
    command.set_defaults(run=command_validate)
