"""Zensical 0.0.60, the Material team's successor, run in a child process (its core is Rust).

It reads mkdocs.yml, ships Material's templates and has a search dialog of its own. It ignores
MkDocs plugins and its own `--strict`, and its templates do not escape page titles: each is
handled here (`configure`, `build`, `prepare_files`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import yaml
from markupsafe import escape

from generator.publish import csp
from generator.publish.engines.base import Engine, EngineError, plugin_name

# The Markdown extensions MkDocs and ProperDocs always use, whatever mkdocs.yml lists. Zensical
# adds none of them, and without fenced_code a ```text block becomes inline code.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")

# Zensical 0.0.60's first inline script: Material's storage scope, made to end in "/", and the
# platform's name on <html>.
ZENSICAL_STORAGE_SCOPE = re.compile(
    r"__md_scope=new URL\("
    + csp.ADDRESS
    + r",location\),"
    + re.escape(
        '__md_scope.pathname.endsWith("/")||(__md_scope=new URL(__md_scope.pathname+"/",'
        "location)),__md_hash=e=>[...e].reduce(((e,t)=>(e<<5)-e+t.charCodeAt(0)),0),__md_get="
        '(e,t=localStorage,_=__md_scope)=>JSON.parse(t.getItem(_.pathname+"."+e)),__md_set=(e,'
        't,_=localStorage,a=__md_scope)=>{try{_.setItem(a.pathname+"."+e,JSON.stringify(t))}'
        'catch(e){}},document.documentElement.setAttribute("data-platform",navigator.platform)'
    )
)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# How Zensical reports a problem: "Warning: page does not exist" and a box naming "[ file:line:col ]".
_WARNING = re.compile(r"Warning: (?P<message>[^\n]+)\n\W*\[ (?P<where>\S+:\d+:\d+) \]")


class ZensicalEngine(Engine):
    name = "zensical"
    title = "Zensical 0.0.60"
    module = "zensical"
    extra = "zensical"
    search_box = "zensical"
    inline_scripts: ClassVar[dict[str, re.Pattern[str]]] = {
        "Zensical's theme: the storage scope": ZENSICAL_STORAGE_SCOPE,
        **csp.THEME_INLINE_SCRIPTS,
    }
    # Its search dialog (a shadow root) carries one fixed stylesheet from its bundle, hashed as
    # Chromium reports it. The browser tests fail if a page logs a blocked style, so another
    # version's cannot slip past.
    inline_styles: ClassVar[tuple[str, ...]] = (
        "sha256-Nk5Tcy2HEO0+kTtBd2KP748H4Ox254jIzqewi9hsQuY=",
    )
    # What it cannot do: said at every Zensical build, tested in Chromium.
    limitations: ClassVar[tuple[str, ...]] = (
        (
            "Zensical's search dialog (its own script) falls short of WCAG 2.2 AA: its icon "
            "buttons have no names, its search field lacks aria-expanded and aria-controls, the "
            "page names in its results are grey at 3.4:1, its overlay label has an aria-label "
            "axe refuses, and while closed it leaves empty Tab stops at the end of every page. "
            "MkDocs and ProperDocs have none of these."
        ),
    )

    def prepare_files(self, files: dict[str, str | bytes]) -> dict[str, str | bytes]:
        """Zensical's templates write the site's name and each page's front-matter title and
        description into the page without escaping them (MiniJinja's escaping is off there), so
        they go in already escaped."""
        return {
            path: _escape_front_matter(content)
            if path.endswith(".md") and isinstance(content, str)
            else content
            for path, content in files.items()
        }

    def repairs(self, files: dict[str, str | bytes], site_name: str) -> dict[str, str]:
        """{twice escaped: once escaped} for the texts `prepare_files` escaped: the few places
        where Zensical's templates do escape them (`| e`: the logo's title, the footer's labels)
        would show them escaped twice."""
        texts = {site_name}
        for path, content in files.items():
            if path.endswith(".md") and isinstance(content, str):
                texts.update(_front_matter(content).values())
        return {
            str(escape(str(escape(text)))): str(escape(text))
            for text in texts
            if isinstance(text, str) and escape(str(escape(text))) != escape(text)
        }

    def configure(self, config: dict, *, site_name: str) -> list[str]:
        extensions = list(config.get("markdown_extensions") or [])
        named = {e if isinstance(e, str) else next(iter(e), None) for e in extensions}
        config["markdown_extensions"] = [
            *[e for e in MKDOCS_BUILTIN_EXTENSIONS if e not in named],
            *extensions,
        ]
        config["site_name"] = str(escape(site_name))  # see prepare_files
        # Its "classic" look is Material's, which our stylesheet (generator/static/css/) is for:
        # one look whichever engine builds the site. Its "modern" look has a light footer, say,
        # on which the footer's white links would not show.
        config["theme"].setdefault("variant", "classic")
        ignored = [plugin_name(p) for p in config.get("plugins") or []]
        ignored = [name for name in ignored if name != "search"]  # it has its own search
        if not ignored:
            return []
        return [f"Zensical ignores MkDocs plugins; these did not run: {', '.join(ignored)}."]

    def build(self, config_file: Path, *, site_name: str, strict: bool) -> list[str]:
        """It has no strict mode of its own (`--strict` is ignored), but it reports the same kind
        of problems (links to missing pages) on stderr: they become notes, and with `strict` they
        stop the build, as they do with MkDocs."""
        self.check_installed()
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
        problems = [f"docs/{m['where']}: {m['message']}" for m in _WARNING.finditer(output)]
        if not problems and "Warning:" in output:  # a shape we do not know: shown as it came
            problems = [output.strip()]
        if strict and problems:
            raise EngineError(
                "Zensical found these problems, and --strict stops on them:\n" + "\n".join(problems)
            )
        return [f"Zensical warns: {problem}" for problem in problems]


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
