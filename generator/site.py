"""Generate every file of the website from the model: Project -> {site path: text or bytes}.

Each renderer module exposes `render_files(project, context) -> dict[str, str | bytes]`. Paths are
relative to the site's docs root (Markdown pages end in `.md` and become pages; anything else is copied
as is). The MkDocs plugin and `python -m generator build` are thin adapters around `generate_site`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.edit_links import add_source_links
from generator.model import Project

if TYPE_CHECKING:  # only for the annotation: pdf_workers imports this module
    from generator.pdf_workers import PdfWorkers

# The renderers. Each owns the paths it returns. The PDFs come first: given workers, they render
# in other processes while the pages are generated; the others run in the order their pages appear.
RENDERERS = (
    "generator.pdf_site",
    "generator.pages",
    "generator.checker_site",
    "generator.form_site",
    "generator.openreferral",
)


@dataclass(frozen=True)
class BuildContext:
    """What renderers may need beyond the model: where the project is and where caches may live."""

    root: Path
    cache_dir: Path
    # Where PDFs render while the rest of the site is built;
    # without them, PDFs render in this process before generate_site returns.
    pdf_workers: PdfWorkers | None = None
    # Under `mkdocs serve`: pages show editors where their text comes from (generator/edit_links.py).
    preview: bool = False


def generate_site(project: Project, context: BuildContext) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for module_name in RENDERERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue  # TODO(lead): remove once every renderer exists
        for path, content in module.render_files(project, context).items():
            if path in files:
                raise ValueError(f"{module_name} and another renderer both write {path}")
            files[path] = content
    return add_source_links(files, project, context.preview)
