"""Turn print HTML into a tagged PDF with WeasyPrint, fetching only the package's own files.

HTML + stylesheets from static/pdf/ -> PDF/UA-1 bytes on A4 in the bundled font. The URL fetcher
reads file: URLs inside the static folder and nothing else, so editors' text can make WeasyPrint
fetch nothing; `fingerprint_renderer` names everything besides the HTML that decides a PDF, for
pdf_site's cache.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

# What WeasyPrint is asked for; part of the cache key, so changing an option re-renders.
WRITE_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}


class PdfError(Exception):
    """A PDF could not be made; the message says why in plain words."""


def static_folder() -> Path:
    """The package's static folder on disk: the only place a PDF may fetch from."""
    # Not importlib.resources: WeasyPrint reads file: URLs, so what is needed is a folder of real
    # files, and the package keeps it next to this module.
    folder = Path(__file__).resolve().parent.parent / "static"
    if not folder.is_dir():
        raise PdfError(f"the generator's static folder is missing: {folder}")
    return folder


def static_assets() -> list[Path]:
    """The files a PDF may read besides its HTML: the stylesheets and the bundled fonts."""
    folder = static_folder()
    found = [p for sub in ("pdf", "fonts") for p in sorted((folder / sub).iterdir()) if p.is_file()]
    return [p for p in found if p.suffix in {".css", ".woff", ".woff2", ".ttf", ".otf"}]


def fingerprint_renderer() -> str:
    """A hash of all but the HTML that decides a PDF: assets, write options, library versions."""
    # From the installed packages' metadata, not by importing them: importing WeasyPrint takes
    # over half a second, which a build whose PDFs render in other processes need not spend.
    from importlib.metadata import version

    digest = hashlib.sha256()
    versions = (
        f"weasyprint {version('weasyprint')} pikepdf {version('pikepdf')} pydyf {version('pydyf')}"
    )
    digest.update(f"{versions}\n{sorted(WRITE_OPTIONS.items())}\n".encode())
    folder = static_folder()
    for path in static_assets():
        digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Fetch file: URLs inside the static folder only: no network, no other files."""

        def __init__(self, folder: Path):
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
            self._folder = folder

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not path.is_relative_to(self._folder):
                    raise ValueError(f"only files in {self._folder} may be used: {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


def convert_html_to_pdf(html: str, stylesheets: tuple[str, ...]) -> bytes:
    """HTML + stylesheets from static/pdf/ -> tagged PDF bytes, reading only the static folder."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    folder = static_folder()
    fetcher = _fetcher_class()(folder)
    fonts = FontConfiguration()
    base_url = folder.as_uri() + "/pdf/"
    started = time.perf_counter()
    try:
        css = [
            CSS(filename=str(folder / "pdf" / name), url_fetcher=fetcher, font_config=fonts)
            for name in stylesheets
        ]
        pdf = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
            stylesheets=css, font_config=fonts, **WRITE_OPTIONS
        )
    except FatalURLFetchingError as error:  # a BaseException: `except Exception` would miss it
        cause = error.__cause__ or error
        raise PdfError(f"the PDF refers to a file it may not read ({cause})") from None
    if WRITE_OPTIONS["pdf_forms"] and "<input" in html:
        pdf = repair_radio_groups(pdf)
    logger.debug("rendered a PDF of %d bytes in %.2f s", len(pdf), time.perf_counter() - started)
    return pdf


_RADIO_FLAG = 1 << 15


def repair_radio_groups(pdf: bytes) -> bytes:
    """Make each radio button a bare widget of its group, as the PDF standard has it.

    WeasyPrint 70 gives every button of a group its own name and lists it in the AcroForm beside the
    group, so readers see four fields called "gender.gender" next to the "gender" group. Taking
    the field keys off the buttons leaves one field per question; tags and appearances stay as
    they were.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        acroform = document.Root.get("/AcroForm")
        if acroform is None:
            return pdf
        buttons: set[tuple[int, int]] = set()
        for field in acroform.Fields:
            if field.get("/FT") != "/Btn" or not int(field.get("/Ff", 0)) & _RADIO_FLAG:
                continue
            for kid in field.get("/Kids", []):
                buttons.add(kid.objgen)
                for key in ("/T", "/TU", "/FT"):
                    if key in kid:
                        del kid[key]
        if not buttons:
            return pdf
        acroform.Fields = pikepdf.Array([f for f in acroform.Fields if f.objgen not in buttons])
        repaired = io.BytesIO()
        document.save(repaired, deterministic_id=True)
        return repaired.getvalue()
