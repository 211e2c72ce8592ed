"""The command line: argv -> exit code. Problems are printed for people (or as JSON for tools), never
as a traceback. Each command lives in its own function; the heavy imports happen inside it so that
`check` stays quick."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.problems import SourceError
from generator.report import ReportNotWritten, add_format_options

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def iso_date(text: str):
    """An argparse type for --today: a date written YYYY-MM-DD, or a plain usage error."""
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _root(args) -> Path:
    return Path(args.root).resolve()


def command_check(args) -> int:
    """Check every source file; list every problem."""
    from generator.report import write_report
    from generator.sources.load import check_sources

    problems = check_sources(_root(args))
    write_report(
        problems,
        format=args.format,
        check_name="source-check",
        summary=SourceError.summary,
        success="No problems found in the sources.",
        output=args.output,
    )
    return EXIT_PROBLEMS if problems else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build and check the Trusted Relationships guide, checker, referral form and PDFs "
        "from the YAML sources.",
    )
    parser.add_argument(
        "--root", default=".", help="the project folder holding content/ and forms/ (default: .)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser("check", help="check every source file and list every problem")
    add_format_options(check)
    check.set_defaults(run=command_check)

    for register in _EXTRA_COMMANDS:
        register(commands)
    return parser


# Modules that add their own commands through `register_commands(subparsers)`, keeping this file small.
COMMAND_MODULES = (
    "generator.build",
    "generator.rules.eligibility",
    "generator.rules.submission",
    "generator.render.pdf",
)
_EXTRA_COMMANDS: list = []


def _load_extra_commands() -> None:
    import importlib

    _EXTRA_COMMANDS.clear()
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue  # not written yet
        _EXTRA_COMMANDS.append(module.register_commands)


def main(argv: list[str] | None = None) -> int:
    _load_extra_commands()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SourceError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_PROBLEMS
    except ReportNotWritten as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: no traceback for editors
        print(
            f"Something went wrong inside the generator; this is a bug, not a mistake in your files.\n"
            f"Please report it with this line: {type(error).__name__}: {error}",
            file=sys.stderr,
        )
        return 3
