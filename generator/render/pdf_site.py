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
from dataclasses import dataclass
from pathlib import Path

from generator.model import Project
from generator.problems import Location, Problem, SourceError
from generator.render import pdf
from generator.render.context import BuildContext

logger = logging.getLogger(__name__)

GUIDE_PATH = "downloads/one-minute-guide.pdf"
BLANK_FORM_PATH = "downloads/referral-form-blank.pdf"
CACHE_FOLDER = "pdf"
# What the site holds for a PDF still rendering elsewhere, until the build ends and it is written.
STAND_IN = b""

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


@dataclass(frozen=True)
class Rendering:
    """One PDF the site needs and the cache lacks: what to render and where to keep it."""

    site_path: str
    html: str
    stylesheets: tuple[str, ...]
    cached: Path
    source: Location  # where the PDF's text comes from, for a message if it cannot be made


def plan_renderings(
    project: Project, context: BuildContext
) -> tuple[dict[str, bytes], list[Rendering]]:
    """The PDFs the cache already holds (site path -> bytes) and the ones still to render."""
    folder = Path(context.cache_dir) / CACHE_FOLDER
    renderer = pdf.fingerprint_renderer()
    reused: dict[str, bytes] = {}
    renderings: list[Rendering] = []
    for site_path, (build_html, stylesheets, source_of) in DOCUMENTS.items():
        html = build_html(project)
        cached = folder / f"{Path(site_path).stem}-{cache_key(html, stylesheets, renderer)}.pdf"
        try:
            reused[site_path] = cached.read_bytes()
            logger.info("Reused %s from the cache: nothing it shows has changed", site_path)
        except OSError:
            renderings.append(Rendering(site_path, html, stylesheets, cached, source_of(project)))
    return reused, renderings


def render(rendering: Rendering) -> tuple[bytes, float]:
    """Render one PDF (in this process or a worker): its bytes and the seconds it took."""
    started = time.perf_counter()
    content = pdf.convert_html_to_pdf(rendering.html, rendering.stylesheets)
    return content, time.perf_counter() - started


def keep(rendering: Rendering, content: bytes, seconds: float) -> None:
    """Log a finished rendering and keep it in the cache for the next build."""
    logger.info("Rendered %s in %.2f s", rendering.site_path, seconds)
    _store(rendering.cached.parent, Path(rendering.site_path).stem, rendering.cached, content)


def source_error(rendering: Rendering, error: pdf.PdfError) -> SourceError:
    """A PDF that cannot be made, reported where the editors can act on it."""
    # Most likely an image in the editors' Markdown.
    return SourceError(
        [
            Problem(
                rendering.source,
                f"{rendering.site_path} cannot be made: {error}; "
                "a PDF may show only text and the pathway drawing",
            )
        ]
    )


def render_files(project: Project, context: BuildContext) -> dict[str, str | bytes]:
    """Every PDF of the site; with `context.pdf_workers`, stand-ins for those rendered elsewhere.

    The MkDocs plugin passes workers so that the PDFs render in other processes while MkDocs
    renders the pages; the workers write the real files into the site when the build ends.
    """
    reused, renderings = plan_renderings(project, context)
    files: dict[str, str | bytes] = dict(reused)
    if context.pdf_workers is not None:
        for rendering in renderings:
            context.pdf_workers.submit(rendering)
            files[rendering.site_path] = STAND_IN
        return files
    for rendering in renderings:
        try:
            content, seconds = render(rendering)
        except pdf.PdfError as error:
            raise source_error(rendering, error) from None
        keep(rendering, content, seconds)
        files[rendering.site_path] = content
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
