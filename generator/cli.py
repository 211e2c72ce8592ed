"""The command line: argv -> exit code. Problems are printed for people (or as JSON for tools), never
as a traceback. Each command is a module of generator/commands/ that adds its own arguments.

Installed, the command is `guide-generator` (pyproject's [project.scripts]); `python -m generator`
runs the same `main`. Every command exits with one of `options.EXIT_CODES`.
"""

from __future__ import annotations

import argparse
import os
import select
import sys
from importlib import metadata

from generator.commands import build, check, eligibility, pdf, validate
from generator.commands.options import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_PIPE_CLOSED,
    EXIT_USAGE,
    exit_code,
    folder,
    format_exit_codes,
)
from generator.problems import SourceError, bug_message
from generator.report import ReportNotWritten, Wording, write_report

# In the order `--help` lists them.
COMMANDS = (check, build, eligibility, validate, pdf)

# Named for what it does, not for one service: the generator builds any service's guide.
CONSOLE_COMMAND = "guide-generator"
MODULE_COMMAND = "python -m generator"
DISTRIBUTION = "trusted-relationships-guide"  # pyproject's [project] name, for --version


def package_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a copy of the source that is not installed
        return "unknown (not installed)"


class HelpFormatter(argparse.HelpFormatter):
    """argparse's own layout, except that a paragraph of indented lines (a table) is kept as
    written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = text.split("\n\n")
        return "\n\n".join(
            paragraph
            if "\n  " in paragraph
            else super(HelpFormatter, self)._fill_text(paragraph, width, indent)
            for paragraph in paragraphs
        )


def build_parser(prog: str = MODULE_COMMAND) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Build and check a service's guide, eligibility checker, referral form and PDFs "
        "from the YAML sources.",
        epilog=format_exit_codes(),
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {package_version()}",
        help="print the generator's version and exit",
    )
    parser.add_argument(
        "--root",
        default=".",
        type=folder,
        help="the project folder holding content/ and forms/ (default: .)",
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title="commands"
    )
    for command in COMMANDS:
        command.register_commands(subparsers)
    for subparser in subparsers.choices.values():
        subparser.epilog = format_exit_codes()
        subparser.formatter_class = HelpFormatter
    return parser


def console_main() -> int:
    """The `guide-generator` console command."""
    return main(prog=CONSOLE_COMMAND)


def main(argv: list[str] | None = None, prog: str = MODULE_COMMAND) -> int:
    try:
        args = build_parser(prog).parse_args(argv)  # a usage error exits 2 here, with its reason
        try:
            code = args.run(args)
        except SourceError as error:
            code = _report_source_problems(args, error)
        # Written out here, inside the try: a closed pipe is noticed now, not at exit.
        sys.stdout.flush()
        return code
    except BrokenPipeError as error:
        if not _output_closed():  # another pipe, inside the generator: that is a bug
            print(bug_message(error), file=sys.stderr)
            return EXIT_BUG
        _stop_writing()
        return EXIT_PIPE_CLOSED
    except ReportNotWritten as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - the last line of defence: no traceback for editors
        print(bug_message(error), file=sys.stderr)
        return EXIT_BUG


def _report_source_problems(args: argparse.Namespace, error: SourceError) -> int:
    """The sources' problems, in the format the command was asked for (text for most)."""
    format = getattr(args, "format", None) or ("json" if getattr(args, "json", False) else "text")
    # A subclass may word its whole report (the post-build stage's does): its last line closes it.
    closing = error.report().rsplit("\n", 1)[-1]
    write_report(
        error.problems,
        format=format,
        wording=Wording("source-check", found=lambda _count: closing, clean=closing),
        output=getattr(args, "report_file", None),
    )
    return exit_code(error.problems)


def _output_closed() -> bool:
    """Whether what reads our stdout or stderr has gone (a pipe with no reader polls as an error)."""
    try:
        poll = select.poll()
    except AttributeError:  # no poll() on this system: trust the error
        return True
    for stream in (sys.stdout, sys.stderr):
        try:
            poll.register(stream.fileno(), select.POLLOUT)
        except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
            continue
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poll.poll(0))


def _stop_writing() -> None:
    """After a closed pipe: point stdout and stderr at /dev/null, so that nothing more is written
    and Python's last flush at exit cannot fail again (the Python docs' way, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
            pass
