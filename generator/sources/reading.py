"""Read a file only if it is a regular file, and only up to a size limit: path -> bytes, or why not.

Sources and saved referrals are named by people, so the name may be a named pipe (reading it waits
forever for a writer), a device such as /dev/zero (it never ends), a folder, or a symlink to any of
these. The file is opened without waiting (O_NONBLOCK: opening a pipe with no writer returns at
once), its kind is checked on the open file itself (fstat, so a swap between a check and the open
changes nothing), and at most `limit + 1` bytes are read, so nothing unbounded reaches a parser.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Why a file was not read; each caller words these for its own readers.
MISSING, FOLDER, NOT_REGULAR, TOO_LARGE, UNREADABLE = (
    "missing",
    "folder",
    "not_regular",
    "too_large",
    "unreadable",
)


class FileRefused(Exception):
    """The file was not read. `reason` is one of the names above; `size` is set for TOO_LARGE and
    `detail` (the system's words) for UNREADABLE."""

    def __init__(self, reason: str, size: int = 0, detail: str = ""):
        self.reason, self.size, self.detail = reason, size, detail
        super().__init__(reason if not detail else f"{reason}: {detail}")


_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 16


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """Return the bytes of the regular file at `path`, which may hold at most `limit` bytes.

    Raises FileRefused when it is missing, a folder, anything but a regular file (a pipe, a device,
    a socket), larger than `limit`, or cannot be read.
    """
    try:
        descriptor = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise FileRefused(MISSING) from None
    except IsADirectoryError:
        raise FileRefused(FOLDER) from None
    except OSError as error:
        raise FileRefused(UNREADABLE, detail=error.strerror or str(error)) from None
    try:
        mode = os.fstat(descriptor)
        if stat.S_ISDIR(mode.st_mode):
            raise FileRefused(FOLDER)
        if not stat.S_ISREG(mode.st_mode):
            raise FileRefused(NOT_REGULAR)
        if mode.st_size > limit:
            raise FileRefused(TOO_LARGE, size=mode.st_size)
        # The size can change while reading (a file being written): stop one byte past the limit.
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileRefused(TOO_LARGE, size=max(total, mode.st_size))
        return b"".join(chunks)
    except OSError as error:
        raise FileRefused(UNREADABLE, detail=error.strerror or str(error)) from None
    finally:
        os.close(descriptor)
