"""What every command shares: exit codes, the project folder, argument types."""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Sequence
from pathlib import Path

from generator.problems import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG, EXIT_WARNINGS = 0, 1, 2, 3, 4
EXIT_INTERRUPTED, EXIT_PIPE_CLOSED = 130, 141  # what a shell gives for Ctrl+C and for SIGPIPE

# Every command's exit codes, as `--help` and the README list them (tests/test_cli.py holds both
# to this table).
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "no problems: the command did what it was asked"),
    (EXIT_PROBLEMS, "problems found: each is listed"),
    (EXIT_USAGE, "a usage error: a wrong option, or an output file that cannot be written"),
    (EXIT_BUG, "a bug in the generator, not a mistake in your files (please report it)"),
    (
        EXIT_WARNINGS,
        (
            "only warnings found, no problems: the command did what it was asked (`validate`, "
            "`pdf`: a referral valid with warnings, a should criterion not met, its reason recorded)"
        ),
    ),
    (EXIT_INTERRUPTED, "interrupted (Ctrl+C)"),
    (EXIT_PIPE_CLOSED, "the output was cut short: what read it stopped reading (as `head` does)"),
)


def exit_code(problems: Sequence[Problem]) -> int:
    """EXIT_PROBLEMS for any error, EXIT_WARNINGS for warnings alone, else EXIT_OK."""
    if any(problem.is_error for problem in problems):
        return EXIT_PROBLEMS
    return EXIT_WARNINGS if problems else EXIT_OK


def format_exit_codes() -> str:
    """The table of EXIT_CODES as help text: a heading, then one indented line a code."""
    return "exit codes:\n" + "\n".join(f"  {code:<3}  {words}" for code, words in EXIT_CODES)


def iso_date(text: str) -> datetime.date:
    """An argparse type for --today: a date written YYYY-MM-DD, or a plain usage error."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def folder(text: str) -> str:
    """An argparse type for --root: a folder that exists, or a plain usage error."""
    if not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"'{text}' is not a folder")
    return text


def port(text: str) -> int:
    """An argparse type for --port: 1 to 65535, or a plain usage error."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port (a number from 1 to 65535)")
    return number


def project_root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()
