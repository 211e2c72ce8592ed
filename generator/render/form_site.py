"""Render the referral form for the website: Project -> {site path: page, schema, script, style}.

The page is Markdown (so MkDocs gives it navigation and search) holding the form as one raw HTML
block. The form's rules travel with it as JSON: the submission schema and every message, from
`generator.rules.compile.build_rules`, so the page's script says exactly what `validate` says.
"""

from __future__ import annotations

import json
import re

from generator.model import Form, Project
from generator.render.context import BuildContext
from generator.render.referral_print import condition_text, printout_words, summarise_referral
from generator.render.rendering import one_block, read_asset, read_script_bundle, render_template
from generator.rules.compile import build_rules
from generator.rules.form_schema import build_submission_schema
from generator.rules.messages import lowercase_first

PAGE = "referral-form.md"
SCHEMA = "forms/referral.schema.json"
# The compiled rule table, published beside the schema for receiving systems: the rules the schema
# cannot state (its `$comment` names them) and every message, as the page and `validate` run them.
RULES = "forms/referral.rules.json"
# The page's script: generator/static/js/form/main.mjs and the modules it imports, as one file.
SCRIPT = "assets/tr/referral-form.js"
SCRIPT_ENTRY = "js/form/main.mjs"
STYLESHEET = "assets/tr/referral-form.css"
# Written from forms/referral.yaml's protective_marking (no inline styles: the CSP allows none).
MARKING_STYLESHEET = "assets/tr/referral-form-marking.css"
# From the page's address (referral-form/) back up to the site's root: raw HTML names files by URL.
_TO_ROOT = "../"


def schema_id(project: Project) -> str:
    """The schema's `$id`: the site's own address is not known when it is built, so a reserved
    name (.invalid) stands in for it."""
    slug = re.sub(r"[^a-z0-9]+", "-", project.service.short_name.lower()).strip("-") or "service"
    return f"https://{slug}.invalid/{SCHEMA}"


def render_files(project: Project, context: BuildContext) -> dict[str, str | bytes]:
    """Render the form page, the published schema and the page's script and stylesheet."""
    form = project.form
    schema = build_submission_schema(form, schema_id(project))
    rules = build_rules(form)
    html = render_template(
        "form/form.html.j2",
        form=form,
        page=_page_facts(form),
        rules=json.dumps(rules, ensure_ascii=False, separators=(",", ":")),
        to_root=_TO_ROOT,
        stylesheet=STYLESHEET,
        marking_stylesheet=MARKING_STYLESHEET if form.protective_marking else "",
        script=SCRIPT,
        # The printout says what the filled-referral PDF says: the same words, and the same
        # summary, which the script fills in with the answers before printing.
        print_words=printout_words(),
        summary=summarise_referral(form, {}),
    )
    files = {
        PAGE: render_template("form/page.md.j2", form=form, html=one_block(html), to_root=_TO_ROOT),
        SCHEMA: json.dumps(schema, indent=2, ensure_ascii=False) + "\n",
        RULES: json.dumps(published_rules(rules, schema), indent=1, ensure_ascii=False) + "\n",
        SCRIPT: read_script_bundle(SCRIPT_ENTRY),
        STYLESHEET: read_asset("css/referral-form.css"),
    }
    if form.protective_marking:
        files[MARKING_STYLESHEET] = marking_css(form.protective_marking)
    return files


def marking_css(marking: str) -> str:
    """The protective marking at the top and foot of every printed page of the form (Chromium's page
    margin boxes; a practitioner prints with Ctrl+P). The schema allows only capitals, digits and
    plain punctuation in a marking; json.dumps quotes it as a CSS string all the same."""
    quoted = json.dumps(marking, ensure_ascii=True)
    box = f"content:{quoted};font:700 10pt/1 sans-serif;color:#0b0c0c"
    return f"@media print{{@page{{@top-center{{{box}}}@bottom-center{{{box}}}}}}}\n"


def published_rules(rules: dict, schema: dict) -> dict:
    """The table as receiving systems read it: the rows and where each problem is shown."""
    return {
        "$comment": "The rule table of the form: run every row in order; an answer gets the first "
        "problem found. Rows: check, field (key, group.* or group.*.key), value, message, when "
        "(conditions that must all hold), priority. See the schema's $comment for what only this "
        "table states.",
        "schema": schema["$id"],
        "form": rules["form"],
        "rules": rules["rules"],
        "places": rules["places"],
    }


def _page_facts(form: Form) -> dict:
    """What the templates need beyond the model: each conditional question's condition in words
    (shown on paper, and when the script is not running), which inputs reveal which questions,
    and names."""
    conditions: dict[str, str] = {}
    controls: dict[str, dict[str, list[str]]] = {}
    for field in form.all_fields():
        condition = field.show_if
        controller = form.find_field(condition.field) if condition else None
        if condition is None or controller is None:
            continue
        conditions[field.id] = condition_text(form, field)
        for value in condition.values:
            controls.setdefault(controller.id, {}).setdefault(value, []).append(f"q-{field.id}")
    item_names = {
        f.id: lowercase_first(f.item_name) for f in form.all_fields() if f.type == "group"
    }
    return {"conditions": conditions, "controls": controls, "item_names": item_names}
