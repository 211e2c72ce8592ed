"""`python -m generator pdf`: check a saved referral as `validate` does, then print it to a PDF."""

from __future__ import annotations

import os
import stat
import sys
from datetime import datetime
from pathlib import Path

from generator.commands.options import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    exit_code,
    iso_date,
    project_root,
)
from generator.commands.referrals import located
from generator.render.pdf import PdfError, render_filled_referral_pdf
from generator.report import Wording, found_in, write_report
from generator.rules.submission import drop_inapplicable, load_submission, validate_submission
from generator.sources.load import load_project


def command_pdf(args) -> int:
    """Check a saved referral as `validate` does, then print it to a PDF."""

    project = load_project(project_root(args))
    data, found = load_submission(args.file)
    if data is not None:
        found = validate_submission(project.form, data, today=args.today)
    problems = located(found, args.file)
    errors = [problem for problem in problems if problem.is_error]
    if errors:
        write_report(
            problems,
            format="text",
            wording=Wording(
                "submission-check",
                found=found_in(args.file, "; no PDF was made"),
                clean="",
            ),
        )
        return exit_code(problems)
    # Warnings alone (a should criterion not met, its reason recorded) stop nothing: the PDF
    # prints them too.
    for warning in problems:
        print(f"{warning.where}: warning: {warning.message}", file=sys.stderr)
    # Where the PDF may go is the option's business: a refusal is a usage error, as elsewhere.
    source = Path(args.file)
    output = Path(args.output) if args.output else source.with_suffix(".pdf")
    if output.resolve() == source.resolve():
        print(f"The PDF would overwrite {args.file}: name another file with -o.", file=sys.stderr)
        return EXIT_USAGE
    refused = refuse_output(output, project_root(args))
    if refused:
        print(refused, file=sys.stderr)
        return EXIT_USAGE
    try:
        pdf = render_filled_referral_pdf(
            project, drop_inapplicable(project.form, data), datetime.now().astimezone()
        )
    except PdfError as error:
        print(f"No PDF was made: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        output.write_bytes(pdf)
    except OSError as error:
        print(f"Cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {output} ({_size_in_words(len(pdf))}).")
    return exit_code(problems)


# What the project's sources are, for `refuse_output`: a PDF is never written among them.
SOURCE_FOLDERS = ("content", "forms", "schemas")
SOURCE_FILES = ("mkdocs.yml",)
PDF_SIGNATURE = b"%PDF-"


def refuse_output(output: Path, root: Path) -> str:
    """Why a PDF must not be written at `output`, or "" when it may.

    It may be written to a new file, or over a file that is already a PDF (it starts with
    `%PDF-`); never over anything else, nor over one of the project's sources (mkdocs.yml, or a
    file under content/, forms/ or schemas/ not named .pdf), which a mistyped -o would destroy.
    """
    target = output.resolve()  # through symlinks: a link to a source is that source
    parts = target.relative_to(root).parts if target.is_relative_to(root) else ()
    in_sources = parts[:1] in [(folder,) for folder in SOURCE_FOLDERS]
    if parts in [(name,) for name in SOURCE_FILES] or (
        in_sources and target.suffix.lower() != ".pdf"
    ):
        return (
            f"{output} is one of the project's sources: the PDF would overwrite it. "
            "Name another file with -o."
        )
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return ""
    except OSError as error:
        return f"Cannot write {output}: {error.strerror or error}"
    if stat.S_ISDIR(mode):
        return f"{output} is a folder: name the PDF file to write with -o."
    if not stat.S_ISREG(mode):
        return (
            f"{output} is not a regular file (it is a named pipe or a device): "
            "name the PDF file to write with -o."
        )
    try:  # without waiting, should it have become a pipe since the check above
        descriptor = os.open(target, os.O_RDONLY | os.O_NONBLOCK)
        try:
            start = os.read(descriptor, len(PDF_SIGNATURE))
        finally:
            os.close(descriptor)
    except OSError as error:
        return f"Cannot write {output}: {error.strerror or error}"
    if start != PDF_SIGNATURE:
        return (
            f"{output} exists and is not a PDF: the PDF would overwrite it. "
            "Name a new file, or a PDF to replace, with -o."
        )
    return ""


def _size_in_words(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


def register_commands(subparsers) -> None:

    command = subparsers.add_parser(
        "pdf",
        help="check a saved referral (a JSON file) and print it to a PDF",
        description="Check a saved referral as `validate` does; if it has no problems, write a PDF "
        "showing every answer under its question, marking questions that did not apply. Each "
        "problem is listed as 'Section > Label: message'.",
    )
    command.add_argument("file", metavar="FILE.json", help="the saved referral")
    command.add_argument(
        "-o",
        "--output",
        metavar="OUT.pdf",
        help="where to write the PDF (default: FILE with .pdf in place of .json)",
    )
    command.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="check dates as if today were this day (default: today)",
    )
    command.set_defaults(run=command_pdf)
