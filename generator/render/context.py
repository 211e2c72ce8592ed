"""What renderers may need beyond the model: where the project is and where caches may live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for the annotation: pdf_workers hands renderings to pdf_site, which reads this context,
    # so importing it here for real would make a cycle.
    from generator.render.pdf_workers import PdfWorkers


@dataclass(frozen=True)
class BuildContext:
    """What renderers may need beyond the model: where the project is and where caches may live."""

    root: Path
    cache_dir: Path
    # Where PDFs render while the rest of the site is built;
    # without them, PDFs render in this process before generate_site returns.
    pdf_workers: PdfWorkers | None = None
    # Under `mkdocs serve`: pages show editors where their text comes from (generator/render/edit_links.py).
    preview: bool = False
