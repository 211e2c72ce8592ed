"""Render the guide's own pages from the model: Project -> {site path: Markdown page or stylesheet}.

The pages are Markdown made from Jinja templates in generator/templates/guide/, so MkDocs gives them
its navigation, search and table of contents. Editors' Markdown (the guide's summary and sections,
outcome bodies, the form's intro) is passed through as Markdown; every other value is escaped.
Links to pages other renderers write (the checker, the referral form, the downloads) are ordinary
relative links, which `mkdocs build --strict` checks.
"""

from __future__ import annotations

from generator.model import Project
from generator.render import change_notes
from generator.render.context import BuildContext
from generator.render.diagram import PRINT_WIDTH, render_pathway_svg
from generator.render.rendering import one_block, read_asset, read_static_bytes, render_template
from generator.render.start_facts import start_facts
from generator.text.markup import published_url, render_markdown

STYLESHEET = "assets/guide/guide.css"
# Every page's own script: the header's menu and search buttons for the keyboard.
HEADER_SCRIPT = "assets/guide/header.js"
# What only one page needs, linked from that page alone: {page: stylesheet}.
PAGE_STYLESHEETS = {"index.md": "assets/guide/home.css", "pathway.md": "assets/guide/pathway.css"}

# The guide's pages in reading order: these open the navigation ...
FRONT_PAGES = ("index.md", "who-can-be-referred.md", "pathway.md", "how-to-refer.md")
# ... other renderers' pages (the checker, the form) follow, and these close it.
BACK_PAGES = ("contact.md", "downloads.md", "what-changed.md", "accessibility.md")
# For the people who keep the website, not for practitioners: left out of the navigation, linked
# from every page's footer and from the accessibility statement.
EDITORS_PAGES = ("editing.md", "hosting.md")
# Their links in the footer; each is the page's own heading (tests/test_pages.py keeps them equal).
EDITORS_LINKS = {"editing.md": "Editing this guide", "hosting.md": "Hosting this website"}
# The bundled font the pages share with the PDFs (generator/static/fonts/).
FONTS = (
    "atkinson-hyperlegible-latin-400-normal.woff",
    "atkinson-hyperlegible-latin-700-normal.woff",
)
# Where a service's logo is published (its file name is kept).
LOGO_FOLDER = "assets/brand/"

# Where other renderers put what the guide links to (see generator/render/site.py for who writes what).
LINKS = {
    "checker": "checker/index.md",
    "form": "referral-form.md",
    "guide_pdf": "downloads/one-minute-guide.pdf",
    "blank_form_pdf": "downloads/referral-form-blank.pdf",
    "form_schema": "forms/referral.schema.json",
    "openreferral": "openreferral/service.json",
    "form_rules": "forms/referral.rules.json",
    # Written by the MkDocs plugin once every page is rendered (it needs their inline scripts).
    "nginx_config": "hosting/nginx.conf",
}

# What each source file holds, for "Editing this guide". Files not listed here are still shown.
SOURCE_ROLES = {
    "content/service.yaml": "the service's name, area and language, the abbreviations the guide "
    "uses, and whom to contact",
    "content/eligibility.yaml": "who can be referred: the age limit, the named lists of answers "
    "and the referral criteria",
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
            "guide/index.md.j2",
            stylesheet=PAGE_STYLESHEETS["index.md"],
            facts=start_facts(project),
            to_root="",
            show_sources=context.preview,
            **values,
        ),
        "who-can-be-referred.md": render_template("guide/who-can-be-referred.md.j2", **values),
        "pathway.md": render_template(
            "guide/pathway.md.j2",
            diagram=one_block(render_pathway_svg(project.pathway)),
            print_diagram=one_block(
                render_pathway_svg(project.pathway, "pathway-print", PRINT_WIDTH)
            ),
            stylesheet=PAGE_STYLESHEETS["pathway.md"],
            to_root="../",
            **values,
        ),
        "how-to-refer.md": render_template(
            "guide/how-to-refer.md.j2",
            # The outcome every criterion met leads to; not a should criterion's (it is an exception).
            eligible_outcomes=[
                o for o in project.checker.outcomes if o.result == "eligible" and not o.criterion
            ],
            to_root="../",
            **values,
        ),
        "contact.md": render_template("guide/contact.md.j2", **values),
        "downloads.md": render_template("guide/downloads.md.j2", **values),
        "accessibility.md": render_template("guide/accessibility.md.j2", **values),
        "editing.md": render_template(
            "guide/editing.md.j2",
            sources=[(path, SOURCE_ROLES.get(path, "")) for path, _ in project.sources],
            change_pages=list(change_notes.PAGE_FILES),
            **values,
        ),
        "hosting.md": render_template("guide/hosting.md.j2", **values),
        "what-changed.md": render_template(
            "guide/what-changed.md.j2", changes=_changes(project), **values
        ),
    }
    files.update(_assets(project))
    return files


def _changes(project: Project) -> list[tuple]:
    """Each dated note, newest first: the note, its summary as HTML, and the pages it changed
    (the address from "What changed" and the page's title)."""
    return [
        (
            note,
            one_block(render_markdown(note.summary, to_root="../")),
            [
                (_from_a_page(path), _page_titles(project)[path])
                for path in change_notes.pages_of(note)
            ],
        )
        for note in change_notes.newest_first(project.guide.changes)
    ]


def _assets(project: Project) -> dict[str, str | bytes]:
    """What the pages load: the stylesheets, the header's script, the fonts and the logo."""
    files: dict[str, str | bytes] = {}
    files[STYLESHEET] = read_asset("css/guide.css") + _brand_css(project.service.brand_colour)
    files[HEADER_SCRIPT] = read_asset("js/header.js")
    for font in FONTS:  # guide.css names them as ../fonts/<file>
        files[f"assets/fonts/{font}"] = read_static_bytes(f"fonts/{font}")
    if project.service.logo is not None:
        files[LOGO_FOLDER + project.service.logo.path.rsplit("/", 1)[-1]] = (
            project.service.logo.data
        )
    for stylesheet in PAGE_STYLESHEETS.values():
        files[stylesheet] = read_asset(f"css/{stylesheet.rsplit('/', 1)[1]}")
    return files


def _from_a_page(path: str) -> str:
    """The address of a page from a page one folder down (`what-changed/`), in raw HTML, which the
    engines do not rewrite."""
    address = published_url(path.removesuffix(".md"))
    return "../" if address == "./" else "../" + address


def _page_titles(project: Project) -> dict[str, str]:
    """How "What changed" names the pages a note changed: each page's own title."""
    return {
        "index.md": project.guide.kind,
        "who-can-be-referred.md": "Who can be referred",
        "pathway.md": project.pathway.title,
        "how-to-refer.md": "How to refer",
        "checker/index.md": project.checker.title,
        "referral-form.md": project.form.title,
        "contact.md": "Contact",
        "downloads.md": "Downloads",
        "accessibility.md": "Accessibility statement",
    }


def _brand_css(colour: str | None) -> str:
    """The header's colour: the service's brand colour, or guide.css's neutral default."""
    if colour is None:
        return ""
    return f"\n/* The brand colour from content/service.yaml. */\n:root {{\n  --tr-brand: {colour};\n}}\n"


def theme_values(project: Project) -> dict:
    """What the theme's templates (generator/theme/partials/) show on every page, as `extra.tr`."""
    service, logo = project.service, project.service.logo
    return {
        "name": service.name,
        "short_name": service.short_name,  # on a phone's header
        "organisation": f"{service.part_of}, {service.area}",
        "logo": LOGO_FOLDER + logo.path.rsplit("/", 1)[-1] if logo else None,
        "logo_text": logo.text if logo else "",
        "editors_pages": [
            (title, path.removesuffix(".md") + "/") for path, title in EDITORS_LINKS.items()
        ],
    }


def arrange_nav(paths: list[str]) -> list[str]:
    """Order the navigation: the guide's front pages, other top-level pages, then the back pages.

    The editors' pages are left out: the footer of every page links to them.

    Only top-level pages and section index pages (`checker/index.md`) get a place; pages deeper in a
    section (a checker's answer pages, say) are reached from their section.
    """
    pages = [
        p
        for p in paths
        if p.endswith(".md")
        and (p.count("/") == 0 or (p.count("/") == 1 and p.endswith("/index.md")))
    ]
    middle = [p for p in pages if p not in FRONT_PAGES + BACK_PAGES + EDITORS_PAGES]
    return [p for p in FRONT_PAGES if p in pages] + middle + [p for p in BACK_PAGES if p in pages]


def render_nginx_config(headers: dict[str, str]) -> str:
    """An nginx server block serving the built site with these HTTP headers on every response."""
    return render_template("guide/nginx.conf.j2", headers=headers)
