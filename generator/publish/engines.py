"""Build HTML from a plain docs tree with one of three engines: MkDocs, ProperDocs or Zensical.

The generator writes the whole docs tree (`write_docs_tree`) and an engine configuration derived
from the project's `mkdocs.yml` (`write_engine_config`: our plugin removed, the navigation, the
site's name and stylesheet filled in). Each engine then builds that tree into HTML and nothing
else; everything after that is ours (`postbuild`). MkDocs and ProperDocs run in this process;
Zensical, a Rust program, runs in a child process.

What an engine cannot do is said plainly (the notes `build_with` returns), never skipped in silence.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from generator.model import Project
from generator.render import pages
from generator.render.rendering import plain_text

ENGINES = ("mkdocs", "properdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
# The plugin entry point for `mkdocs build`; the engines here build the plain tree without it.
OUR_PLUGIN = "trusted-guide"
# The Markdown extensions MkDocs and ProperDocs always use, whatever mkdocs.yml lists.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
# Folders whose changes rebuild the live preview.
WATCHED = ("content", "forms", "docs")


class EngineError(Exception):
    """The engine could not build the tree; the message is for people."""


def write_docs_tree(root: Path, files: dict[str, str | bytes], docs_dir: Path) -> None:
    """Write the project's hand-written docs/ pages and every generated file into `docs_dir`.

    The theme's overrides (`theme.custom_dir`) stay out of the tree: Zensical ignores
    `exclude_docs` and would publish them as pages. `write_engine_config` places them beside it.
    """
    hand_written = root / "docs"
    overrides = _custom_dir(read_project_config(root), root)
    if hand_written.is_dir():
        shutil.copytree(
            hand_written,
            docs_dir,
            ignore=lambda folder, names: [
                name for name in names if overrides and Path(folder, name).resolve() == overrides
            ],
        )
    docs_dir.mkdir(parents=True, exist_ok=True)
    for path, content in files.items():
        target = docs_dir / path
        if target.exists():
            raise EngineError(
                f"docs/{path}: this file has the same name as a generated one; rename or remove "
                "it (generated pages are never kept in docs/)"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def prepare_files(files: dict[str, str | bytes], engine: str) -> dict[str, str | bytes]:
    """The generated files as `engine` needs them.

    Zensical's templates write the site's name and each page's front-matter title and description
    into the page without escaping them (MiniJinja's escaping is off there), so for Zensical they
    go in already escaped; the other engines get them escaped by `escape_page_meta`.
    """
    if engine != "zensical":
        return files
    return {
        path: _escape_front_matter(content)
        if path.endswith(".md") and isinstance(content, str)
        else content
        for path, content in files.items()
    }


def double_escape_repairs(
    files: dict[str, str | bytes], site_name: str, engine: str
) -> dict[str, str]:
    """{twice escaped: once escaped} for the texts `prepare_files` escaped for Zensical.

    The few places where Zensical's templates escape them (`| e`: the logo's title, the footer's
    labels) would show them escaped twice; the post-build stage puts those back.
    """
    if engine != "zensical":
        return {}
    texts = {site_name}
    for path, content in files.items():
        if path.endswith(".md") and isinstance(content, str):
            texts.update(_front_matter(content).values())
    return {
        str(escape(str(escape(text)))): str(escape(text))
        for text in texts
        if isinstance(text, str) and escape(str(escape(text))) != escape(text)
    }


def _front_matter(page: str) -> dict:
    if not page.startswith("---\n") or "\n---\n" not in page[3:]:
        return {}
    meta = yaml.safe_load(page[4:].split("\n---\n", 1)[0])
    return (
        {k: meta[k] for k in ("title", "description") if isinstance(meta.get(k), str)}
        if isinstance(meta, dict)
        else {}
    )


def _escape_front_matter(page: str) -> str:
    if not page.startswith("---\n") or "\n---\n" not in page[3:]:
        return page
    head, body = page[4:].split("\n---\n", 1)
    meta = yaml.safe_load(head)
    if not isinstance(meta, dict):
        return page
    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = str(escape(meta[key]))
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def read_project_config(root: Path) -> dict:
    """The project's mkdocs.yml as data, or EngineError in plain words."""
    path = root / "mkdocs.yml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise EngineError(f"{path}: cannot be read ({error.strerror or error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise EngineError(f"{where}: this is not YAML the engines can read") from None
    if not isinstance(config, dict):
        raise EngineError(f"{path}: should hold the site's settings, one per line")
    return config


def write_engine_config(
    root: Path, project: Project, files: dict[str, str | bytes], work_dir: Path, engine: str
) -> Path:
    """Write `work_dir/mkdocs.yml`: the project's settings for `engine` to build `work_dir/docs`."""
    config = read_project_config(root)
    if engine == "zensical":
        # MkDocs always adds these to the configured extensions; Zensical adds none of them, and
        # without fenced_code a ```text block becomes inline code.
        extensions = list(config.get("markdown_extensions") or [])
        named = {e if isinstance(e, str) else next(iter(e), None) for e in extensions}
        config["markdown_extensions"] = [
            *[e for e in MKDOCS_BUILTIN_EXTENSIONS if e not in named],
            *extensions,
        ]
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    settings = generated_settings(project, files, config.get("nav"), config.get("extra_css") or [])
    config["extra"] = {**(config.get("extra") or {}), "tr": settings.pop("theme_values")}
    config.update(settings)
    if engine == "zensical":  # see prepare_files
        config["site_name"] = str(escape(project.service.name))
    config["plugins"] = [p for p in config.get("plugins") or [] if _name(p) != OUR_PLUGIN]
    overrides = _custom_dir(config, root)
    if overrides is not None:
        shutil.copytree(overrides, work_dir / "overrides")
        config["theme"]["custom_dir"] = "overrides"
    config_file = work_dir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    return config_file


def generated_settings(
    project: Project, files: dict[str, str | bytes], nav: list | None, extra_css: list[str]
) -> dict:
    """The settings the generated site needs: its name, navigation and stylesheet."""
    extra_css = list(extra_css)
    if pages.STYLESHEET in files and pages.STYLESHEET not in extra_css:
        extra_css.append(pages.STYLESHEET)
    return {
        # Facts stay single-sourced: the site's name comes from content/service.yaml.
        "site_name": project.service.name,
        # The description of a page that has none of its own (the theme's 404 page): the guide's
        # summary. Escaped here: every engine's template writes it into an attribute as it is.
        "site_description": str(escape(plain_text(project.guide.summary))),
        # A nav written in mkdocs.yml wins.
        "nav": pages.arrange_nav(list(files)) if nav is None else nav,
        "extra_css": extra_css,
        # What the theme's header and footer overrides show (docs/overrides/partials/), as extra.tr.
        "theme_values": pages.theme_values(project),
    }


def _custom_dir(config: dict, root: Path) -> Path | None:
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        folder = (root / theme["custom_dir"]).resolve()
        if not folder.is_dir():
            raise EngineError(f"{root / 'mkdocs.yml'}: theme.custom_dir {folder} is not a folder")
        return folder
    return None


def _name(plugin) -> str:
    """A plugin's name as mkdocs.yml lists it: `search`, or `search: {options}`."""
    return plugin if isinstance(plugin, str) else str(next(iter(plugin), ""))


def build_with(engine: str, config_file: Path, *, site_name: str, strict: bool) -> list[str]:
    """Build the site the config file describes; return notes on what the engine cannot do."""
    plugins = [
        _name(p) for p in yaml.safe_load(config_file.read_text("utf-8")).get("plugins") or []
    ]
    if engine == "mkdocs":
        _build_in_process(engine, config_file, site_name=site_name, strict=strict)
        return []
    if engine == "properdocs":
        notes = _build_in_process(engine, config_file, site_name=site_name, strict=strict)
        if "search" in plugins:
            notes.append(
                "ProperDocs makes the search index with its own search plugin: Material's "
                "is written for MkDocs' classes and ProperDocs refuses it."
            )
        return notes
    if engine == "zensical":
        notes = _build_with_zensical(config_file, strict=strict)
        ignored = [p for p in plugins if p != "search"]
        if ignored:
            notes.append(
                f"Zensical ignores MkDocs plugins; these did not run: {', '.join(ignored)}."
            )
        return notes
    raise EngineError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")


def escape_page_meta(page) -> None:
    """Material writes page.meta title and description into attributes without escaping them."""
    for key in ("title", "description"):
        value = page.meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            page.meta[key] = escape(value)


class _EscapeMeta:
    """The one event our in-process builds add to MkDocs' and ProperDocs' own."""

    def on_page_context(self, context, *, page, config, nav):
        escape_page_meta(page)
        return context


def _build_in_process(engine: str, config_file: Path, *, site_name: str, strict: bool) -> list[str]:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    try:
        config_module = importlib.import_module(f"{engine}.config")
        build_module = importlib.import_module(f"{engine}.commands.build")
        exceptions = importlib.import_module(f"{engine}.exceptions")
    except ImportError:
        raise EngineError(_not_installed(engine)) from None
    try:
        overrides, notes = {}, []
        plugins = yaml.safe_load(config_file.read_text(encoding="utf-8")).get("plugins") or []
        if engine == "properdocs":  # Material's plugins are refused there: see below
            overrides["plugins"] = [p for p in plugins if _name(p) != "search"]
            material = [_name(p) for p in plugins if _name(p).startswith("material/")]
            if material:
                overrides["plugins"] = [p for p in overrides["plugins"] if _name(p) not in material]
                notes.append(
                    "ProperDocs cannot run Material's plugins (written for MkDocs); these did "
                    f"not run: {', '.join(material)}."
                )
        config = config_module.load_config(config_file=str(config_file), strict=strict, **overrides)
        if engine == "properdocs" and "search" in map(_name, plugins):
            _use_properdocs_search(config, config_file)
        # Material writes the name into attributes without escaping it (aria-label="..."), so it
        # goes in as already-escaped Markup: escaped once everywhere, whether a template adds `| e`.
        config.site_name = escape(site_name)
        config.plugins["trusted-guide-escape-meta"] = _EscapeMeta()
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build_module.build(config)
        finally:
            config.plugins.on_shutdown()
    except (exceptions.Abort, exceptions.ConfigurationError) as error:
        raise EngineError(str(error)) from None
    return notes


def _use_properdocs_search(config, config_file: Path) -> None:
    """Under ProperDocs, Material's own search plugin (chosen for the theme's `search`) is refused:
    it is written for MkDocs' classes. ProperDocs' built-in search writes the index Material reads."""
    from properdocs.contrib.search import SearchPlugin

    # Material's theme has a search of its own in its bundle, which reads ProperDocs' index;
    # without this, ProperDocs would also add its own search script, which needs another theme.
    config.theme["search_index_only"] = True
    search = SearchPlugin()
    errors, _ = search.load_config({}, str(config_file))
    if errors:
        raise EngineError(f"ProperDocs' search could not be set up: {errors}")
    config.plugins["search"] = search


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# How Zensical reports a problem: "Warning: page does not exist" and a box naming "[ file:line:col ]".
_ZENSICAL_WARNING = re.compile(r"Warning: (?P<message>[^\n]+)\n\W*\[ (?P<where>\S+:\d+:\d+) \]")


def _build_with_zensical(config_file: Path, *, strict: bool) -> list[str]:
    """Build with Zensical. It has no strict mode of its own (`--strict` is ignored), but it
    reports the same kind of problems (links to missing pages) on stderr: they become notes, and
    with `strict` they stop the build, as they do with MkDocs."""
    if importlib.util.find_spec("zensical") is None:
        raise EngineError(_not_installed("zensical"))
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config_file)],
        cwd=config_file.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    output = _ANSI.sub("", result.stderr or "")
    site = config_file.parent / "site"
    if result.returncode != 0 or not (site / "index.html").is_file():
        raise EngineError(f"Zensical could not build the site:\n{output or result.stdout}")
    problems = [f"docs/{m['where']}: {m['message']}" for m in _ZENSICAL_WARNING.finditer(output)]
    if not problems and "Warning:" in output:  # a shape we do not know: shown as it came
        problems = [output.strip()]
    if strict and problems:
        raise EngineError(
            "Zensical found these problems, and --strict stops on them:\n" + "\n".join(problems)
        )
    return [f"Zensical warns: {problem}" for problem in problems]


def _not_installed(engine: str) -> str:
    extra = "" if engine == "mkdocs" else f"[{engine}]"
    return (
        f"the {engine} engine is not installed here; install it with "
        f"`pip install -e '.{extra}'` (or choose another --engine)"
    )
