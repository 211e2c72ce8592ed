"""Run the whole build: sources -> model -> docs tree -> engine -> post-build -> one swap.

`build_site` is what `python -m generator build` and `serve` run. It is the only writer of the
site folder: everything is made in `.site.building` and `.site.sources` beside it, and the site
folder is replaced only once every stage has succeeded, so any failure leaves the last site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.problems import SourceError
from generator.publish import csp, engines, postbuild
from generator.publish.staging import StagedSite
from generator.render import site
from generator.render.context import BuildContext
from generator.render.pdf_workers import PdfWorkers
from generator.render.print_links import print_base_url, print_link_notes
from generator.sources.load import load_project

BUG = (
    "Something went wrong inside the generator; this is a bug, not a mistake in your files.\n"
    "Please report it with this line: {kind}: {error}"
)


def explain(error: Exception) -> str:
    """What a failed build says to editors: located problems, the engine's words, or a bug line."""
    if isinstance(error, SourceError):
        return error.report()
    if isinstance(error, engines.EngineError):
        return f"The website was not built: {error}"
    return BUG.format(kind=type(error).__name__, error=error)


@dataclass(frozen=True)
class BuiltSite:
    """A site in place: where it is, how many pages it has and what the engine could not do."""

    site_dir: Path
    pages: int
    notes: list[str] = field(default_factory=list)


def build_site(
    root: Path,
    site_dir: Path,
    *,
    engine: str = engines.DEFAULT_ENGINE,
    strict: bool = False,
    preview: bool = False,
) -> BuiltSite:
    """Build the project at `root` with `engine` and swap it in at `site_dir`.

    Raises SourceError for mistakes in the sources (before anything is written), ForeignCodeError
    for code in a built page that we did not write, and EngineError when the engine fails.
    """
    project = load_project(root)
    staged = StagedSite(site_dir)
    staging = staged.prepare()
    workers = PdfWorkers()
    try:
        context = BuildContext(
            root=root, cache_dir=root / ".cache" / "generator", pdf_workers=workers, preview=preview
        )
        files = site.generate_site(project, context)
        files[postbuild.NGINX_CONFIG] = postbuild.NGINX_STAND_IN
        repairs = engines.double_escape_repairs(files, project.service.name, engine)
        files = engines.prepare_files(files, engine)
        staged.work_dir.mkdir()
        engines.write_docs_tree(root, files, staged.work_dir / "docs")
        config_file = engines.write_engine_config(root, project, files, staged.work_dir, engine)
        notes = engines.build_with(
            engine, config_file, site_name=project.service.name, strict=strict
        )
        staging.rmdir()
        os.replace(staged.work_dir / "site", staging)
        finished = postbuild.finish_site(
            staging,
            language=project.service.language,
            # Printed links in full from content/service.yaml's site_url (render/print_links.py).
            site_url=print_base_url(project)
            or str(engines.read_project_config(root).get("site_url") or ""),
            shown_as=staged.site_dir.name,
            repairs=repairs,
            style_hashes=csp.KNOWN_INLINE_STYLES.get(engine, ()),
        )
        postbuild.write_pdfs_in(workers, staging, staged.site_dir.name)
    except BaseException:
        workers.abandon()
        staged.discard()
        raise
    staged.publish()
    return BuiltSite(staged.site_dir, finished.pages, [*notes, *print_link_notes(project)])
