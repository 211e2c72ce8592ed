"""Checks across parts of the sources that a schema cannot express: documents -> located problems.

References resolve, ids are unique, the checker's graph has no dead ends, loops or unreachable parts,
the pathway can be drawn, and the form's conditions and shared answer lists exist. Each check is a
generator of problems, so every problem is reported in one run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from generator.model import SUBMISSION_METADATA_KEYS
from generator.problems import Problem
from generator.yamlsource import YamlDocument


def _known(names, near: str | None = None) -> str:
    names = sorted(names)
    if near:
        close = difflib.get_close_matches(near, names, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'?"
    return "known: " + ", ".join(names) if names else "there are none"


def unique_ids(doc: YamlDocument, path: tuple, what: str) -> Iterator[Problem]:
    """Items of the list at `path` must have different ids."""
    seen: dict[str, int] = {}
    items = _get(doc.data, path) or []
    for index, item in enumerate(items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            first = doc.where(path + (seen[item_id], "id"))
            yield Problem(
                doc.where(path + (index, "id")),
                f"the {what} id '{item_id}' is used twice (first on line {first.line}); ids must be unique",
            )
        else:
            seen[item_id] = index


def _get(data, path: tuple):
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def check_eligibility(doc: YamlDocument) -> Iterator[Problem]:
    yield from unique_ids(doc, ("risk_statuses",), "risk status")
    yield from unique_ids(doc, ("exploitation_types",), "exploitation type")
    yield from unique_ids(doc, ("criteria",), "criterion")
    if not any(t.get("main") for t in doc.data["exploitation_types"]):
        yield Problem(
            doc.where(("exploitation_types",)),
            "mark the main exploitation type with 'main: true' (the guide names it first)",
        )


def check_service(doc: YamlDocument) -> Iterator[Problem]:
    yield from unique_ids(doc, ("terms",), "term")
    yield from unique_ids(doc, ("contacts",), "contact")


def check_guide(doc: YamlDocument) -> Iterator[Problem]:
    yield from unique_ids(doc, ("sections",), "section")
    dates = doc.data["dates"]
    if dates["next_review"] < dates["last_reviewed"]:
        yield Problem(
            doc.where(("dates", "next_review")),
            f"the next review ({dates['next_review']}) is before the last review ({dates['last_reviewed']})",
        )


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
            f"start is '{data['start']}', which is no question ({_known(questions, data['start'])})",
        )
    for qi, question in enumerate(data["questions"]):
        yield from unique_ids(doc, ("questions", qi, "options"), "option")
        if criteria is not None and question.get("criterion") and question["criterion"] not in criteria:
            yield Problem(
                doc.where(("questions", qi, "criterion")),
                f"question '{question['id']}' names criterion '{question['criterion']}', which is not in "
                f"content/eligibility.yaml ({_known(criteria, question['criterion'])})",
            )
        for oi, option in enumerate(question["options"]):
            if option["next"] not in targets:
                yield Problem(
                    doc.where(("questions", qi, "options", oi, "next")),
                    f"option '{option['id']}' leads to '{option['next']}', which is no question or outcome "
                    f"({_known(targets, option['next'])})",
                )
            elif option["next"] == question["id"]:
                yield Problem(
                    doc.where(("questions", qi, "options", oi, "next")),
                    f"option '{option['id']}' leads back to its own question '{question['id']}'",
                )
    yield from _check_checker_graph(doc, questions, outcomes)


def _check_checker_graph(doc, questions: dict, outcomes: dict) -> Iterator[Problem]:
    data = doc.data
    edges = {
        q["id"]: [o["next"] for o in q["options"] if o["next"] in questions or o["next"] in outcomes]
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
                oi = next(i for i, o in enumerate(data["questions"][qi]["options"]) if o["next"] == target)
                loop = " -> ".join(trail[trail.index(target):] + [node, target])
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
            yield Problem(doc.where(("steps", i, "kind")), "only the first step can have kind 'start'")
    links = pathway_links(steps)
    for i, (step, outs) in enumerate(zip(steps, links)):
        if step["kind"] in ("start", "step") and not outs:
            yield Problem(
                doc.where(("steps", i, "id")),
                f"step '{step['id']}' is the last one but is not an 'end': give it 'next' or make it kind 'end'",
            )
        for bi, (label, target) in enumerate(outs):
            key = ("steps", i, "branches", bi, "to") if step["kind"] == "decision" else ("steps", i, "next")
            if target not in ids:
                yield Problem(
                    doc.where(key),
                    f"step '{step['id']}' leads to '{target}', which is no step ({_known(ids, target)})",
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


CHOICE_FIELDS = ("radios", "checkboxes")


def check_form(doc: YamlDocument, shared_lists: dict[str, list], facts: dict) -> Iterator[Problem]:
    """Fields have unique ids; option lists, conditions and age limits name things that exist."""
    data = doc.data
    lists = dict(shared_lists)
    lists.update(data.get("option_lists", {}))
    yield from unique_ids(doc, ("sections",), "section")
    seen: dict[str, tuple] = {}
    earlier: dict[str, dict] = {}
    for si, section in enumerate(data["sections"]):
        for fi, fld in enumerate(section["fields"]):
            path = ("sections", si, "fields", fi)
            yield from _check_field(doc, fld, path, seen, earlier, lists, facts)
            if fld["type"] == "group":
                inner_seen: dict[str, tuple] = {}
                for gi, sub in enumerate(fld.get("fields", [])):
                    sub_path = path + ("fields", gi)
                    if sub["type"] == "group":
                        yield Problem(doc.where(sub_path + ("type",)), "a group cannot contain another group")
                    yield from _check_field(doc, sub, sub_path, inner_seen, {}, lists, facts)


def _check_field(doc, fld, path, seen, earlier, lists, facts) -> Iterator[Problem]:
    fid = fld["id"]
    if fid in SUBMISSION_METADATA_KEYS:
        yield Problem(
            doc.where(path + ("id",)),
            f"the field id '{fid}' is kept for the saved file's own details "
            f"({', '.join(SUBMISSION_METADATA_KEYS)}); choose another id",
        )
    if fid in seen:
        first = doc.where(seen[fid] + ("id",))
        yield Problem(
            doc.where(path + ("id",)),
            f"the field id '{fid}' is used twice (first on line {first.line}); ids must be unique",
        )
    seen[fid] = path
    options = fld.get("options")
    if "options_from" in fld:
        if fld["options_from"] not in lists:
            yield Problem(
                doc.where(path + ("options_from",)),
                f"options_from names '{fld['options_from']}', which is no list of answers "
                f"({_known(lists, fld['options_from'])})",
            )
        else:
            options = lists[fld["options_from"]]
    if fld.get("options"):
        yield from unique_ids(doc, path + ("options",), "option")
    condition = fld.get("show_if")
    if condition:
        target = earlier.get(condition["field"])
        if target is None:
            yield Problem(
                doc.where(path + ("show_if", "field")),
                f"show_if names field '{condition['field']}', which is not a field above this one "
                f"({_known(earlier, condition['field'])})",
            )
        elif target["type"] not in CHOICE_FIELDS:
            yield Problem(
                doc.where(path + ("show_if", "field")),
                f"show_if names field '{condition['field']}', which has no fixed answers "
                "(only radios or checkboxes can control another question)",
            )
        else:
            allowed = {o["id"] for o in target["_options"] or []}
            for vi, value in enumerate(condition["in"]):
                if value not in allowed:
                    yield Problem(
                        doc.where(path + ("show_if", "in", vi)),
                        f"'{value}' is not an answer of field '{condition['field']}' ({_known(allowed, value)})",
                    )
    limit = fld.get("age_limit")
    if limit:
        if fld["type"] != "date":
            yield Problem(doc.where(path + ("age_limit",)), "age_limit only works on a date field")
        value = facts.get(limit["fact"])
        if not isinstance(value, int):
            numeric = sorted(k for k, v in facts.items() if isinstance(v, int))
            yield Problem(
                doc.where(path + ("age_limit", "fact")),
                f"age_limit names fact '{limit['fact']}', which is no number in content/eligibility.yaml "
                f"({_known(numeric, limit['fact'])})",
            )
        on = earlier.get(limit["on_field"])
        if on is None or on["type"] != "date":
            dates = sorted(k for k, v in earlier.items() if v["type"] == "date")
            yield Problem(
                doc.where(path + ("age_limit", "on_field")),
                f"age_limit is measured on field '{limit['on_field']}', which is no date field above this "
                f"one ({_known(dates, limit['on_field'])})",
            )
    earlier[fid] = {"type": fld["type"], "_options": options}
