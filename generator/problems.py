"""Problems as data: where they are and what is wrong, in words an editor or a practitioner can act on.

`Problem` is the one result every check returns and every reporter (`generator.report`) prints. Its
place is a `Location` (a line and column of a source file, or a whole file) or a `Pointer` (a value
in a saved referral, a JSON file, which has no lines worth pointing at).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

# How bad a problem is. An error stops the build (and fails `check`, exit 1); a warning is printed
# and counted but stops nothing (`check` exits 4 when there are only warnings).
ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file. Lines and columns count from 1; 0 means "the whole file"."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column}


@dataclass(frozen=True, order=True)
class Pointer:
    """A value in a saved referral: its JSON pointer for tools, its question for people.

    `pointer` follows RFC 6901 ("/other_agencies/0/agency"; "" is the whole file). `field` is the
    answer's dotted key ("other_agencies.0.agency", or "criterion.age" for a criterion); `section`,
    `item` and `label` are the words a practitioner finds on the form. `str()` gives those words
    ("Other agencies involved > Agency 1 > Agency"); the file is named by the report's closing line.
    """

    file: str
    pointer: str = ""
    field: str = ""
    section: str = ""
    item: str = ""
    label: str = ""

    # A JSON file's problems point at no line: reporters that need one (GitLab) use the first.
    line: ClassVar[int] = 0
    column: ClassVar[int] = 0

    def __str__(self) -> str:
        return " > ".join(part for part in (self.section, self.item, self.label) if part)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "pointer": self.pointer,
            "field": self.field,
            "section": self.section,
            "item": self.item,
            "label": self.label,
        }


def json_pointer(path: tuple) -> str:
    """('other_agencies', 0, 'agency') -> '/other_agencies/0/agency' (RFC 6901 escapes ~ and /)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake, located. `str()` gives `file:line:column: message`, which editors and grep can
    follow; a message of several lines gives that place before each of them.

    `code` names the kind of problem for tools (`yaml`, `schema`, `reference`, `required`, ...;
    "" where none is given); `severity` is ERROR or WARNING.
    """

    where: Location | Pointer
    message: str
    code: str = ""
    severity: str = ERROR

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def __str__(self) -> str:
        place = str(self.where)
        marker = "warning: " if self.severity == WARNING else ""
        lines = self.message.split("\n")
        if not place:
            return "\n".join(marker + line for line in lines)
        return "\n".join(f"{place}: {marker}{line}" for line in lines)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        """The problem for JSON: its place's fields, the message, then the code and severity (a
        referral's problems keep `text` too, the line people read)."""
        fields = {**self.where.as_dict(), "message": self.message}
        if isinstance(self.where, Pointer):
            fields["text"] = str(self)
        return {**fields, "code": self.code, "severity": self.severity}


class SourceError(Exception):
    """The sources have problems; raised once, at the edge, carrying all of them."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(self.summary(len(self.problems)))
        return "\n".join(lines)

    @staticmethod
    def summary(count: int) -> str:
        """The closing line of a report of `count` problems."""
        noun = "problem" if count == 1 else "problems"
        return f"{count} {noun} found in the sources; nothing was built."


def bug_message(error: BaseException) -> str:
    """What editors are told when the generator itself fails: never a traceback."""
    return (
        "Something went wrong inside the generator; this is a bug, not a mistake in your files.\n"
        f"Please report it with this line: {type(error).__name__}: {error}"
    )
