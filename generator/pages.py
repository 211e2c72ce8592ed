"""Render the guide's own pages from the model: Project -> {site path: Markdown page or stylesheet}.

The pages are Markdown made from Jinja templates in generator/templates/guide/, so MkDocs gives them
its navigation, search and table of contents. Editors' Markdown (the guide's summary and sections,
outcome bodies, the form's intro) is passed through as Markdown; every other value is escaped.
Links to pages other renderers write (the checker, the referral form, the downloads) are ordinary
relative links, which `mkdocs build --strict` checks.
"""

from __future__ import annotations

import datetime
import re
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from generator.diagram import render_pathway_svg
from generator.model import Project
from generator.site import BuildContext

STYLESHEET = "assets/guide/guide.css"

# The guide's pages in reading order: these open the navigation ...
FRONT_PAGES = ("index.md", "who-can-be-referred.md", "pathway.md", "how-to-refer.md")
# ... other renderers' pages (the checker, the form) follow, and these close it.
BACK_PAGES = ("contact.md", "downloads.md", "accessibility.md", "editing.md", "hosting.md")

# Where other renderers put what the guide links to (see generator/site.py for who writes what).
LINKS = {
    "checker": "checker/index.md",
    "form": "referral-form.md",
    "guide_pdf": "downloads/one-minute-guide.pdf",
    "blank_form_pdf": "downloads/referral-form-blank.pdf",
    "form_schema": "forms/referral.schema.json",
    # Written by the MkDocs plugin once every page is rendered (it needs their inline scripts).
    "nginx_config": "hosting/nginx.conf",
}

# What each source file holds, for "Editing this guide". Files not listed here are still shown.
SOURCE_ROLES = {
    "content/service.yaml": "the service's name, area and language, the abbreviations the guide "
    "uses, and whom to contact",
    "content/eligibility.yaml": "who can be referred: the age limit, the risk statuses, the types "
    "of exploitation and the referral criteria",
    "content/guide.yaml": "the one minute guide: its title, review dates, summary and sections",
    "content/checker.yaml": "the eligibility checker's questions, answers and outcomes",
    "content/pathway.yaml": "the referral pathway: its steps, decisions and where each one leads",
    "forms/referral.yaml": "the referral form: its sections, questions, hints and answers",
}

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def render_files(project: Project, context: BuildContext) -> dict[str, str | bytes]:
    """Render every page of the guide, plus the stylesheet the plugin adds to each page."""
    values = {"project": project, "links": LINKS, "back_pages": BACK_PAGES}
    files: dict[str, str | bytes] = {
        "index.md": _render("guide/index.md.j2", **values),
        "who-can-be-referred.md": _render("guide/who-can-be-referred.md.j2", **values),
        "pathway.md": _render(
            "guide/pathway.md.j2", diagram=_one_block(render_pathway_svg(project.pathway)), **values
        ),
        "how-to-refer.md": _render(
            "guide/how-to-refer.md.j2",
            eligible_outcomes=[o for o in project.checker.outcomes if o.result == "eligible"],
            **values,
        ),
        "contact.md": _render("guide/contact.md.j2", **values),
        "downloads.md": _render("guide/downloads.md.j2", **values),
        "accessibility.md": _render("guide/accessibility.md.j2", **values),
        "editing.md": _render(
            "guide/editing.md.j2",
            sources=[(path, SOURCE_ROLES.get(path, "")) for path, _ in project.sources],
            **values,
        ),
        "hosting.md": _render("guide/hosting.md.j2", **values),
    }
    files[STYLESHEET] = read_static("css/guide.css")
    return files


def arrange_nav(paths: list[str]) -> list[str]:
    """Order the navigation: the guide's front pages, other top-level pages, then the back pages.

    Only top-level pages and section index pages (`checker/index.md`) get a place; pages deeper in a
    section (a checker's answer pages, say) are reached from their section.
    """
    pages = [
        p
        for p in paths
        if p.endswith(".md")
        and (p.count("/") == 0 or (p.count("/") == 1 and p.endswith("/index.md")))
    ]
    middle = [p for p in pages if p not in FRONT_PAGES and p not in BACK_PAGES]
    return [p for p in FRONT_PAGES if p in pages] + middle + [p for p in BACK_PAGES if p in pages]


def format_date(value: str) -> str:
    """Write an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) the British way: 26 November 2026."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    day = datetime.date(*parts)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def render_nginx_config(headers: dict[str, str]) -> str:
    """An nginx server block serving the built site with these HTTP headers on every response."""
    return _render("guide/nginx.conf.j2", headers=headers)


def plain_text(markdown: str) -> str:
    """Strip the little Markdown a summary uses (emphasis, links) for a page description."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def read_static(relative: str) -> str:
    """Read a file from generator/static/ (installed with the package)."""
    return resources.files("generator").joinpath("static", relative).read_text(encoding="utf-8")


def _one_block(html: str) -> Markup:
    # Markdown ends a raw HTML block at a blank line; the drawing must stay one block.
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))


def _render(template_name: str, **values) -> str:
    return _environment().get_template(template_name).render(**values).strip() + "\n"


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["long_date"] = format_date
    environment.filters["plain_text"] = plain_text
    return environment
