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

# A criterion's question offers these answers, each with a stable option id: `met` leads where
# content/checker.yaml's `if_met` says, `not_met` and `not_known` to the criterion's own outcomes.
ANSWERS = (("met", "yes"), ("not_met", "no"), ("not_known", "not_known"))

# Stop proving paths one by one past this many (a graph this large is no longer a checker).
MAX_PATHS = 20_000


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
            expanded.append(
                {
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
            )
            continue
        ci, criterion = by_id[own]
        ask = criterion.get("ask", {})
        targets = {
            "met": (q.get("if_met", ""), ("checker", ("questions", qi, "if_met"))),
            "not_met": (criterion["not_met"], ("eligibility", ("criteria", ci, "not_met"))),
            "not_known": (
                criterion.get("not_known", ""),
                ("eligibility", ("criteria", ci, "ask", "answers", "not_known")),
            ),
        }
        expanded.append(
            {
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
        )
    return expanded


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
    targets = set(by_qid) | set(outcomes)
    if data["start"] not in by_qid:
        yield Problem(
            doc.where(("start",)),
            f"start is '{data['start']}', which is no question ({known_names(by_qid, data['start'])})",
        )
    for qi, question in enumerate(data["questions"]):
        if "options" in question:
            yield from unique_ids(doc, ("questions", qi, "options"), "option")
    for question in questions:
        for option in question["options"]:
            if criteria is None and option["at"][0] != "checker":
                continue
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
    if criteria is not None:
        yield from _check_checker_graph(where, questions, data, doc, outcomes)
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


def check_checker_asks_criteria(doc: YamlDocument, e_doc: YamlDocument) -> Iterator[Problem]:
    """The checker and the criteria agree, whatever order the questions are asked in.

    Proved answer by answer: each criterion is asked by one question, whose "no" leads to the
    criterion's `not_met` outcome and "I don't know" to its `not_known` (so no outcome claims a
    criterion that was not asked: only its own question leads to a criterion's outcomes); a met
    answer leads on, to a question or an eligible outcome. Proved path by path: every path to an
    eligible outcome asks every criterion, each answered "yes" unless it is a "should" criterion
    whose outcome says the referral can still be made. No path asks a criterion twice: a
    criterion has one question (known by its id) and the graph has no loops.
    """
    data = doc.data
    criteria = e_doc.data["criteria"]
    docs = {"checker": doc, "eligibility": e_doc}
    outcomes = {o["id"]: o for o in data["outcomes"]}
    owner: dict[str, tuple[str, str]] = {}  # outcome id -> (criterion id, "not_met" or "not_known")
    for ci, c in enumerate(criteria):
        ask = c.get("ask", {})
        for key in ("not_met", "not_known"):
            if key not in c:
                if key == "not_known" and "not_known" in ask.get("answers", {}):
                    yield Problem(
                        e_doc.where(("criteria", ci, "ask", "answers", "not_known")),
                        f"criterion '{c['id']}' offers \"{ask['answers']['not_known']}\": name the "
                        "outcome it leads to with `not_known: <outcome id>`",
                    )
                continue
            at = e_doc.where(("criteria", ci, key))
            target = c[key]
            if key == "not_known" and "not_known" not in ask.get("answers", {}):
                yield Problem(
                    at,
                    f"criterion '{c['id']}' has a not_known outcome but no answer for it: add "
                    "`not_known: I don't know` (or your words) under `ask: answers:`",
                )
            if target not in outcomes:
                yield Problem(
                    at,
                    f"criterion '{c['id']}' names outcome '{target}', which is no outcome in "
                    f"content/checker.yaml ({known_names(outcomes, target)})",
                )
                continue
            if target in owner:
                other = owner[target]
                yield Problem(
                    at,
                    f"outcome '{target}' is already the {other[1]} outcome of criterion '{other[0]}': "
                    "give each criterion its own",
                )
                continue
            owner[target] = (c["id"], key)
            eligible = outcomes[target]["result"] == "eligible"
            if key == "not_known" and eligible:
                yield Problem(
                    at,
                    f"criterion '{c['id']}' is not known at outcome '{target}', whose result is "
                    "'eligible': an answer that does not know cannot let the referral be made",
                )
            elif key == "not_met" and eligible != (c.get("strength") == "should"):
                # A should not met still lets the referral be made (with the reason recorded); a must does not.
                yield Problem(
                    at,
                    f"criterion '{c['id']}' is not met at outcome '{target}', whose result is "
                    f"'{outcomes[target]['result']}': "
                    + (
                        "a 'should' criterion not met still lets the referral be made, so its outcome is 'eligible'"
                        if c.get("strength") == "should"
                        else "a 'must' criterion not met means no referral yet, so its outcome cannot be 'eligible'"
                    ),
                )
        titles = ask.get("titles", {})
        for key in ("not_met", "not_known"):
            if key in c and key not in titles:
                yield Problem(
                    e_doc.where(("criteria", ci, "ask")),
                    f"give the title of outcome '{c[key]}' (the {key} outcome of criterion '{c['id']}') as "
                    f"`titles: {key}: ...` under `ask:`",
                )
    for oi, outcome in enumerate(data["outcomes"]):
        if outcome["id"] in owner and "title" in outcome:
            cid, key = owner[outcome["id"]]
            yield Problem(
                doc.where(("outcomes", oi, "title")),
                f"outcome '{outcome['id']}' takes its title from criterion '{cid}' (`ask: titles: {key}:` "
                "in content/eligibility.yaml): remove this title",
            )
        elif outcome["id"] not in owner and "title" not in outcome:
            yield Problem(
                doc.where(("outcomes", oi)),
                f"outcome '{outcome['id']}' needs a title: it is no criterion's not_met or not_known outcome",
            )
    asked = {q.get("criterion") for q in data["questions"]}
    for ci, c in enumerate(criteria):
        if c["id"] not in asked:
            yield Problem(
                e_doc.where(("criteria", ci, "id")),
                f"no question in content/checker.yaml asks criterion '{c['id']}': add one with "
                f"`criterion: {c['id']}` and `if_met:`",
            )
    questions = expand_questions(data, criteria)
    by_id: dict[str, dict] = {}
    for q in questions:
        by_id.setdefault(q["id"], q)
    for question in questions:
        own = (
            question["criterion"] if question["criterion"] in {c["id"] for c in criteria} else None
        )
        for option in question["options"]:
            target = option["next"]
            if target not in owner:
                met = own and option["id"] == "yes" and target in outcomes
                if met and outcomes[target]["result"] != "eligible":
                    yield Problem(
                        docs[option["at"][0]].where(option["at"][1]),
                        f"the answer that meets criterion '{own}' leads to '{target}', which is "
                        f"'{outcomes[target]['result']}': lead it on, to a question or an eligible outcome",
                    )
                continue
            cid, key = owner[target]
            expected = {"not_met": "no", "not_known": "not_known"}[key]
            if own == cid and option["id"] == expected:
                continue
            yield Problem(
                docs[option["at"][0]].where(option["at"][1]),
                f"this answer leads to '{target}', the {key} outcome of criterion '{cid}', but "
                + (
                    f"it does not answer criterion '{cid}'"
                    if own != cid
                    else f"it says criterion '{cid}' is met"
                )
                + f": only the answer \"{_ANSWER_WORDS[key]}\" to the question of criterion '{cid}' leads there",
            )
    yield from _check_paths(docs, data, criteria, by_id, outcomes)


_ANSWER_WORDS = {"not_met": "no", "not_known": "I don't know"}


def _check_paths(docs, data, criteria, by_id, outcomes) -> Iterator[Problem]:
    """Path by path from the start: every path to an eligible outcome asks every criterion."""
    names = [c["id"] for c in criteria]
    should = {c["id"] for c in criteria if c.get("strength") == "should"}
    reported: set[tuple] = set()
    count = 0

    def report(at, message):
        key = (at, message)
        if key not in reported:
            reported.add(key)
            return Problem(docs[at[0]].where(at[1]), message)
        return None

    def walk(node, asked: dict[str, str], steps: tuple, last_at, depth: int):
        nonlocal count
        if count > MAX_PATHS or depth > len(by_id) + 1:
            return  # too many paths, or a loop (reported by the graph check)
        if node not in by_id:
            count += 1
            outcome = outcomes.get(node)
            if outcome is None or outcome["result"] != "eligible" or last_at is None:
                return
            missing = [n for n in names if n not in asked]
            trail = " ".join(f"{q}={a}" for q, a in steps)
            if missing:
                problem = report(
                    last_at,
                    f"the path {trail} reaches the eligible outcome '{node}' without asking "
                    f"criterion '{missing[0]}'",
                )
                if problem:
                    yield problem
            for cid, answer in asked.items():
                if answer != "yes" and not (cid in should and answer == "no"):
                    problem = report(
                        last_at,
                        f"the path {trail} reaches the eligible outcome '{node}' with criterion "
                        f"'{cid}' not met",
                    )
                    if problem:
                        yield problem
            return
        if any(node == q for q, _ in steps):
            return  # a loop: the graph check reports it
        question = by_id[node]
        cid = question["criterion"] if question["criterion"] in names else None
        for option in question["options"]:
            # A criterion is asked once on a path: it has one question (its id is the criterion's)
            # and a path that met it again would be a loop.
            more = dict(asked)
            if cid:
                more[cid] = option["id"]
            yield from walk(
                option["next"], more, steps + ((node, option["id"]),), option["at"], depth + 1
            )

    if data["start"] in by_id:
        yield from walk(data["start"], {}, (), None, 0)


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
    # Loops: depth-first search, reporting the option that closes each cycle once.
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[tuple[str, str]] = set()

    def visit(node: str, trail: list[str]) -> Iterator[Problem]:
        state[node] = 1
        for option in edges.get(node, []):
            target = option["next"]
            if target not in by_qid:
                continue
            if state.get(target) == 1 and target != node and (node, target) not in reported:
                reported.add((node, target))
                loop = " -> ".join(trail[trail.index(target) :] + [node, target])
                yield Problem(
                    where(option["at"]),
                    f"this makes a loop ({loop}); every answer must lead forward to an outcome",
                )
            elif target not in state:
                yield from visit(target, trail + [node])
        state[node] = 2

    start = data["start"]
    if start in by_qid:
        yield from visit(start, [])
    reachable = {n for n, s in state.items() if s}
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
