"""Load a service's sources: a project folder -> the immutable `Project`, or every problem found.

Stages, each collecting problems rather than stopping at the first: read each YAML file strictly,
check it against its JSON Schema, cross-check references between and within files, fill
{placeholders} from the facts, then build the frozen model.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator import crosscheck, model
from generator.facts import describe_known, fill_placeholders, join_words
from generator.problems import Location, Problem, SourceError
from generator.textsafety import check_text
from generator.validate import check_against_schema
from generator.yamlsource import YamlDocument, read_yaml

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
_NOT_TEXT = {"id", "next", "to", "start", "kind", "result", "type", "options_from", "field", "fact",
             "on_field", "autocomplete", "criterion", "published", "last_reviewed", "next_review",
             "language"}


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
            raw = path.read_bytes()
        except FileNotFoundError:
            problems.append(Problem(Location(relative), "this file is missing"))
            continue
        except OSError as error:
            problems.append(Problem(Location(relative), f"this file cannot be read ({error.strerror})"))
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


def collect_facts(service: dict, eligibility: dict) -> dict[str, object]:
    """The values {placeholders} may name, built from service.yaml and eligibility.yaml."""
    facts: dict[str, object] = {
        "upper_age": eligibility["upper_age"],
        "risk_statuses": join_words([f"'{r['label']}'" for r in eligibility["risk_statuses"]], "or"),
        "exploitation.main": join_words(
            [t["label"] for t in eligibility["exploitation_types"] if t.get("main")]
        ),
        "exploitation.others": join_words(
            [t["label"] for t in eligibility["exploitation_types"] if not t.get("main")],
            serial_comma=True,
        ),
        "exploitation.all": join_words([t["label"] for t in eligibility["exploitation_types"]],
                                       serial_comma=True),
    }
    for key in ("name", "short_name", "area", "part_of"):
        facts[f"service.{key}"] = service[key]
    for contact in service["contacts"]:
        facts[f"contact.{contact['id']}"] = f"{contact['name']}, {contact['role']} ({contact['email']})"
        facts[f"contact.{contact['id']}.email"] = contact["email"]
        facts[f"contact.{contact['id']}.name"] = contact["name"]
    for term in service["terms"]:
        facts[f"term.{term['id']}"] = f"{term['meaning']} ({term['abbreviation']})"
    # Criteria may use the facts above; other text may use the criteria.
    for criterion in eligibility["criteria"]:
        text, _ = fill_placeholders(criterion["text"], _as_text(facts))
        facts[f"criterion.{criterion['id']}"] = text
    return facts


def _as_text(facts: dict) -> dict[str, str]:
    return {k: str(v) for k, v in facts.items()}


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
                    Problem(doc.where(path), f"unknown placeholder {{{name}}}: {describe_known(facts, name)}")
                )
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
        problems.extend(crosscheck.check_service(docs["service"]))
    if "service" in docs and "eligibility" in docs:
        facts = collect_facts(docs["service"].data, docs["eligibility"].data)
        _fill_all(docs["eligibility"], _as_text(facts), problems)
    if "guide" in docs:
        problems.extend(crosscheck.check_guide(docs["guide"]))
    if "checker" in docs:
        problems.extend(crosscheck.check_checker(docs["checker"], criteria))
    if "pathway" in docs:
        problems.extend(crosscheck.check_pathway(docs["pathway"]))
    if "form" in docs and "eligibility" in docs and facts is not None:
        shared = {
            "risk_statuses": docs["eligibility"].data["risk_statuses"],
            "exploitation_types": docs["eligibility"].data["exploitation_types"],
        }
        problems.extend(crosscheck.check_form(docs["form"], shared, facts))

    filled = {}
    if facts is not None:
        text_facts = _as_text(facts)
        for kind in ("service", "guide", "checker", "pathway", "form"):
            if kind in docs:
                filled[kind] = _fill_all(docs[kind], text_facts, problems)
    if problems or len(filled) != len(SOURCES) - 1:
        raise SourceError(problems or [Problem(Location("content"), "the sources could not be read")])
    return _build(docs, filled, read.hashes)


def _at(doc: YamlDocument, *path) -> Location:
    return doc.where(tuple(path))


def _build(docs: dict[str, YamlDocument], filled: dict, hashes) -> model.Project:
    s_doc, e_doc, g_doc = docs["service"], docs["eligibility"], docs["guide"]
    c_doc, p_doc, f_doc = docs["checker"], docs["pathway"], docs["form"]
    s, e, g = filled["service"], e_doc.data, filled["guide"]
    c, p, f = filled["checker"], filled["pathway"], filled["form"]
    facts = collect_facts(s_doc.data, e)

    service = model.Service(
        name=s["name"], short_name=s["short_name"], area=s["area"], part_of=s["part_of"],
        language=s.get("language", "en-GB"),
        terms=tuple(
            model.Term(t["id"], t["abbreviation"], t["meaning"], _at(s_doc, "terms", i))
            for i, t in enumerate(s["terms"])
        ),
        contacts=tuple(
            model.Contact(x["id"], x["name"], x["role"], x["email"], _at(s_doc, "contacts", i))
            for i, x in enumerate(s["contacts"])
        ),
        where=_at(s_doc),
    )

    def choices(doc, key, items):
        return tuple(
            model.Choice(x["id"], x["label"], bool(x.get("main", False)), _at(doc, *key, i))
            for i, x in enumerate(items)
        )

    eligibility = model.Eligibility(
        upper_age=e["upper_age"],
        risk_statuses=choices(e_doc, ("risk_statuses",), e["risk_statuses"]),
        exploitation_types=choices(e_doc, ("exploitation_types",), e["exploitation_types"]),
        criteria=tuple(
            model.Criterion(x["id"], str(facts[f"criterion.{x['id']}"]), _at(e_doc, "criteria", i))
            for i, x in enumerate(e["criteria"])
        ),
        where=_at(e_doc),
    )

    guide = model.Guide(
        title=g["title"], kind=g["kind"], year=g["year"], summary=g["summary"],
        dates=model.GuideDates(**g["dates"]),
        sections=tuple(
            model.GuideSection(x["id"], x["title"], x["body"], _at(g_doc, "sections", i))
            for i, x in enumerate(g["sections"])
        ),
        where=_at(g_doc),
    )

    checker = model.Checker(
        title=c["title"], intro=c["intro"], start=c["start"],
        questions=tuple(
            model.Question(
                id=q["id"], text=q["text"], hint=q.get("hint", ""),
                options=tuple(
                    model.Option(o["id"], o["label"], o["next"], _at(c_doc, "questions", qi, "options", oi))
                    for oi, o in enumerate(q["options"])
                ),
                criterion=q.get("criterion"),
                where=_at(c_doc, "questions", qi),
            )
            for qi, q in enumerate(c["questions"])
        ),
        outcomes=tuple(
            model.Outcome(o["id"], o["result"], o["title"], o["body"], _at(c_doc, "outcomes", i))
            for i, o in enumerate(c["outcomes"])
        ),
        where=_at(c_doc),
    )

    links = crosscheck.pathway_links(p["steps"])
    pathway = model.Pathway(
        title=p["title"],
        steps=tuple(
            model.PathwayStep(
                id=x["id"], kind=x["kind"], text=x["text"],
                branches=tuple(
                    model.Branch(label or "", target, _at(p_doc, "steps", i)) for label, target in links[i]
                ),
                where=_at(p_doc, "steps", i),
            )
            for i, x in enumerate(p["steps"])
        ),
        where=_at(p_doc),
    )

    lists = {
        "risk_statuses": eligibility.risk_statuses,
        "exploitation_types": eligibility.exploitation_types,
    }
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
        age_limit = None
        if "age_limit" in x:
            age_limit = model.AgeLimit(int(facts[x["age_limit"]["fact"]]), x["age_limit"]["on_field"])
        return model.FormField(
            id=x["id"], type=x["type"], label=x["label"], error_name=x["error_name"],
            hint=x.get("hint", ""), optional=bool(x.get("optional", False)), options=options,
            show_if=condition, autocomplete=x.get("autocomplete"), max_length=x.get("max_length"),
            not_in_future=bool(x.get("not_in_future", False)), age_limit=age_limit,
            fields=tuple(
                build_field(sub, path + ("fields", gi)) for gi, sub in enumerate(x.get("fields", []))
            ),
            item_name=x.get("item_name", ""), max_items=x.get("max_items"),
            where=_at(f_doc, *path),
        )

    form = model.Form(
        id=f["id"], title=f["title"], intro=f["intro"],
        sections=tuple(
            model.FormSection(
                sec["id"], sec["title"],
                tuple(build_field(x, ("sections", si, "fields", fi)) for fi, x in enumerate(sec["fields"])),
                _at(f_doc, "sections", si),
            )
            for si, sec in enumerate(f["sections"])
        ),
        where=_at(f_doc),
    )
    return model.Project(service, eligibility, guide, checker, pathway, form, sources=hashes)
