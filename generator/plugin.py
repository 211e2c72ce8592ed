"""`mkdocs build` and `mkdocs serve` through the generator's stages: a thin MkDocs adapter.

MkDocs is the engine here; everything else is `publish.pipeline.SiteBuild`, the orchestrator
`python -m generator build` runs too: `generate` in `on_config` (before MkDocs empties the site
folder, so a mistake leaves the last good site), the generated files in `on_files`, `finish` in
`on_post_build`, `publish` or `abandon` at the end.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from generator.publish import pipeline, tree
from generator.publish.engines.mkdocs import MkDocsEngine, escape_page_meta
from generator.publish.preview_pdfs import PreviewPdfs

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class GuideConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """The folder holding content/ and forms/ (default: the folder of mkdocs.yml)."""


class GuidePlugin(BasePlugin[GuideConfig]):
    """Add the guide's generated pages and files to a MkDocs build, and finish the built site."""

    def __init__(self) -> None:
        self._build: pipeline.SiteBuild | None = None
        self._serving = self._staging_wanted = self._stopped_before_writing = False
        self._preview_pdfs = PreviewPdfs(say=log.info)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this one instance for every rebuild under `mkdocs serve`.
        self._serving = command == "serve"
        # Only a clean `mkdocs build` is staged: `serve` builds into a temporary folder of its
        # own, a dirty build means to keep the files already there, and `gh-deploy` is not ours.
        self._staging_wanted = command == "build" and not dirty

    def on_config(self, config):
        root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        build = pipeline.SiteBuild(
            root,
            Path(config.site_dir),
            engine=MkDocsEngine(),
            preview=self._serving,
            later_pdfs=self._preview_pdfs if self._serving else None,
            inline_injected=self._serving,  # MkDocs' live-reload script, new in every response
        )
        self._stopped_before_writing = True  # until here, MkDocs has not touched the site folder
        with _reported_for_people():
            build.generate()
        self._stopped_before_writing = False
        staging = build.stage(required=False) if self._staging_wanted else None
        if staging is None:
            build.staged = None  # MkDocs writes straight into its site folder
        else:
            config.site_dir = str(staging)
        settings = build.settings(
            nav=config.nav, extra_css=config.extra_css, plugins=list(config.plugins)
        )
        config.nav, config.extra_css[:] = settings["nav"], settings["extra_css"]
        known = {str(script) for script in config.extra_javascript}
        config.extra_javascript.extend(
            ExtraScriptValue(path) for path in settings["extra_javascript"] if path not in known
        )
        # Material writes the name into attributes unescaped: it goes in as escaped Markup.
        config.site_name = escape(settings["site_name"])
        config.site_description = settings["site_description"]  # escaped already
        config.extra["tr"] = settings["theme_values"]  # what the theme's templates show
        theme = str(tree.package_theme())
        if theme not in config.theme.dirs:  # below the project's custom_dir, above the theme's
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme)
        for note in build.source_notes():
            log.info(note[:1].upper() + note[1:])
        watched = [root / f for f in ("content", "forms") if (root / f).is_dir()]
        config.watch.extend(str(f) for f in watched if str(f) not in config.watch)
        self._build = build
        return config

    def on_files(self, files, *, config):
        for path, content in self._build.files.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"docs/{path}: this file has the same name as a generated one; rename or "
                    "remove it (generated pages are never kept in docs/)"
                )
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_context(self, context, *, page, config, nav):
        escape_page_meta(page)
        return context

    def on_post_build(self, *, config) -> None:
        # Not swapped in yet: in strict mode MkDocs counts the warnings only after this event.
        with _reported_for_people():
            self._build.finish(Path(config.site_dir), site_url=self._build.site_url())

    def on_build_error(self, *, error: Exception) -> None:
        build, self._build = self._build, None
        if build is not None:
            build.abandon()

    def on_shutdown(self) -> None:
        build, self._build = self._build, None
        if build is None or build.staged is None:
            return
        if build.finished:
            build.publish()
        else:  # the build never finished (an interruption MkDocs did not report as an error)
            build.abandon()

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
    """Turn the generator's failures into a PluginError, which MkDocs prints without a traceback.

    A mistake in the sources or in a built page is reported as the command line reports it; any
    other failure is a bug in the generator, named by its type (`--verbose` shows the traceback)."""
    try:
        yield
    except Exception as error:  # an editor must never be handed a traceback
        log.debug("The generator failed", exc_info=True)  # shown by `mkdocs build --verbose`
        explained = pipeline.explain(error)
        if explained is None:
            explained = f"The generator failed inside: {type(error).__name__}: {error}"
        raise PluginError(explained) from None
