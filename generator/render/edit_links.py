"""Point editors from each page to the YAML it comes from: {site path: page} -> the same, annotated.

Every page whose main text is editors' text names the file and line it comes from (the model's
`where`). With `edit_url` in content/service.yaml, the page ends in an "Edit this page" link to that
line in the repository's web editor; without it, only the preview (`mkdocs serve`) shows a small
"Source: content/guide.yaml, line 19" note, for editors, and the published pages show nothing.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from generator.model import NOWHERE, Project
from generator.problems import Location
from generator.render.rendering import render_template

# What content/service.yaml's schema allows, checked again here: this address goes into every page.
_SAFE_EDIT_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]+)?/[^\s\"'<>\\`|^]*$")


def page_sources(project: Project) -> dict[str, Location]:
    """The place each page's main text comes from, by the page's site path."""
    checker, eligible = (
        project.checker,
        [o for o in project.checker.outcomes if o.result == "eligible"],
    )
    sources = {
        "index.md": project.guide.where,
        "who-can-be-referred.md": project.eligibility.criteria[0].where
        if project.eligibility.criteria
        else project.eligibility.where,
        "pathway.md": project.pathway.where,
        # Its steps are the eligible outcomes' words: the first of them is the page's main text.
        "how-to-refer.md": eligible[0].where if eligible else checker.where,
        "contact.md": project.service.contacts[0].where,
        "checker/index.md": checker.where,
        "referral-form.md": project.form.where,
    }
    for question in checker.questions:
        sources[f"checker/q/{question.id}.md"] = question.where
    for outcome in checker.outcomes:
        sources[f"checker/outcome/{outcome.id}.md"] = outcome.where
    return {page: where for page, where in sources.items() if where != NOWHERE and where.file}


def edit_address(edit_url: str, where: Location) -> str:
    """The web editor's address for a place in a source file, from the `edit_url` pattern."""
    address = edit_url.replace("{path}", quote(where.file)).replace("{line}", str(where.line or 1))
    if not _SAFE_EDIT_URL.match(address):
        raise ValueError(f"edit_url gives an address that is not a plain https:// one: {address!r}")
    return address


def add_source_links(
    files: dict[str, str | bytes], project: Project, preview: bool
) -> dict[str, str | bytes]:
    """Each page with editors' text, ending in its edit link (or, in the preview, its source)."""
    edit_url = project.service.edit_url
    if not edit_url and not preview:
        return files
    annotated = dict(files)
    for page, where in page_sources(project).items():
        if page not in files or not isinstance(files[page], str):
            continue
        note = render_template(
            "guide/_source.md.j2",
            where=where,
            edit_address=edit_address(edit_url, where) if edit_url else "",
        )
        annotated[page] = files[page].rstrip("\n") + "\n\n" + note
    return annotated
