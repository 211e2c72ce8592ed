"""Under `mkdocs serve`: the pages reload at once and a changed PDF follows when it is ready.

While it renders, the preview shows the PDF before it (so no link leads to a stand-in); a slow
rendering never replaces a newer build's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.publish import postbuild, scan
from generator.render import pdf_site
from generator.render.pdf_workers import PdfWorkers, write_pdf


class PreviewPdfs:
    """The PDFs a live preview shows, kept from one rebuild to the next.

    `say(message)` is told when a PDF is written in after the pages (the preview's own log)."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self._shown: dict[str, bytes] = {}
        self._build_number = 0

    def show_earlier_while_rendering(self, files: dict, workers: PdfWorkers) -> None:
        self._build_number += 1
        rendering = set(workers.pending_paths)
        for path in rendering & self._shown.keys():
            files[path] = self._shown[path]
        for path in pdf_site.DOCUMENTS.keys() - rendering:
            self._shown[path] = files[path]

    def deliver(self, workers: PdfWorkers, site_dir: Path, shown_as: str = "site") -> None:
        """Write each PDF in when it is ready, judged first as every published file is; the pages
        need not wait for one shown before."""
        if not set(workers.pending_paths) <= self._shown.keys():
            self._shown.update(postbuild.write_pdfs_in(workers, site_dir, shown_as))
            return
        build_number = self._build_number

        def write(site_path: str, content: bytes) -> None:
            if build_number != self._build_number:
                return  # a newer build has written its own; a slow rendering must not replace it
            problems = scan.scan_files({site_path: content}, shown_as)
            if problems:  # logged by the workers; the preview keeps the PDF it showed before
                raise postbuild.ForeignCodeError(problems)
            write_pdf(site_dir, site_path, content)
            self._shown[site_path] = content
            self._say(f"Updated {site_path} in the preview")

        workers.write_when_ready(write)
