"""Run the compiled rule table: (table, answers, today) -> problems, and the criteria met or not.

The table is flat JSON built once by `generator.rules.compile.build_rules`: one row per check, with the
field it looks at, the value or fact it compares with, the message, when it applies and its
priority. This module and generator/static/js/form/rules.mjs (the page's) are its two
interpreters, each one short loop over a registry of checks, `CHECKS`, one entry per rule kind;
tests/test_rules_in_node.py runs both on the same answers and proves the registries name the same
kinds.

Why not JSON Logic: json-logic-engine (npm) is maintained but its Python ports are not, so the two
sides would run different engines, which is the disagreement this table exists to remove. And a
row here is not only an expression: it must also say where the problem is and in which words, and
which problem an answer shows first, so a loop over the rows would be needed around JSON Logic
anyway. This loop is that loop with sixteen small checks in `CHECKS`; it has no dependency to pin,
each side is about 200 lines, and each is tested against the other on every fixture.

Semantics, the same in both interpreters:
- rows run in the table's order (by priority); an answer gets at most one problem, the first;
- a row's `field` is a key (`full_name`), a group's items (`other_agencies.*`) or a key inside them
  (`other_agencies.*.agency`); "" is the whole submission;
- `when` is a list of conditions that must all hold first; a condition is {field, in, any?}: the
  answer is one of `in` (with `any`, the answer is a list with one of them);
- an answer left out breaks only a `required` row; every other check looks at answers given;
- a row of check `criterion` never makes a problem itself: `criteria` reports it, and `run` turns an
  unmet criterion into a problem when its `when` holds (a complete submission), its message the
  answers that decided it, then the row's `note`. A should criterion's problem is a warning
  (`places` gives each criterion's severity): the referral is accepted, its reason recorded.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterator

_DATE = re.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}(?![\\s\\S])")


def _real_date(value) -> datetime.date | None:
    if not isinstance(value, str) or not _DATE.search(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _age_on(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _kind(value) -> str:
    return {str: "string", list: "array", dict: "object"}.get(type(value), "other")


def holds(condition: dict, scope: dict) -> bool:
    """Whether one condition of a `when` or a criterion holds for the answers in `scope`."""
    name = condition["field"]
    if name not in scope:
        return False
    value = scope[name]
    if "in" in condition:
        if condition.get("any"):
            return isinstance(value, list) and any(v in condition["in"] for v in value)
        return not isinstance(value, (list, dict)) and value in condition["in"]
    if "age_at_most" in condition:
        born, on = _real_date(value), _real_date(scope.get(condition["on_field"]))
        return born is not None and on is not None and _age_on(born, on) <= condition["age_at_most"]
    return True  # answered


def _instances(field: str, data: dict) -> Iterator[tuple[tuple, dict | list, object]]:
    """(path, the object holding the answer, its key) for each answer a row's `field` names."""
    if field == "":
        yield (), {"": data}, ""
        return
    top, _, rest = field.partition(".*")
    if not rest and not field.endswith(".*"):
        yield (top,), data, top
        return
    items = data.get(top)
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not rest:
            yield (top, index), items, index
        elif isinstance(item, dict):
            yield (top, index, rest[1:]), item, rest[1:]


# A check: (the answer, the row's `value`, the object holding the answer, today, the answer's
# path, the problems found so far by path) -> whether the answer breaks the row, or
# (`known`) the keys inside it that do. It sees only answers given: an answer left out breaks
# `required` and no other row.
Check = Callable[..., "bool | list"]


def _text(check: Check) -> Check:
    """A check only text can break: any other answer is the `type` row's to report."""
    return lambda value, *rest: isinstance(value, str) and check(value, *rest)


def _repeats(value, *_) -> bool:
    if not isinstance(value, list):
        return False
    texts = [json.dumps(v, sort_keys=True) for v in value]
    return len(set(texts)) < len(texts)


def _after_other(value: str, want: str, scope: dict, today: str, path: tuple, taken: dict) -> bool:
    """`not_after`: a date after the one `want` names, once that one is a real date with no
    problem of its own (the other is reported, not this)."""
    other = scope.get(want)
    return _real_date(other) is not None and path[:-1] + (want,) not in taken and value > other


# The rule kinds: one entry per `check` the compiler writes (generator/rules/compile.py), the
# same in the page's script (generator/static/js/form/rules.mjs). `criterion` is not here:
# `criteria` weighs it, after every other row, since it asks which answers have problems.
CHECKS: dict[str, Check] = {
    # An answer given is never missing: `_fails` fails a missing one on this row alone.
    "required": lambda *_: False,
    "absent": lambda value, want, scope, *_: not all(holds(c, scope) for c in want),
    "known": lambda value, want, *_: (
        [k for k in value if k not in want] if isinstance(value, dict) else []
    ),
    "type": lambda value, want, *_: _kind(value) != want,
    "const": lambda value, want, *_: value != want,
    "enum": lambda value, want, *_: isinstance(value, (list, dict)) or value not in want,
    "items_enum": lambda value, want, *_: (
        isinstance(value, list) and any(isinstance(v, (list, dict)) or v not in want for v in value)
    ),
    "uniqueItems": _repeats,
    "minItems": lambda value, want, *_: isinstance(value, list) and len(value) < want,
    "maxItems": lambda value, want, *_: isinstance(value, list) and len(value) > want,
    "maxLength": _text(lambda value, want, *_: len(value) > want),
    "pattern": _text(lambda value, want, *_: not re.search(want, value)),
    "excludes": _text(lambda value, want, *_: re.search(want, value) is not None),
    "date": _text(lambda value, *_: _real_date(value) is None),
    "future": _text(lambda value, want, scope, today, *_: value > today),
    "not_after": _text(_after_other),
}


def _fails(row: dict, path: tuple, scope, key, today: str, taken: dict) -> list[tuple]:
    """The paths at which `row` finds a problem with one answer (several for unknown keys)."""
    present = key in scope if isinstance(scope, dict) else True
    if not present:
        return [path] if row["check"] == "required" else []
    check = CHECKS.get(row["check"])
    bad = check(scope[key], row.get("value"), scope, today, path, taken) if check else False
    if isinstance(bad, list):
        return [path + (k,) for k in bad]
    return [path] if bad else []


def criteria(table: dict, data: dict, taken: dict | None = None) -> list[dict]:
    """Each criterion the form records, in order: {id, name, met, reasons}. `met` is True, False
    (an answer says it is not met) or None (an answer it needs is missing, or has a problem of its
    own: its key is in `taken`); `reasons` say which answers decided it."""
    taken = taken or {}
    report = []
    for row in table["rules"]:
        if row["check"] != "criterion":
            continue
        unmet, missing = [], []
        for condition in row["value"]:
            needs = [n for n in (condition["field"], condition.get("on_field")) if n]
            if any(n not in data or n in taken for n in needs):
                missing.append(condition["missing"])
            elif not holds(condition, data):
                words, value = condition["unmet"], data[condition["field"]]
                if isinstance(words, dict):  # by answer: "the answer to ... is "No""
                    words = words.get(value, "") if isinstance(value, str) else ""
                if "age_at_most" in condition:
                    on = _real_date(data[condition["on_field"]])
                    age = _age_on(_real_date(value), on) if on and _real_date(value) else ""
                    words = words.replace("{age}", str(age))
                unmet.append(words)
        met = False if unmet else (None if missing else True)
        recorded = data.get(row["reason_field"]) if "reason_field" in row else None
        report.append(
            {
                "id": row["field"][len("criterion.") :],
                "name": row["message"],
                "met": met,
                "reasons": unmet or missing,
                "strength": row.get("strength", "must"),
                # a should's reason, as the form records it ("" when none is)
                "recorded": recorded if isinstance(recorded, str) and met is False else "",
            }
        )
    return report


def run(table: dict, data: dict, today: str) -> list[tuple[str, tuple, str, str]]:
    """Every problem as (dotted key, path, check, message): one per answer, in the form's order."""
    # By path, not by dotted key: a file's key "other_agencies.0.agency" is not the agency of
    # the first item, and neither may hide the other's problem.
    taken: dict[tuple, dict] = {}
    for row in table["rules"]:
        if row["check"] == "criterion" or not all(holds(c, data) for c in row.get("when", [])):
            continue
        for path, scope, key in _instances(row["field"], data):
            for at in _fails(row, path, scope, key, today, taken):
                taken.setdefault(at, row)
    found = [(dotted(at), at, row["check"], row["message"]) for at, row in taken.items()]
    rows = [row for row in table["rules"] if row["check"] == "criterion"]
    answers_taken = {at[0]: True for at in taken if len(at) == 1}
    for row, result in zip(rows, criteria(table, data, answers_taken)):
        if result["met"] is False and all(holds(c, data) for c in row.get("when", [])):
            message = "; ".join(result["reasons"]) + (f". {row['note']}" if "note" in row else "")
            found.append((row["field"], (row["field"],), "criterion", message))
    places = table["places"]

    def order(problem) -> tuple:
        at, check = problem[1], problem[2]
        place = places[at[0]] if check == "criterion" else place_of(places, at)
        if place is not None:
            return (place["at"], at[1] if len(at) > 1 else -1, place.get("sub", -1), "")
        if len(at) == 1:  # an unknown key: after the known ones, by name
            return (UNKNOWN_AT, -1, -1, str(at[0]))
        return (places[at[0]]["at"], at[1], UNKNOWN_AT, str(at[-1]))

    return sorted(found, key=order)


# Where unknown keys sort: after every question (`places` numbers them from 0), before the criteria.
UNKNOWN_AT = 100_000
CRITERIA_AT = 200_000


def dotted(path: tuple) -> str:
    """('other_agencies', 0, 'agency') -> 'other_agencies.0.agency', a problem's key."""
    return ".".join(map(str, path))


def place_of(places: dict, path: tuple) -> dict | None:
    """Where the question at `path` is shown ('other_agencies.*.agency' in `places`), or None for
    a key that is no question. A key holding "." is never one (no id may), so a file's key
    "other_agencies.*.agency" is not taken for that question."""
    if any(isinstance(p, str) and "." in p for p in path):
        return None
    return places.get(".".join("*" if isinstance(p, int) else p for p in path))
