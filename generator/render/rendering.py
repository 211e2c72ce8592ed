"""What every renderer shares: the package's Jinja templates and static files, British dates, and
raw HTML kept as one Markdown block. Renderers import from here rather than keeping copies."""

from __future__ import annotations

import datetime
import re
from functools import cache
from importlib import resources

import jinja2
import minify
from markupsafe import Markup

from generator.render.bundle import bundle_modules
from generator.sources.facts import join_words
from generator.text.escaping import escape_markdown
from generator.text.markup import render_markdown

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(value: str | datetime.date) -> str:
    """'2026-11-26' -> '26 November 2026', '2026-11' -> 'November 2026', '2026' -> '2026'.

    Anything else is shown as written: a filled referral shows what its file says."""
    if isinstance(value, datetime.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    parts = str(value).split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(parts) == 3:
            return format_date(datetime.date(*numbers))
        if len(parts) == 2 and 1 <= numbers[1] <= 12:
            return f"{MONTHS[numbers[1] - 1]} {numbers[0]}"
    except ValueError:
        pass
    return str(value)


def read_static(relative: str) -> str:
    """Read a file from generator/static/ (installed with the package)."""
    return resources.files("generator").joinpath("static", relative).read_text(encoding="utf-8")


def read_static_bytes(relative: str) -> bytes:
    """Read a binary file (a font, say) from generator/static/."""
    return resources.files("generator").joinpath("static", relative).read_bytes()


# What each kind of asset is to the minifier.
_MEDIA_TYPES = {".js": "application/javascript", ".css": "text/css"}


def read_asset(relative: str) -> str:
    """A script or stylesheet from generator/static/ as the site serves it: minified.

    The readable file (comments and all) stays the source; only the built site gets the small copy,
    made here in Python so that building never needs Node. Every renderer that writes our JS or CSS
    into the site calls this, so each is minified one way."""
    suffix = relative[relative.rfind(".") :]
    if suffix not in _MEDIA_TYPES:
        raise ValueError(f"{relative}: not a script or stylesheet (.js or .css)")
    _configure_minifier()
    return minify.string(_MEDIA_TYPES[suffix], read_static(relative))


def read_script_bundle(entry: str) -> str:
    """The script the site serves for an ES module in generator/static/ (`entry`, such as
    "js/form/main.mjs"): it and every module it imports as one classic script, minified as
    `read_asset` minifies a script, so names are shortened across all of them."""
    _configure_minifier()
    return minify.string(_MEDIA_TYPES[".js"], bundle_modules(entry, read_static))


@cache
def _configure_minifier() -> None:
    # The minifier may write no syntax newer than ES2020, what the scripts already need (checker.js
    # calls replaceChildren), so minifying never narrows the browsers that run them.
    minify.config({"js-version": 2020})


def plain_text(markdown: str) -> str:
    """Strip the little Markdown a summary uses (emphasis, links) for a page description."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def one_block(html: str) -> Markup:
    """Markdown ends a raw HTML block at a blank line; generated HTML must stay one block."""
    return Markup("\n".join(line for line in html.splitlines() if line.strip()))


def render_template(template_name: str, **values) -> str:
    """A template from generator/templates/, rendered with autoescaping, ending in one newline.

    A Markdown page (`*.md.j2`) escapes every value for Markdown as well as for HTML
    (`escape_markdown`); editors' Markdown goes in only through the `markdown` filter, sanitised."""
    environment = template_environment()
    if template_name.endswith(".md.j2"):
        environment = _markdown_page_environment()
    return environment.get_template(template_name).render(**values).strip() + "\n"


@cache
def _markdown_page_environment() -> jinja2.Environment:
    # The same templates, filters and settings; only what an interpolated value becomes differs.
    return template_environment().overlay(finalize=_finalize_for_markdown)


@jinja2.pass_eval_context
def _finalize_for_markdown(eval_context, value):
    if not eval_context.autoescape or isinstance(value, Markup) or value is None:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return escape_markdown(value)


@jinja2.pass_context
def _markdown_filter(context, text: str, target: str = "web") -> Markup:
    """Editors' Markdown, sanitised, as one raw HTML block. Links to pages lead from this page
    (the template's `to_root`) to the site's root."""
    return one_block(render_markdown(text, target, to_root=str(context.get("to_root", ""))))


@cache
def template_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md_text"] = escape_markdown
    environment.filters["markdown"] = _markdown_filter
    environment.filters["long_date"] = format_date
    environment.filters["plain_text"] = plain_text
    environment.filters["words"] = join_words  # ["a", "b", "c"] -> "a, b and c"
    return environment
