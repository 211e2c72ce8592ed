"""Render the guide's own pages from the model: Project -> {site path: Markdown page or stylesheet}.

The pages are Markdown made from Jinja templates in generator/templates/guide/, so MkDocs gives them
its navigation, search and table of contents. Editors' Markdown (the guide's summary and sections,
outcome bodies, the form's intro) is passed through as Markdown; every other value is escaped.
Links to pages other renderers write (the checker, the referral form, the downloads) are ordinary
relative links, which `mkdocs build --strict` checks.
"""

from __future__ import annotations

from generator.diagram import render_pathway_svg
from generator.rendering import one_block, read_asset, render_template
from generator.model import Project
from generator.site import BuildContext

STYLESHEET = "assets/guide/guide.css"
# What only one page needs, linked from that page alone: {page: stylesheet}.
PAGE_STYLESHEETS = {"index.md": "assets/guide/home.css", "pathway.md": "assets/guide/pathway.css"}

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



def render_files(project: Project, context: BuildContext) -> dict[str, str | bytes]:
    """Render every page of the guide, the stylesheet the plugin adds to each page and those of single pages."""
    values = {"project": project, "links": LINKS, "back_pages": BACK_PAGES}
    files: dict[str, str | bytes] = {
        "index.md": render_template(
            "guide/index.md.j2", stylesheet=PAGE_STYLESHEETS["index.md"], to_root="", **values
        ),
        "who-can-be-referred.md": render_template("guide/who-can-be-referred.md.j2", **values),
        "pathway.md": render_template(
            "guide/pathway.md.j2",
            diagram=one_block(render_pathway_svg(project.pathway)),
            stylesheet=PAGE_STYLESHEETS["pathway.md"],
            to_root="../",
            **values,
        ),
        "how-to-refer.md": render_template(
            "guide/how-to-refer.md.j2",
            eligible_outcomes=[o for o in project.checker.outcomes if o.result == "eligible"],
            **values,
        ),
        "contact.md": render_template("guide/contact.md.j2", **values),
        "downloads.md": render_template("guide/downloads.md.j2", **values),
        "accessibility.md": render_template("guide/accessibility.md.j2", **values),
        "editing.md": render_template(
            "guide/editing.md.j2",
            sources=[(path, SOURCE_ROLES.get(path, "")) for path, _ in project.sources],
            **values,
        ),
        "hosting.md": render_template("guide/hosting.md.j2", **values),
    }
    files[STYLESHEET] = read_asset("css/guide.css")
    for stylesheet in PAGE_STYLESHEETS.values():
        files[stylesheet] = read_asset(f"css/{stylesheet.rsplit('/', 1)[1]}")
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


def render_nginx_config(headers: dict[str, str]) -> str:
    """An nginx server block serving the built site with these HTTP headers on every response."""
    return render_template("guide/nginx.conf.j2", headers=headers)
