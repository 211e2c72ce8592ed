"""MkDocs 1.6 with Material for MkDocs, run in this process: the default engine.

It builds exactly as `mkdocs build` would, with one event of ours added (`EscapeMeta`). ProperDocs,
MkDocs' maintained continuation, runs the same way (`properdocs.py` subclasses this).
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import ClassVar

import yaml
from markupsafe import Markup, escape

from generator.publish import csp
from generator.publish.engines.base import Engine, EngineError, plugin_name

# The first inline script of every page of Material for MkDocs 9.8: where it keeps its settings.
MATERIAL_STORAGE_SCOPE = re.compile(
    r"__md_scope=new URL\(" + csp.ADDRESS + r",location\),__md_hash=e=>\[\.\.\.e\]\.reduce\(\("
    r"\(e,_\)=>\(e<<5\)-e\+_\.charCodeAt\(0\)\),0\),__md_get=\(e,_=localStorage,t=__md_scope\)=>"
    r"JSON\.parse\(_\.getItem\(t\.pathname\+\"\.\"\+e\)\),__md_set=\(e,_,t=localStorage,"
    r"a=__md_scope\)=>\{try\{t\.setItem\(a\.pathname\+\"\.\"\+e,JSON\.stringify\(_\)\)\}"
    r"catch\(e\)\{\}\}"
)


def escape_page_meta(page) -> None:
    """Material writes page.meta title and description into attributes without escaping them."""
    for key in ("title", "description"):
        value = page.meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            page.meta[key] = escape(value)


class EscapeMeta:
    """The one event our in-process builds add to MkDocs' and ProperDocs' own."""

    def on_page_context(self, context, *, page, config, nav):
        escape_page_meta(page)
        return context


class MkDocsEngine(Engine):
    name = "mkdocs"
    title = "MkDocs 1.6 with Material for MkDocs"
    module = "mkdocs"
    search_box = "material"
    inline_scripts: ClassVar[dict[str, re.Pattern[str]]] = {
        "Material's theme: the storage scope": MATERIAL_STORAGE_SCOPE,
        **csp.THEME_INLINE_SCRIPTS,
    }

    def build(self, config_file: Path, *, site_name: str, strict: bool) -> list[str]:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
        self.check_installed()
        config_module = importlib.import_module(f"{self.module}.config")
        build_module = importlib.import_module(f"{self.module}.commands.build")
        exceptions = importlib.import_module(f"{self.module}.exceptions")
        plugins = yaml.safe_load(config_file.read_text(encoding="utf-8")).get("plugins") or []
        try:
            config = config_module.load_config(
                config_file=str(config_file), strict=strict, **self.load_overrides(plugins)
            )
            self.set_up(config, config_file, plugins)
            # Material writes the name into attributes without escaping it (aria-label="..."):
            # it goes in as already-escaped Markup, escaped once whether a template adds `| e`.
            config.site_name = escape(site_name)
            config.plugins["trusted-guide-escape-meta"] = EscapeMeta()
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build_module.build(config)
            finally:
                config.plugins.on_shutdown()
        except (exceptions.Abort, exceptions.ConfigurationError) as error:
            raise EngineError(str(error)) from None
        return []

    def load_overrides(self, plugins: list) -> dict:
        """Settings given to `load_config` over the configuration file's (by default, none)."""
        return {}

    def set_up(self, config, config_file: Path, plugins: list) -> None:
        """Change the loaded configuration before the build (by default, nothing)."""


def plugin_names(plugins: list) -> list[str]:
    return [plugin_name(p) for p in plugins]
