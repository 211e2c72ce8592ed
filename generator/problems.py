"""Problems in the sources, as data: where they are and what is wrong, in words an editor can act on."""

from __future__ import annotations

from dataclasses import dataclass


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


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake, located. `str()` gives `file:line:column: message`, which editors and grep can follow."""

    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.where.file,
            "line": self.where.line,
            "column": self.where.column,
            "message": self.message,
        }


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
