"""Read the history of the editors' files: a project folder -> its changes, newest first, or None.

The "What changed" page lists what `git log` says of content/ and forms/. A project without
history (a tarball, a folder without .git, a machine without git) gives None, never an error:
the page then says so and the build goes on.
"""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# The folders whose changes practitioners care about: the editors' YAML.
TRACKED = ("content", "forms")
# How many changes the page lists (a default; the rest are in the repository's own history).
MAX_CHANGES = 100
_SEPARATOR = "\x1f"  # the ASCII unit separator: never in a date, hash or one-line message


@dataclass(frozen=True)
class Change:
    """One commit that touched the editors' files. `message` is its first line, untrusted text."""

    date: str  # YYYY-MM-DD, when it was committed
    message: str
    commit: str  # the abbreviated hash


def read_history(root: Path, limit: int = MAX_CHANGES) -> tuple[Change, ...] | None:
    """The changes to content/ and forms/ under `root`, newest first; None without a history."""
    command = [
        "git",
        "-C",
        str(root),
        "log",
        f"--max-count={limit}",
        "--date=short",
        f"--format=%cd{_SEPARATOR}%h{_SEPARATOR}%s",
        "--",
        *TRACKED,
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, timeout=20, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError) as error:  # no git, or it hung
        log.debug("No history: %s", error)
        return None
    if result.returncode != 0:  # not a repository, or one git refuses to read
        log.debug("No history: %s", result.stderr.decode("utf-8", "replace").strip())
        return None
    changes = []
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split(_SEPARATOR, 2)
        if len(parts) == 3:
            date, commit, message = parts
            changes.append(Change(date=date, message=message, commit=commit))
    return tuple(changes)
