"""`python -m generator check`: check every source file; list every problem."""

from __future__ import annotations

from generator.commands.options import exit_code, project_root
from generator.problems import SourceError
from generator.report import Wording, add_format_options, write_report
from generator.sources.load import check_sources

SOURCE_CHECK = Wording(
    "source-check",
    found=SourceError.summary,
    clean="No problems found in the sources.",
    only_warnings=lambda count: (
        f"{count} warning{'' if count == 1 else 's'} found in the sources, and no problems."
    ),
)


def register_commands(subparsers) -> None:
    check = subparsers.add_parser(
        "check",
        help="check every source file and list every problem",
        description="Check every YAML source (content/, forms/) and list every problem found, as "
        "file:line:column: message. Nothing is built.",
    )
    add_format_options(check)
    check.set_defaults(run=command_check)


def command_check(args) -> int:
    problems = check_sources(project_root(args))
    write_report(problems, format=args.format, wording=SOURCE_CHECK, output=args.report_file)
    return exit_code(problems)
