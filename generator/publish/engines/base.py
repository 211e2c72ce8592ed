"""What every engine is: a class saying what it needs, how it runs and what it cannot do.

An engine turns a plain docs tree (written by `publish.tree`) into HTML and nothing else; the
sources before it and the post-build stage after it are the generator's own. Each engine is one
module of this package holding one subclass of `Engine`; `engines.REGISTRY` lists them.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import ClassVar

from generator.publish import csp


class EngineError(Exception):
    """The engine could not build the tree; the message is for people."""


def plugin_name(plugin) -> str:
    """A plugin's name as mkdocs.yml lists it: `search`, or `search: {options}`."""
    return plugin if isinstance(plugin, str) else str(next(iter(plugin), ""))


class Engine:
    """One engine. Subclasses set the class attributes and override the steps that differ."""

    # How `--engine` names it, and how messages name it.
    name: ClassVar[str]
    title: ClassVar[str]
    # The module that must be importable for it to run, and the extra of our package that
    # installs it (None: a dependency of the package itself).
    module: ClassVar[str]
    extra: ClassVar[str | None] = None
    # Which search box the theme's header shows (generator/theme/partials/header.html):
    # "material" (Material's search form, driven by its bundle) or "zensical" (Zensical's dialog).
    search_box: ClassVar[str]
    # The inline scripts its theme writes, each recognised exactly (csp.scan_page), and the
    # hashes of the styles its own scripts put into pages (Chromium reports them when blocked).
    inline_scripts: ClassVar[dict[str, re.Pattern[str]]] = csp.THEME_INLINE_SCRIPTS
    inline_styles: ClassVar[tuple[str, ...]] = ()
    # What it cannot do that the other engines can: said at every build, and in the README.
    limitations: ClassVar[tuple[str, ...]] = ()

    def check_installed(self) -> None:
        """Raise EngineError, saying how to install it, if this engine is not installed here."""
        if importlib.util.find_spec(self.module) is None:
            extra = f"[{self.extra}]" if self.extra else ""
            raise EngineError(
                f"the {self.name} engine is not installed here; install it with "
                f"`pip install -e '.{extra}'` (or choose another --engine)"
            )

    def prepare_files(self, files: dict[str, str | bytes]) -> dict[str, str | bytes]:
        """The generated files as this engine needs them (by default, as they are)."""
        return files

    def repairs(self, files: dict[str, str | bytes], site_name: str) -> dict[str, str]:
        """{text: replacement} the post-build stage makes in every page (by default, none)."""
        return {}

    def configure(self, config: dict, *, site_name: str) -> list[str]:
        """Adjust the engine's configuration (mkdocs.yml as data) in place; return notes on
        anything configured that it will leave out."""
        return []

    def build(self, config_file: Path, *, site_name: str, strict: bool) -> list[str]:
        """Build `config_file`'s docs folder into the `site` folder beside it; return notes.

        Raises EngineError, in plain words, when the engine fails or (strict) warns."""
        raise NotImplementedError
