"""Generate every file of the website from the model: Project -> {site path: text or bytes}.

Each renderer module exposes `render_files(project, context) -> dict[str, str | bytes]`. Paths are
relative to the site's docs root (Markdown pages end in `.md` and become pages; anything else is copied
as is). The MkDocs plugin and `python -m generator build` are thin adapters around `generate_site`.
"""

from __future__ import annotations

from generator.model import Project
from generator.render import change_notes, checker_site, form_site, openreferral, pages, pdf_site
from generator.render.context import BuildContext
from generator.render.edit_links import add_source_links

# The renderers. Each owns the paths it returns. The PDFs come first: given workers, they render
# in other processes while the pages are generated; the others run in the order their pages appear.
RENDERERS = (pdf_site, pages, checker_site, form_site, openreferral)


def generate_site(project: Project, context: BuildContext) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for renderer in RENDERERS:
        for path, content in renderer.render_files(project, context).items():
            if path in files:
                raise ValueError(f"{renderer.__name__} and another renderer both write {path}")
            files[path] = content
    files = change_notes.add_last_changed(files, project)
    return add_source_links(files, project, context.preview)
