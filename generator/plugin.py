"""Adapt the site generator to MkDocs: load the sources, add the generated files, secure each page.

The work happens in `generator.site.generate_site`; this plugin only hands its files to MkDocs.
The sources are loaded in `on_config`, which MkDocs runs before it empties the site folder, so a
mistake in the YAML stops the build with every problem listed as `file:line:column: message` and
leaves the last good site (and, under `mkdocs serve`, the last good preview) in place.

`mkdocs build` (and `python -m generator build`) is also atomic for every later failure: the pages
are written into a staging folder beside the site folder, which replaces the site folder only once
the whole build has succeeded (see `StagedSite`). A render error, a strict-mode warning or an
interrupted build leaves the previous site exactly as it was.

Every page gets its Content-Security-Policy in a <meta> tag (`secure_html`); at the end of the build
the plugin also writes `hosting/nginx.conf`, a server block sending the same policy (allowing every
page's inline scripts) and the headers only a server can send (`http_headers`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from markupsafe import Markup, escape

from generator import pages, pdf_site, site
from generator.pdf_workers import PdfWorkers, write_pdf
from generator.load import load_project
from generator.model import Project
from generator.problems import SourceError

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

# Folders whose changes rebuild the preview under `mkdocs serve`.
WATCHED = ("content", "forms", "schemas")

# Every page's policy. Scripts: our own files plus the exact inline scripts of that page, by hash.
# Styles: our own files only; Material's markup sets no style attributes (checked by the tests).
# frame-ancestors is left out because browsers ignore it in a <meta> policy.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'{script_hashes}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)

# What a web server should send with every file; see "Hosting this website" (hosting.md.j2).
# frame-ancestors works only in a header, so only the header policy has it.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
NGINX_CONFIG = pages.LINKS["nginx_config"]

_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CHARSET_META = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html lang=\"[^\"]*\"")
_LINK = re.compile(r"<a\s([^>]*?)href=\"([^\"]*)\"")


class GuideConfig(Config):
    root = c.Optional(c.Dir(exists=True))
    """The folder holding content/, forms/ and schemas/ (default: the folder of mkdocs.yml)."""


class GuidePlugin(BasePlugin[GuideConfig]):
    """Add the guide's generated pages and files to a MkDocs build."""

    def __init__(self) -> None:
        self._files: dict[str, str | bytes] = {}
        self._language = ""
        self._serving = False
        self._staging_wanted = False
        self._staged: StagedSite | None = None
        self._stopped_before_writing = False
        self._script_hashes: set[str] = set()
        self._pdf_workers: PdfWorkers | None = None
        # Under `mkdocs serve`: the PDFs the preview shows, and which build is the newest.
        self._shown_pdfs: dict[str, bytes] = {}
        self._build_number = 0

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this one instance for every rebuild under `mkdocs serve`.
        self._serving = command == "serve"
        # Only a clean `mkdocs build` is staged: `serve` builds into a temporary folder of its
        # own, a dirty build means to keep the files already there, and `gh-deploy` is not ours.
        self._staging_wanted = command == "build" and not dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        # Until generation succeeds, a failure stops MkDocs before it empties the site folder.
        self._stopped_before_writing = True
        with _reported_for_people():
            project = load_project(root)
        # PDFs render in other processes while MkDocs builds the pages; on_post_build writes them.
        self._pdf_workers = PdfWorkers()
        self._files = _generate(project, root, self._pdf_workers, preview=self._serving)
        self._build_number += 1
        if self._serving:
            # While a changed PDF renders, the preview goes on showing the one before it.
            rendering = set(self._pdf_workers.pending_paths)
            for path in rendering & self._shown_pdfs.keys():
                self._files[path] = self._shown_pdfs[path]
            for path in pdf_site.DOCUMENTS.keys() - rendering:
                self._shown_pdfs[path] = self._files[path]
        self._stopped_before_writing = False
        self._script_hashes = set()
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
        # Facts stay single-sourced: the site's name and language come from content/service.yaml.
        # Material writes the name into attributes without escaping it (aria-label="..."), so it
        # goes in as already-escaped Markup: escaped once everywhere, whether a template adds `| e`.
        config.site_name = escape(project.service.name)
        config.extra["tr"] = pages.theme_values(project)  # the header and footer overrides read it
        self._language = project.service.language
        for folder in WATCHED:
            if (root / folder).is_dir() and str(root / folder) not in config.watch:
                config.watch.append(str(root / folder))
        if pages.STYLESHEET in self._files and pages.STYLESHEET not in config.extra_css:
            config.extra_css.append(pages.STYLESHEET)
        if config.nav is None:  # a nav written in mkdocs.yml wins
            config.nav = pages.arrange_nav(list(self._files))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path, content in self._files.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"docs/{path}: this file has the same name as a generated one; rename or "
                    "remove it (generated pages are never kept in docs/)"
                )
            files.append(File.generated(config, path, content=content))
        # A stand-in, so that links to the file resolve; on_post_build writes the real one.
        files.append(File.generated(config, NGINX_CONFIG, content="# Written by the build.\n"))
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return mark_print_urls(html, page.url, config.site_url or "")

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        # Material writes page.meta.description into <meta content="..."> without escaping it.
        for key in ("title", "description"):
            value = page.meta.get(key)
            if isinstance(value, str) and not isinstance(value, Markup):
                page.meta[key] = escape(value)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self._script_hashes |= inline_script_hashes(output)
        return secure_html(output, self._language, preview=self._serving)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if template_name.endswith(".html"):  # 404.html; not sitemap.xml
            self._script_hashes |= inline_script_hashes(output_content)
            return secure_html(output_content, self._language, preview=self._serving)
        return output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._pdf_workers is not None:
            workers, self._pdf_workers = self._pdf_workers, None
            site_dir = Path(config.site_dir)
            if self._serving and set(workers.pending_paths) <= self._shown_pdfs.keys():
                # The pages need not wait: each PDF replaces the earlier one when it is ready.
                workers.write_when_ready(self._preview_delivery(site_dir))
            else:
                with _reported_for_people():
                    written = workers.write_into(site_dir)
                if self._serving:
                    self._shown_pdfs.update(written)
        # The server's policy must allow every page's inline scripts: all the hashes seen.
        nginx_config = Path(config.site_dir) / NGINX_CONFIG
        nginx_config.parent.mkdir(parents=True, exist_ok=True)
        headers = http_headers(sorted(self._script_hashes))
        nginx_config.write_text(pages.render_nginx_config(headers), encoding="utf-8")
        if self._staged is not None:
            # Not swapped in yet: in strict mode MkDocs counts the warnings only after this event.
            self._staged.finished = True

    def _preview_delivery(self, site_dir: Path):
        build_number = self._build_number

        def deliver(site_path: str, content: bytes) -> None:
            if build_number != self._build_number:
                return  # a newer build has written its own; a slow rendering must not replace it
            write_pdf(site_dir, site_path, content)
            self._shown_pdfs[site_path] = content
            log.info(f"Updated {site_path} in the preview")

        return deliver

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

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """Keep the last good preview up while the sources have a mistake.

        MkDocs' own server stops answering after a failed rebuild ("The server will appear stuck
        until build errors are resolved"), so a reader who reloads sees nothing. A failed build
        here has already printed its problems and left the site folder untouched, so the server can
        go on serving that folder until the next good build replaces it.
        """

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


class StagedSite:
    """A build written beside the site folder, replacing it in one step once the build succeeded.

    The staging folder `.site.building` sits next to `site` (same parent, so the same file system)
    and MkDocs writes the whole build there. `publish` renames the old site away to
    `.site.previous`, renames the new one in and only then deletes the old one, so at every moment
    either the old site or the new one is complete at `site`. `discard` deletes the staging folder.
    A build killed halfway leaves these folders behind; the next build tidies them up (`prepare`).
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.resolve()
        self.staging_dir = self.site_dir.with_name(f".{self.site_dir.name}.building")
        self.previous_dir = self.site_dir.with_name(f".{self.site_dir.name}.previous")
        self.finished = False

    def prepare(self) -> Path:
        """Tidy up after an earlier interrupted build; return the empty staging folder."""
        if self.previous_dir.exists():
            if self.site_dir.exists():
                _remove(self.previous_dir)  # stopped after the new site was in place
            else:
                os.replace(self.previous_dir, self.site_dir)  # stopped between the two renames
        _remove(self.staging_dir)
        self.staging_dir.mkdir(parents=True)
        return self.staging_dir

    def publish(self) -> None:
        """Put the finished build in place of the site folder."""
        if self.site_dir.exists():
            try:
                os.replace(self.site_dir, self.previous_dir)
            except OSError:  # a mount point cannot be renamed: replace what is inside it instead
                self._replace_contents()
                return
        os.replace(self.staging_dir, self.site_dir)
        _remove(self.previous_dir)
        log.debug(f"The new site is in place at {self.site_dir}")

    def _replace_contents(self) -> None:
        # Not in one step, but only once the new site is complete: a failed build never gets here.
        for child in list(self.site_dir.iterdir()):
            _remove(child)
        for child in list(self.staging_dir.iterdir()):
            shutil.move(child, self.site_dir / child.name)
        _remove(self.staging_dir)

    def discard(self) -> None:
        """Delete a failed build; the site folder was never touched."""
        _remove(self.staging_dir)
        log.info(f"The site folder {self.site_dir} was left as it was.")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _generate(
    project: Project, root: Path, pdf_workers: PdfWorkers | None, preview: bool = False
) -> dict[str, str | bytes]:
    """Generate every file, or raise PluginError with a report for people."""
    with _reported_for_people():
        context = site.BuildContext(
            root=root,
            cache_dir=root / ".cache" / "generator",
            pdf_workers=pdf_workers,
            preview=preview,
        )
        return site.generate_site(project, context)


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


def secure_html(html: str, language: str = "", preview: bool = False) -> str:
    """Give a finished page its Content-Security-Policy, referrer policy and language.

    The policy allows each inline script of this very page by its SHA-256 hash (Material writes a
    few), so nothing else inline can run. It goes straight after <meta charset>, before any
    script, style or link, so it governs everything the page loads.

    `preview` is for `mkdocs serve` only: its live-reload script is injected inline into each
    response after the build, with a different value every time, so no hash can allow it. The
    preview's pages allow inline scripts instead; built pages never do.
    """
    policy = content_security_policy(
        sorted(inline_script_hashes(html)), unsafe_inline=preview
    )
    meta = (
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="referrer" content="no-referrer">'
    )
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    html = re.sub(r'<meta name="referrer"[^>]*>', "", html)
    charset = _CHARSET_META.search(html)
    if charset:
        html = html[: charset.end()] + meta + html[charset.end() :]
    else:
        html = re.sub(r"<head>", lambda m: m.group(0) + meta, html, count=1)
    if language:
        html = _HTML_LANG.sub(f'<html lang="{language}"', html, count=1)
    return html


def content_security_policy(script_hashes: list[str], unsafe_inline: bool = False) -> str:
    """The policy for pages whose inline scripts have these hashes (`sha256-...`)."""
    sources = " 'unsafe-inline'" if unsafe_inline else "".join(f" '{h}'" for h in script_hashes)
    return CONTENT_SECURITY_POLICY.format(script_hashes=sources)


def http_headers(script_hashes: list[str]) -> dict[str, str]:
    """The HTTP headers a web server should send with the site whose pages have these inline
    scripts: the pages' own policy (plus frame-ancestors, which works only as a header) and the
    headers no <meta> tag can give."""
    return {
        "Content-Security-Policy": content_security_policy(script_hashes)
        + "; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }


def inline_script_hashes(html: str) -> set[str]:
    """The `sha256-...` hash of each inline script of a page that a browser would run."""
    return {
        _script_hash(body)
        for attributes, body in _INLINE_SCRIPT.findall(html)
        if _is_inline_executable(attributes)
    }


def _is_inline_executable(attributes: str) -> bool:
    if re.search(r"\bsrc\s*=", attributes):
        return False
    kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]*)", attributes)
    return (kind.group(1).lower() if kind else "") in _EXECUTABLE_TYPES


def _script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def mark_print_urls(html: str, page_url: str, site_url: str = "") -> str:
    """Give each link to another page of the site a `data-print-url` for the print stylesheet.

    On paper a relative link such as `../pathway/` means nothing, so print shows the page's address
    from the site's root (or in full when `site_url` is set).
    """
    base = urljoin("/", page_url)

    def mark(match: re.Match) -> str:
        before, href = match.group(1), match.group(2)
        if (
            "data-print-url" in before
            or not href
            or href.startswith(("#", "mailto:", "tel:"))
            or re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.IGNORECASE)
        ):
            return match.group(0)
        target = urljoin(base, href)
        if site_url:
            target = urljoin(
                site_url if site_url.endswith("/") else site_url + "/", target.lstrip("/")
            )
        return f'<a {before}data-print-url="{target}" href="{href}"'

    return _LINK.sub(mark, html)
