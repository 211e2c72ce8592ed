"""The live preview, `python -m generator serve`: the published site's own build, rebuilt on change.

Each build is the pipeline's (`pipeline.SiteBuild`), into a folder of the preview's own, served
on 127.0.0.1 under the published policy: no inline script, no 'unsafe-inline'. Live reload is one
more script file in the pages, `reload-<build>.js` (generator/static/js/preview-reload.js): it asks
the server which build it serves (`/__preview/build`) and reloads the page once that is another.
A failed rebuild reports the editors' messages and leaves the last good preview up.

Nothing here prints: what the preview has to say goes to `say(message)`.
"""

from __future__ import annotations

import functools
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.publish import pipeline, tree
from generator.render.rendering import read_asset

POLL_SECONDS = 0.5
# Where the server says which build it serves, and the reload script each build's pages load.
BUILD_PATH = "/__preview/build"
RELOAD_SCRIPT = "assets/preview/reload-{build}.js"
KEEPS_LAST_GOOD = (
    "The preview still shows the last version that built; fix the problems above and save to "
    "update it."
)


def _sources_state(root: Path) -> dict[str, float]:
    state = {}
    for folder in tree.WATCHED:
        for path in (root / folder).rglob("*"):
            if path.is_file():
                state[str(path)] = path.stat().st_mtime
    config = root / "mkdocs.yml"
    if config.is_file():
        state[str(config)] = config.stat().st_mtime
    return state


class _Handler(SimpleHTTPRequestHandler):
    """The site's files, and which build they are at BUILD_PATH."""

    def __init__(self, *args, preview: Preview, **kwargs):
        self._preview = preview
        super().__init__(*args, **kwargs)

    def do_GET(self):
        if self.path.split("?", 1)[0] != BUILD_PATH:
            return super().do_GET()
        body = self._preview.served_build.encode("ascii")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
        return None

    def end_headers(self):
        # The preview changes under the same addresses: the browser must always ask again.
        if self.path.split("?", 1)[0] != BUILD_PATH:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        pass


class Preview:
    """A project's preview: its builds into `site_dir` and the number of the one served."""

    def __init__(
        self, root: Path, site_dir: Path, *, engine: str, say: Callable[[str], None]
    ) -> None:
        self.root, self.site_dir, self.engine, self.say = root, site_dir, engine, say
        self.served_build = "0"  # none yet
        self._builds = 0

    def rebuild(self) -> bool:
        """Build the site again; True if it built. A mistake in the sources or a page is said
        (`say`) and the last good site stays; a bug in the generator is raised."""
        self._builds += 1
        build_number = str(self._builds)
        script = RELOAD_SCRIPT.format(build=build_number)
        started = time.monotonic()
        build = pipeline.SiteBuild(
            self.root,
            self.site_dir,
            engine=self.engine,
            preview=True,
            extra_files={script: read_asset("js/preview-reload.js")},
            extra_javascript=[script],
        )
        try:
            built = build.run()
        except Exception as error:
            explained = pipeline.explain(error)
            if explained is None:
                raise  # a bug: the command line reports it
            self.say(explained)
            self.say(KEEPS_LAST_GOOD)
            return False
        self.served_build = build_number
        for note in built.notes:
            self.say(f"Note: {note}")
        self.say(f"Built {built.pages} pages in {time.monotonic() - started:.2f} s.")
        return True


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def _say_on_stderr(message: str) -> None:
    # Until the command hands in its own reporter: the preview's log is the terminal.
    sys.stderr.write(message + "\n")


def serve(
    root: Path,
    *,
    engine: str,
    port: int,
    host: str = "127.0.0.1",
    say: Callable[[str], None] | None = None,
) -> int:
    """Serve the preview until interrupted (Ctrl+C, or terminated); return the exit code."""
    say = say or _say_on_stderr
    signal.signal(signal.SIGTERM, _stop)  # so that the preview's folder is removed either way
    with tempfile.TemporaryDirectory(prefix="guide-preview-") as folder:
        site_dir = Path(folder) / "site"
        site_dir.mkdir()
        preview = Preview(root, site_dir, engine=engine, say=say)
        handler = functools.partial(_Handler, preview=preview, directory=str(site_dir))
        try:
            server = ThreadingHTTPServer((host, port), handler)
        except OSError as error:
            say(
                f"Cannot serve the preview on {host}:{port} ({error.strerror or error}); "
                "choose another port with --port."
            )
            return 1
        threading.Thread(target=server.serve_forever, daemon=True).start()
        say(f"Serving the preview on http://{host}:{server.server_port}/")
        state = _sources_state(root)
        try:
            preview.rebuild()
            while True:
                time.sleep(POLL_SECONDS)
                now = _sources_state(root)
                if now != state:
                    state = now
                    preview.rebuild()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            server.server_close()
    return 0
