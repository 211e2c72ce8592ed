"""Reword YAML's syntax errors for editors: a PyYAML error -> one located problem in plain words.

PyYAML describes a mistake as its parser sees it ("while scanning a simple key ... could not find
expected ':'"), often where the parser gave up rather than where the mistake is. Here each common
mistake gets a sentence saying what to do, and a quote left open is traced back to where it opens.
"""

from __future__ import annotations

import re

import yaml

from generator.problems import Location, Problem


def syntax_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """The problem to report for a YAML error raised while reading `text`, the file `file`."""
    start = Location(file, 1, 1)
    if isinstance(error, yaml.reader.ReaderError):
        line = text[: error.position].count("\n") + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return Problem(
            Location(file, line, 1),
            f"the text contains a character that YAML does not allow (code {code:#06x}); delete it",
        )
    if not isinstance(error, yaml.MarkedYAMLError):  # pragma: no cover - PyYAML's errors are marked
        return Problem(start, f"this is not valid YAML ({error})")
    unclosed = _find_unclosed_quote(text, error)
    if unclosed:
        return Problem(
            Location(file, *unclosed), "a quoted text is not closed: add the missing closing quote"
        )
    mark = error.problem_mark or error.context_mark
    if (error.context or "").startswith("while scanning a quoted scalar") and error.context_mark:
        mark = error.context_mark  # where the quote opens, not the end of the file
    where = location_of(file, mark) if mark else start
    return Problem(where, _plain_syntax_message(error, text))


def location_of(file: str, mark) -> Location:
    """Where a PyYAML mark points, counted from 1 as editors count lines and columns."""
    return Location(file, mark.line + 1, mark.column + 1)


def _plain_syntax_message(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    mark = error.problem_mark
    lines = text.splitlines()
    at = lines[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        return "a tab character is used for indentation; indent with spaces only"
    if context.startswith("while scanning a quoted scalar"):
        return "a quoted text is not closed: add the missing closing quote"
    if "found unexpected end of stream" in problem:
        return (
            "the file ends in the middle of something: check for a missing closing quote or bracket"
        )
    if "mapping values are not allowed" in problem:
        return (
            "a colon followed by a space is not allowed here: put the whole text in quotes, "
            "or start a new line for a new key"
        )
    if context.startswith(("while parsing a block mapping", "while parsing a block collection")):
        return "the indentation is inconsistent here: line up keys that belong together at the same depth"
    if "could not find expected ':'" in problem:
        return (
            "expected 'key: value' here: a key is missing its colon, or a text runs onto a new line"
        )
    words = "; ".join(part for part in (context, problem) if part)
    return f"this is not valid YAML ({words})"


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*:\s+)?(["'])(.*)$""")


def _find_unclosed_quote(text: str, error: yaml.MarkedYAMLError) -> tuple[int, int] | None:
    """A quote left open swallows the next lines, so YAML blames somewhere later. Find the line
    (up to the error) whose value opens a quote it never closes, so the editor is sent to the cause."""
    mark = error.problem_mark or error.context_mark
    last = mark.line + 1 if mark else len(text.splitlines())
    for number, line in enumerate(text.splitlines()[:last], start=1):
        match = _QUOTED_VALUE.match(line)
        if not match:
            continue
        quote, rest = match.groups()
        if quote == '"':
            rest = rest.replace("\\\\", "").replace('\\"', "")
        else:
            rest = rest.replace("''", "")
        if quote not in rest:
            return number, match.start(1) + 1
    return None
