"""Render the eligibility checker from the model: Project -> {site path: page, graph, script, css}.

`checker/index.md` is the start page: with JavaScript, checker.js asks one question at a time on
that page; without it, the Start link leads through a static page per question
(`checker/q/<id>.md`) to a static page per outcome (`checker/outcome/<id>.md`), whose answers are
plain links, so nothing about an answer ever goes into a URL. Both journeys use the same words: the
model's, and the interface words in generator/templates/checker/_text.j2. Links between pages are
Markdown links, which `mkdocs build --strict` checks.
"""

from __future__ import annotations

from generator.model import Checker, Project
from generator.render.context import BuildContext
from generator.render.rendering import one_block, read_asset, render_template
from generator.rules.eligibility import compile_graph, dump_graph, enumerate_paths
from generator.text.markup import render_markdown

SCRIPT = "assets/tr/checker.js"
STYLESHEET = "assets/tr/checker.css"
GRAPH = "checker/graph.json"

# From a static question or outcome page (checker/q/<id>/) back up to the site's root, for the
# stylesheet, which raw HTML must name by URL (Markdown links name files, and MkDocs rewrites them).
_STATIC_TO_ROOT = "../../../"


def render_files(project: Project, context: BuildContext) -> dict[str, str | bytes]:
    """Render the start page, a page per question and per outcome, the graph, script and style."""
    checker = project.checker
    graph = compile_graph(checker)
    published = published_graph(graph)
    values = {"project": project, "checker": checker, "stylesheet": STYLESHEET}
    files: dict[str, str | bytes] = {
        "checker/index.md": render_template(
            "checker/start.md.j2",
            graph=published,
            script=SCRIPT,
            to_root="../",
            **values,
        ),
        GRAPH: dump_graph(published),
        SCRIPT: read_asset("js/checker.js"),
        STYLESHEET: read_asset("css/checker.css"),
    }
    sources = _sources_of(checker)
    for question in checker.questions:
        files[f"checker/q/{question.id}.md"] = render_template(
            "checker/question.md.j2",
            question=question,
            backs=_back_links(sources.get(question.id, []), start=question.id == checker.start),
            targets={option.id: _link_to(checker, option.next) for option in question.options},
            to_root=_STATIC_TO_ROOT,
            **values,
        )
    paths: dict[str, list] = {}
    for found in enumerate_paths(graph):
        paths.setdefault(found.outcome, []).append(found.path)
    for outcome in checker.outcomes:
        reasons = sources.get(outcome.id, [])
        # The answers that decided the result: the whole path, where only one leads here.
        why = reasons
        single = len(paths.get(outcome.id, [])) == 1
        if single:
            why = [_step(checker, q, o) for q, o in paths[outcome.id][0]]
        files[f"checker/outcome/{outcome.id}.md"] = render_template(
            "checker/outcome.md.j2",
            outcome=outcome,
            body_html=one_block(render_markdown(outcome.body, to_root=_STATIC_TO_ROOT)),
            reasons=reasons,
            why=why,
            single=single,
            backs=_back_links(reasons, start=False, from_outcome=True),
            to_root=_STATIC_TO_ROOT,
            **values,
        )
    return files


def published_graph(graph: dict) -> dict:
    """The graph as the page's script reads it: each outcome's Markdown body as sanitised HTML
    (`body_html`), shown on the start page under checker/, so links to other pages lead from there."""
    outcomes = [
        {
            **{key: value for key, value in outcome.items() if key != "body"},
            "body_html": str(render_markdown(outcome["body"], "web", to_root="../")),
        }
        for outcome in graph["outcomes"]
    ]
    return {**graph, "outcomes": outcomes}


def _step(checker: Checker, question_id: str, option_id: str) -> tuple:
    question = checker.question(question_id)
    return question, next(o for o in question.options if o.id == option_id)


def _sources_of(checker: Checker) -> dict[str, list]:
    """Map each question and outcome id to the (question, option) pairs that lead to it."""
    sources: dict[str, list] = {}
    for question in checker.questions:
        for option in question.options:
            sources.setdefault(option.next, []).append((question, option))
    return sources


def _link_to(checker: Checker, target: str) -> str:
    """The Markdown link from a question page to the page of `target`."""
    if checker.question(target) is not None:
        return f"{target}.md"
    return f"../outcome/{target}.md"


def _back_links(sources: list, start: bool, from_outcome: bool = False) -> list[tuple[str, str]]:
    """Where Back goes from a static page, as (question text or "", Markdown link) pairs.

    One question leads here: a plain Back link to it (text ""). Several do: without JavaScript the
    page cannot know which one the practitioner came from, so it offers one link to each.
    """
    if start:
        return [("", "../index.md")]
    prefix = "../q/" if from_outcome else ""
    questions = {question.id: question for question, _ in sources}
    if len(questions) == 1:
        return [("", f"{prefix}{next(iter(questions))}.md")]
    return [(question.text, f"{prefix}{qid}.md") for qid, question in questions.items()]
