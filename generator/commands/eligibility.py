"""`python -m generator eligibility`: where a file of checker answers leads, or every path through
the checker, as text or JSON."""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Mapping
from pathlib import Path

from generator.commands.options import EXIT_OK, exit_code, project_root
from generator.problems import Location, Problem
from generator.report import Wording, found_in, write_report
from generator.rules.eligibility import (
    Graph,
    Result,
    compile_graph,
    criteria_left,
    criteria_met,
    enumerate_paths,
    evaluate,
    format_path_table,
)
from generator.sources import reading
from generator.sources.load import load_project
from generator.sources.reading import FileRefused, read_regular_file


class AnswersError(Exception):
    """An answers file that cannot be evaluated, with every reason, located."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


# The codes of an answers file's problems: it cannot be read, it is not JSON, or its answers are
# not answers to the checker's questions.
FILE_CODE, JSON_CODE, ANSWERS_CODE = "file", "json", "answers"


def _suggest(name: str, known) -> str:
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known: " + ", ".join(known)


def _option_ids(question: dict) -> str:
    return ", ".join(option["id"] for option in question["options"])


MAX_ANSWERS_BYTES = 1_000_000  # an answers file names one answer per question: a few hundred bytes


def read_answers(path: Path, graph: Graph) -> dict[str, str]:
    """Read and check an answers file `{"question id": "option id", ...}`; raise AnswersError."""
    data = _read_json(path)
    example = '{"' + graph["start"] + '": "' + graph["questions"][0]["options"][0]["id"] + '"}'
    if not isinstance(data, dict):
        found = {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(
            type(data), "a number"
        )
        message = (
            f"expected a JSON object of question ids and the chosen answer ids, "
            f"for example {example}; found {found}"
        )
        raise AnswersError([Problem(Location(str(path)), message, ANSWERS_CODE)])
    questions = {question["id"]: question for question in graph["questions"]}
    messages = _answer_mistakes(data, questions)
    if messages:
        raise AnswersError([Problem(Location(str(path)), m, ANSWERS_CODE) for m in messages])
    result = evaluate(graph, data)
    if result.outcome is None:
        question = questions[result.next_question]
        message = (
            f"the answers stop before an outcome; the next question is "
            f"'{question['id']}' ({question['text']}): add \"{question['id']}\" with "
            f"one of: {_option_ids(question)}"
        )
        raise AnswersError([Problem(Location(str(path)), message, ANSWERS_CODE)])
    return data


def _read_json(path: Path):
    """The file's JSON, or AnswersError saying why it cannot be read or parsed."""
    try:
        text = read_regular_file(path, MAX_ANSWERS_BYTES).decode("utf-8")
    except FileRefused as refused:
        message = {
            reading.MISSING: "there is no such file",
            reading.FOLDER: "this is a folder, not a file",
            reading.NOT_REGULAR: "this is not a regular file (it is a named pipe, a device or a "
            "socket)",
            reading.TOO_LARGE: "this file is too large to be a set of answers (the most is 1 MB)",
        }.get(refused.reason, f"this file cannot be read ({refused.detail})")
        raise AnswersError([Problem(Location(str(path)), message, FILE_CODE)]) from None
    except UnicodeDecodeError:
        raise AnswersError(
            [Problem(Location(str(path)), "this is not a UTF-8 text file", FILE_CODE)]
        ) from None
    try:
        # An integer too long for Python to convert is read as a browser reads it (a float).
        return json.loads(text, parse_int=lambda t: int(t) if len(t) <= 1000 else float(t))
    except json.JSONDecodeError as error:
        at = Location(str(path), error.lineno, error.colno)
        raise AnswersError(
            [Problem(at, f"this is not valid JSON ({error.msg})", JSON_CODE)]
        ) from None
    except RecursionError:  # the parser recurses on nesting; an answers file is one level deep
        message = "this is not a set of answers: it is nested too deeply"
        raise AnswersError([Problem(Location(str(path)), message, JSON_CODE)]) from None


def _answer_mistakes(data: dict, questions: dict[str, dict]) -> list[str]:
    """What is wrong with each answer: no such question, or no such answer to it."""
    messages = []
    for question_id, option_id in data.items():
        question = questions.get(question_id)
        if question is None:
            messages.append(
                f"'{question_id}' is not a question id ({_suggest(question_id, questions)})"
            )
        elif not isinstance(option_id, str):
            messages.append(
                f"the answer to '{question_id}' must be an answer id in quotes, "
                f"one of: {_option_ids(question)}"
            )
        elif option_id not in {option["id"] for option in question["options"]}:
            messages.append(
                f"'{option_id}' is not an answer to '{question_id}' ({question['text']}); "
                f"use one of: {_option_ids(question)}"
            )
    return messages


def describe_result(graph: Graph, result: Result, answers: Mapping[str, str]) -> dict:
    """Return the outcome, the path with its wording, and the answers that were ignored."""
    questions = {question["id"]: question for question in graph["questions"]}
    outcome = next(o for o in graph["outcomes"] if o["id"] == result.outcome)
    on_path = {question_id for question_id, _ in result.path}
    return {
        "ok": True,
        "outcome": {"id": outcome["id"], "result": outcome["result"], "title": outcome["title"]},
        "path": [
            {
                "question": question_id,
                "question_text": questions[question_id]["text"],
                "answer": option_id,
                "answer_label": next(
                    o["label"] for o in questions[question_id]["options"] if o["id"] == option_id
                ),
            }
            for question_id, option_id in result.path
        ],
        "ignored": [question_id for question_id in answers if question_id not in on_path],
        "criteria_met": criteria_met(graph, result.path),
        # The criteria the answers say are not met or not known, as "<id> not met" / "not known".
        "criteria_left": criteria_left(graph, result.path),
    }


def _format_description(description: dict) -> str:
    outcome = description["outcome"]
    lines = [f"Outcome: {outcome['id']} ({outcome['result']})", outcome["title"], "", "Path taken:"]
    for number, step in enumerate(description["path"], start=1):
        lines.append(
            f"  {number}. {step['question_text']} -> {step['answer_label']}"
            f"  [{step['question']}={step['answer']}]"
        )
    lines += ["", "Criteria met: " + (", ".join(description["criteria_met"]) or "none")]
    if description["criteria_left"]:
        lines += ["Criteria not met or not known: " + ", ".join(description["criteria_left"])]
    if description["ignored"]:
        lines += ["", "Ignored (not on the path taken): " + ", ".join(description["ignored"])]
    return "\n".join(lines)


def describe_paths(graph: Graph) -> dict:
    """Every path through the checker, each as `describe_result` words one (`--paths --json`)."""
    paths = []
    for result in enumerate_paths(graph):
        described = describe_result(graph, result, {})
        keys = ("outcome", "path", "criteria_met", "criteria_left")
        paths.append({key: described[key] for key in keys})
    return {"ok": True, "paths": paths}


def command_eligibility(args) -> int:
    """Print the outcome for a file of answers, or every path through the checker."""

    graph = compile_graph(load_project(project_root(args)).checker)
    if args.paths:
        if args.json:
            print(json.dumps(describe_paths(graph), indent=2, ensure_ascii=False))
        else:
            sys.stdout.write(format_path_table(graph))
        return EXIT_OK
    try:
        answers = read_answers(Path(args.answers), graph)
    except AnswersError as error:
        write_report(
            error.problems,
            format="json" if args.json else "text",
            wording=Wording("answers-check", found=found_in(args.answers), clean=""),
        )
        return exit_code(error.problems)
    description = describe_result(graph, evaluate(graph, answers), answers)
    if args.json:
        print(json.dumps(description, indent=2, ensure_ascii=False))
    else:
        print(_format_description(description))
    return EXIT_OK


def register_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "eligibility",
        help="show where a set of checker answers leads, or list every path through the checker",
        description="Evaluate the eligibility checker without a browser. An answers file is a JSON "
        'object of question ids and chosen answer ids, for example {"age": "yes"}.',
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--answers", metavar="FILE.json", help="the answers to evaluate")
    what.add_argument(
        "--paths",
        action="store_true",
        help="list every path through the checker with its outcome "
        "(the reviewed table: > tests/checker_paths.txt)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the result (or the paths) as JSON for tools"
    )
    parser.set_defaults(run=command_eligibility)
