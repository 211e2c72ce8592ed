"""Run the whole build: sources -> model -> docs tree -> engine -> post-build -> one swap.

`SiteBuild` is the one orchestrator: `build_site` (`python -m generator build`, and `serve`'s
rebuilds) runs all of it; the MkDocs plugin (`mkdocs build`, `mkdocs serve`) runs the same steps
around MkDocs' own, MkDocs being the engine there. A build is the only writer of its site folder:
everything is made in `.site.building` and `.site.sources` beside it, and the site folder is
replaced only once every stage has succeeded, so any failure leaves the last site.

Nothing here prints: a build returns what it did (`BuiltSite`, with its notes) or raises.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Project
from generator.problems import SourceError
from generator.publish import postbuild, tree
from generator.publish.engines import DEFAULT_ENGINE, Engine, EngineError, get_engine
from generator.publish.preview_pdfs import PreviewPdfs
from generator.publish.staging import StagedSite
from generator.render import openreferral, site
from generator.render.context import BuildContext
from generator.render.pdf_workers import PdfWorkers
from generator.render.print_links import print_base_url, print_link_notes
from generator.sources.load import load_project


def explain(error: Exception) -> str | None:
    """What a failed build says to editors: located problems or the engine's words.

    None when the failure is neither (a bug): the caller lets it go on to the command line,
    which reports it as one."""
    if isinstance(error, SourceError):
        return error.report()
    if isinstance(error, EngineError):
        return f"The website was not built: {error}"
    return None


@dataclass(frozen=True)
class BuiltSite:
    """A site in place: where it is, how many pages it has and what the engine could not do."""

    site_dir: Path
    pages: int
    notes: list[str] = field(default_factory=list)


class SiteBuild:
    """One build of the project at `root` into `site_dir`, step by step.

    `run` takes every step in order. The MkDocs plugin takes them one by one around MkDocs'
    build: `generate`, then (for a clean `mkdocs build`) `stage`, then `finish` on what MkDocs
    built, then `publish`, or `abandon` on a failure.
    """

    def __init__(
        self,
        root: Path,
        site_dir: Path,
        *,
        engine: Engine | str = DEFAULT_ENGINE,
        strict: bool = False,
        preview: bool = False,
        later_pdfs: PreviewPdfs | None = None,
        inline_injected: bool = False,
        extra_files: dict[str, str | bytes] | None = None,
        extra_javascript: list[str] | None = None,
    ) -> None:
        """`preview`: pages show editors where their text comes from. `later_pdfs`: a changed
        PDF is written in when ready, after the pages. `inline_injected`: the server injects an
        inline script of its own into every page (`mkdocs serve`'s live reload), so the pages
        must allow inline scripts. `extra_files` and `extra_javascript` (addresses in the site)
        are added to the generated ones (the live preview's reload script)."""
        self.root = root
        self.engine = get_engine(engine) if isinstance(engine, str) else engine
        self.strict, self.preview, self.inline_injected = strict, preview, inline_injected
        self.extra_files = dict(extra_files or {})
        self.extra_javascript = list(extra_javascript or [])
        self.staged = StagedSite(site_dir)
        self.project: Project | None = None
        self.files: dict[str, str | bytes] = {}
        # What the engine cannot do, then what it left out of this build.
        self.notes: list[str] = list(self.engine.limitations)
        self.finished = False
        self._later_pdfs = later_pdfs  # under a live preview: PDFs written in when ready
        self._workers: PdfWorkers | None = None
        self._repairs: dict[str, str] = {}

    def generate(self) -> dict[str, str | bytes]:
        """Load the sources and generate every file of the site; the PDFs start rendering.

        Raises SourceError, listing every mistake in the sources, before anything is written."""
        self.project = load_project(self.root)
        self._workers = PdfWorkers()  # PDFs render beside the pages; written in by `finish`
        context = BuildContext(
            root=self.root,
            cache_dir=self.root / ".cache" / "generator",
            pdf_workers=self._workers,
            preview=self.preview,
        )
        files = site.generate_site(self.project, context)
        files[postbuild.NGINX_CONFIG] = postbuild.NGINX_STAND_IN
        files.update(self.extra_files)
        if self._later_pdfs is not None:
            self._later_pdfs.show_earlier_while_rendering(files, self._workers)
        self.files = files
        return files

    def settings(self, *, nav: list | None, extra_css: list[str], plugins: list) -> dict:
        """The engine settings the generated site needs (see `tree.generated_settings`)."""
        return tree.generated_settings(
            self.project,
            self.files,
            nav=nav,
            extra_css=extra_css,
            search_box=tree.search_box(self.engine, plugins),
        )

    def stage(self, *, required: bool = True) -> Path | None:
        """Prepare the staging folder the finished site is put together in, and return it.

        Not `required` (a `mkdocs build`): None, with a warning, when there is no room for it."""
        if required:
            return self.staged.prepare()
        staged = StagedSite.prepared_or_none(self.staged.site_dir)
        if staged is None:
            self.staged = None
            return None
        self.staged = staged
        return staged.staging_dir

    def run_engine(self) -> Path:
        """Write the docs tree and the engine's configuration beside the site folder, build
        them with the engine and return the staging folder holding the engine's HTML."""
        project, work_dir = self.project, self.staged.work_dir
        self._repairs = self.engine.repairs(self.files, project.service.name)
        files = self.engine.prepare_files(self.files)
        work_dir.mkdir()
        tree.write_docs_tree(self.root, files, work_dir / "docs")
        config_file, notes = tree.write_engine_config(
            self.root, project, files, work_dir, self.engine, self.extra_javascript
        )
        self.notes += notes
        self.notes += self.engine.build(
            config_file, site_name=project.service.name, strict=self.strict
        )
        staging = self.staged.staging_dir
        staging.rmdir()
        os.replace(work_dir / "site", staging)
        return staging

    def finish(self, built_dir: Path, *, site_url: str) -> postbuild.FinishedSite:
        """Secure every page the engine built in `built_dir` and write the PDFs in."""
        shown_as = (self.staged.site_dir if self.staged else built_dir).name
        finished = postbuild.finish_site(
            built_dir,
            language=self.project.service.language,
            site_url=site_url,
            inline_injected=self.inline_injected,
            shown_as=shown_as,
            repairs=self._repairs,
            inline_scripts=self.engine.inline_scripts,
            inline_styles=self.engine.inline_styles,
        )
        workers, self._workers = self._workers, None
        if workers is not None and self._later_pdfs is not None:
            self._later_pdfs.deliver(workers, built_dir, shown_as)
        elif workers is not None:
            postbuild.write_pdfs_in(workers, built_dir, shown_as)
        self.finished = True
        return finished

    def publish(self) -> None:
        """Swap the finished site in for the site folder (nothing to do if not staged)."""
        if self.staged is not None:
            self.staged.publish()

    def abandon(self) -> None:
        """Forget a failed build: its PDFs, its staging folders; the site folder is untouched."""
        workers, self._workers = self._workers, None
        if workers is not None:
            workers.abandon()
        if self.staged is not None:
            self.staged.discard()

    def run(self) -> BuiltSite:
        """Every step, in order. Raises SourceError for mistakes in the sources (before anything
        is written), ForeignCodeError for code in a built page that we did not write, and
        EngineError when the engine fails; the site folder is then as it was."""
        try:
            self.generate()
            self.engine.check_installed()
            self.stage()
            built = self.run_engine()
            finished = self.finish(built, site_url=self.site_url())
        except BaseException:
            self.abandon()
            raise
        self.publish()
        notes = [*self.notes, *self.source_notes()]
        return BuiltSite(self.staged.site_dir, finished.pages, notes)

    def source_notes(self) -> list[str]:
        """What the build says about the sources themselves, once per build: what they leave
        unsaid that a published file would need (the site's address, for now)."""
        return [*print_link_notes(self.project), *openreferral.record_notes(self.project)]

    def site_url(self) -> str:
        """Where printed links point: content/service.yaml's site_url (render/print_links.py),
        else mkdocs.yml's."""
        return print_base_url(self.project) or str(
            tree.read_project_config(self.root).get("site_url") or ""
        )


def build_site(
    root: Path,
    site_dir: Path,
    *,
    engine: str = DEFAULT_ENGINE,
    strict: bool = False,
    preview: bool = False,
) -> BuiltSite:
    """Build the project at `root` with `engine` and swap it in at `site_dir` (`SiteBuild.run`)."""
    return SiteBuild(root, site_dir, engine=engine, strict=strict, preview=preview).run()
