"""`python -m generator check`: check every source file; list every problem."""

from __future__ import annotations

from generator.commands.options import EXIT_OK, EXIT_PROBLEMS, project_root
from generator.problems import SourceError
from generator.report import add_format_options, write_report
from generator.sources.load import check_sources


def register_commands(subparsers) -> None:
    check = subparsers.add_parser("check", help="check every source file and list every problem")
    add_format_options(check)
    check.set_defaults(run=command_check)


def command_check(args) -> int:
    problems = check_sources(project_root(args))
    write_report(
        problems,
        format=args.format,
        check_name="source-check",
        summary=SourceError.summary,
        success="No problems found in the sources.",
        output=args.output,
    )
    return EXIT_PROBLEMS if problems else EXIT_OK
