"""The live preview: `python -m generator serve`, and the PDFs of `mkdocs serve` that follow later.

`serve` builds the site with the generator's own pipeline into a folder of its own, serves it on
127.0.0.1 and rebuilds it whenever a source changes. A failed rebuild prints the editors' messages
and leaves the last good preview up. It injects no script into the pages, so the preview's pages
carry exactly the built site's policy.
"""

from __future__ import annotations

import functools
import signal
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.publish import engines, pipeline, postbuild, scan
from generator.render import pdf_site
from generator.render.pdf_workers import PdfWorkers, write_pdf

POLL_SECONDS = 0.5


class PreviewPdfs:
    """Under `mkdocs serve`: while a changed PDF renders, the preview shows the one before it."""

    def __init__(self) -> None:
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
            print(f"Updated {site_path} in the preview", file=sys.stderr)

        workers.write_when_ready(write)


def _sources_state(root: Path) -> dict[str, float]:
    state = {}
    for folder in engines.WATCHED:
        for path in (root / folder).rglob("*"):
            if path.is_file():
                state[str(path)] = path.stat().st_mtime
    config = root / "mkdocs.yml"
    if config.is_file():
        state[str(config)] = config.stat().st_mtime
    return state


def _build_once(root: Path, site_dir: Path, engine: str) -> bool:
    started = time.monotonic()
    try:
        built = pipeline.build_site(root, site_dir, engine=engine, preview=True)
    except Exception as error:  # noqa: BLE001 - the preview goes on; no traceback for editors
        print(pipeline.explain(error), file=sys.stderr)
        print(
            "The preview still shows the last version that built; fix the problems above and "
            "save to update it.",
            file=sys.stderr,
        )
        return False
    for note in built.notes:
        print(f"Note: {note}", file=sys.stderr)
    print(f"Built {built.pages} pages in {time.monotonic() - started:.2f} s.", file=sys.stderr)
    return True


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(root: Path, *, engine: str, port: int, host: str = "127.0.0.1") -> int:
    """Serve the preview until interrupted (Ctrl+C, or terminated); exit code 0."""
    signal.signal(signal.SIGTERM, _stop)  # so that the preview's folder is removed either way
    with tempfile.TemporaryDirectory(prefix="guide-preview-") as folder:
        site_dir = Path(folder) / "site"
        site_dir.mkdir()
        handler = functools.partial(_QuietHandler, directory=str(site_dir))
        try:
            server = ThreadingHTTPServer((host, port), handler)
        except OSError as error:
            print(
                f"Cannot serve the preview on {host}:{port} ({error.strerror or error}); "
                "choose another port with --port.",
                file=sys.stderr,
            )
            return 1
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Serving the preview on http://{host}:{server.server_port}/", file=sys.stderr)
        state = _sources_state(root)
        _build_once(root, site_dir, engine)
        try:
            while True:
                time.sleep(POLL_SECONDS)
                now = _sources_state(root)
                if now != state:
                    state = now
                    _build_once(root, site_dir, engine)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            server.server_close()
    return 0
