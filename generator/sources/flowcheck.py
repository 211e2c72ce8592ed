"""Checks of the two graphs editors write: the checker's questions and outcomes, and the pathway.

Each check is a generator of located problems: the checker's graph has no dead ends, loops or
unreachable parts and asks the criteria in their order; the pathway can be drawn and its gates
follow the criteria.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.problems import Problem
from generator.sources.crosscheck import known_names, unique_ids
from generator.sources.yamlsource import YamlDocument


def check_checker(doc: YamlDocument, criteria: set[str] | None) -> Iterator[Problem]:
    """The decision graph: every way on resolves, nothing loops, everything is reachable."""
    data = doc.data
    questions = {q["id"]: i for i, q in enumerate(data["questions"])}
    outcomes = {o["id"]: i for i, o in enumerate(data["outcomes"])}
    yield from unique_ids(doc, ("questions",), "question")
    yield from unique_ids(doc, ("outcomes",), "outcome")
    for name in set(questions) & set(outcomes):
        yield Problem(
            doc.where(("outcomes", outcomes[name], "id")),
            f"'{name}' is the id of a question and of an outcome; give them different ids",
        )
    targets = set(questions) | set(outcomes)
    if data["start"] not in questions:
        yield Problem(
            doc.where(("start",)),
            f"start is '{data['start']}', which is no question ({known_names(questions, data['start'])})",
        )
    for qi, question in enumerate(data["questions"]):
        yield from unique_ids(doc, ("questions", qi, "options"), "option")
        if (
            criteria is not None
            and question.get("criterion")
            and question["criterion"] not in criteria
        ):
            yield Problem(
                doc.where(("questions", qi, "criterion")),
                f"question '{question['id']}' names criterion '{question['criterion']}', which is not in "
                f"content/eligibility.yaml ({known_names(criteria, question['criterion'])})",
            )
        for oi, option in enumerate(question["options"]):
            if option["next"] not in targets:
                yield Problem(
                    doc.where(("questions", qi, "options", oi, "next")),
                    f"option '{option['id']}' leads to '{option['next']}', which is no question or outcome "
                    f"({known_names(targets, option['next'])})",
                )
            elif option["next"] == question["id"]:
                yield Problem(
                    doc.where(("questions", qi, "options", oi, "next")),
                    f"option '{option['id']}' leads back to its own question '{question['id']}'",
                )
    yield from _check_checker_graph(doc, questions, outcomes)
    for oi, outcome in enumerate(data["outcomes"]):
        for si, step in enumerate(outcome.get("next_steps", [])):
            at = doc.where(("outcomes", oi, "next_steps", si))
            if step not in NEXT_STEPS:
                yield Problem(
                    at,
                    f"next step '{step}' is not one the checker offers ({known_names(NEXT_STEPS, step)})",
                )
            elif step in REFERRAL_STEPS and outcome["result"] != "eligible":
                yield Problem(
                    at,
                    f"outcome '{outcome['id']}' is '{outcome['result']}': the person answering cannot refer "
                    f"now, so it cannot offer '{step}' (only an 'eligible' outcome offers the referral form)",
                )


# The links an outcome may offer under "What to do next" (their words are in
# generator/templates/checker/_macros.j2). The referral form's links are for eligible outcomes only.
NEXT_STEPS = ("form", "blank_form", "how_to_refer", "pathway", "who_can_be_referred", "contact")
REFERRAL_STEPS = ("form", "blank_form")


def check_checker_asks_criteria(doc: YamlDocument, e_doc: YamlDocument) -> Iterator[Problem]:
    """The checker asks every criterion, in the criteria's order, and each answer that says a
    criterion is not met leads to that criterion's outcome; so no outcome is reached with a later
    step already done, and the one outcome reached with every criterion met is 'eligible'.

    Each option must lead either to its own criterion's `not_met` outcome, or on: to a question of
    the same or a later criterion (one with no criterion may come anywhere), or to an 'eligible'
    outcome once every criterion has been asked.
    """
    data = doc.data
    criteria = [c["id"] for c in e_doc.data["criteria"]]
    rank = {c: i for i, c in enumerate(criteria)}
    not_met = {c["id"]: c["not_met"] for c in e_doc.data["criteria"]}
    questions = {q["id"]: (qi, q) for qi, q in enumerate(data["questions"])}
    outcomes = {o["id"]: o for o in data["outcomes"]}
    for ci, c in enumerate(e_doc.data["criteria"]):
        if c["not_met"] not in outcomes:
            yield Problem(
                e_doc.where(("criteria", ci, "not_met")),
                f"criterion '{c['id']}' names outcome '{c['not_met']}', which is no outcome in "
                f"content/checker.yaml ({known_names(outcomes, c['not_met'])})",
            )
        elif (outcomes[c["not_met"]]["result"] == "eligible") != (c["strength"] == "should"):
            # A should not met still lets the referral be made (with the reason recorded); a must does not.
            yield Problem(
                e_doc.where(("criteria", ci, "not_met")),
                f"criterion '{c['id']}' is not met at outcome '{c['not_met']}', whose result is "
                f"'{outcomes[c['not_met']]['result']}': "
                + (
                    "a 'should' criterion not met still lets the referral be made, so its outcome is 'eligible'"
                    if c["strength"] == "should"
                    else "a 'must' criterion not met means no referral yet, so its outcome cannot be 'eligible'"
                ),
            )
    asked = {q.get("criterion") for q in data["questions"]}
    for ci, c in enumerate(criteria):
        if c not in asked:
            yield Problem(
                e_doc.where(("criteria", ci, "id")),
                f"no question in content/checker.yaml asks criterion '{c}': give one `criterion: {c}`",
            )
    for qid, (qi, question) in questions.items():
        own = question.get("criterion")
        if own not in rank:
            continue
        for oi, option in enumerate(question["options"]):
            target = option["next"]
            at = doc.where(("questions", qi, "options", oi, "next"))
            if target == not_met[own]:
                continue
            if target in outcomes:
                if outcomes[target]["result"] != "eligible":
                    yield Problem(
                        at,
                        f"option '{option['id']}' of question '{qid}' leads to '{target}', but an answer "
                        f"that says criterion '{own}' is not met must lead to its outcome '{not_met[own]}'",
                    )
                elif rank[own] != len(criteria) - 1:
                    yield Problem(
                        at,
                        f"option '{option['id']}' of question '{qid}' leads to the eligible outcome "
                        f"'{target}' before criterion '{criteria[rank[own] + 1]}' is asked",
                    )
                continue
            later = questions[target][1].get("criterion") if target in questions else None
            if later in rank and rank[later] < rank[own]:
                yield Problem(
                    at,
                    f"question '{qid}' (criterion '{own}') leads back to question '{target}' (criterion "
                    f"'{later}'): ask the criteria in the order of content/eligibility.yaml",
                )
            elif later in rank and rank[later] > rank[own] + 1:
                skipped = criteria[rank[own] + 1]
                yield Problem(
                    at,
                    f"question '{qid}' (criterion '{own}') leads to question '{target}' (criterion "
                    f"'{later}'), skipping criterion '{skipped}'",
                )


def _check_checker_graph(doc, questions: dict, outcomes: dict) -> Iterator[Problem]:
    data = doc.data
    edges = {
        q["id"]: [
            o["next"] for o in q["options"] if o["next"] in questions or o["next"] in outcomes
        ]
        for q in data["questions"]
    }
    # Loops: depth-first search, reporting the option that closes each cycle once.
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[tuple[str, str]] = set()

    def visit(node: str, trail: list[str]) -> Iterator[Problem]:
        state[node] = 1
        for target in edges.get(node, []):
            if target not in questions:
                continue
            if state.get(target) == 1 and target != node and (node, target) not in reported:
                reported.add((node, target))
                qi = questions[node]
                oi = next(
                    i for i, o in enumerate(data["questions"][qi]["options"]) if o["next"] == target
                )
                loop = " -> ".join(trail[trail.index(target) :] + [node, target])
                yield Problem(
                    doc.where(("questions", qi, "options", oi, "next")),
                    f"this makes a loop ({loop}); every answer must lead forward to an outcome",
                )
            elif target not in state:
                yield from visit(target, trail + [node])
        state[node] = 2

    start = data["start"]
    if start in questions:
        yield from visit(start, [])
    reachable = {n for n, s in state.items() if s}
    reachable |= {t for n in reachable for t in edges.get(n, [])}
    for qid, qi in questions.items():
        if qid not in reachable:
            yield Problem(
                doc.where(("questions", qi, "id")),
                f"question '{qid}' cannot be reached: no option leads to it from the start",
            )
    led_to = {t for targets in edges.values() for t in targets}
    for oid, oi in outcomes.items():
        if oid not in led_to:
            yield Problem(
                doc.where(("outcomes", oi, "id")),
                f"outcome '{oid}' is never reached: no option leads to it",
            )
        elif oid not in reachable:
            yield Problem(
                doc.where(("outcomes", oi, "id")),
                f"outcome '{oid}' cannot be reached from the start",
            )


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
