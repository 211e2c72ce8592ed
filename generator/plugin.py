"""`mkdocs build` and `mkdocs serve` through the generator's stages: a thin MkDocs adapter.

`site.generate_site` makes the docs tree (handed to MkDocs as generated files), then
`publish.postbuild` finishes the pages and `publish.staging` swaps the site in. The sources load in
`on_config`, before MkDocs empties the site folder, so a mistake leaves the last good site.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from generator.publish import engines, pipeline, postbuild
from generator.publish.preview import PreviewPdfs
from generator.publish.staging import StagedSite
from generator.render import site
from generator.render.context import BuildContext
from generator.render.pdf_workers import PdfWorkers
from generator.render.print_links import print_base_url, print_link_notes
from generator.sources.load import load_project

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class GuideConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """The folder holding content/ and forms/ (default: the folder of mkdocs.yml)."""


class GuidePlugin(BasePlugin[GuideConfig]):
    """Add the guide's generated pages and files to a MkDocs build, and finish the built site."""

    def __init__(self) -> None:
        self._files: dict[str, str | bytes] = {}
        self._language = self._print_url = ""
        self._serving = self._staging_wanted = self._stopped_before_writing = False
        self._staged: StagedSite | None = None
        self._pdf_workers: PdfWorkers | None = None
        self._preview_pdfs = PreviewPdfs()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this one instance for every rebuild under `mkdocs serve`.
        self._serving = command == "serve"
        # Only a clean `mkdocs build` is staged: `serve` builds into a temporary folder of its
        # own, a dirty build means to keep the files already there, and `gh-deploy` is not ours.
        self._staging_wanted = command == "build" and not dirty

    def on_config(self, config):
        root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        self._stopped_before_writing = True  # until here, MkDocs has not touched the site folder
        with _reported_for_people():
            project = load_project(root)
            self._pdf_workers = PdfWorkers()  # PDFs render beside the pages; written at the end
            context = BuildContext(
                root, root / ".cache" / "generator", self._pdf_workers, preview=self._serving
            )
            self._files = site.generate_site(project, context)
        if self._serving:
            self._preview_pdfs.show_earlier_while_rendering(self._files, self._pdf_workers)
        self._stopped_before_writing = False
        if self._staging_wanted:
            self._staged = StagedSite.prepared_or_none(Path(config.site_dir))
            config.site_dir = str(self._staged.staging_dir if self._staged else config.site_dir)
        settings = engines.generated_settings(project, self._files, config.nav, config.extra_css)
        config.nav, config.extra_css[:] = settings["nav"], settings["extra_css"]
        # Material writes the name into attributes unescaped: it goes in as escaped Markup.
        config.site_name = escape(settings["site_name"])
        config.site_description = settings["site_description"]  # escaped already
        config.extra["tr"] = settings["theme_values"]  # the header and footer overrides read it
        self._language = project.service.language
        self._print_url = print_base_url(project)
        for note in print_link_notes(project):
            log.info(note[:1].upper() + note[1:])
        watched = [root / f for f in ("content", "forms") if (root / f).is_dir()]
        config.watch.extend(str(f) for f in watched if str(f) not in config.watch)
        return config

    def on_files(self, files, *, config):
        generated = {**self._files, postbuild.NGINX_CONFIG: postbuild.NGINX_STAND_IN}
        for path, content in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"docs/{path}: this file has the same name as a generated one; rename or "
                    "remove it (generated pages are never kept in docs/)"
                )
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_context(self, context, *, page, config, nav):
        engines.escape_page_meta(page)
        return context

    def on_post_build(self, *, config) -> None:
        site_dir, url = Path(config.site_dir), self._print_url or config.site_url or ""
        shown_as = (self._staged.site_dir if self._staged else site_dir).name
        with _reported_for_people():
            postbuild.finish_site(
                site_dir,
                language=self._language,
                site_url=url,
                preview=self._serving,
                shown_as=shown_as,
            )
            workers, self._pdf_workers = self._pdf_workers, None
            if workers is not None and self._serving:
                self._preview_pdfs.deliver(workers, site_dir, shown_as)
            elif workers is not None:
                postbuild.write_pdfs_in(workers, site_dir, shown_as)
        if self._staged is not None:
            # Not swapped in yet: in strict mode MkDocs counts the warnings only after this event.
            self._staged.finished = True

    def on_build_error(self, *, error: Exception) -> None:
        workers, staged, self._pdf_workers, self._staged = (
            self._pdf_workers,
            self._staged,
            None,
            None,
        )
        if workers is not None:
            workers.abandon()
        if staged is not None:
            staged.discard()

    def on_shutdown(self) -> None:
        if self._staged is not None:
            staged, self._staged = self._staged, None
            if staged.finished:
                staged.publish()
            else:  # the build never finished (an interruption MkDocs did not report as an error)
                staged.discard()

    def on_serve(self, server, *, config, builder):
        """Keep the last good preview up: MkDocs' server stops answering after a failed build."""

        def build_keeping_last_good_site(*args, **kwargs):
            try:
                builder(*args, **kwargs)
            except Abort:
                if not self._stopped_before_writing:
                    raise  # the site folder may be half written: MkDocs' own handling is right
                log.warning(
                    "The preview still shows the last version that built; fix the problems "
                    "above and save to update it."
                )

        server.builder = build_keeping_last_good_site
        return server


@contextmanager
def _reported_for_people():
    """Turn the generator's failures into a PluginError, which MkDocs prints without a traceback."""
    try:
        yield
    except Exception as error:  # an editor must never be handed a traceback
        log.debug("The generator failed", exc_info=True)  # shown by `mkdocs build --verbose`
        raise PluginError(pipeline.explain(error)) from None
