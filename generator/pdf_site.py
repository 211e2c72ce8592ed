"""Add the downloadable PDFs to the site: Project -> {downloads/*.pdf: bytes}, rendered on change.

Rendering a PDF takes about a second; building its HTML takes milliseconds. So each PDF is keyed by
a sha256 of its HTML (which holds every fact, label and drawing it shows, after the templates and
the Markdown have done their work) plus `pdf.fingerprint_renderer()` (the stylesheets, the font
files, the write options and the library versions). A rebuild whose key is already in
`context.cache_dir` reuses those bytes, so `mkdocs serve` stays quick when an edit touches nothing
a PDF shows. Each rendering is logged ("Rendered ..." or "Reused ... from the cache").
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator import pdf
from generator.model import Project
from generator.problems import Location, Problem, SourceError
from generator.site import BuildContext

logger = logging.getLogger(__name__)

GUIDE_PATH = "downloads/one-minute-guide.pdf"
BLANK_FORM_PATH = "downloads/referral-form-blank.pdf"
CACHE_FOLDER = "pdf"

# site path -> (how to build its HTML, its stylesheets, where its text comes from)
DOCUMENTS: dict[
    str, tuple[Callable[[Project], str], tuple[str, ...], Callable[[Project], Location]]
] = {
    GUIDE_PATH: (pdf.guide_html, pdf.STYLESHEETS["guide"], lambda project: project.guide.where),
    BLANK_FORM_PATH: (
        pdf.blank_form_html,
        pdf.STYLESHEETS["blank_form"],
        lambda project: project.form.where,
    ),
}


def cache_key(html: str, stylesheets: tuple[str, ...], renderer: str) -> str:
    """The sha256 naming one rendering: its HTML, stylesheets and the renderer's fingerprint."""
    digest = hashlib.sha256()
    for part in (renderer, "\n".join(stylesheets), html):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def render_files(project: Project, context: BuildContext) -> dict[str, str | bytes]:
    folder = Path(context.cache_dir) / CACHE_FOLDER
    renderer = pdf.fingerprint_renderer()
    files: dict[str, str | bytes] = {}
    for site_path, (build_html, stylesheets, source_of) in DOCUMENTS.items():
        html = build_html(project)
        key = cache_key(html, stylesheets, renderer)
        stem = Path(site_path).stem
        cached = folder / f"{stem}-{key}.pdf"
        try:
            files[site_path] = cached.read_bytes()
            logger.info("Reused %s from the cache: nothing it shows has changed", site_path)
            continue
        except OSError:
            pass
        started = time.perf_counter()
        try:
            files[site_path] = pdf.convert_html_to_pdf(html, stylesheets)
        except pdf.PdfError as error:
            # Most likely an image in the editors' Markdown: say so where they can act on it.
            raise SourceError(
                [
                    Problem(
                        source_of(project),
                        f"{site_path} cannot be made: {error}; "
                        "a PDF may show only text and the pathway drawing",
                    )
                ]
            ) from None
        logger.info("Rendered %s in %.2f s", site_path, time.perf_counter() - started)
        _store(folder, stem, cached, files[site_path])
    return files


def _is_key(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _store(folder: Path, stem: str, target: Path, content: bytes) -> None:
    """Keep this rendering (and drop older ones of the same file); a cache that fails only slows."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a build stopped halfway never leaves half a PDF to reuse.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{stem}-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)
        for old in folder.glob(f"{stem}-*.pdf"):
            if old != target and _is_key(old.name[len(stem) + 1 : -len(".pdf")]):
                old.unlink(missing_ok=True)
    except OSError as error:
        logger.warning(
            "Could not keep %s in the PDF cache (%s); it will be rendered again next time",
            target.name,
            error.strerror or error,
        )
