"""What `check` lets through, the build takes: an editor never sees `make check` pass and then
`make build` stop with the generator's "this is a bug" message.

The checker's graph is where the two have parted before (an option leading back to its own question
passed the check, then the paths through the graph looped), so the graph is mutated here: every
option of a small service's checker is sent to every other question and outcome, and each question
gains an option leading to each question (itself too) and outcome. Each mutated source set is checked; each one the check
accepts is generated in full (pages, checker, form, PDFs) in this process, as a build does before
the engine runs, and must not raise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.render.context import BuildContext
from generator.render.site import generate_site
from generator.sources.load import check_sources, load_project

OTHER_SERVICE = Path(__file__).resolve().parent / "fixtures" / "other-service"
CHECKER = "content/checker.yaml"


def graph_mutations(checker: dict) -> list[tuple[str, dict]]:
    """(what changed, the checker with that change) for each single change to its graph: where
    each criterion's "yes" leads (`if_met`), and a question of the checker's own, inserted after
    each question, whose answers lead to each question (itself too) and outcome."""
    questions = [q.get("criterion") or q["id"] for q in checker["questions"]]
    targets = questions + [o["id"] for o in checker["outcomes"]] + ["extra"]
    mutations = []
    for qi, question in enumerate(checker["questions"]):
        name = questions[qi]
        for target in targets:
            if target != question.get("if_met") and target != "extra":
                changed = yaml.safe_load(yaml.safe_dump(checker))
                changed["questions"][qi]["if_met"] = target
                mutations.append((f"{name} if_met -> {target}", changed))
        for target in targets:
            changed = yaml.safe_load(yaml.safe_dump(checker))
            extra = {
                "id": "extra",
                "text": "Anything else?",
                "options": [
                    {"id": "a", "label": "A", "next": target},
                    {"id": "b", "label": "B", "next": question["if_met"]},
                ],
            }
            changed["questions"][qi]["if_met"] = "extra"
            changed["questions"].insert(qi + 1, extra)
            mutations.append((f"{name} -> extra=a -> {target}", changed))
    return mutations


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("graph") / "service"
    shutil.copytree(OTHER_SERVICE, root)
    return root


def test_whatever_the_check_accepts_of_a_mutated_graph_the_build_generates(service):
    original = yaml.safe_load((service / CHECKER).read_text(encoding="utf-8"))
    cache = service.parent / "cache"  # shared: the PDFs render once, not once per mutation
    accepted, refused, failures = [], [], []
    for change, checker in graph_mutations(original):
        (service / CHECKER).write_text(yaml.safe_dump(checker, sort_keys=False), encoding="utf-8")
        if check_sources(service):
            refused.append(change)
            continue
        accepted.append(change)
        try:
            generate_site(load_project(service), BuildContext(root=service, cache_dir=cache))
        except Exception as error:  # noqa: BLE001 - every failure is listed below, none is hidden
            failures.append(f"{change}: {type(error).__name__}: {error}")
    assert failures == [], "the check passed, then the build failed:\n" + "\n".join(failures)
    # Both sides are exercised: some changes are refused, some are built.
    assert len(refused) >= 10 and len(accepted) >= 3, (accepted, refused)
    assert "risk if_met -> risk" in refused
    assert "age -> extra=a -> extra" in refused
