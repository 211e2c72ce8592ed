"""Compile the checker into one decision graph (model -> JSON) and evaluate answers against it.

The graph is the single meaning of the checker: the page's script (generator/static/js/checker.js)
and `evaluate` below both read it and must agree on every path (tests/browser/test_checker.py).
A journey is always replayed from the first question, so answers left behind on an abandoned
branch never change the result. The graph holds the editors' words as written (an outcome's body is
Markdown); `generator.render.checker_site` publishes it with each body as sanitised HTML.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from generator.model import Checker

# Bump when the graph's shape changes, so a stale graph.json is never read as a new one.
GRAPH_FORMAT = 1

Graph = dict  # the JSON document returned by `compile_graph`
Step = tuple[str, str]  # (question id, option id)


@dataclass(frozen=True)
class Result:
    """Where a set of answers leads: an outcome, or the question still to answer."""

    outcome: str | None
    path: tuple[Step, ...]
    next_question: str | None


def compile_graph(checker: Checker) -> Graph:
    """Return the checker as one JSON-ready document: questions with their options, and outcomes
    (each body the editors' Markdown, placeholders filled)."""
    return {
        "format": GRAPH_FORMAT,
        "start": checker.start,
        "questions": [
            {
                "id": question.id,
                "text": question.text,
                "hint": question.hint or "",
                "criterion": question.criterion or "",
                "options": [
                    {"id": option.id, "label": option.label, "next": option.next}
                    for option in question.options
                ],
            }
            for question in checker.questions
        ],
        "outcomes": [
            {
                "id": outcome.id,
                "result": outcome.result,
                "title": outcome.title,
                "body": outcome.body,
            }
            for outcome in checker.outcomes
        ],
    }


def dump_graph(graph: Graph) -> str:
    """Serialise the graph the one way every output uses (stable key order, readable non-ASCII)."""
    return json.dumps(graph, ensure_ascii=False, indent=1) + "\n"


def evaluate(graph: Graph, answers: Mapping[str, str]) -> Result:
    """Replay `answers` from the first question; answers to questions off that path are ignored.

    An answer that is not one of its question's options counts as none, as in checker.js.
    """
    questions = {question["id"]: question for question in graph["questions"]}
    outcomes = {outcome["id"] for outcome in graph["outcomes"]}
    path: list[Step] = []
    current = graph["start"]
    while current in questions:
        if len(path) > len(questions):
            raise ValueError(f"the checker's graph loops at question '{current}'")
        chosen = answers.get(current)
        option = next((o for o in questions[current]["options"] if o["id"] == chosen), None)
        if option is None:
            return Result(outcome=None, path=tuple(path), next_question=current)
        path.append((current, option["id"]))
        current = option["next"]
    if current not in outcomes:
        raise ValueError(
            f"the checker's graph leads to '{current}', which is no question or outcome"
        )
    return Result(outcome=current, path=tuple(path), next_question=None)


def enumerate_paths(graph: Graph) -> tuple[Result, ...]:
    """Every path from the first question to an outcome, in the order the options are written."""
    questions = {question["id"]: question for question in graph["questions"]}
    found: list[Result] = []
    # Depth first on a stack of our own, not Python's: a graph thousands of questions deep is
    # walked, not a crash. Options go on the stack last first, so paths come out in written order.
    stack: list[tuple[str, tuple[Step, ...]]] = [(graph["start"], ())]
    while stack:
        node, path = stack.pop()
        if node not in questions:
            found.append(Result(outcome=node, path=path, next_question=None))
            continue
        if len(path) > len(questions):
            raise ValueError(f"the checker's graph loops at question '{node}'")
        for option in reversed(questions[node]["options"]):
            stack.append((option["next"], path + ((node, option["id"]),)))
    return tuple(found)


def criteria_met(graph: Graph, path: tuple[Step, ...]) -> list[str]:
    """The criteria a path's answers meet: each "yes" to a criterion's question (a criterion's
    question offers "yes", "no" and, where it may not be known, "not_known"; `check` makes "no"
    lead to the criterion's not_met outcome and "not_known" to its not_known outcome)."""
    questions = {question["id"]: question for question in graph["questions"]}
    met: list[str] = []
    for question_id, option_id in path:
        criterion = questions[question_id].get("criterion")
        if criterion and option_id == "yes" and criterion not in met:
            met.append(criterion)
    return met


def criteria_left(graph: Graph, path: tuple[Step, ...]) -> list[str]:
    """The criteria a path's answers say are not met ("no") or not known ("not_known")."""
    questions = {question["id"]: question for question in graph["questions"]}
    words = {"no": "not met", "not_known": "not known"}
    return [
        f"{questions[question_id]['criterion']} {words[option_id]}"
        for question_id, option_id in path
        if questions[question_id].get("criterion") and option_id in words
    ]


def format_path_table(graph: Graph) -> str:
    """Return the reviewed table of every path -> outcome, one line per path (kept in tests/)."""
    results = {outcome["id"]: outcome["result"] for outcome in graph["outcomes"]}
    paths = enumerate_paths(graph)
    lines = [
        (
            f"# {len(paths)} paths through the checker: question=answer ... -> outcome (result)"
            " | the criteria the answers meet"
        ),
        (
            "# Regenerate after reviewing a routing change:"
            " python -m generator eligibility --paths > tests/checker_paths.txt"
        ),
    ]
    for found in paths:
        steps = " ".join(f"{question}={option}" for question, option in found.path)
        met = " ".join(criteria_met(graph, found.path)) or "none"
        left = "".join(f" | {words}" for words in criteria_left(graph, found.path))
        lines.append(f"{steps} -> {found.outcome} ({results[found.outcome]}) | meets: {met}{left}")
    return "\n".join(lines) + "\n"
