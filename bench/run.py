"""`make bench`: how fast and how heavy the site is, as ratios measured in this one run.

Absolute times on a shared two-core machine move from run to run; ratios taken in the same run
against a baseline move far less, so each figure comes with its baseline and the target it is held to.
Run from the project root: `.venv/bin/python bench/run.py [--quick]`.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from generator.publish.engines import ENGINES
from generator.sources.load import SOURCES, load_project
from generator.sources.yamlsource import read_yaml

TARGETS = {
    "full build / plain Material build": 1.5,
    "`mkdocs build` command / plain": 1.5,
    "rebuild after a YAML edit / plain rebuild": 1.2,
    "checker step (ms, median of 50)": 16.0,
    "own JS + CSS on the checker page (KB)": 15.0,
    "own JS + CSS on the form page (KB)": 15.0,
    "100x content / ours (build time)": 60.0,
    "`generator build --engine zensical` / Zensical's own build": 1.2,
}


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _paired(ours, plain, repeat: int) -> tuple[float, float, float]:
    """Time `ours` and `plain` (callables returning the seconds they measured) in turn, `repeat`
    times: their medians and the median of the pairs' ratios. Taken in pairs, a burst of load
    from another user of the machine slows both sides of a pair, not just one figure."""
    pairs = [(ours(), plain()) for _ in range(repeat)]
    return (
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(a / b for a, b in pairs),
    )


def _median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _mkdocs_build(config_file: Path, site_dir: Path, command: str = "build"):
    """Build in this process, as `mkdocs serve` rebuilds: returns a callable that builds once.

    `command` is what the plugins are told is running: "serve" for the preview's rebuilds."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def run():
        config = load_config(config_file=str(config_file), site_dir=str(site_dir))
        config.plugins.on_startup(command=command, dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()

    return run


def _mkdocs_build_command(project_root: Path, site_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
        cwd=project_root,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def _generator_build(project_root: Path, site_dir: Path, engine: str) -> None:
    """`python -m generator build --engine ENGINE`, in a new process, as a person runs it."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(project_root),
            "build",
            "--engine",
            engine,
            "--site-dir",
            str(site_dir),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


# The steps of one build of ours, each timed where the orchestrator (publish/pipeline.py) calls
# it: the step's name and the function that does it, as (module, attribute).
_STEPS = (
    ("sources: read and check the YAML", ("generator.publish.pipeline", "load_project")),
    ("render: generate the pages and files", ("generator.render.site", "generate_site")),
    ("post-build: scan and secure every page", ("generator.publish.postbuild", "finish_site")),
    ("PDFs: wait for the workers, judge, write", ("generator.publish.postbuild", "write_pdfs_in")),
)


def _where_the_time_goes(build) -> tuple[float, list[tuple[str, float]], list[str]]:
    """Run `build` (a callable) twice: once with each step of ours timed, giving the build's
    seconds and each step's (the rest is the engine's own build, staging and publishing); once
    under cProfile, for our functions that took the most time of their own (the profiler slows
    that run, so it gives no seconds to compare; the PDFs render in other processes, so the wait
    for them shows as a step, not as functions)."""
    import cProfile
    import importlib
    import pstats
    from unittest import mock

    spent: dict[str, float] = dict.fromkeys(name for name, _ in _STEPS)
    patches = []
    for name, (module_name, attribute) in _STEPS:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute)

        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_name] = (spent[_name] or 0.0) + time.perf_counter() - started

        patches.append(mock.patch.object(module, attribute, timed))
    for patch in patches:
        patch.start()
    try:
        total = _timed(build)
    finally:
        for patch in patches:
            patch.stop()
    steps = [(name, seconds) for name, seconds in spent.items() if seconds is not None]
    steps.append(("engine: its own build, staging, publishing", total - sum(s for _, s in steps)))
    profile = cProfile.Profile()
    profile.runcall(build)
    ours = sorted(
        (
            (own, f"{Path(file).relative_to(ROOT).as_posix()}:{line} {function}")
            for (file, line, function), (_, _, own, _, _) in pstats.Stats(profile).stats.items()
            if file.startswith(str(ROOT / "generator"))
        ),
        reverse=True,
    )
    total_own = sum(own for own, _ in ours)
    hot = [f"{own / total_own:4.0%}  {where}" for own, where in ours[:6]]
    return total, steps, hot


def _print_where_the_time_goes(title: str, build, plain_seconds: float) -> None:
    total, steps, hot = _where_the_time_goes(build)
    print(f"  where the time goes, {title}: {total:.2f} s (the plain build: {plain_seconds:.2f} s)")
    for name, seconds in steps:
        print(f"    {name:45} {seconds:6.2f} s  {seconds / total:4.0%}")
    print("    our functions with the most time of their own (share of all our code's own time):")
    for line in hot:
        print(f"      {line}")


def _build_in_process(project_root: Path, site_dir: Path, engine: str) -> None:
    """`generator build --engine ENGINE` in this process (so its steps can be timed)."""
    from generator.publish.pipeline import build_site

    build_site(project_root, site_dir, engine=engine)


def _plain_zensical_site(plain: Path, destination: Path) -> Path:
    """The plain site's Markdown pages as Zensical builds them by itself: its classic look (the
    one ours uses) and the Markdown extensions our pages need, nothing of ours."""
    shutil.copytree(plain / "docs", destination / "docs")
    (destination / "mkdocs.yml").write_text(
        "site_name: Plain\ntheme:\n  name: material\n  variant: classic\n  font: false\n"
        "markdown_extensions:\n  - toc\n  - tables\n  - fenced_code\n  - attr_list\n"
        "  - md_in_html\n  - admonition\n",
        encoding="utf-8",
    )
    return destination


def _zensical_build(project_root: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--clean", "-f", "mkdocs.yml"],
        cwd=project_root,
        check=True,
        capture_output=True,
    )


def _quiet_logs():
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)


def _copy_project(destination: Path) -> Path:
    for name in ("content", "forms", "schemas", "docs"):
        shutil.copytree(ROOT / name, destination / name)
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    return destination


def _plain_site_like(ours: Path, destination: Path) -> Path:
    """A plain Material site with the same Markdown pages our build generates, and no plugin of ours."""
    from generator.render.context import BuildContext
    from generator.render.site import generate_site

    project = load_project(ours)
    files = generate_site(project, BuildContext(ours, destination / ".cache"))
    docs = destination / "docs"
    for path, content in files.items():
        if path.endswith(".md"):
            target = docs / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    (destination / "mkdocs.yml").write_text(
        "site_name: Plain\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - admonition\n",
        encoding="utf-8",
    )
    return destination


def _scaled_service(factor: int, destination: Path) -> Path:
    """Our service with every list `factor` times longer: guide sections, checker questions and
    outcomes (copies chained one after another), pathway steps and form sections."""
    _copy_project(destination)
    data = {}
    for kind, relative in SOURCES.items():
        document, problems = read_yaml((ROOT / relative).read_bytes(), relative)
        assert document is not None, problems
        data[kind] = document.data

    def suffix(i):
        return "" if i == 0 else f"_{i}"

    guide = data["guide"]
    guide["sections"] = [
        {**s, "id": s["id"] + suffix(i)} for i in range(factor) for s in guide["sections"]
    ]

    # The checker routes by criterion: each copy asks its own criteria, and where a copy would
    # end in "refer", it leads on to the next copy's first question.
    checker = data["checker"]
    # A criterion the seed says "should" of leads to an eligible outcome when not met; in every
    # copy but the last, the chain goes on, so there it is a "must" leading to "not yet".
    should = [c for c in data["eligibility"]["criteria"] if c["strength"] == "should"]
    should_outcomes = {c["not_met"] for c in should}
    reason_fields = {c["reason_field"] for c in should if "reason_field" in c}
    questions, outcomes = [], []
    for i in range(factor):
        last = i == factor - 1
        for q in checker["questions"]:
            target = q["if_met"] + suffix(i)
            if q["if_met"] == "refer" and not last:
                target = checker["start"] + suffix(i + 1)
            questions.append({**q, "criterion": q["criterion"] + suffix(i), "if_met": target})
        for o in checker["outcomes"]:
            if o["id"] == "refer" and not last:
                continue
            outcome = {**o, "id": o["id"] + suffix(i)}
            if o["id"] in should_outcomes and not last:
                # Not yet eligible: copies follow, so not the referral form yet either.
                outcome["result"] = "not_yet"
                outcome["next_steps"] = [
                    step for step in o.get("next_steps", []) if step not in ("form", "blank_form")
                ]
            outcomes.append(outcome)
    checker["questions"], checker["outcomes"] = questions, outcomes

    # The criteria are copied with the checker, in the same chain, so each copy asks its own.
    eligibility = data["eligibility"]
    eligibility["criteria"] = [
        {
            **c,
            "id": c["id"] + suffix(i),
            "not_met": c["not_met"] + suffix(i),
            # In every copy but the last, "should" is "must" (see the checker above).
            "strength": "must" if i < factor - 1 else c["strength"],
            **{key: c[key] + suffix(i) for key in ("not_known", "reason_field") if key in c},
            **({"reason_field": None} if "reason_field" in c and i < factor - 1 else {}),
            "met_when": [
                {
                    **m,
                    "field": m["field"] + suffix(i),
                    **({"on_field": m["on_field"] + suffix(i)} if "on_field" in m else {}),
                }
                for m in c.get("met_when", [])
            ],
        }
        for i in range(factor)
        for c in eligibility["criteria"]
    ]
    for c in eligibility["criteria"]:
        if not c["met_when"]:
            del c["met_when"]
        if c.get("reason_field", "") is None:  # a must needs no reason
            del c["reason_field"]

    pathway = data["pathway"]
    steps = []
    for i in range(factor):
        last = i == factor - 1
        for s in pathway["steps"]:
            step = {**s, "id": s["id"] + suffix(i)}
            if "criteria" in s:
                step["criteria"] = [c + suffix(i) for c in s["criteria"]]
            if i and s["kind"] == "start":
                step["kind"] = "step"
            if i:  # the home page shows one box's text, once
                step.pop("start_page", None)
            if "next" in s:
                step["next"] = s["next"] + suffix(i)
            if "branches" in s:
                step["branches"] = [{**b, "to": b["to"] + suffix(i)} for b in s["branches"]]
            if s["id"] == "allocated" and not last:
                step["kind"] = "step"
                step["next"] = pathway["steps"][0]["id"] + suffix(i + 1)
            steps.append(step)
    pathway["steps"] = steps

    form = data["form"]
    sections = []
    for i in range(factor):
        for section in form["sections"]:
            fields = []
            for f in section["fields"]:
                if f["id"] in reason_fields and i < factor - 1:
                    f = {**f, "optional": True}  # its criterion is a must in this copy
                f = {**f, "id": f["id"] + suffix(i)}
                if "show_if" in f:
                    f["show_if"] = {**f["show_if"], "field": f["show_if"]["field"] + suffix(i)}
                if "not_after" in f:
                    f["not_after"] = f["not_after"] + suffix(i)
                fields.append(f)
            sections.append({**section, "id": section["id"] + suffix(i), "fields": fields})
    form["sections"] = sections

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):  # the loader refuses anchors, so write shared parts out
            return True

    for kind, relative in SOURCES.items():
        text = yaml.dump(
            data[kind], Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=10_000
        )
        (destination / relative).write_text(text, encoding="utf-8")
    return destination


def _own_assets(site: Path, page: str) -> tuple[int, int]:
    """Raw and gzip bytes of our own JS and CSS (everything but Material's bundle) the page loads."""
    html = (site / page).read_text(encoding="utf-8")
    raw = packed = 0
    by_file = []
    for url in sorted(set(re.findall(r'(?:src|href)="([^"]+\.(?:js|css))(?:\?[^"]*)?"', html))):
        if "assets/stylesheets/" in url or "assets/javascripts/" in url:
            continue
        content = ((site / page).parent / url).resolve().read_bytes()
        raw += len(content)
        packed += len(gzip.compress(content))
        by_file.append((url.rsplit("/", 1)[-1], len(content)))
    return raw, packed, sorted(by_file, key=lambda item: -item[1])


def _page_weight(site: Path, page: str) -> tuple[int, int]:
    """Raw and gzip bytes of the page and every local file it loads (scripts, styles)."""
    html_path = site / page
    html = html_path.read_bytes()
    raw, packed = len(html), len(gzip.compress(html))
    for url in set(re.findall(r'(?:src|href)="([^"#]+\.(?:js|css))(?:\?[^"]*)?"', html.decode())):
        path = (html_path.parent / url).resolve()
        if path.is_file():
            content = path.read_bytes()
            raw += len(content)
            packed += len(gzip.compress(content))
    return raw, packed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no 100x service")
    args = parser.parse_args()
    repeat = 1 if args.quick else 5
    cores, load = os.cpu_count() or 1, os.getloadavg()[0]
    print(f"{cores} cores; load average {load:.2f} at the start", flush=True)
    if load > cores / 2:
        # Our build uses every core (the PDFs render beside the pages); the plain one uses one.
        print(
            "The machine is busy: build ratios can be off by a third; run again when it is quiet."
        )
    _quiet_logs()
    results: list[tuple[str, str, str]] = []

    def record(name: str, value: float, detail: str, unit: str = "x"):
        target = TARGETS.get(name)
        verdict = "" if target is None else ("met" if value <= target else "MISSED")
        shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.1f}"
        target_text = "" if target is None else f"target <= {target:g}: {verdict}"
        results.append((name, shown, f"{detail}  {target_text}".strip()))
        print(f"{name:45} {shown:>10}  {detail}  {target_text}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        temp = Path(temp)
        ours = _copy_project(temp / "ours")
        plain = _plain_site_like(ours, temp / "plain")
        page_count = len(list((plain / "docs").rglob("*.md")))

        build_ours = _mkdocs_build(ours / "mkdocs.yml", temp / "site-ours")
        build_plain = _mkdocs_build(plain / "mkdocs.yml", temp / "site-plain")
        build_ours()  # warm imports, fonts and the PDF cache's folder, in both
        build_plain()

        def cold(build):
            shutil.rmtree(ours / ".cache", ignore_errors=True)  # every PDF renders again
            return _timed(build)

        t_ours, t_plain, ratio = _paired(
            lambda: cold(build_ours), lambda: _timed(build_plain), repeat
        )
        record(
            "full build / plain Material build",
            ratio,
            f"{t_ours:.2f} s vs {t_plain:.2f} s, {page_count} Markdown pages each, PDFs rendered",
        )
        _print_where_the_time_goes(
            "one full build, PDFs rendered", lambda: cold(build_ours), t_plain
        )

        # The same, as a person runs it: a new process, so imports and WeasyPrint's start-up count.
        def command_ours():
            _mkdocs_build_command(ours, temp / "cli-ours")

        def command_plain():
            return _timed(lambda: _mkdocs_build_command(plain, temp / "cli-plain"))

        c_ours, c_plain, ratio = _paired(lambda: cold(command_ours), command_plain, repeat)
        record(
            "`mkdocs build` command / plain",
            ratio,
            f"{c_ours:.2f} s vs {c_plain:.2f} s, each a new process, PDFs rendered",
        )
        c_warm, c_plain, ratio = _paired(lambda: _timed(command_ours), command_plain, repeat)
        record(
            "`mkdocs build` command, PDFs from the cache / plain",
            ratio,
            f"{c_warm:.2f} s vs {c_plain:.2f} s, each a new process",
        )
        t_warm, t_plain, ratio = _paired(
            lambda: _timed(build_ours), lambda: _timed(build_plain), repeat
        )
        record(
            "full build, PDFs from the cache / plain",
            ratio,
            f"{t_warm:.2f} s vs {t_plain:.2f} s (the plain site has no PDFs to make)",
        )
        for engine in ENGINES:
            e_ours, e_plain, ratio = _paired(
                lambda engine=engine: _timed(lambda: _generator_build(ours, temp / engine, engine)),
                command_plain,
                repeat,
            )
            record(
                f"`generator build --engine {engine}` / plain",
                ratio,
                f"{e_ours:.2f} s vs {e_plain:.2f} s, each a new process, PDFs from the cache",
            )

        # Zensical against itself: its own build of the same Markdown pages, in a new process.
        plain_zensical = _plain_zensical_site(plain, temp / "plain-zensical")
        z_ours, z_plain, ratio = _paired(
            lambda: _timed(lambda: _generator_build(ours, temp / "zensical", "zensical")),
            lambda: _timed(lambda: _zensical_build(plain_zensical)),
            repeat,
        )
        record(
            "`generator build --engine zensical` / Zensical's own build",
            ratio,
            f"{z_ours:.2f} s vs {z_plain:.2f} s, each a new process, PDFs from the cache",
        )
        _print_where_the_time_goes(
            "one `generator build --engine zensical`, PDFs from the cache",
            lambda: _build_in_process(ours, temp / "zensical-profiled", "zensical"),
            z_plain,
        )

        # A one-line edit, then a rebuild in the same process, as `mkdocs serve` does. The edit
        # changes the guide's PDF too: the preview reloads the pages without waiting for it.
        guide = ours / "content" / "guide.yaml"
        original = guide.read_text(encoding="utf-8")
        page = plain / "docs" / "index.md"
        page_original = page.read_text(encoding="utf-8")
        preview_ours = _mkdocs_build(ours / "mkdocs.yml", temp / "preview-ours", command="serve")
        preview_plain = _mkdocs_build(plain / "mkdocs.yml", temp / "preview-plain", command="serve")
        preview_ours()
        preview_plain()
        shown_pdf = temp / "preview-ours" / "downloads" / "one-minute-guide.pdf"
        edits = iter(range(1, 1000))

        def edit_ours(build):
            guide.write_text(
                original.replace("kind: One minute guide", f"kind: One minute guide {next(edits)}"),
                encoding="utf-8",
            )
            build()

        def edit_plain(build):
            page.write_text(page_original + f"\n\nEdit {next(edits)}.\n", encoding="utf-8")
            build()

        pdf_ready = []

        def preview_edit():
            """Seconds until the pages are rebuilt; then waits, untimed, for the guide's PDF."""
            before = shown_pdf.read_bytes()
            started = time.perf_counter()
            edit_ours(preview_ours)
            pages = time.perf_counter() - started
            while shown_pdf.read_bytes() == before and time.perf_counter() - started < 120:
                time.sleep(0.01)
            pdf_ready.append(time.perf_counter() - started)
            return pages

        r_ours, r_plain, ratio = _paired(
            preview_edit, lambda: _timed(lambda: edit_plain(preview_plain)), repeat
        )
        record(
            "rebuild after a YAML edit / plain rebuild",
            ratio,
            f"{r_ours:.2f} s vs {r_plain:.2f} s, preview pages ready; "
            f"its PDF {statistics.median(pdf_ready):.2f} s",
        )
        _print_where_the_time_goes(
            "one preview rebuild after the edit (pages ready)", preview_edit, r_plain
        )
        w_ours, w_plain, ratio = _paired(
            lambda: _timed(lambda: edit_ours(build_ours)),
            lambda: _timed(lambda: edit_plain(build_plain)),
            repeat,
        )
        record(
            "the same, waiting for the PDF (mkdocs build)",
            ratio,
            f"{w_ours:.2f} s vs {w_plain:.2f} s",
        )
        guide.write_text(original, encoding="utf-8")
        page.write_text(page_original, encoding="utf-8")

        from generator.render import pdf

        project = load_project(ours)
        example = __import__("json").loads(
            (ROOT / "forms/examples/referral-example.json").read_text()
        )
        for name, render in (
            ("guide PDF", lambda: pdf.render_guide_pdf(project)),
            ("blank referral form PDF", lambda: pdf.render_blank_form_pdf(project)),
            (
                "filled referral PDF",
                lambda: pdf.render_filled_referral_pdf(
                    project, example, generated_at=__import__("datetime").datetime.now()
                ),
            ),
        ):
            render()
            seconds = _median_time(render, repeat)
            size = len(render())
            record(f"render time: {name} (ms)", seconds * 1000, f"{size / 1024:.0f} KB", unit="ms")

        site = temp / "site-ours"
        for name, page_path in (
            ("checker", "checker/index.html"),
            ("form", "referral-form/index.html"),
        ):
            own, own_packed, by_file = _own_assets(site, page_path)
            record(
                f"own JS + CSS on the {name} page (KB)",
                own / 1024,
                f"{own} bytes raw, {own_packed} bytes gzip",
                unit="KB",
            )
            for url, size in by_file:
                print(f"    {size:7,} bytes  {url}")
            raw, packed = _page_weight(site, page_path)
            record(
                f"total weight of the {name} page (KB)",
                raw / 1024,
                f"{raw} bytes raw, {packed} bytes gzip (HTML, scripts, styles)",
                unit="KB",
            )
        raw, packed = _page_weight(site, "index.html")
        record(
            "total weight of the home page (KB)",
            raw / 1024,
            f"{raw} bytes raw, {packed} gzip",
            unit="KB",
        )

        step = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "checker_step.py"), "--samples", "50"],
            capture_output=True,
            text=True,
            check=False,
        )
        match = re.search(r"heading has focus: median ([0-9.]+) ms", step.stdout)
        if step.returncode == 0 and match:
            record(
                "checker step (ms, median of 50)",
                float(match.group(1)),
                "Chromium, Continue until the next heading has focus",
                unit="ms",
            )
        else:
            print(f"checker step: could not measure ({step.stderr.strip()[-300:]})")

        base_time = _median_time(lambda: _build_once(ours, temp / "scale-1"), 3)
        factors = (10,) if args.quick else (10, 100)
        for factor in factors:
            scaled = _scaled_service(factor, temp / f"x{factor}")
            t = _median_time(
                lambda scaled=scaled, factor=factor: _build_once(scaled, temp / f"scale-{factor}"),
                1,
            )
            html, outcomes = _html_bytes(temp / f"scale-{factor}")
            base_html, _ = _html_bytes(temp / "scale-1")
            record(
                f"{factor}x content / ours (build time)",
                t / base_time,
                f"{t:.1f} s vs {base_time:.1f} s; it publishes {html / 1e6:.1f} MB of HTML vs "
                f"{base_html / 1e6:.1f} MB ({html / base_html:.0f}x), {outcomes / html:.0%} of it the "
                "checker's outcome pages, each listing the answers of every copy chained before it",
            )
    print(f"load average {os.getloadavg()[0]:.2f} at the end", flush=True)
    return 0


def _html_bytes(site: Path) -> tuple[int, int]:
    """The bytes of every HTML page a build published, and of the checker's outcome pages among
    them: a scaled service's outcome pages grow with the chain of copies before them, so its HTML
    grows faster than its content (the floor under the 10x and 100x figures)."""
    pages = list(site.rglob("*.html"))
    outcomes = site / "checker" / "outcome"
    return (
        sum(page.stat().st_size for page in pages),
        sum(page.stat().st_size for page in pages if outcomes in page.parents),
    )


def _build_once(project_root: Path, site_dir: Path) -> None:
    shutil.rmtree(project_root / ".cache", ignore_errors=True)
    _mkdocs_build(project_root / "mkdocs.yml", site_dir)()


if __name__ == "__main__":
    sys.exit(main())
