"""Checks across parts of the sources that a schema cannot express: documents -> located problems.

References resolve, ids are unique, the checker's graph has no dead ends, loops or unreachable parts,
the pathway can be drawn, and the form's conditions and shared answer lists exist. Each check is a
generator of problems, so every problem is reported in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from generator.model import SUBMISSION_METADATA_KEYS
from generator.problems import Problem
from generator.sources.yamlsource import YamlDocument


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
    lists = doc.data["lists"]
    for name in lists:
        yield from unique_ids(doc, ("lists", name, "items"), f"'{name}'")
    yield from unique_ids(doc, ("criteria",), "criterion")


def check_service(doc: YamlDocument, root: Path | None = None) -> Iterator[Problem]:
    yield from unique_ids(doc, ("terms",), "term")
    yield from unique_ids(doc, ("contacts",), "contact")
    data = doc.data
    accessibility = data.get("accessibility")
    if isinstance(accessibility, dict):
        contacts = {c.get("id") for c in data.get("contacts", []) if isinstance(c, dict)}
        if accessibility.get("contact") not in contacts:
            yield Problem(
                doc.where(("accessibility", "contact")),
                f"unknown contact '{accessibility.get('contact')}'; "
                + _known(contacts - {None}, accessibility.get("contact")),
            )
        if accessibility.get("compliance") == "fully" and accessibility.get("known_issues"):
            yield Problem(
                doc.where(("accessibility", "compliance")),
                "the website cannot be 'fully' compliant while known_issues lists problems: "
                "write 'partially', or empty the list once they are fixed",
            )
        if str(accessibility.get("last_reviewed")) < str(accessibility.get("prepared")):
            yield Problem(
                doc.where(("accessibility", "last_reviewed")),
                "the statement's last review is before the date it was prepared",
            )
    logo = data.get("logo")
    if isinstance(logo, str) and root is not None:
        folder = Path(root).resolve()
        path = (folder / logo).resolve()
        inside = any(path.is_relative_to(folder / part) for part in ("docs", "content"))
        if not inside:
            yield Problem(doc.where(("logo",)), f"the logo {logo} is not inside docs/ or content/")
        elif not path.is_file():
            yield Problem(doc.where(("logo",)), f"there is no logo file {logo}")
    colour = data.get("brand_colour")
    if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        ratio = contrast_ratio(colour, "#ffffff")
        if ratio < 4.5:
            yield Problem(
                doc.where(("brand_colour",)),
                f"white text on {colour} has a contrast of only {ratio:.1f}:1; choose a darker "
                "colour (at least 4.5:1)",
            )


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


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
        if (
            criteria is not None
            and question.get("criterion")
            and question["criterion"] not in criteria
        ):
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
    for oi, outcome in enumerate(data["outcomes"]):
        for si, step in enumerate(outcome.get("next_steps", [])):
            at = doc.where(("outcomes", oi, "next_steps", si))
            if step not in NEXT_STEPS:
                yield Problem(
                    at,
                    f"next step '{step}' is not one the checker offers ({_known(NEXT_STEPS, step)})",
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
                f"content/checker.yaml ({_known(outcomes, c['not_met'])})",
            )
        elif outcomes[c["not_met"]]["result"] == "eligible":
            yield Problem(
                e_doc.where(("criteria", ci, "not_met")),
                f"criterion '{c['id']}' is not met at outcome '{c['not_met']}', whose result is 'eligible'",
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


def check_criteria_on_form(
    e_doc: YamlDocument, f_doc: YamlDocument, shared_lists: dict, facts: dict
) -> Iterator[Problem]:
    """Each criterion's `met_when` names form fields, answers and facts that exist."""
    lists = dict(shared_lists)
    lists.update(f_doc.data.get("option_lists", {}))
    fields = {}
    mains: dict[str, list[str]] = {}
    for section in f_doc.data["sections"]:
        for fld in section["fields"]:
            options = (
                lists.get(fld["options_from"], [])
                if "options_from" in fld
                else fld.get("options", [])
            )
            fields[fld["id"]] = (fld["type"], {o["id"] for o in options})
            mains[fld["id"]] = [o["id"] for o in options if o.get("main")]
    for ci, criterion in enumerate(e_doc.data["criteria"]):
        for mi, condition in enumerate(criterion.get("met_when", [])):
            path = ("criteria", ci, "met_when", mi)
            name = condition["field"]
            if name not in fields:
                yield Problem(
                    e_doc.where(path + ("field",)),
                    f"criterion '{criterion['id']}' names field '{name}', which is not on the referral "
                    f"form ({_known(fields, name)})",
                )
                continue
            kind, allowed = fields[name]
            if ("in" in condition or "main" in condition) and kind not in CHOICE_FIELDS:
                yield Problem(
                    e_doc.where(path + ("field",)),
                    f"field '{name}' has no fixed answers, so a criterion cannot name its answers",
                )
            if condition.get("main") and kind in CHOICE_FIELDS and not mains[name]:
                yield Problem(
                    e_doc.where(path + ("main",)),
                    f"this condition asks for a main answer, but no answer of field '{name}' is "
                    "marked main: write 'main: true' on the main item of the list the field offers",
                )
            for vi, value in enumerate(condition.get("in", [])):
                if kind in CHOICE_FIELDS and value not in allowed:
                    yield Problem(
                        e_doc.where(path + ("in", vi)),
                        f"'{value}' is not an answer of field '{name}' ({_known(allowed, value)})",
                    )
            if "age_at_most" in condition:
                if not isinstance(facts.get(condition["age_at_most"]), int):
                    numeric = sorted(k for k, v in facts.items() if isinstance(v, int))
                    yield Problem(
                        e_doc.where(path + ("age_at_most",)),
                        f"age_at_most names fact '{condition['age_at_most']}', which is no number in "
                        f"content/eligibility.yaml ({_known(numeric, condition['age_at_most'])})",
                    )
                for key in ("field", "on_field"):
                    other = condition[key]
                    if fields.get(other, ("",))[0] != "date":
                        yield Problem(
                            e_doc.where(path + (key,)),
                            f"age_at_most needs date fields, and '{other}' is not a date field on the referral form",
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
                    f"'{name}' is no criterion in content/eligibility.yaml ({_known(rank, name)})",
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
                        yield Problem(
                            doc.where(sub_path + ("type",)), "a group cannot contain another group"
                        )
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
    after = fld.get("not_after")
    if after:
        if fld["type"] != "date":
            yield Problem(doc.where(path + ("not_after",)), "not_after only works on a date field")
        on = earlier.get(after)
        if on is None or on["type"] != "date":
            dates = sorted(k for k, v in earlier.items() if v["type"] == "date")
            yield Problem(
                doc.where(path + ("not_after",)),
                f"not_after names field '{after}', which is no date field above this one "
                f"({_known(dates, after)})",
            )
    earlier[fid] = {"type": fld["type"], "_options": options}
