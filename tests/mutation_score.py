"""Print `make mutate`'s score per module, from the verdicts mutmut saved in mutants/.

Run from the project folder after `mutmut run`: one line per mutated module (killed, survived,
timeout, no tests, not checked yet, other, total, score), then the total. The score is over the
mutants checked: a timeout counts as killed (the mutant made the tests hang, so they stopped it),
a survivor or a mutant no fast test reaches ("no tests") as not.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

COLUMNS = ("killed", "survived", "timeout", "no tests", "not checked")


def count_verdicts(mutants: Path) -> dict[str, Counter]:
    """{module path: Counter of verdicts} for every `.meta` file mutmut wrote under `mutants`."""
    verdicts = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        module = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].values()
        verdicts[module] = Counter(status_by_exit_code[code] for code in codes)
    return verdicts


def score_table(verdicts: dict[str, Counter]) -> str:
    """A Markdown table of the verdicts, one row per module and a total."""
    lines = [
        "| module | killed | survived | timeout | no tests | not checked | other | total | score |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    total: Counter = Counter()
    for module, counts in [*verdicts.items(), ("total", None)]:
        if counts is None:
            counts = total
        else:
            total.update(counts)
        every = sum(counts.values())
        other = every - sum(counts[column] for column in COLUMNS)
        caught = counts["killed"] + counts["timeout"]
        checked = every - counts["not checked"]
        score = f"{100 * caught / checked:.1f}%" if checked else "-"
        cells = [module, *(str(counts[c]) for c in COLUMNS), str(other), str(every), score]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "mutants")
    found = count_verdicts(folder)
    if not found:
        sys.exit(f"no mutmut results under {folder}/: run `make mutate` first")
    print(score_table(found))
