"""`mkdocs build` and `mkdocs serve` through the generator's stages: a thin MkDocs adapter.

The work is done where `python -m generator build` does it: `site.generate_site` makes the docs
tree (handed to MkDocs as generated files), `publish.postbuild.finish_site` secures the pages and
writes the nginx sample, `publish.staging.StagedSite` swaps the site in. The sources load in
`on_config`, before MkDocs empties the site folder, so a mistake stops the build with every problem
listed and leaves the last good site (and, under `mkdocs serve`, the last good preview) in place.
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

from generator import pages, site
from generator.load import load_project
from generator.pdf_workers import PdfWorkers
from generator.problems import SourceError
from generator.publish import engines, postbuild
from generator.publish.preview import PreviewPdfs
from generator.publish.staging import StagedSite

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class GuideConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """The folder holding content/ and forms/ (default: the folder of mkdocs.yml)."""


class GuidePlugin(BasePlugin[GuideConfig]):
    """Add the guide's generated pages and files to a MkDocs build, and finish the built site."""

    def __init__(self) -> None:
        self._files: dict[str, str | bytes] = {}
        self._language = ""
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
            context = site.BuildContext(root, root / ".cache" / "generator", self._pdf_workers)
            self._files = site.generate_site(project, context)
        if self._serving:
            self._preview_pdfs.show_earlier_while_rendering(self._files, self._pdf_workers)
        self._stopped_before_writing = False
        if self._staging_wanted:
            staged = StagedSite(Path(config.site_dir))
            try:
                config.site_dir = str(staged.prepare())
                self._staged = staged
            except OSError as error:  # say, a read-only folder around a writable site folder
                log.warning(
                    f"Building straight into {staged.site_dir}: there is no room beside it for "
                    f"a staging folder ({error.strerror or error}), so a failed build may leave "
                    "it half written."
                )
        # Material writes the name into attributes unescaped: it goes in as escaped Markup.
        config.site_name = escape(project.service.name)
        self._language = project.service.language
        for folder in ("content", "forms"):
            if (root / folder).is_dir() and str(root / folder) not in config.watch:
                config.watch.append(str(root / folder))
        if pages.STYLESHEET in self._files and pages.STYLESHEET not in config.extra_css:
            config.extra_css.append(pages.STYLESHEET)
        if config.nav is None:  # a nav written in mkdocs.yml wins
            config.nav = pages.arrange_nav(list(self._files))
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
        site_dir = Path(config.site_dir)
        shown_as = self._staged.site_dir.name if self._staged else site_dir.name
        with _reported_for_people():
            postbuild.finish_site(
                site_dir,
                language=self._language,
                site_url=config.site_url or "",
                preview=self._serving,
                shown_as=shown_as,
            )
            workers, self._pdf_workers = self._pdf_workers, None
            if workers is not None and self._serving:
                self._preview_pdfs.deliver(workers, site_dir)
            elif workers is not None:
                workers.write_into(site_dir)
        if self._staged is not None:
            # Not swapped in yet: in strict mode MkDocs counts the warnings only after this event.
            self._staged.finished = True

    def on_build_error(self, *, error: Exception) -> None:
        if self._pdf_workers is not None:
            self._pdf_workers.abandon()
            self._pdf_workers = None
        if self._staged is not None:
            self._staged.discard()
            self._staged = None

    def on_shutdown(self) -> None:
        if self._staged is not None:
            staged, self._staged = self._staged, None
            if staged.finished:
                staged.publish()
            else:  # the build never finished (an interruption MkDocs did not report as an error)
                staged.discard()

    def on_serve(self, server, *, config, builder):
        """Keep the last good preview up while the sources have a mistake (MkDocs' own server
        stops answering after a failed rebuild; ours has left the site folder untouched)."""

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
    except SourceError as error:
        raise PluginError(error.report()) from None
    except Exception as error:  # an editor must never be handed a traceback
        log.debug("The generator failed", exc_info=True)  # shown by `mkdocs build --verbose`
        raise PluginError(
            "Something went wrong inside the generator; this is a bug, not a mistake in your "
            f"files.\nPlease report it with this line: {type(error).__name__}: {error}"
        ) from None
