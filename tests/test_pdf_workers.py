"""PDFs rendered in worker processes while MkDocs builds the pages: a build writes the real PDFs
into the site, a PDF that cannot be made fails the build plainly and leaves the old site, and a
worker that dies is reported and replaced."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import BytesIO
from pathlib import Path

import pikepdf
import pypdf
import pytest

from generator.problems import Location, SourceError
from generator.render import pdf_site
from generator.render.pdf_workers import PdfWorkers, shared_pool
from generator.sources.load import load_project

# Fails every PDF as a disallowed file would; set before MkDocs starts, so forked workers have it.
EVERY_PDF_FAILS = """
import generator.render.pdf as pdf
def convert_html_to_pdf(html, stylesheets):
    raise pdf.PdfError("the PDF refers to a file it may not read (injected)")
pdf.convert_html_to_pdf = convert_html_to_pdf
"""


def _title(content: bytes) -> str:
    return pypdf.PdfReader(BytesIO(content)).metadata.title


def test_a_build_writes_the_pdfs_its_workers_rendered(project_copy, build_site):
    shutil.rmtree(project_copy / ".cache", ignore_errors=True)
    result = build_site(project_copy, project_copy / "site")
    assert result.ok, result.output
    project = load_project(project_copy)
    titles = {
        pdf_site.GUIDE_PATH: f"{project.guide.kind}: {project.guide.title} ({project.guide.year})",
        pdf_site.BLANK_FORM_PATH: f"{project.form.title}: blank form",
    }
    cache = project_copy / ".cache" / "generator" / pdf_site.CACHE_FOLDER
    for site_path, title in titles.items():
        written = (project_copy / "site" / site_path).read_bytes()
        assert written != pdf_site.STAND_IN, f"{site_path} is still the stand-in"
        assert _title(written) == title
        kept = list(cache.glob(f"{Path(site_path).stem}-*.pdf"))
        assert len(kept) == 1 and kept[0].read_bytes() == written, site_path


def test_a_pdf_that_cannot_be_made_fails_the_build_and_leaves_the_site(
    project_copy, build_site, folder_snapshot
):
    assert build_site(project_copy, project_copy / "site").ok
    before = folder_snapshot(project_copy / "site")
    shutil.rmtree(project_copy / ".cache")  # or the cached PDFs would be reused
    result = build_site(project_copy, project_copy / "site", prelude=EVERY_PDF_FAILS)
    assert result.returncode == 1, result.output
    assert "content/guide.yaml:" in result.output
    assert "one-minute-guide.pdf cannot be made: the PDF refers to a file" in result.output
    assert "Traceback" not in result.output
    assert folder_snapshot(project_copy / "site") == before


# Every PDF a worker renders opens with a script, set before the build starts (forked workers have
# it): what a PDF written in after the post-build scan could carry.
EVERY_PDF_RUNS_A_SCRIPT = """
import io
import pikepdf
import generator.render.pdf as pdf
rendered = pdf.convert_html_to_pdf
def convert_html_to_pdf(html, stylesheets):
    document = pikepdf.open(io.BytesIO(rendered(html, stylesheets)))
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    document.Root.OpenAction = document.make_indirect(action)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
pdf.convert_html_to_pdf = convert_html_to_pdf
"""


@pytest.mark.parametrize("command", ["mkdocs", "generator"])
def test_a_pdf_a_worker_writes_in_is_judged_like_every_published_file(
    project_copy, build_site, folder_snapshot, command
):
    assert build_site(project_copy, project_copy / "site", command=command).ok
    before = folder_snapshot(project_copy / "site")
    shutil.rmtree(project_copy / ".cache")  # or the cached PDFs would be reused
    result = build_site(
        project_copy, project_copy / "site", command=command, prelude=EVERY_PDF_RUNS_A_SCRIPT
    )
    assert result.returncode == 1, result.output
    for site_path in pdf_site.DOCUMENTS:
        assert f"site/{site_path}:1:1: a PDF holds JavaScript (an action" in result.output
    assert "Traceback" not in result.output
    assert folder_snapshot(project_copy / "site") == before


def test_the_preview_keeps_a_pdf_that_runs_a_script_out(tmp_path, monkeypatch, caplog):
    """Under `mkdocs serve` a PDF is written in after the build has ended: judged the same way, a
    refused one is logged, located, and never written (the preview keeps the one before)."""
    from generator.publish.preview_pdfs import PreviewPdfs
    from generator.render import pdf, pdf_workers

    def no_pool():
        raise OSError("render here, where the fault below is injected")

    rendered = pdf.convert_html_to_pdf

    def with_a_script(html, stylesheets):
        document = pikepdf.open(BytesIO(rendered(html, stylesheets)))
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        document.Root.OpenAction = document.make_indirect(action)
        out = BytesIO()
        document.save(out)
        return out.getvalue()

    monkeypatch.setattr(pdf_workers, "shared_pool", no_pool)
    monkeypatch.setattr(pdf, "convert_html_to_pdf", with_a_script)
    preview, files = PreviewPdfs(say=print), {path: b"%PDF-earlier" for path in pdf_site.DOCUMENTS}
    preview.show_earlier_while_rendering(files, PdfWorkers())  # the build before: all shown
    workers = PdfWorkers()
    rendering = _rendering(tmp_path, '<html lang="en"><title>T</title><p>Text</p>')
    workers.submit(dataclasses.replace(rendering, site_path=pdf_site.GUIDE_PATH))
    preview.show_earlier_while_rendering(files, workers)
    with caplog.at_level("ERROR"):
        preview.deliver(workers, tmp_path / "site", "site")
    assert f"site/{pdf_site.GUIDE_PATH}:1:1: a PDF holds JavaScript" in caplog.text
    assert not (tmp_path / "site" / pdf_site.GUIDE_PATH).exists()


NO_WORKER_PROCESSES = """
import generator.render.pdf_workers as workers
def shared_pool():
    raise OSError("no semaphores on this system")
workers.shared_pool = shared_pool
"""


def test_without_worker_processes_the_build_renders_the_pdfs_itself(project_copy, build_site):
    shutil.rmtree(project_copy / ".cache", ignore_errors=True)
    result = build_site(project_copy, project_copy / "site", prelude=NO_WORKER_PROCESSES)
    assert result.ok, result.output
    for site_path in pdf_site.DOCUMENTS:
        assert _title((project_copy / "site" / site_path).read_bytes()), site_path


def _rendering(tmp_path: Path, html: str) -> pdf_site.Rendering:
    return pdf_site.Rendering(
        site_path="downloads/test.pdf",
        html=html,
        stylesheets=("base.css",),
        cached=tmp_path / "cache" / "test-0.pdf",
        source=Location("content/guide.yaml", 3, 1),
    )


def test_a_worker_refuses_a_file_outside_the_static_folder_with_a_located_problem(tmp_path):
    workers = PdfWorkers()
    outside = '<html lang="en"><title>T</title><link rel="stylesheet" href="file:///etc/hostname">'
    workers.submit(_rendering(tmp_path, outside))
    with pytest.raises(SourceError) as raised:
        workers.write_into(tmp_path / "site")
    report = raised.value.report()
    assert "content/guide.yaml:3" in report and "downloads/test.pdf cannot be made" in report
    assert not (tmp_path / "site" / "downloads" / "test.pdf").exists()


def test_a_worker_that_dies_is_reported_and_the_next_build_gets_new_ones(tmp_path):
    pool = shared_pool()
    pool.submit(int).result(timeout=120)  # the workers are up
    workers = PdfWorkers()
    workers.submit(_rendering(tmp_path, '<html lang="en"><title>T</title><p>Text</p>'))
    for process in list(pool._processes.values()):
        os.kill(process.pid, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        workers.write_into(tmp_path / "site")

    again = PdfWorkers()
    again.submit(_rendering(tmp_path, '<html lang="en"><title>Again</title><p>Text</p>'))
    again.write_into(tmp_path / "site")
    assert _title((tmp_path / "site" / "downloads" / "test.pdf").read_bytes()) == "Again"
    assert (tmp_path / "cache" / "test-0.pdf").is_file()


ORPHAN = """
import os, sys, time
from generator.render.pdf_workers import shared_pool
pool = shared_pool()
pool.submit(int).result(timeout=120)
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(600)
"""


def test_workers_leave_when_their_process_is_killed_outright():
    # A killed parent runs no clean-up; workers that stayed would wait for work for ever.
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[1],
    )
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert workers, "the pool started no workers"
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers), "workers outlived their killed parent"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait() is missing


def _fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return None


def test_the_preview_reloads_pages_at_once_and_the_changed_pdf_follows(
    project_copy, edit_file, preview_server
):
    guide = project_copy / "content" / "guide.yaml"
    project = load_project(project_copy)
    log_path = project_copy / "serve.log"
    with preview_server(project_copy, log_path) as base_url:
        pdf_url = f"{base_url}{pdf_site.GUIDE_PATH}"
        deadline = time.monotonic() + 90
        while (first := _fetch(pdf_url)) is None and time.monotonic() < deadline:
            time.sleep(0.25)
        assert first and _title(first).startswith(f"{project.guide.kind}: "), log_path.read_text()

        edit_file(guide, f"kind: {project.guide.kind}\n", "kind: Retitled guide\n")
        served = []  # every version of the PDF the preview served meanwhile
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            content = _fetch(pdf_url)
            if content is not None:
                served.append(content)
                if _title(content).startswith("Retitled guide: "):
                    break
            time.sleep(0.1)
        else:
            pytest.fail(f"the preview never served the changed PDF:\n{log_path.read_text()}")
        assert all(_title(content) for content in served), "the preview served a broken PDF"
        output = log_path.read_text()
        assert f"Updated {pdf_site.GUIDE_PATH} in the preview" in output, output
        assert "Traceback" not in output
