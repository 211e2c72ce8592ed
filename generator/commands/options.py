"""What every command shares: exit codes, the project folder, the --today date."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def iso_date(text: str) -> datetime.date:
    """An argparse type for --today: a date written YYYY-MM-DD, or a plain usage error."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def project_root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()
