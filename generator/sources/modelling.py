"""Build the frozen model from checked sources: documents with placeholders filled -> `Project`.

Only `generator.sources.load` calls it, once every check has passed, so nothing here reports a
problem: a source that reaches this stage has the shape its schema and the cross-checks promise.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator import model
from generator.problems import Location
from generator.sources import flowcheck, pathwaycheck
from generator.sources.facts import ask_fact, collect_facts
from generator.sources.yamlsource import YamlDocument


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


def _summary(doc: YamlDocument, summary: dict | None) -> model.FormSummary | None:
    if summary is None:
        return None

    def items(key: str) -> tuple[model.SummaryItem, ...]:
        return tuple(
            model.SummaryItem(x["field"], x.get("label", ""), _at(doc, "summary", key, i))
            for i, x in enumerate(summary.get(key, []))
        )

    return model.FormSummary(
        tuple(summary["header"]), items("rows"), items("flags"), _at(doc, "summary")
    )


def _at(doc: YamlDocument, *path) -> Location:
    return doc.where(tuple(path))


def build_project(docs: dict[str, YamlDocument], filled: dict, hashes, root: Path) -> model.Project:
    """The model of checked sources: one builder per source file, each reading its document (for
    locations) and its data with placeholders filled."""
    facts = collect_facts(docs["service"].data, docs["eligibility"].data)
    service = _build_service(docs["service"], filled["service"], root)
    eligibility = _build_eligibility(docs["eligibility"], filled["form"], facts)
    guide = _build_guide(docs["guide"], filled["guide"])
    checker = _build_checker(docs["checker"], filled["checker"], docs["eligibility"], facts)
    pathway = _build_pathway(docs["pathway"], filled["pathway"])
    form = _build_form(docs["form"], filled["form"], eligibility)
    return model.Project(service, eligibility, guide, checker, pathway, form, sources=hashes)


def _build_service(s_doc: YamlDocument, s: dict, root: Path) -> model.Service:
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
        person=s["person"],
        status=s.get("status", "active"),
        site_url=s.get("site_url", ""),
        edit_url=s.get("edit_url", ""),
        organisation_email=s.get("organisation_email", ""),
        organisation_url=s.get("organisation_url", ""),
        where=_at(s_doc),
    )
    return replace(
        service,
        accessibility=_accessibility(s_doc, s, service.contacts),
        logo=model.Logo(s["logo"], (root / s["logo"]).read_bytes(), s.get("logo_text", ""))
        if "logo" in s
        else None,
        brand_colour=s.get("brand_colour"),
    )


def _choices(doc: YamlDocument, key: tuple, items: list) -> tuple[model.Choice, ...]:
    return tuple(
        model.Choice(x["id"], x["label"], bool(x.get("main", False)), _at(doc, *key, i))
        for i, x in enumerate(items)
    )


def _build_eligibility(e_doc: YamlDocument, f: dict, facts) -> model.Eligibility:
    # Read as written: the criteria's words come from `facts`, which fills their placeholders.
    e = e_doc.data
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
            short=str(facts.get(f"{key}.short", "")),
            strength=x["strength"],
            strength_words=str(x["strength_words"]),
            reading=str(facts.get(f"{key}.reading", "")),
            reason_field=str(x.get("reason_field", "")),
            not_met=x["not_met"],
            not_known=x.get("not_known", ""),
            met_when=tuple(
                met_condition(c, ("criteria", i, "met_when", ci))
                for ci, c in enumerate(x.get("met_when", []))
            ),
            where=_at(e_doc, "criteria", i),
        )

    return model.Eligibility(
        upper_age=e["upper_age"],
        lists={
            name: _choices(e_doc, ("lists", name, "items"), spec["items"])
            for name, spec in e["lists"].items()
        },
        criteria=tuple(criterion(i, x) for i, x in enumerate(e["criteria"])),
        lead_in=str(facts["eligibility.lead_in"]),
        where=_at(e_doc),
    )


def _build_guide(g_doc: YamlDocument, g: dict) -> model.Guide:
    return model.Guide(
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
        changes=tuple(
            model.ChangeNote(
                x["date"],
                x["summary"],
                tuple(x.get("pages", ())),
                tuple(x.get("home_sections", ())),
                _at(g_doc, "changes", i),
            )
            for i, x in enumerate(g.get("changes", ()))
        ),
    )


def _build_checker(c_doc: YamlDocument, c: dict, e_doc: YamlDocument, facts) -> model.Checker:
    """The checker as readers meet it: a criterion's question in the criterion's words (its
    `ask:`, placeholders filled), and each criterion's outcomes titled by it."""
    criteria = e_doc.data["criteria"]
    questions = [
        _checker_question(q, c_doc, e_doc, facts) for q in flowcheck.expand_questions(c, criteria)
    ]
    owner = {
        x[key]: (x["id"], key) for x in criteria for key in ("not_met", "not_known") if key in x
    }

    def title(o: dict) -> str:
        if o["id"] in owner:
            cid, key = owner[o["id"]]
            return str(facts[ask_fact(cid, ("titles", key))])
        return o["title"]

    return model.Checker(
        title=c["title"],
        intro=c["intro"],
        start=c["start"],
        questions=tuple(questions),
        outcomes=tuple(
            model.Outcome(
                o["id"],
                o["result"],
                title(o),
                o["body"],
                tuple(o.get("next_steps", ())),
                _at(c_doc, "outcomes", i),
                criterion=owner.get(o["id"], ("", ""))[0],
                answer=owner.get(o["id"], ("", ""))[1],
            )
            for i, o in enumerate(c["outcomes"])
        ),
        where=_at(c_doc),
    )


def _checker_question(q: dict, c_doc: YamlDocument, e_doc: YamlDocument, facts) -> model.Question:
    """One question as `flowcheck.expand_questions` gives it; a criterion's in its filled words."""
    docs = {"checker": c_doc, "eligibility": e_doc}
    own = q["criterion"]
    labels = {option_id: answer for answer, option_id in flowcheck.ANSWERS}

    def words(key: tuple, fallback: str) -> str:
        if own is None:
            return fallback
        return str(facts.get(ask_fact(own, key), fallback))

    return model.Question(
        id=q["id"],
        text=words(("question",), q["text"]),
        hint=q["hint"] if own is None else str(facts.get(ask_fact(own, ("hint",)), "")),
        options=tuple(
            model.Option(
                o["id"],
                words(("answers", labels[o["id"]]), o["label"]) if own is not None else o["label"],
                o["next"],
                docs[o["at"][0]].where(o["at"][1]),
            )
            for o in q["options"]
        ),
        criterion=own,
        where=docs[q["at"][0]].where(q["at"][1])
        if own is None
        else e_doc.where(("criteria", _index(e_doc.data["criteria"], own), "ask")),
    )


def _index(criteria: list[dict], criterion_id: str) -> int:
    return next(i for i, x in enumerate(criteria) if x["id"] == criterion_id)


def _build_pathway(p_doc: YamlDocument, p: dict) -> model.Pathway:
    links = pathwaycheck.pathway_links(p["steps"])
    return model.Pathway(
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
                start_page=bool(x.get("start_page", False)),
                where=_at(p_doc, "steps", i),
            )
            for i, x in enumerate(p["steps"])
        ),
        where=_at(p_doc),
    )


def fields_criteria_need(criteria) -> set[str]:
    """The form's questions that a criterion needs answered: each `met_when` condition's field (and
    the date it is read on), and a should criterion's `reason_field`. These are required because of
    the criterion; remove it and they are optional, unless the form says `required: true`."""
    needed = {c.reason_field for c in criteria if c.reason_field}
    for criterion in criteria:
        for condition in criterion.met_when:
            needed |= {n for n in (condition.field, condition.on_field) if n}
    return needed


def _build_form(f_doc: YamlDocument, f: dict, eligibility: model.Eligibility) -> model.Form:
    lists = dict(eligibility.lists)
    for name, items in f.get("option_lists", {}).items():
        lists[name] = _choices(f_doc, ("option_lists", name), items)

    needed = fields_criteria_need(eligibility.criteria)
    return model.Form(
        id=f["id"],
        title=f["title"],
        intro=f["intro"],
        sections=tuple(
            model.FormSection(
                sec["id"],
                sec["title"],
                tuple(
                    _build_field(f_doc, x, ("sections", si, "fields", fi), lists, needed)
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
        how_to_submit=f.get("how_to_submit", ""),
        summary=_summary(f_doc, f.get("summary")),
        criteria=eligibility.criteria,
        where=_at(f_doc),
    )


def _build_field(
    f_doc: YamlDocument, x: dict, path: tuple, lists: dict, needed: set[str]
) -> model.FormField:
    """One question (a group with its own questions); `needed` are the ids criteria need answered."""
    if "options_from" in x:
        options = lists[x["options_from"]]
    else:
        options = _choices(f_doc, path + ("options",), x.get("options", []))
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
        # Required because a criterion needs the answer, or because the form says so.
        optional=not (x.get("required", False) or x["id"] in needed and len(path) == 4),
        options=options,
        show_if=condition,
        autocomplete=x.get("autocomplete"),
        max_length=x.get("max_length"),
        not_in_future=bool(x.get("not_in_future", False)),
        not_after=x.get("not_after"),
        fields=tuple(
            _build_field(f_doc, sub, path + ("fields", gi), lists, needed)
            for gi, sub in enumerate(x.get("fields", []))
        ),
        item_name=x.get("item_name", ""),
        max_items=x.get("max_items"),
        where=_at(f_doc, *path),
    )
