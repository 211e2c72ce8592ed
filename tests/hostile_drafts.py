"""Hostile saved drafts, as Hypothesis strategies: the files a practitioner might be sent or make
by hand, which the form page must open or refuse without its script stopping, listing exactly the
problems `python -m generator validate` lists (issue 18).

Keys and values come from hostile alphabets: quotes, brackets and backslashes (which would break
a CSS selector or markup built from them), `__proto__`, `constructor` and other names every
JavaScript object inherits, keys that spell a path ("other_agencies.0.agency"), "$&" and "$'"
(replacement patterns of String.replace), very long strings, lone surrogates, invisible and
direction characters, astral characters and every JSON shape. Some start from the fictional
example, so deep answers (criteria, groups) are reached; some name another form or none.

`draft_files()` gives (bytes of a file, how it was written). Used by tests/test_rules_in_node.py
(many, in Node) and tests/browser/test_form_drafts.py (a sample, in Chromium).
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
# For @settings(max_examples=..., **SETTINGS): no deadline (a file takes a Node or browser round
# trip), and the checks a large generated file and a fixture shared by examples trip.
SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
}
EXAMPLE = json.loads((ROOT / "forms" / "examples" / "referral-example.json").read_text("utf-8"))

HOSTILE_PIECES = [
    "'",
    '"',
    "']",
    '"]',
    "\\",
    "\\'",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "#",
    ".",
    "*",
    ",",
    ">",
    "~",
    "+",
    ":",
    "-",
    "<",
    "</script>",
    "<img src=x onerror=window.__pwned=1>",
    "&amp;",
    "${7*191}",
    "$&",
    "$'",
    "$`",
    "$1",
    "{file}",
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "__defineGetter__",
    "\u0000",
    "\n",
    "\t",
    " ",
    "\u00a0",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\u3164",
    "\U0001f600",
    "\U000e0001",
    "\uff01",
    "\ud800",
    "\udfff",
    "e\u0301",
]
# Keys a file may hold: the form's own, the file's details, paths spelt as keys, and hostile ones.
FORM_KEYS = [k for k in EXAMPLE if k not in ("form", "status", "saved_at")] + [
    "gender_description",
    "young_person_not_agreed_details",
    "parent_not_agreed_reason",
    "parent_not_applicable_reason",
]
PATH_KEYS = [
    "other_agencies.0.agency",
    "other_agencies.*.agency",
    "other_agencies.*",
    "other_agencies-0-agency",
    "q-full_name",
    "f-full_name",
    "criterion.age",
    "full_name.x",
    "0",
    "1",
    "",
]

hostile_text = st.one_of(
    st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=6).map("".join),
    st.text(max_size=20),
    st.sampled_from(["x" * 20_000, "\U0001f600" * 300, "'" * 5000, "\u200c" * 3, "\u00a0"]),
)
hostile_keys = st.one_of(
    st.sampled_from(FORM_KEYS + PATH_KEYS + ["form", "status", "saved_at"]), hostile_text
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_keys, inner, max_size=4),
    max_leaves=10,
)
# Answers that are nearly right: an option id, a date, a group item with hostile keys.
plausible = st.one_of(
    st.sampled_from(["yes", "no", "not_applicable", "other", "cce", "medium", "2011-03-27"]),
    st.lists(st.sampled_from(["cce", "county_lines", "cse", "']"]), max_size=3),
    st.lists(
        st.dictionaries(
            st.sampled_from(["agency", "contact", "role"]) | hostile_keys,
            hostile_text | json_values,
            max_size=4,
        ),
        max_size=3,
    ),
)


@st.composite
def draft_objects(draw) -> object:
    """A hostile set of answers (or, now and then, JSON that is no set of answers at all)."""
    if draw(st.integers(0, 19)) == 0:
        return draw(json_values)
    start = dict(EXAMPLE) if draw(st.booleans()) else {"form": "referral", "status": "draft"}
    changes = draw(
        st.dictionaries(hostile_keys, plausible | json_values | hostile_text, max_size=8)
    )
    removed = draw(st.lists(st.sampled_from(sorted(start)), max_size=3))
    data = {k: v for k, v in {**start, **changes}.items() if k not in removed}
    if draw(st.integers(0, 29)) == 0:  # a list longer than any saved form holds
        data[draw(hostile_keys)] = [draw(json_values)] * 1001
    if draw(st.integers(0, 9)) == 0:  # the file's own details made hostile
        data["form"] = draw(
            st.sampled_from(["referral", "Referral", "", "referral\u200b"]) | json_values
        )
    return data


@st.composite
def draft_files(draw) -> tuple[bytes, str]:
    """The bytes of a saved file holding a hostile draft, written as a file might be."""
    value = draw(draft_objects())
    escaped = draw(st.booleans())
    raw = json.dumps(value, ensure_ascii=escaped).encode("utf-8", "surrogatepass")
    prefix = draw(st.sampled_from([b"", b"", b"", b"\xef\xbb\xbf", b" \n"]))
    how = f"{'escaped' if escaped else 'UTF-8'}, prefix {prefix!r}"
    return prefix + raw, how
