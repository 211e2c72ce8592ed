"""Write what an engine builds from: the plain docs tree, its theme folder and its mkdocs.yml.

The engine's configuration is the project's `mkdocs.yml` with our plugin removed and the generated
site's settings filled in (its name, navigation, stylesheet and what the theme shows, `extra.tr`).
The theme's templates come from the package (`generator/theme/`); a project's own `theme.custom_dir`
wins over them, file by file, as MkDocs' own custom_dir wins over the theme.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import yaml
from markupsafe import escape

from generator.model import Project
from generator.publish.engines.base import Engine, EngineError, plugin_name
from generator.render import pages
from generator.render.rendering import plain_text

# The plugin entry point for `mkdocs build`; the engines here build the plain tree without it.
OUR_PLUGIN = "trusted-guide"
# Folders whose changes rebuild the live preview, besides mkdocs.yml.
WATCHED = ("content", "forms", "docs")
# Where the engine's configuration puts the theme folder, beside its docs folder.
THEME_FOLDER = "theme"


def package_theme() -> Path:
    """The package's theme templates: the header, search, footer and contents overrides."""
    return Path(str(resources.files("generator") / "theme"))


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


def custom_dir(config: dict, root: Path) -> Path | None:
    """The project's own theme overrides (`theme.custom_dir`), if mkdocs.yml names a folder."""
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        folder = (root / theme["custom_dir"]).resolve()
        if not folder.is_dir():
            raise EngineError(f"{root / 'mkdocs.yml'}: theme.custom_dir {folder} is not a folder")
        return folder
    return None


def write_docs_tree(root: Path, files: dict[str, str | bytes], docs_dir: Path) -> None:
    """Write the project's hand-written docs/ pages and every generated file into `docs_dir`.

    The project's theme overrides stay out of the tree, wherever they are: Zensical ignores
    `exclude_docs` and would publish them as pages.
    """
    hand_written = root / "docs"
    overrides = custom_dir(read_project_config(root), root)
    if hand_written.is_dir():
        shutil.copytree(
            hand_written,
            docs_dir,
            ignore=lambda folder, names: [
                name
                for name in names
                if name.startswith(".")  # .gitkeep and the like: no engine publishes them
                or (overrides and Path(folder, name).resolve() == overrides)
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


def generated_settings(
    project: Project,
    files: dict[str, str | bytes],
    *,
    nav: list | None,
    extra_css: list[str],
    search_box: str,
) -> dict:
    """The settings the generated site needs: its name, navigation, stylesheet and what the
    theme's templates show (`theme_values`, given to them as `extra.tr`)."""
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
        # Added to mkdocs.yml's own (the theme's header needs it: partials/header.html).
        "extra_javascript": [pages.HEADER_SCRIPT] if pages.HEADER_SCRIPT in files else [],
        "theme_values": {**pages.theme_values(project), "search": search_box},
    }


def search_box(engine: Engine, plugins: list) -> str:
    """The search box the header shows: the engine's, when the configuration asks for search."""
    wanted = {plugin_name(p) for p in plugins} & {"search", "material/search"}
    return engine.search_box if wanted else ""


def write_engine_config(
    root: Path,
    project: Project,
    files: dict[str, str | bytes],
    work_dir: Path,
    engine: Engine,
    extra_javascript: list[str] = (),
) -> tuple[Path, list[str]]:
    """Write `work_dir/mkdocs.yml` and its theme folder, for `engine` to build `work_dir/docs`;
    `extra_javascript` (addresses in the site) is loaded by every page besides mkdocs.yml's.

    Returns the configuration file and the engine's notes on what it will leave out."""
    config = read_project_config(root)
    overrides = custom_dir(config, root)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["plugins"] = [p for p in config.get("plugins") or [] if plugin_name(p) != OUR_PLUGIN]
    settings = generated_settings(
        project,
        files,
        nav=config.get("nav"),
        extra_css=config.get("extra_css") or [],
        search_box=search_box(engine, config["plugins"]),
    )
    config["extra"] = {**(config.get("extra") or {}), "tr": settings.pop("theme_values")}
    scripts = [*settings.pop("extra_javascript"), *extra_javascript]
    config.update(settings)
    if scripts:
        config["extra_javascript"] = [*(config.get("extra_javascript") or []), *scripts]
    theme = config.get("theme") or {"name": "material"}
    config["theme"] = {"name": theme} if isinstance(theme, str) else theme
    write_theme_folder(work_dir / THEME_FOLDER, overrides)
    config["theme"]["custom_dir"] = THEME_FOLDER
    notes = engine.configure(config, site_name=project.service.name)
    config_file = work_dir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    return config_file, notes


def write_theme_folder(folder: Path, overrides: Path | None) -> None:
    """The package's theme templates, with the project's own overrides copied over them."""
    shutil.copytree(package_theme(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    if overrides is not None:
        shutil.copytree(overrides, folder, dirs_exist_ok=True)
