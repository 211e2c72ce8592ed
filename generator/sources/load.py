"""Load a service's sources: a project folder -> the immutable `Project`, or every problem found.

Stages, each collecting problems rather than stopping at the first: read each YAML file strictly,
check it against its JSON Schema, cross-check references between and within files, fill
{placeholders} from the facts, then build the frozen model. Every check runs whose files have the
right shape, whatever is wrong elsewhere; one that cannot is named once, at the file it waits for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from generator import model
from generator.problems import Location, Problem, SourceError
from generator.sources import checker_criteria, crosscheck, flowcheck, formcheck, pathwaycheck
from generator.sources.facts import (
    CRITERION_FACTS,
    as_text,
    ask_fact,
    ask_texts,
    collect_facts,
    describe_known,
    fill_placeholders,
    resolve_facts,
    written_facts,
)
from generator.sources.modelling import build_project
from generator.sources.reading import (
    FOLDER,
    MISSING,
    NOT_REGULAR,
    TOO_LARGE,
    FileRefused,
    read_regular_file,
)
from generator.sources.schema_check import check_against_schema, text_kind
from generator.sources.textsafety import check_text, markup_problem
from generator.sources.yamlsource import MAX_BYTES, YamlDocument, read_yaml, too_large_problem

# kind -> the file that holds it, relative to the project root. The kind names the schema too.
SOURCES: dict[str, str] = {
    "service": "content/service.yaml",
    "eligibility": "content/eligibility.yaml",
    "guide": "content/guide.yaml",
    "checker": "content/checker.yaml",
    "pathway": "content/pathway.yaml",
    "form": "forms/referral.yaml",
}

# Keys whose values are machine ids or settings, never prose with placeholders.
_NOT_TEXT = {
    "id",
    "next",
    "to",
    "start",
    "kind",
    "result",
    "type",
    "options_from",
    "field",
    "fact",
    "on_field",
    "autocomplete",
    "criterion",
    "not_met",
    "not_known",
    "if_met",
    "age_at_most",
    "not_after",
    "next_steps",
    "published",
    "last_reviewed",
    "next_review",
    "language",
    "status",
    "site_url",
    "edit_url",
    "organisation_url",
    "logo",
    "brand_colour",
    "prepared",
    "compliance",
    "contact",
    "date",
    "pages",
    "home_sections",
}


@dataclass(frozen=True)
class _Read:
    documents: dict[str, YamlDocument]  # each file whose shape is right (it passed its schema)
    publishable: frozenset[str]  # the kinds of those whose every text can be published as written
    problems: list[Problem]
    hashes: tuple[tuple[str, str], ...]


# The codes of the problems each stage finds (`Problem.code`), for tools reading a report.
FILE = "file"  # a file that is missing, too large, or not a file
YAML = "yaml"  # not the strict YAML the sources are written in
SCHEMA = "schema"  # against the file's JSON Schema: a key missing, misspelt or of the wrong type
TEXT = "text"  # a text that cannot be published as written
PLACEHOLDER = "placeholder"  # a {placeholder} that cannot be filled
CROSSCHECK = "crosscheck"  # what a schema cannot say: ids, references, dates, colours
GRAPH = "graph"  # the checker's and the pathway's graphs, and the criteria along them
UNCHECKED = "unchecked"  # a note: checks that wait for this file's problems (see `_Waiting`)


def _coded(code: str, problems) -> list[Problem]:
    """The problems with `code`, unless the check gave one of its own."""
    return [p if p.code else replace(p, code=code) for p in problems]


def _read_sources(root: Path) -> _Read:
    """Read each file and check it against its schema. A file whose shape is right is kept for the
    checks of its structure even when some of its texts cannot be published (too long, or with
    invisible controls); its texts are filled and judged as published only when all can be."""
    documents, publishable, problems, hashes = {}, set(), [], []
    for kind, relative in SOURCES.items():
        path = root / relative
        try:
            raw = read_regular_file(path, MAX_BYTES)
        except FileRefused as refused:
            problems.append(_refusal_problem(relative, refused))
            continue
        hashes.append((relative, hashlib.sha256(raw).hexdigest()))
        document, found = read_yaml(raw, relative)
        if document is None:
            problems.extend(_coded(YAML, found))
            continue
        schema_problems = check_against_schema(document, kind)
        if schema_problems:
            problems.extend(_coded(SCHEMA, schema_problems))
            continue
        unsafe = _coded(TEXT, check_text(document))
        problems.extend(unsafe)
        documents[kind] = document
        if not unsafe:
            publishable.add(kind)
    return _Read(documents, frozenset(publishable), problems, tuple(hashes))


def _refusal_problem(relative: str, refused: FileRefused) -> Problem:
    if refused.reason == TOO_LARGE:
        return replace(too_large_problem(relative, refused.size), code=FILE)
    message = {
        MISSING: "this file is missing",
        FOLDER: "this is a folder, not a file: put the YAML file itself here",
        NOT_REGULAR: "this is not a regular file (it is a named pipe, a device or a socket): "
        "put the YAML file itself here",
    }.get(refused.reason, f"this file cannot be read ({refused.detail})")
    return Problem(Location(relative), message, FILE)


def _fact_problems(service: YamlDocument, eligibility: YamlDocument) -> list[Problem]:
    """Facts whose placeholders cannot be filled (a loop, an unknown name), at the fact's place."""
    _, reasons = resolve_facts(as_text(written_facts(service.data, eligibility.data)))
    places = {
        f"criterion.{c['id']}{suffix}": eligibility.where(("criteria", i, key))
        for i, c in enumerate(eligibility.data["criteria"])
        for key, suffix in CRITERION_FACTS
    }
    for i, c in enumerate(eligibility.data["criteria"]):
        for path, _ in ask_texts(c):
            places[ask_fact(c["id"], path)] = eligibility.where(("criteria", i, "ask", *path))
    for key in ("name", "short_name", "area", "part_of", "person"):
        places[f"service.{key}"] = service.where((key,))
    if "lead_in" in eligibility.data:
        places["eligibility.lead_in"] = eligibility.where(("lead_in",))
    return [
        Problem(places.get(name, service.where(())), message, PLACEHOLDER)
        for name, message in reasons.items()
    ]


def _fill_all(doc: YamlDocument, kind: str, facts: dict[str, str], problems: list[Problem]):
    """Return a copy of the document's data with every text's placeholders filled."""

    def walk(value, path):
        if isinstance(value, dict):
            return {k: (v if k in _NOT_TEXT else walk(v, path + (k,))) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, path + (i,)) for i, v in enumerate(value)]
        if isinstance(value, str):
            text, unknown = fill_placeholders(value, facts)
            for name in unknown:
                problems.append(
                    Problem(
                        doc.where(path),
                        f"unknown placeholder {{{name}}}: {describe_known(facts, name)}",
                        PLACEHOLDER,
                    )
                )
            # Judged as published: markup assembled from a placeholder's value counts too.
            message = (
                None if unknown else markup_problem(text, plain=text_kind(kind, path) == "plain")
            )
            if message:
                problems.append(Problem(doc.where(path), message, TEXT))
            return text
        return value

    return walk(doc.data, ())


class _Waiting:
    """The checks that cannot run because a file they need has problems, by that file.

    A check runs when the files it needs have the right shape (they passed their schema) and, for
    those whose texts it reads as published, have no text that cannot be published. When one of
    them has problems, and the check looks at another file, the report says so once, at the file
    that stops it: an editor who fixes that file learns that more checks are still to come.
    """

    def __init__(self, read: _Read):
        self.read = read
        self.by_cause: dict[str, list[str]] = {}

    def ready(
        self,
        what: str,
        looks_at: tuple[str, ...],
        shaped: tuple[str, ...] = (),
        published: tuple[str, ...] = (),
    ) -> bool:
        """Whether the kinds `shaped` passed their schema and those `published` can be published
        too; if not, note that `what` (a check of the kinds `looks_at`) waits for them."""
        missing = [kind for kind in shaped if kind not in self.read.documents]
        missing += [kind for kind in published if kind not in self.read.publishable]
        for cause in missing:
            # A file's own checks wait for its own problems without a note: they are in view.
            if any(kind in self.read.documents for kind in looks_at if kind != cause):
                waiting = self.by_cause.setdefault(cause, [])
                if what not in waiting:
                    waiting.append(what)
        return not missing

    def notes(self) -> list[Problem]:
        return [
            Problem(
                Location(SOURCES[cause]),
                f"{_join(waiting)} cannot be checked until the problems in this file are fixed",
                UNCHECKED,
            )
            for cause, waiting in self.by_cause.items()
        ]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check_sources(root: Path | str) -> list[Problem]:
    """Every problem in the sources under `root`, sorted; an empty list means they build."""
    return sorted(set(_check(Path(root))[1]))


def load_project(root: Path | str) -> model.Project:
    """Read, check and model the service under `root`. Raises SourceError listing every problem."""
    project, problems = _check(Path(root))
    if project is None:
        raise SourceError(problems)
    return project


def _check(root: Path) -> tuple[model.Project | None, list[Problem]]:
    """Run every check the sources' shapes allow; the model too when no problem is an error."""
    read = _read_sources(root)
    waiting = _Waiting(read)
    problems = list(read.problems)
    facts = None
    if waiting.ready("the placeholders", tuple(SOURCES), published=FACTS_FROM):
        docs = read.documents
        facts = collect_facts(docs["service"].data, docs["eligibility"].data)
        problems += _fact_problems(docs["service"], docs["eligibility"])
        _fill_all(docs["eligibility"], "eligibility", as_text(facts), problems)
    problems += _check_structure(read, waiting, root)
    if facts is not None:
        for kind in ("checker", "guide", "pathway"):
            if kind in read.documents:
                stated = crosscheck.check_criteria_stated_by_hand(
                    read.documents[kind],
                    read.documents["eligibility"],
                    as_text(facts),
                    _NOT_TEXT,
                    with_texts=kind == "checker",
                )
                problems += _coded(CROSSCHECK, stated)
    problems += _check_form(read, waiting, facts)
    filled = {}
    if facts is not None:
        text_facts = as_text(facts)
        for kind in ("service", "guide", "checker", "pathway", "form"):
            if kind in read.publishable:
                filled[kind] = _fill_all(read.documents[kind], kind, text_facts, problems)
    if "guide" in filled and facts is not None:
        words = crosscheck.check_strength_words(
            read.documents["eligibility"], filled["guide"], text_facts
        )
        problems += _coded(CROSSCHECK, words)
    problems += waiting.notes()
    if any(p.is_error for p in problems) or len(filled) != len(SOURCES) - 1:
        return None, problems or [Problem(Location("content"), "the sources could not be read")]
    return build_project(read.documents, filled, read.hashes, root), problems


# The files the facts, and so every placeholder, come from.
FACTS_FROM = ("service", "eligibility")


def _check_structure(read: _Read, waiting: _Waiting, root: Path) -> list[Problem]:
    """What a schema cannot say about each file and between them: ids, references, the graphs."""
    docs, problems = read.documents, []
    if "eligibility" in docs:
        problems += _coded(CROSSCHECK, crosscheck.check_eligibility(docs["eligibility"]))
    if "service" in docs:
        problems += _coded(CROSSCHECK, crosscheck.check_service(docs["service"], root))
    if "guide" in docs:
        problems += _coded(CROSSCHECK, crosscheck.check_guide(docs["guide"]))
    if "checker" in docs:
        problems += _coded(GRAPH, flowcheck.check_checker(docs["checker"], docs.get("eligibility")))
    both = ("checker", "eligibility")
    if waiting.ready("the criteria in the checker", both, shaped=both):
        # Edge by edge, so a mistake elsewhere in the graph (a loop, an unknown target) does not
        # stop it: it used to, and hid problems in eligibility.yaml behind checker.yaml's.
        asked = checker_criteria.check_checker_asks_criteria(docs["checker"], docs["eligibility"])
        problems += _coded(GRAPH, asked)
    if "pathway" in docs:
        problems += _coded(GRAPH, pathwaycheck.check_pathway(docs["pathway"]))
    if waiting.ready("the pathway's gates", ("pathway",), shaped=("pathway", "eligibility")):
        gates = pathwaycheck.check_pathway_gates(docs["pathway"], docs["eligibility"])
        problems += _coded(GRAPH, gates)
    return problems


def _check_form(read: _Read, waiting: _Waiting, facts: dict | None) -> list[Problem]:
    """The form's questions against the lists and facts, and the criteria's answers on it."""
    # Both asked, so that each is noted when it has to wait.
    questions = waiting.ready("the form's questions", ("form",), ("form",), FACTS_FROM)
    criteria = waiting.ready("the criteria on the form", ("eligibility",), ("form",), FACTS_FROM)
    if not (questions and criteria) or facts is None:
        return []
    form, eligibility = read.documents["form"], read.documents["eligibility"]
    shared = {name: spec["items"] for name, spec in eligibility.data["lists"].items()}
    return _coded(
        CROSSCHECK,
        [
            *formcheck.check_form(form, shared, facts),
            *formcheck.check_criteria_on_form(eligibility, form, shared, facts),
        ],
    )
