"""Mutated sources never crash `check`, and every problem it reports names a file and a line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.sources.load import SOURCES, UNCHECKED, check_sources

ROOT = Path(__file__).resolve().parent.parent
# 1000 mutated source sets in every `make test` (about a minute); FUZZ_EXAMPLES changes the count.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))

ORIGINALS = {relative: (ROOT / relative).read_bytes() for relative in SOURCES.values()}

yaml_noise = st.sampled_from(
    [
        ": ",
        "- ",
        "\t",
        '"',
        "'",
        "{",
        "}",
        "[",
        "]",
        "&a ",
        "*a",
        "!!str ",
        "!!python/object:x ",
        "<<: ",
        "\x00",
        "\ufeff",
        "yes",
        "no",
        "0123",
        "3:00",
        "~",
        "null",
        "{upper_age}",
        "{nope}",
        "id: x\n",
        "\n  ",
        "\n- ",
        "#",
        "|",
        ">",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "\u202e",
        "é",
    ]
)


@st.composite
def mutated_source(draw):
    relative = draw(st.sampled_from(sorted(ORIGINALS)))
    lines = ORIGINALS[relative].split(b"\n")
    operation = draw(
        st.sampled_from(["delete", "duplicate", "insert", "swap", "truncate", "replace"])
    )
    index = draw(st.integers(0, len(lines) - 1))
    if operation == "delete":
        del lines[index]
    elif operation == "duplicate":
        lines.insert(index, lines[index])
    elif operation == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif operation == "truncate":
        lines = lines[:index]
    else:
        noise = draw(st.one_of(yaml_noise, st.text(max_size=12))).encode("utf-8", "surrogatepass")
        line = lines[index]
        at = draw(st.integers(0, len(line)))
        if operation == "insert":
            lines[index] = line[:at] + noise + line[at:]
        else:
            lines[index] = line[:at] + noise
    return relative, b"\n".join(lines)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(mutation=mutated_source())
def test_check_never_raises_and_always_locates(mutation, tmp_path_factory):
    relative, content = mutation
    root = tmp_path_factory.mktemp("service")
    for name, original in ORIGINALS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content if name == relative else original)
    problems = check_sources(root)  # must not raise
    for problem in problems:
        assert problem.where.file in ORIGINALS, problem
        assert problem.message and "Traceback" not in problem.message
        if problem.code != UNCHECKED:  # a note on a whole file: which checks wait for it
            assert problem.where.line >= 1, problem
    shutil.rmtree(root)
