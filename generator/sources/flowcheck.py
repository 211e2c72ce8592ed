"""Checks of the checker's graph editors write (content/checker.yaml): its questions and outcomes.

Each check is a generator of located problems: every way on leads to a question or an outcome, the
graph has no loops or unreachable parts, and each outcome offers only the links it may. That the
checker asks the criteria, answer by answer and path by path, is `checker_criteria`'s to prove;
the pathway's checks are `pathwaycheck`'s.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.problems import Problem
from generator.sources.crosscheck import known_names, unique_ids
from generator.sources.yamlsource import YamlDocument

# A criterion's question offers these answers, each with a stable option id: `met` leads where
# content/checker.yaml's `if_met` says, `not_met` and `not_known` to the criterion's own outcomes.
ANSWERS = (("met", "yes"), ("not_met", "no"), ("not_known", "not_known"))


def expand_questions(data: dict, criteria: list[dict]) -> list[dict]:
    """The checker's questions as the reader meets them: a criterion's question takes its words
    and its answers from the criterion (content/eligibility.yaml `ask`) and only where its met
    answer leads from content/checker.yaml. Each question and option keeps where it is written, as
    (file kind, path): "checker" or "eligibility"."""
    by_id = {c["id"]: (ci, c) for ci, c in enumerate(criteria)}
    expanded = []
    for qi, q in enumerate(data["questions"]):
        own = q.get("criterion")
        if own is None or own not in by_id:
            expanded.append(_own_question(qi, q))
        else:
            expanded.append(_criterion_question(qi, q, *by_id[own]))
    return expanded


def _own_question(qi: int, q: dict) -> dict:
    """A question that asks no criterion (or one content/eligibility.yaml lacks), as written."""
    own = q.get("criterion")
    return {
        "id": q.get("id", own),
        "criterion": None if own is None else own,
        "text": q.get("text", ""),
        "hint": q.get("hint", ""),
        "options": [
            {
                "id": o["id"],
                "label": o["label"],
                "next": o["next"],
                "at": ("checker", ("questions", qi, "options", oi, "next")),
            }
            for oi, o in enumerate(q.get("options", []))
        ]
        + (
            [
                {
                    "id": "yes",
                    "label": "",
                    "next": q["if_met"],
                    "at": ("checker", ("questions", qi, "if_met")),
                }
            ]
            if "if_met" in q
            else []
        ),
        "at": ("checker", ("questions", qi)),
    }


def _criterion_question(qi: int, q: dict, ci: int, criterion: dict) -> dict:
    """A criterion's question: its words and answers from the criterion, its met answer's way on
    from content/checker.yaml."""
    own = criterion["id"]
    ask = criterion.get("ask", {})
    targets = {
        "met": (q.get("if_met", ""), ("checker", ("questions", qi, "if_met"))),
        "not_met": (criterion["not_met"], ("eligibility", ("criteria", ci, "not_met"))),
        "not_known": (
            criterion.get("not_known", ""),
            ("eligibility", ("criteria", ci, "ask", "answers", "not_known")),
        ),
    }
    return {
        "id": own,
        "criterion": own,
        "text": ask.get("question", ""),
        "hint": ask.get("hint", ""),
        "options": [
            {
                "id": option_id,
                "label": ask.get("answers", {}).get(answer, ""),
                "next": targets[answer][0],
                "at": targets[answer][1],
            }
            for answer, option_id in ANSWERS
            if answer in ask.get("answers", {})
        ],
        "at": ("checker", ("questions", qi)),
    }


def check_checker(doc: YamlDocument, e_doc: YamlDocument | None) -> Iterator[Problem]:
    """The decision graph: every way on resolves, nothing loops, everything is reachable.

    Without content/eligibility.yaml (it has problems of its own) only what checker.yaml says
    alone is checked: a criterion's question takes its answers from there."""
    data = doc.data
    criteria = e_doc.data["criteria"] if e_doc is not None else None
    docs = {"checker": doc, "eligibility": e_doc}

    def where(at):
        return docs[at[0]].where(at[1])

    yield from _unique_question_ids(doc)
    yield from unique_ids(doc, ("outcomes",), "outcome")
    yield from _question_shapes(doc, criteria)
    questions = expand_questions(data, criteria or [])
    by_qid: dict[str, int] = {}
    for i, q in enumerate(questions):
        if q["id"]:
            by_qid.setdefault(q["id"], i)  # a second question of one id is reported above
    outcomes = {o["id"]: i for i, o in enumerate(data["outcomes"])}
    for name in set(by_qid) & set(outcomes):
        yield Problem(
            doc.where(("outcomes", outcomes[name], "id")),
            f"'{name}' is the id of a question and of an outcome; give them different ids",
        )
    if data["start"] not in by_qid:
        yield Problem(
            doc.where(("start",)),
            f"start is '{data['start']}', which is no question ({known_names(by_qid, data['start'])})",
        )
    for qi, question in enumerate(data["questions"]):
        if "options" in question:
            yield from unique_ids(doc, ("questions", qi, "options"), "option")
    yield from _option_targets(where, questions, set(by_qid) | set(outcomes), criteria is not None)
    if criteria is not None:
        yield from _check_checker_graph(where, questions, data, doc, outcomes)
    yield from _next_steps(doc)


def _option_targets(
    where, questions: list[dict], targets: set, criteria_known: bool
) -> Iterator[Problem]:
    """Each option leads to a question or an outcome, and never back to its own question."""
    for question in questions:
        for option in question["options"]:
            if not criteria_known and option["at"][0] != "checker":
                continue  # names from content/eligibility.yaml, which has problems of its own
            if not option["next"]:
                continue  # a missing outcome id: reported by _question_shapes or the criteria check
            if option["next"] not in targets:
                yield Problem(
                    where(option["at"]),
                    f"option '{option['id']}' leads to '{option['next']}', which is no question or outcome "
                    f"({known_names(targets, option['next'])})",
                )
            elif option["next"] == question["id"]:
                yield Problem(
                    where(option["at"]),
                    f"option '{option['id']}' leads back to its own question '{question['id']}'",
                )


def _next_steps(doc: YamlDocument) -> Iterator[Problem]:
    """An outcome offers only the checker's links, and the referral form only when eligible."""
    for oi, outcome in enumerate(doc.data["outcomes"]):
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


def _unique_question_ids(doc: YamlDocument) -> Iterator[Problem]:
    """A criterion's question goes by the criterion's id, any other by its own."""
    seen: dict[str, int] = {}
    for qi, q in enumerate(doc.data["questions"]):
        key = "criterion" if q.get("criterion") else "id"
        qid = q.get(key)
        if not isinstance(qid, str):
            continue
        if qid in seen:
            first = doc.where(("questions", seen[qid]))
            yield Problem(
                doc.where(("questions", qi, key)),
                f"the question id '{qid}' is used twice (first on line {first.line}); ids must be "
                "unique, and a criterion's question goes by the criterion's id",
            )
        else:
            seen[qid] = qi


def _question_shapes(doc: YamlDocument, criteria: list[dict] | None) -> Iterator[Problem]:
    """A criterion's question is written as `criterion` and `if_met`; any other as id, text and
    options. A criterion's words are written once, in content/eligibility.yaml."""
    known = None if criteria is None else {c["id"] for c in criteria}
    for qi, q in enumerate(doc.data["questions"]):
        own = q.get("criterion")
        if own is None:
            for key in ("id", "text", "options"):
                if key not in q:
                    yield Problem(
                        doc.where(("questions", qi)),
                        f"this question asks no criterion, so it needs its own '{key}' "
                        "(or name the criterion it asks with `criterion:`)",
                    )
            if "if_met" in q:
                yield Problem(
                    doc.where(("questions", qi, "if_met")),
                    "only a criterion's question has `if_met`: give this question's options their `next`",
                )
            continue
        if known is not None and own not in known:
            yield Problem(
                doc.where(("questions", qi, "criterion")),
                f"this question names criterion '{own}', which is not in content/eligibility.yaml "
                f"({known_names(known, own)})",
            )
        for key in ("id", "text", "hint", "options"):
            if key in q:
                yield Problem(
                    doc.where(("questions", qi, key)),
                    f"criterion '{own}' holds its question's {_WHAT[key]} in content/eligibility.yaml "
                    f"(`ask:`): remove '{key}' here and keep only `criterion` and `if_met`",
                )
        if "if_met" not in q:
            yield Problem(
                doc.where(("questions", qi)),
                f"say where the answer that meets criterion '{own}' leads: add `if_met: <question or outcome id>`",
            )


_WHAT = {"id": "id (the criterion's id)", "text": "words", "hint": "hint", "options": "answers"}


# The links an outcome may offer under "What to do next" (their words are in
# generator/templates/checker/_macros.j2). The referral form's links are for eligible outcomes only.
NEXT_STEPS = ("form", "blank_form", "how_to_refer", "pathway", "who_can_be_referred", "contact")
REFERRAL_STEPS = ("form", "blank_form")


def _check_checker_graph(
    where, questions: list[dict], data, doc, outcomes: dict
) -> Iterator[Problem]:
    by_qid: dict[str, dict] = {}
    for q in questions:
        if q["id"]:
            by_qid.setdefault(q["id"], q)
    edges = {
        qid: [o for o in q["options"] if o["next"] in by_qid or o["next"] in outcomes]
        for qid, q in by_qid.items()
    }
    visited, loops = _walk_from(data["start"], by_qid, edges)
    for option, loop in loops:
        yield Problem(
            where(option["at"]),
            f"this makes a loop ({loop}); every answer must lead forward to an outcome",
        )
    reachable = set(visited)
    reachable |= {o["next"] for n in reachable for o in edges.get(n, [])}
    for question in by_qid.values():
        if question["id"] not in reachable:
            yield Problem(
                where(question["at"]),
                f"question '{question['id']}' cannot be reached: no option leads to it from the start",
            )
    led_to = {o["next"] for options in edges.values() for o in options}
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


def _walk_from(start: str, by_qid: dict, edges: dict) -> tuple[list[str], list[tuple[dict, str]]]:
    """The questions reachable from the start, and each option that closes a loop (once, with the
    loop in words). A depth-first search that keeps its own stack, not Python's: a checker thousands
    of questions long is checked, not a crash."""
    if start not in by_qid:
        return [], []
    state = {start: 1}  # 1 = on the current path, 2 = done
    path, stack = [start], [(start, iter(edges[start]))]
    loops: list[tuple[dict, str]] = []
    reported: set[tuple[str, str]] = set()
    while stack:
        node, options = stack[-1]
        option = next(options, None)
        if option is None:
            state[node] = 2
            stack.pop()
            path.pop()
            continue
        target = option["next"]
        if target not in by_qid:
            continue
        if state.get(target) == 1 and target != node and (node, target) not in reported:
            reported.add((node, target))
            loops.append((option, " -> ".join(path[path.index(target) :] + [target])))
        elif target not in state:
            state[target] = 1
            path.append(target)
            stack.append((target, iter(edges[target])))
    return list(state), loops
