"""The bench's synthetic services stay services the generator accepts: `make bench` times the
build of our content 10 and 100 times over, and a copy that `check` refuses times nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("factor", [1, 3])
def test_a_scaled_service_checks_clean(tmp_path, factor):
    scaled = _bench()._scaled_service(factor, tmp_path / f"x{factor}")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(scaled), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "No problems found in the sources.")
    questions = (scaled / "content" / "checker.yaml").read_text(encoding="utf-8")
    # Each copy asks its own criteria: the last copy's are there, by their own ids.
    last = "" if factor == 1 else f"_{factor - 1}"
    assert f"criterion: family_agrees{last}\n" in questions
