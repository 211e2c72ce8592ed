"""Measure the checker's answer-to-next-question time in Chromium and print the median.

Builds the site into a temporary folder, serves it on 127.0.0.1 and, in the page itself, times
each click on Continue (performance.now) until the next question's heading (or the outcome's) has
focus, and until the next frame after that. It walks the longest path through the checker again
and again until it has the samples asked for.

    .venv/bin/python bench/checker_step.py [--samples 50]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.rules.eligibility import compile_graph, enumerate_paths
from generator.sources.load import load_project

CHROMIUM_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--disable-gpu",
    "--disable-sync",
    "--disable-quic",
]

# Runs in the page: answer `path` question by question, timing each Continue. Resolves to
# [[ms until the new heading has focus, ms until the frame after], ...].
MEASURE_PATH = """
async (path) => {
  const nextFrame = () =>
    new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const samples = [];
  for (const [, option] of path) {
    const radio = document.querySelector(`[data-tr-view] input[type=radio][value="${option}"]`);
    radio.checked = true;
    let focusedAt = null;
    const onFocus = event => {
      if (/^H1$/.test(event.target.tagName) && focusedAt === null) focusedAt = performance.now();
    };
    document.addEventListener("focusin", onFocus);
    const start = performance.now();
    document.querySelector("[data-tr-view] button[type=submit]").click();
    await nextFrame();
    const painted = performance.now();
    document.removeEventListener("focusin", onFocus);
    if (focusedAt === null) throw new Error("no heading took focus after Continue");
    samples.push([focusedAt - start, painted - start]);
  }
  return samples;
}
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def build_site(site_dir: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{completed.stdout}{completed.stderr}")


def measure(samples_wanted: int) -> list[tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    graph = compile_graph(load_project(ROOT).checker)
    path = [
        list(step) for step in max(enumerate_paths(graph), key=lambda found: len(found.path)).path
    ]
    with tempfile.TemporaryDirectory() as folder:
        site_dir = Path(folder) / "site"
        build_site(site_dir)
        handler = functools.partial(_QuietHandler, directory=str(site_dir))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                    args=CHROMIUM_ARGS,
                )
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}/checker/", wait_until="load")
                page.wait_for_selector("[data-tr-checker][data-tr-ready]", state="attached")
                samples: list[tuple[float, float]] = []
                page.get_by_role("link", name="Start now").click()
                while len(samples) < samples_wanted:
                    samples += [tuple(s) for s in page.evaluate(MEASURE_PATH, path)]
                    # "Start again" leads straight back to the first question.
                    page.get_by_role("link", name="Start again").click()
                browser.close()
        finally:
            server.shutdown()
    return samples[:samples_wanted]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--samples", type=int, default=50, help="how many steps to time (default 50)"
    )
    args = parser.parse_args()
    samples = measure(args.samples)
    focus = [s[0] for s in samples]
    frame = [s[1] for s in samples]
    print(f"checker answer-to-next-question in Chromium, {len(samples)} steps:")
    print(
        f"  until the next heading has focus: median {statistics.median(focus):.2f} ms "
        f"(min {min(focus):.2f}, max {max(focus):.2f})"
    )
    print(
        f"  until the next frame:             median {statistics.median(frame):.2f} ms "
        f"(min {min(frame):.2f}, max {max(frame):.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
