"""Checks that the checker asks the criteria: content/checker.yaml against content/eligibility.yaml.

The graph's own shape (dead ends, loops, unreachable parts) is `flowcheck`'s. Here, answer by
answer: each criterion's "no" and "I don't know" lead to its own outcomes and nothing else does;
and path by path: every way to an eligible outcome asks every criterion.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.problems import Problem
from generator.sources.crosscheck import known_names
from generator.sources.flowcheck import expand_questions
from generator.sources.yamlsource import YamlDocument

# Stop proving paths one by one past this many (a graph this large is no longer a checker).
MAX_PATHS = 20_000

OUTCOME_KEYS = ("not_met", "not_known")


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
    claims = _first_claims(criteria, outcomes)
    for ci, c in enumerate(criteria):
        for key in OUTCOME_KEYS:
            yield from _criterion_outcome(e_doc, ci, c, key, outcomes, claims)
        yield from _criterion_titles(e_doc, ci, c)
    # outcome id -> (criterion id, "not_met" or "not_known")
    owner = {target: (criteria[ci]["id"], key) for target, (ci, key) in claims.items()}
    yield from _outcome_titles(doc, owner)
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
    yield from _answers_lead_to_own_outcomes(docs, questions, criteria, outcomes, owner)
    yield from _check_paths(docs, data, criteria, by_id, outcomes)


def _first_claims(criteria: list[dict], outcomes: dict) -> dict[str, tuple[int, str]]:
    """Which criterion each outcome belongs to: outcome id -> (criterion's index, "not_met" or
    "not_known"), the first criterion to name it. A later one naming it again is a mistake."""
    claims: dict[str, tuple[int, str]] = {}
    for ci, c in enumerate(criteria):
        for key in OUTCOME_KEYS:
            if key in c and c[key] in outcomes:
                claims.setdefault(c[key], (ci, key))
    return claims


def _criterion_outcome(
    e_doc: YamlDocument, ci: int, c: dict, key: str, outcomes: dict, claims: dict
) -> Iterator[Problem]:
    """A criterion's not_met or not_known outcome: offered, an outcome, its own, of the right result."""
    ask = c.get("ask", {})
    if key not in c:
        if key == "not_known" and "not_known" in ask.get("answers", {}):
            yield Problem(
                e_doc.where(("criteria", ci, "ask", "answers", "not_known")),
                f"criterion '{c['id']}' offers \"{ask['answers']['not_known']}\": name the "
                "outcome it leads to with `not_known: <outcome id>`",
            )
        return
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
        return
    if claims[target] != (ci, key):
        other_ci, other_key = claims[target]
        yield Problem(
            at,
            f"outcome '{target}' is already the {other_key} outcome of criterion "
            f"'{e_doc.data['criteria'][other_ci]['id']}': give each criterion its own",
        )
        return
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


def _criterion_titles(e_doc: YamlDocument, ci: int, c: dict) -> Iterator[Problem]:
    """A criterion titles its own outcomes (`ask: titles:`)."""
    titles = c.get("ask", {}).get("titles", {})
    for key in OUTCOME_KEYS:
        if key in c and key not in titles:
            yield Problem(
                e_doc.where(("criteria", ci, "ask")),
                f"give the title of outcome '{c[key]}' (the {key} outcome of criterion '{c['id']}') as "
                f"`titles: {key}: ...` under `ask:`",
            )


def _outcome_titles(doc: YamlDocument, owner: dict) -> Iterator[Problem]:
    """A criterion's outcome takes its title from the criterion; any other outcome has its own."""
    for oi, outcome in enumerate(doc.data["outcomes"]):
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


_ANSWER_WORDS = {"not_met": "no", "not_known": "I don't know"}


def _answers_lead_to_own_outcomes(
    docs: dict, questions: list[dict], criteria: list[dict], outcomes: dict, owner: dict
) -> Iterator[Problem]:
    """Only a criterion's own "no" and "I don't know" lead to its outcomes; its met answer leads
    on, to a question or an eligible outcome."""
    names = {c["id"] for c in criteria}
    for question in questions:
        own = question["criterion"] if question["criterion"] in names else None
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


def _check_paths(docs, data, criteria, by_id, outcomes) -> Iterator[Problem]:
    """Path by path from the start: every path to an eligible outcome asks every criterion."""
    names = [c["id"] for c in criteria]
    should = {c["id"] for c in criteria if c.get("strength") == "should"}
    reported: set[tuple] = set()
    count = 0
    # Depth first, in the order of the options, on a stack of our own rather than Python's: a
    # checker thousands of questions long is checked, not a crash.
    stack: list[tuple] = [(data["start"], {}, (), None)] if data["start"] in by_id else []
    while stack and count <= MAX_PATHS:  # past that many paths, the rest go unchecked
        node, asked, steps, last_at = stack.pop()
        if node not in by_id:
            count += 1
            outcome = outcomes.get(node)
            if outcome is None or outcome["result"] != "eligible" or last_at is None:
                continue
            for message in _eligible_path_problems(node, asked, steps, names, should):
                if (last_at, message) not in reported:
                    reported.add((last_at, message))
                    yield Problem(docs[last_at[0]].where(last_at[1]), message)
            continue
        if any(node == q for q, _ in steps):
            continue  # a loop: the graph check reports it
        question = by_id[node]
        cid = question["criterion"] if question["criterion"] in names else None
        following = []
        for option in question["options"]:
            # A criterion is asked once on a path: it has one question (its id is the criterion's)
            # and a path that met it again would be a loop.
            more = {**asked, cid: option["id"]} if cid else asked
            following.append((option["next"], more, steps + ((node, option["id"]),), option["at"]))
        stack.extend(reversed(following))


def _eligible_path_problems(outcome, asked, steps, names, should) -> Iterator[str]:
    """What is wrong with one path that reaches an eligible outcome: a criterion it never asks,
    or one it asks and does not meet (a "should" criterion may be answered no)."""
    trail = " ".join(f"{q}={a}" for q, a in steps)
    missing = [n for n in names if n not in asked]
    if missing:
        yield (
            f"the path {trail} reaches the eligible outcome '{outcome}' without asking "
            f"criterion '{missing[0]}'"
        )
    for cid, answer in asked.items():
        if answer != "yes" and not (cid in should and answer == "no"):
            yield (
                f"the path {trail} reaches the eligible outcome '{outcome}' with criterion "
                f"'{cid}' not met"
            )
