"""What renderers may need beyond the model: where the project is and where caches may live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class PdfQueue(Protocol):
    """Where a renderer hands a PDF to render in another process: `pdf_workers.PdfWorkers`.

    Named by what it does rather than imported, because the workers render through `pdf_site`,
    which reads this context: the context knows only that a PDF can be submitted."""

    def submit(self, rendering: object) -> None: ...


@dataclass(frozen=True)
class BuildContext:
    """What renderers may need beyond the model: where the project is and where caches may live."""

    root: Path
    cache_dir: Path
    # Where PDFs render while the rest of the site is built;
    # without them, PDFs render in this process before generate_site returns.
    pdf_workers: PdfQueue | None = None
    # Under `mkdocs serve`: pages show editors where their text comes from (render/edit_links.py).
    preview: bool = False
