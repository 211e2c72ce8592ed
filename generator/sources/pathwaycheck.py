"""Checks of the pathway editors write (content/pathway.yaml): it can be drawn, top to bottom.

It starts once, every step leads forward to one that exists, every step is reached, and the boxes
that are gates for criteria follow the criteria's order. `pathway_links` says where each step
goes, for the checks and for the model alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.problems import Problem
from generator.sources.crosscheck import known_names, unique_ids
from generator.sources.yamlsource import YamlDocument


def pathway_links(steps: list[dict]) -> list[list[tuple[str | None, str]]]:
    """Where each step goes: [(label, target id)], filling in 'the step below' where `next` is left out."""
    links = []
    for index, step in enumerate(steps):
        if step["kind"] == "decision":
            links.append([(b["label"], b["to"]) for b in step.get("branches", [])])
        elif step["kind"] == "end":
            links.append([])
        elif "next" in step:
            links.append([(None, step["next"])])
        elif index + 1 < len(steps):
            links.append([(None, steps[index + 1]["id"])])
        else:
            links.append([])
    return links


def check_pathway(doc: YamlDocument) -> Iterator[Problem]:
    steps = doc.data["steps"]
    yield from unique_ids(doc, ("steps",), "step")
    ids = {s["id"]: i for i, s in enumerate(steps)}
    if steps[0]["kind"] != "start":
        yield Problem(doc.where(("steps", 0, "kind")), "the first step must have kind 'start'")
    for i, step in enumerate(steps[1:], start=1):
        if step["kind"] == "start":
            yield Problem(
                doc.where(("steps", i, "kind")), "only the first step can have kind 'start'"
            )
    links = pathway_links(steps)
    for i, (step, outs) in enumerate(zip(steps, links)):
        if step["kind"] in ("start", "step") and not outs:
            yield Problem(
                doc.where(("steps", i, "id")),
                f"step '{step['id']}' is the last one but is not an 'end': give it 'next' or make it kind 'end'",
            )
        for bi, (label, target) in enumerate(outs):
            key = (
                ("steps", i, "branches", bi, "to")
                if step["kind"] == "decision"
                else ("steps", i, "next")
            )
            if target not in ids:
                yield Problem(
                    doc.where(key),
                    f"step '{step['id']}' leads to '{target}', which is no step ({known_names(ids, target)})",
                )
            elif ids[target] <= i:
                yield Problem(
                    doc.where(key),
                    f"step '{step['id']}' leads back up to '{target}'; the pathway must only go forward",
                )
    reached = {steps[0]["id"]}
    for step, outs in zip(steps, links):
        if step["id"] in reached:
            reached |= {t for _, t in outs}
    for i, step in enumerate(steps):
        if step["id"] not in reached:
            yield Problem(
                doc.where(("steps", i, "id")),
                f"step '{step['id']}' cannot be reached: nothing leads to it",
            )


def check_pathway_gates(doc: YamlDocument, e_doc: YamlDocument) -> Iterator[Problem]:
    """The boxes that are gates for criteria name real ones, in the criteria's order."""
    rank = {c["id"]: i for i, c in enumerate(e_doc.data["criteria"])}
    last, last_name = -1, ""
    for si, step in enumerate(doc.data["steps"]):
        for ci, name in enumerate(step.get("criteria", [])):
            at = doc.where(("steps", si, "criteria", ci))
            if name not in rank:
                yield Problem(
                    at,
                    f"'{name}' is no criterion in content/eligibility.yaml ({known_names(rank, name)})",
                )
                continue
            if rank[name] < last:
                yield Problem(
                    at,
                    f"criterion '{name}' comes before '{last_name}' in content/eligibility.yaml, so its "
                    "gate must come first in the pathway too",
                )
            elif rank[name] > last:
                last, last_name = rank[name], name
