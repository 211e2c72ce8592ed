"""`python -m generator validate`: check one saved referral and list every problem."""

from __future__ import annotations

from generator.commands.options import exit_code, iso_date, project_root
from generator.commands.referrals import located
from generator.report import Wording, add_format_options, found_in, write_report
from generator.rules.submission import (
    count_unanswered,
    criteria_report,
    load_submission,
    validate_submission,
)
from generator.sources.load import load_project


def command_validate(args) -> int:
    """Check one saved submission; list every problem as `Section > Label: message`."""

    form = load_project(project_root(args)).form
    data, found = load_submission(args.file)
    if data is not None:
        found = validate_submission(form, data, today=args.today)
    problems = located(found, args.file)
    report = criteria_report(form, data, today=args.today) if data is not None else []
    status = data.get("status") if data is not None else None
    if args.format == "text":
        clean = _describe_clean(args.file, form, data, status, report)
    else:  # a pipeline's log needs one line
        clean = f"{args.file}: no problems."
    write_report(
        problems,
        format=args.format,
        wording=Wording(
            "submission-check",
            found=found_in(args.file),
            clean=clean,
            only_warnings=lambda count: valid_with_warnings(args.file, count),
        ),
        json_fields={"status": status, "criteria": report},
        output=args.report_file,
    )
    return exit_code(problems)


def valid_with_warnings(file: str, count: int) -> str:
    """The closing line of a referral whose only problems are warnings (exit code 4)."""
    noun = "warning" if count == 1 else "warnings"
    return (
        f"{file}: valid with {count} {noun}: the referral can be made, with the reasons recorded."
    )


def _describe_clean(file: str, form, data: dict, status, report: list[dict]) -> str:
    """What a submission with no problems still lacks: a draft's missing answers and criteria."""
    if status != "draft":
        return f"{file}: a complete submission with no problems."
    missing = count_unanswered(form, data)
    needed = f"{missing} more {'answer is' if missing == 1 else 'answers are'} needed"
    lines = [f"{file}: a draft with no problems in the answers given; {needed} to complete it."]
    lines += [_not_yet_met(criterion) for criterion in report if criterion["met"] is not True]
    return "\n".join(lines)


def _not_yet_met(criterion: dict) -> str:
    """A draft's line for a criterion not met yet; a should not met says so, with its reason."""
    reasons = "; ".join(criterion["reasons"])
    if criterion["met"] is False and criterion["strength"] == "should":
        return f"Not met (should): {criterion['name']}: {criterion['recorded'] or reasons}"
    return f"Not yet met: {criterion['name']}: {reasons}"


def register_commands(subparsers) -> None:

    command = subparsers.add_parser(
        "validate",
        help="check a saved referral (a JSON file) and list every problem",
        description="Check a saved submission of the form in forms/ against its rules and list "
        "each problem as 'Section > Label: message'. A draft is checked only for answers that are "
        "wrong, not for answers still missing. A complete referral that meets every 'must' "
        "criterion but not a 'should' one is valid with warnings (exit code 4): each warning "
        "names the criterion and the question that records the reason.",
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
