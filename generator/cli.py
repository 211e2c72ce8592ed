"""The command line: argv -> exit code. Problems are printed for people (or as JSON for tools), never
as a traceback. Each command is a module of generator/commands/ that adds its own arguments."""

from __future__ import annotations

import argparse
import sys

from generator.commands import build, check, eligibility, pdf, validate
from generator.commands.options import EXIT_PROBLEMS, EXIT_USAGE
from generator.problems import SourceError
from generator.report import ReportNotWritten

# In the order `--help` lists them.
COMMANDS = (check, build, eligibility, validate, pdf)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build and check a service's guide, eligibility checker, referral form and PDFs "
        "from the YAML sources.",
    )
    parser.add_argument(
        "--root", default=".", help="the project folder holding content/ and forms/ (default: .)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
