"""Read one YAML file strictly: bytes -> plain data plus the line and column of every value, or problems.

PyYAML's defaults suit programmers, not editors: YAML 1.1 reads `no` as false, `0123` as a number and
`3:00` as 190, keeps the last of two duplicate keys, and runs tags such as `!!python/object`. Here:
- only YAML 1.2's core scalars are typed (true/false, null, decimal numbers); everything else is text;
- duplicate keys, tags, anchors and aliases are refused with their location;
- syntax errors become one located problem in plain words (`yamlsyntax`);
- nesting deeper than MAX_DEPTH, more than MAX_NODES values, and numbers too long to hold are
  refused with their location, before any work that such a file could make endless.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import yaml

from generator.problems import Location, Problem
from generator.sources.yamlsyntax import location_of, syntax_problem

MAX_BYTES = 1_000_000  # the biggest shipped file is 12 KB; a megabyte is a mistake, not content
# Limits on the work one file may ask for, checked on the parser's events before any tree is built
# (the composer recurses: 20,000 nested brackets take it seconds, 100,000 crash the interpreter).
# The shipped sources nest at most 9 deep and the largest holds 612 values; 100 times our content
# (the bench's synthetic service) holds 61,200 in one file.
MAX_DEPTH = 50
MAX_NODES = 200_000
# Numbers in the sources are ages, years and counts. A browser holds numbers of up to 15 digits
# exactly, and Python refuses to read an integer of more than 4,300 digits at all.
MAX_DIGITS = 15

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    """Plain data (dicts, lists, str, int, float, bool, None) and where each part was written."""

    file: str
    data: Any
    values: dict[Path, Location]  # where each value starts
    keys: dict[Path, Location]  # where each mapping key was written (path includes the key)

    def where(self, path: Path) -> Location:
        """Locate the value at `path`, or the nearest enclosing value that has a location."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Location(self.file, 1, 1))

    def where_key(self, path: Path) -> Location:
        return self.keys.get(tuple(path)) or self.where(path)


class _CoreResolver(yaml.resolver.Resolver):
    """YAML 1.2 core schema: a few typed plain scalars; everything else stays text."""


_CoreResolver.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$",
        "-+0123456789.",
    ),
):
    _CoreResolver.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _TooMuchWork(Exception):
    def __init__(self, message: str, mark):
        self.message, self.mark = message, mark


class _TagFound(Exception):
    def __init__(self, tag: str, mark):
        self.tag, self.mark = tag, mark


class _AliasFound(Exception):
    def __init__(self, mark):
        self.mark = mark


if yaml.__with_libyaml__:  # libyaml parses ten times faster; the checks below work on either
    from yaml._yaml import CParser as _Parser

    class _StrictLoader(_Parser, _CoreResolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            _CoreResolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _StrictLoader(
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _CoreResolver,
    ):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _CoreResolver.__init__(self)


_IMPLICIT_COLLECTION_TAGS = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}
_RESOLVER = _CoreResolver()


def _refuse_tags_and_aliases(root) -> None:
    """Raise on the first node written with an explicit tag or reached through an alias.

    An explicit tag shows as a node whose tag differs from what its text alone resolves to; an alias
    shows as the same node object met twice."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _AliasFound(node.start_mark)
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            expected = _RESOLVER.resolve(yaml.ScalarNode, node.value, (not node.style, True))
            if node.tag != expected and not (
                node.tag == "tag:yaml.org,2002:merge" and node.value == "<<"
            ):
                raise _TagFound(node.tag, node.start_mark)
            continue
        if node.tag != _IMPLICIT_COLLECTION_TAGS[type(node)]:
            raise _TagFound(node.tag, node.start_mark)
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
        else:
            stack.extend(reversed(node.value))


_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_VALUES = (yaml.ScalarEvent, yaml.AliasEvent)


def _check_work(text: str) -> None:
    """Raise _TooMuchWork at the first value nested deeper than MAX_DEPTH or past MAX_NODES.

    The parser's events come one at a time from a loop in libyaml, with no recursion, so this
    pass is safe on any input; syntax errors are raised here as they would be while composing."""
    loader = _StrictLoader(text)
    depth = count = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, _OPENS):
                depth += 1
                count += 1
                if depth > MAX_DEPTH:
                    raise _TooMuchWork(
                        f"the values here are nested more than {MAX_DEPTH} levels deep (lists or keys "
                        "inside one another); no source needs so many",
                        event.start_mark,
                    )
            elif isinstance(event, _CLOSES):
                depth -= 1
            elif isinstance(event, _VALUES):
                count += 1
            if count > MAX_NODES:
                raise _TooMuchWork(
                    f"the file holds more than {MAX_NODES:,} values; no source needs so many: "
                    "split it or remove repeated content",
                    event.start_mark,
                )
    finally:
        loader.dispose()


def too_large_problem(file: str, size: int) -> Problem:
    """The problem with a file of `size` bytes, over MAX_BYTES."""
    return Problem(
        Location(file, 1, 1),
        f"the file is too large ({size / 1_000_000:.1f} MB; the limit is 1 MB)",
    )


def read_yaml(raw: bytes, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML file. Returns the document, or None with every problem found."""
    start = Location(file, 1, 1)
    if len(raw) > MAX_BYTES:
        return None, [too_large_problem(file, len(raw))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                Location(file, line, 1),
                "this is not UTF-8 text (is it a binary file, or saved in another encoding?)",
            )
        ]
    text = text.removeprefix("\ufeff")
    try:
        _check_work(text)
        loader = _StrictLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        if root is not None:
            _refuse_tags_and_aliases(root)
    except _TooMuchWork as error:
        return None, [Problem(location_of(file, error.mark), error.message)]
    except _TagFound as error:
        return None, [
            Problem(
                location_of(file, error.mark),
                f"YAML tags such as '{error.tag.replace('tag:yaml.org,2002:', '!!')}' are not allowed; "
                "write plain values",
            )
        ]
    except _AliasFound as error:
        return None, [
            Problem(
                location_of(file, error.mark),
                "YAML anchors and aliases (& and *) are not allowed; write the value out in full",
            )
        ]
    except yaml.YAMLError as error:
        return None, [syntax_problem(error, text, file)]

    if root is None:
        return None, [Problem(start, "the file is empty")]
    problems: list[Problem] = []
    values: dict[Path, Location] = {}
    keys: dict[Path, Location] = {}
    data = _to_data(root, (), file, values, keys, problems)
    if problems:
        return None, problems
    return YamlDocument(file, data, values, keys), []


def _to_data(node, path: Path, file: str, values, keys, problems: list[Problem]):
    values[path] = location_of(file, node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node)
        refused = _refuse_number(node, value)
        if refused:
            problems.append(Problem(values[path], refused))
        return value
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_data(item, path + (index,), file, values, keys, problems)
            for index, item in enumerate(node.value)
        ]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        where = location_of(file, key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(where, "a key must be a plain word, not a list or a mapping"))
            continue
        if key_node.value == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(
                Problem(where, "YAML merge keys (<<) are not allowed; write the keys out")
            )
            continue
        key = str(key_node.value)
        if key in result:
            first = keys[path + (key,)]
            problems.append(
                Problem(
                    where,
                    f"the key '{key}' appears twice here (first on line {first.line}); keep one",
                )
            )
            continue
        keys[path + (key,)] = where
        result[key] = _to_data(value_node, path + (key,), file, values, keys, problems)
    return result


def _scalar(node: yaml.ScalarNode):
    if node.style:  # quoted or block text is always text ("" and None both mean plain)
        return node.value
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:int":
        return int(value) if _digits(value) <= MAX_DIGITS else value  # refused by _refuse_number
    if tag == "tag:yaml.org,2002:float":
        return float(value)
    return value


def _digits(text: str) -> int:
    return len(text.lstrip("+-"))


def _refuse_number(node: yaml.ScalarNode, value) -> str:
    """Why a plain number cannot be read, or "" when it can."""
    if node.style or node.tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return ""
    if node.tag.endswith(":int") and _digits(node.value) > MAX_DIGITS:
        return (
            f"this number has {_digits(node.value):,} digits; the most a number may have is "
            f"{MAX_DIGITS}: put it in quotes if it is text"
        )
    if isinstance(value, float) and not math.isfinite(value):
        return "this number is too large to be read: put it in quotes if it is text"
    return ""
