"""Render the site's PDFs in other processes while MkDocs renders the pages; write them in later.

A PDF takes WeasyPrint half a second or more, about as long as MkDocs takes for all the pages, and
it is pure Python, so a thread would not help. `PdfWorkers.submit` hands a rendering to a pool of
processes as soon as the generator knows the PDF's HTML; `write_into` waits for the results when
MkDocs has finished, keeps them in the cache and writes them into the built site.

The pool starts with the first PDF to render and lives as long as the process, so under
`mkdocs serve` later rebuilds find the workers with WeasyPrint imported and its fonts loaded.
Workers are forked when the process has a single thread (a `mkdocs build`), which is quick and
inherits what is already imported; otherwise (the preview server's threads, a test runner's) they
come from a fork server, because forking a process with threads can copy a lock another thread
holds.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from generator.problems import SourceError
from generator.render import pdf, pdf_site

logger = logging.getLogger(__name__)

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def shared_pool() -> ProcessPoolExecutor:
    """The process's pool of PDF workers, started on first use (a build whose PDFs all come from
    the cache starts none)."""
    global _pool
    with _pool_lock:
        if _pool is None or getattr(_pool, "_broken", False):
            workers = max(1, min(len(pdf_site.DOCUMENTS), os.cpu_count() or 1))
            if threading.active_count() == 1:
                context = multiprocessing.get_context("fork")
            else:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["weasyprint", "generator.render.pdf"])
            _pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_prepare_worker)
        return _pool


def _prepare_worker() -> None:
    # Ctrl+C stops the preview server, which then stops the workers; left to themselves, they
    # would each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed outright (SIGTERM, SIGKILL) cannot stop its workers, which would wait for
    # work for ever; so each worker leaves once its parent has gone.
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def write_pdf(site_dir: Path, site_path: str, content: bytes) -> None:
    """Put a finished PDF where its stand-in is in the built site."""
    target = site_dir / site_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


class PdfWorkers:
    """The PDFs of one build, rendering in the shared pool until `write_into` collects them."""

    def __init__(self) -> None:
        self._pending: list[tuple[pdf_site.Rendering, Future]] = []

    def submit(self, rendering: pdf_site.Rendering) -> None:
        try:
            future = shared_pool().submit(pdf_site.render, rendering)
        except (OSError, ImportError, NotImplementedError) as error:
            # No working semaphores, no room for processes: render here, only more slowly.
            logger.info(
                "Rendering %s in this process: no worker processes (%s)", rendering.site_path, error
            )
            future = Future()
            try:
                future.set_result(pdf_site.render(rendering))
            except Exception as failure:  # noqa: BLE001 - raised again by write_into, as a worker's
                future.set_exception(failure)
        self._pending.append((rendering, future))

    def write_into(
        self, site_dir: Path, judge: Callable[[dict[str, bytes]], None] | None = None
    ) -> dict[str, bytes]:
        """Wait for every PDF of this build, keep it in the cache and write it into the site.

        Returns {site path: bytes} of what it wrote. Raises SourceError for a PDF the sources make
        impossible (as a rendering in this process would) and RuntimeError if a worker died.
        `judge` sees every PDF before any is written, and raises to keep them all out.
        """
        pending, self._pending = self._pending, []
        written: dict[str, bytes] = {}
        try:
            for rendering, future in pending:
                try:
                    content, seconds = future.result()
                except pdf.PdfError as error:
                    raise pdf_site.source_error(rendering, error) from None
                except BrokenProcessPool:
                    raise RuntimeError(
                        f"the process rendering {rendering.site_path} stopped unexpectedly "
                        "(out of memory?); build again to retry"
                    ) from None
                pdf_site.keep(rendering, content, seconds)
                written[rendering.site_path] = content
        finally:
            for _, future in pending:
                future.cancel()
        if judge is not None:
            judge(written)
        for site_path, content in written.items():
            write_pdf(site_dir, site_path, content)
        return written

    def write_when_ready(self, deliver: Callable[[str, bytes], None]) -> None:
        """Hand each PDF to `deliver(site path, bytes)` as soon as it is rendered, without waiting.

        For the preview: the pages reload at once and the PDFs follow. Each rendering is kept in
        the cache first; a failure is logged, located, as an error, since the build has ended.
        """
        pending, self._pending = self._pending, []
        for rendering, future in pending:
            future.add_done_callback(
                lambda done, rendering=rendering: self._deliver_finished(rendering, done, deliver)
            )

    @staticmethod
    def _deliver_finished(
        rendering: pdf_site.Rendering, done: Future, deliver: Callable[[str, bytes], None]
    ) -> None:
        if done.cancelled():
            return
        try:
            content, seconds = done.result()
            pdf_site.keep(rendering, content, seconds)
            deliver(rendering.site_path, content)
        except pdf.PdfError as error:
            logger.error(pdf_site.source_error(rendering, error).report())
        except SourceError as error:  # `deliver` refused it
            logger.error(error.report())
        except Exception as error:  # noqa: BLE001 - a callback's exception would go unseen
            logger.error(
                "%s could not be made: %s: %s", rendering.site_path, type(error).__name__, error
            )

    @property
    def pending_paths(self) -> list[str]:
        return [rendering.site_path for rendering, _ in self._pending]

    def abandon(self) -> None:
        """Forget this build's PDFs (the build failed): those not started are never rendered."""
        pending, self._pending = self._pending, []
        for _, future in pending:
            future.cancel()
