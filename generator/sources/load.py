"""Load a service's sources: a project folder -> the immutable `Project`, or every problem found.

Stages, each collecting problems rather than stopping at the first: read each YAML file strictly,
check it against its JSON Schema, cross-check references between and within files, fill
{placeholders} from the facts, then build the frozen model.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator import model
from generator.problems import Location, Problem, SourceError
from generator.sources import crosscheck, flowcheck
from generator.sources.facts import (
    as_text,
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
    documents: dict[str, YamlDocument]
    problems: list[Problem]
    hashes: tuple[tuple[str, str], ...]


def _read_sources(root: Path) -> _Read:
    documents, problems, hashes = {}, [], []
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
            problems.extend(found)
            continue
        schema_problems = check_against_schema(document, kind)
        if schema_problems:
            problems.extend(schema_problems)
            continue
        unsafe = list(check_text(document))
        if unsafe:
            problems.extend(unsafe)
            continue
        documents[kind] = document
    return _Read(documents, problems, tuple(hashes))


def _refusal_problem(relative: str, refused: FileRefused) -> Problem:
    if refused.reason == TOO_LARGE:
        return too_large_problem(relative, refused.size)
    message = {
        MISSING: "this file is missing",
        FOLDER: "this is a folder, not a file: put the YAML file itself here",
        NOT_REGULAR: "this is not a regular file (it is a named pipe, a device or a socket): "
        "put the YAML file itself here",
    }.get(refused.reason, f"this file cannot be read ({refused.detail})")
    return Problem(Location(relative), message)


def _fact_problems(service: YamlDocument, eligibility: YamlDocument) -> list[Problem]:
    """Facts whose placeholders cannot be filled (a loop, an unknown name), at the fact's place."""
    _, reasons = resolve_facts(as_text(written_facts(service.data, eligibility.data)))
    places = {
        f"criterion.{c['id']}{suffix}": eligibility.where(("criteria", i, key))
        for i, c in enumerate(eligibility.data["criteria"])
        for key, suffix in (("text", ""), ("name", ".name"), ("means", ".means"))
    }
    for key in ("name", "short_name", "area", "part_of"):
        places[f"service.{key}"] = service.where((key,))
    return [
        Problem(places.get(name, service.where(())), message) for name, message in reasons.items()
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
                    )
                )
            # Judged as published: markup assembled from a placeholder's value counts too.
            message = (
                None if unknown else markup_problem(text, plain=text_kind(kind, path) == "plain")
            )
            if message:
                problems.append(Problem(doc.where(path), message))
            return text
        return value

    return walk(doc.data, ())


def check_sources(root: Path | str) -> list[Problem]:
    """Every problem in the sources under `root`; an empty list means they build."""
    try:
        load_project(root)
    except SourceError as error:
        return list(error.problems)
    return []


def load_project(root: Path | str) -> model.Project:
    """Read, check and model the service under `root`. Raises SourceError listing every problem."""
    root = Path(root)
    read = _read_sources(root)
    problems = list(read.problems)
    docs = read.documents

    criteria = None
    facts: dict[str, object] | None = None
    if "eligibility" in docs:
        problems.extend(crosscheck.check_eligibility(docs["eligibility"]))
        criteria = {c["id"] for c in docs["eligibility"].data["criteria"]}
    if "service" in docs:
        problems.extend(crosscheck.check_service(docs["service"], root))
    if "service" in docs and "eligibility" in docs:
        facts = collect_facts(docs["service"].data, docs["eligibility"].data)
        problems.extend(_fact_problems(docs["service"], docs["eligibility"]))
        _fill_all(docs["eligibility"], "eligibility", as_text(facts), problems)
    if "guide" in docs:
        problems.extend(crosscheck.check_guide(docs["guide"]))
    if "checker" in docs:
        found = list(flowcheck.check_checker(docs["checker"], criteria))
        problems.extend(found)
        if not found and "eligibility" in docs:
            # Only on a sound graph: the criteria's order and outcomes are checked along its paths.
            problems.extend(
                flowcheck.check_checker_asks_criteria(docs["checker"], docs["eligibility"])
            )
    if "pathway" in docs:
        problems.extend(flowcheck.check_pathway(docs["pathway"]))
        if "eligibility" in docs:
            problems.extend(flowcheck.check_pathway_gates(docs["pathway"], docs["eligibility"]))
    if "form" in docs and "eligibility" in docs and facts is not None:
        shared = {name: spec["items"] for name, spec in docs["eligibility"].data["lists"].items()}
        problems.extend(crosscheck.check_form(docs["form"], shared, facts))
        problems.extend(
            crosscheck.check_criteria_on_form(docs["eligibility"], docs["form"], shared, facts)
        )

    filled = {}
    if facts is not None:
        text_facts = as_text(facts)
        for kind in ("service", "guide", "checker", "pathway", "form"):
            if kind in docs:
                filled[kind] = _fill_all(docs[kind], kind, text_facts, problems)
    if problems or len(filled) != len(SOURCES) - 1:
        raise SourceError(
            problems or [Problem(Location("content"), "the sources could not be read")]
        )
    return build_project(docs, filled, read.hashes, root)
