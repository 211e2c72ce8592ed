"""Load a service's sources: a project folder -> the immutable `Project`, or every problem found.

Stages, each collecting problems rather than stopping at the first: read each YAML file strictly,
check it against its JSON Schema, cross-check references between and within files, fill
{placeholders} from the facts, then build the frozen model.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from generator import model
from generator.problems import Location, Problem, SourceError
from generator.sources import crosscheck
from generator.sources.facts import describe_known, fill_placeholders, join_words, resolve_facts
from generator.sources.reading import (
    FOLDER,
    MISSING,
    NOT_REGULAR,
    TOO_LARGE,
    FileRefused,
    read_regular_file,
)
from generator.sources.schema_check import check_against_schema
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


def collect_facts(service: dict, eligibility: dict) -> dict[str, object]:
    """The values {placeholders} may name, built from service.yaml and eligibility.yaml, with the
    placeholders inside them filled (see `_fact_problems` for those that cannot be)."""
    facts = _written_facts(service, eligibility)
    resolved, _ = resolve_facts(_as_text(facts))
    return {
        name: resolved[name] if isinstance(value, str) else value for name, value in facts.items()
    }


def list_facts(lists: dict) -> dict[str, str]:
    """Each named list's facts, written as the list says: {<fact>} and {<fact>.all} every label,
    and, where it marks items main: true, {<fact>.main} those and {<fact>.others} the rest."""
    facts = {}
    for name, spec in lists.items():
        fact = spec.get("fact", name)
        quote = "'" if spec.get("quoted") else ""

        def words(items, spec=spec, quote=quote):
            return join_words(
                [f"{quote}{x['label']}{quote}" for x in items],
                spec.get("join", "and"),
                serial_comma=bool(spec.get("serial_comma")),
            )

        items = spec["items"]
        facts[fact] = facts[f"{fact}.all"] = words(items)
        if any(x.get("main") for x in items):
            facts[f"{fact}.main"] = words([x for x in items if x.get("main")])
            facts[f"{fact}.others"] = words([x for x in items if not x.get("main")])
    return facts


def _written_facts(service: dict, eligibility: dict) -> dict[str, object]:
    """The facts as the sources write them, placeholders and all."""
    facts: dict[str, object] = {
        "upper_age": eligibility["upper_age"],
    }
    facts.update(list_facts(eligibility["lists"]))
    for key in ("name", "short_name", "area", "part_of"):
        facts[f"service.{key}"] = service[key]
    for contact in service["contacts"]:
        facts[f"contact.{contact['id']}"] = (
            f"{contact['name']}, {contact['role']} ({contact['email']})"
        )
        facts[f"contact.{contact['id']}.email"] = contact["email"]
        facts[f"contact.{contact['id']}.name"] = contact["name"]
    for term in service["terms"]:
        facts[f"term.{term['id']}"] = f"{term['meaning']} ({term['abbreviation']})"
    # Criteria may use the facts above (and each other); other text may use the criteria.
    for criterion in eligibility["criteria"]:
        for key, suffix in (("text", ""), ("name", ".name"), ("means", ".means")):
            if key in criterion:
                facts[f"criterion.{criterion['id']}{suffix}"] = criterion[key]
    return facts


def _as_text(facts: dict) -> dict[str, str]:
    return {k: str(v) for k, v in facts.items()}


def _fact_problems(service: YamlDocument, eligibility: YamlDocument) -> list[Problem]:
    """Facts whose placeholders cannot be filled (a loop, an unknown name), at the fact's place."""
    _, reasons = resolve_facts(_as_text(_written_facts(service.data, eligibility.data)))
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


def _fill_all(doc: YamlDocument, facts: dict[str, str], problems: list[Problem]):
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
            message = None if unknown else markup_problem(text)
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
        _fill_all(docs["eligibility"], _as_text(facts), problems)
    if "guide" in docs:
        problems.extend(crosscheck.check_guide(docs["guide"]))
    if "checker" in docs:
        found = list(crosscheck.check_checker(docs["checker"], criteria))
        problems.extend(found)
        if not found and "eligibility" in docs:
            # Only on a sound graph: the criteria's order and outcomes are checked along its paths.
            problems.extend(
                crosscheck.check_checker_asks_criteria(docs["checker"], docs["eligibility"])
            )
    if "pathway" in docs:
        problems.extend(crosscheck.check_pathway(docs["pathway"]))
        if "eligibility" in docs:
            problems.extend(crosscheck.check_pathway_gates(docs["pathway"], docs["eligibility"]))
    if "form" in docs and "eligibility" in docs and facts is not None:
        shared = {name: spec["items"] for name, spec in docs["eligibility"].data["lists"].items()}
        problems.extend(crosscheck.check_form(docs["form"], shared, facts))
        problems.extend(
            crosscheck.check_criteria_on_form(docs["eligibility"], docs["form"], shared, facts)
        )

    filled = {}
    if facts is not None:
        text_facts = _as_text(facts)
        for kind in ("service", "guide", "checker", "pathway", "form"):
            if kind in docs:
                filled[kind] = _fill_all(docs[kind], text_facts, problems)
    if problems or len(filled) != len(SOURCES) - 1:
        raise SourceError(
            problems or [Problem(Location("content"), "the sources could not be read")]
        )
    return _build(docs, filled, read.hashes, root)


def _accessibility(doc: YamlDocument, s: dict, contacts) -> model.Accessibility | None:
    block = s.get("accessibility")
    if block is None:
        return None
    return model.Accessibility(
        compliance=block["compliance"],
        prepared=block["prepared"],
        last_reviewed=block["last_reviewed"],
        contact=next(c for c in contacts if c.id == block["contact"]),
        known_issues=tuple(block["known_issues"]),
        where=_at(doc, "accessibility"),
    )


def _at(doc: YamlDocument, *path) -> Location:
    return doc.where(tuple(path))


def _build(docs: dict[str, YamlDocument], filled: dict, hashes, root: Path) -> model.Project:
    s_doc, e_doc, g_doc = docs["service"], docs["eligibility"], docs["guide"]
    c_doc, p_doc, f_doc = docs["checker"], docs["pathway"], docs["form"]
    s, e, g = filled["service"], e_doc.data, filled["guide"]
    c, p, f = filled["checker"], filled["pathway"], filled["form"]
    facts = collect_facts(s_doc.data, e)

    service = model.Service(
        name=s["name"],
        short_name=s["short_name"],
        area=s["area"],
        part_of=s["part_of"],
        language=s.get("language", "en-GB"),
        terms=tuple(
            model.Term(t["id"], t["abbreviation"], t["meaning"], _at(s_doc, "terms", i))
            for i, t in enumerate(s["terms"])
        ),
        contacts=tuple(
            model.Contact(x["id"], x["name"], x["role"], x["email"], _at(s_doc, "contacts", i))
            for i, x in enumerate(s["contacts"])
        ),
        status=s.get("status", "active"),
        site_url=s.get("site_url", ""),
        edit_url=s.get("edit_url", ""),
        where=_at(s_doc),
    )
    service = replace(
        service,
        accessibility=_accessibility(s_doc, s, service.contacts),
        logo=model.Logo(s["logo"], (root / s["logo"]).read_bytes(), s.get("logo_text", ""))
        if "logo" in s
        else None,
        brand_colour=s.get("brand_colour"),
    )

    def choices(doc, key, items):
        return tuple(
            model.Choice(x["id"], x["label"], bool(x.get("main", False)), _at(doc, *key, i))
            for i, x in enumerate(items)
        )

    # `main: true` in a condition: one of the ticked answers is an item marked main in the list
    # the field offers (check_criteria_on_form proves it has one).
    named = {name: spec["items"] for name, spec in e["lists"].items()}
    named.update(f.get("option_lists", {}))
    offered = {
        fld["id"]: named.get(fld.get("options_from"), fld.get("options", []))
        for section in f["sections"]
        for fld in section["fields"]
    }

    def met_condition(x: dict, path: tuple) -> model.MetCondition:
        values = tuple(x.get("in", ())) or (
            tuple(o["id"] for o in offered.get(x["field"], []) if o.get("main"))
            if x.get("main")
            else ()
        )
        age = int(facts[x["age_at_most"]]) if "age_at_most" in x else None
        return model.MetCondition(
            field=x["field"],
            values=values,
            answered=bool(x.get("answered", False)),
            age_at_most=age,
            on_field=x.get("on_field"),
            where=_at(e_doc, *path),
        )

    def criterion(i: int, x: dict) -> model.Criterion:
        key = f"criterion.{x['id']}"
        return model.Criterion(
            id=x["id"],
            text=str(facts[key]),
            kind=x["kind"],
            name=str(facts[f"{key}.name"]),
            means=str(facts.get(f"{key}.means", "")),
            not_met=x["not_met"],
            met_when=tuple(
                met_condition(c, ("criteria", i, "met_when", ci))
                for ci, c in enumerate(x.get("met_when", []))
            ),
            where=_at(e_doc, "criteria", i),
        )

    eligibility = model.Eligibility(
        upper_age=e["upper_age"],
        lists={
            name: choices(e_doc, ("lists", name, "items"), spec["items"])
            for name, spec in e["lists"].items()
        },
        criteria=tuple(criterion(i, x) for i, x in enumerate(e["criteria"])),
        where=_at(e_doc),
    )

    guide = model.Guide(
        title=g["title"],
        kind=g["kind"],
        year=g["year"],
        summary=g["summary"],
        dates=model.GuideDates(**g["dates"]),
        sections=tuple(
            model.GuideSection(x["id"], x["title"], x["body"], _at(g_doc, "sections", i))
            for i, x in enumerate(g["sections"])
        ),
        where=_at(g_doc),
    )

    checker = model.Checker(
        title=c["title"],
        intro=c["intro"],
        start=c["start"],
        questions=tuple(
            model.Question(
                id=q["id"],
                text=q["text"],
                hint=q.get("hint", ""),
                options=tuple(
                    model.Option(
                        o["id"], o["label"], o["next"], _at(c_doc, "questions", qi, "options", oi)
                    )
                    for oi, o in enumerate(q["options"])
                ),
                criterion=q.get("criterion"),
                where=_at(c_doc, "questions", qi),
            )
            for qi, q in enumerate(c["questions"])
        ),
        outcomes=tuple(
            model.Outcome(
                o["id"],
                o["result"],
                o["title"],
                o["body"],
                tuple(o.get("next_steps", ())),
                _at(c_doc, "outcomes", i),
            )
            for i, o in enumerate(c["outcomes"])
        ),
        where=_at(c_doc),
    )

    links = crosscheck.pathway_links(p["steps"])
    pathway = model.Pathway(
        title=p["title"],
        steps=tuple(
            model.PathwayStep(
                id=x["id"],
                kind=x["kind"],
                text=x["text"],
                branches=tuple(
                    model.Branch(label or "", target, _at(p_doc, "steps", i))
                    for label, target in links[i]
                ),
                where=_at(p_doc, "steps", i),
            )
            for i, x in enumerate(p["steps"])
        ),
        where=_at(p_doc),
    )

    lists = dict(eligibility.lists)
    for name, items in f.get("option_lists", {}).items():
        lists[name] = choices(f_doc, ("option_lists", name), items)

    def build_field(x: dict, path: tuple) -> model.FormField:
        if "options_from" in x:
            options = lists[x["options_from"]]
        else:
            options = choices(f_doc, path + ("options",), x.get("options", []))
        condition = None
        if "show_if" in x:
            condition = model.Condition(
                x["show_if"]["field"], tuple(x["show_if"]["in"]), _at(f_doc, *path, "show_if")
            )
        return model.FormField(
            id=x["id"],
            type=x["type"],
            label=x["label"],
            error_name=x["error_name"],
            hint=x.get("hint", ""),
            optional=bool(x.get("optional", False)),
            options=options,
            show_if=condition,
            autocomplete=x.get("autocomplete"),
            max_length=x.get("max_length"),
            not_in_future=bool(x.get("not_in_future", False)),
            not_after=x.get("not_after"),
            fields=tuple(
                build_field(sub, path + ("fields", gi))
                for gi, sub in enumerate(x.get("fields", []))
            ),
            item_name=x.get("item_name", ""),
            max_items=x.get("max_items"),
            where=_at(f_doc, *path),
        )

    form = model.Form(
        id=f["id"],
        title=f["title"],
        intro=f["intro"],
        sections=tuple(
            model.FormSection(
                sec["id"],
                sec["title"],
                tuple(
                    build_field(x, ("sections", si, "fields", fi))
                    for fi, x in enumerate(sec["fields"])
                ),
                _at(f_doc, "sections", si),
            )
            for si, sec in enumerate(f["sections"])
        ),
        on_screen_intro=f.get("on_screen_intro", ""),
        protective_marking=f.get("protective_marking", ""),
        save_notice=f.get("save_notice", ""),
        saved_notice=f.get("saved_notice", ""),
        criteria=eligibility.criteria,
        where=_at(f_doc),
    )
    return model.Project(service, eligibility, guide, checker, pathway, form, sources=hashes)
