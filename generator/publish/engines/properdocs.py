"""ProperDocs 1.6.7, the maintained continuation of MkDocs 1.x, with Material's theme, in process.

Material's theme works; Material's plugins do not (they are written for MkDocs' classes and
ProperDocs refuses them), so ProperDocs' own search plugin writes the search index, and
`material_search_index` makes it the index Material's search box reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import escape

from generator.publish.engines.base import EngineError, plugin_name
from generator.publish.engines.mkdocs import MkDocsEngine, plugin_names

# What Material's search plugin writes into its index beside the language and the separator
# (its defaults, material/plugins/search/plugin.py), and its search box needs: without `fields` it
# stops at "Initializing search".
MATERIAL_INDEX_SETTINGS = {
    "pipeline": ["stopWordFilter"],
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}},
}
SEARCH_INDEX = "search/search_index.json"


class ProperDocsEngine(MkDocsEngine):
    name = "properdocs"
    title = "ProperDocs 1.6.7 with Material for MkDocs' theme"
    module = "properdocs"
    extra = "properdocs"

    def configure(self, config: dict, *, site_name: str) -> list[str]:
        names = plugin_names(config.get("plugins") or [])
        notes = []
        if "search" in names:
            notes.append(
                "ProperDocs makes the search index with its own search plugin: Material's "
                "is written for MkDocs' classes and ProperDocs refuses it."
            )
        material = [name for name in names if name.startswith("material/")]
        if material:
            notes.append(
                "ProperDocs cannot run Material's plugins (written for MkDocs); these did "
                f"not run: {', '.join(material)}."
            )
        return notes

    def build(self, config_file: Path, *, site_name: str, strict: bool) -> list[str]:
        notes = super().build(config_file, site_name=site_name, strict=strict)
        index = config_file.parent / "site" / SEARCH_INDEX
        if index.is_file():
            data = json.loads(index.read_text(encoding="utf-8"))
            index.write_text(json.dumps(material_search_index(data)), encoding="utf-8")
        return notes

    def load_overrides(self, plugins: list) -> dict:
        # Material's plugins are refused there, its search plugin (what `search` means with
        # Material's theme) included: set_up puts ProperDocs' own in its place.
        return {
            "plugins": [
                p
                for p in plugins
                if plugin_name(p) != "search" and not plugin_name(p).startswith("material/")
            ]
        }

    def set_up(self, config, config_file: Path, plugins: list) -> None:
        if "search" not in plugin_names(plugins):
            return
        from properdocs.contrib.search import SearchPlugin

        # Material's theme has a search of its own in its bundle, which reads ProperDocs' index;
        # without this, ProperDocs would also add its own search script, which needs another theme.
        config.theme["search_index_only"] = True
        search = SearchPlugin()
        errors, _ = search.load_config({}, str(config_file))
        if errors:
            raise EngineError(f"ProperDocs' search could not be set up: {errors}")
        config.plugins["search"] = search


def material_search_index(index: dict) -> dict:
    """ProperDocs' search index as Material's search box reads it: with Material's settings, and
    with each page's title and text as HTML. ProperDocs keeps them as plain text (a bare "&"),
    and Material's box shows them as HTML: plain text such as "<img src=x>" would become markup."""
    config = {**index.get("config", {}), **MATERIAL_INDEX_SETTINGS}
    docs = [
        {
            **doc,
            "title": str(escape(doc.get("title", ""))),
            "text": str(escape(doc.get("text", ""))),
        }
        for doc in index.get("docs", [])
    ]
    return {"config": config, "docs": docs}
