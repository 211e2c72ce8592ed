"""The package works installed from its wheel, not only from the repository: the schemas, templates
and static files travel inside it, so `check` and `build` run on a folder of sources alone."""

from __future__ import annotations

import email.parser
import html
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from generator.publish.engines import ENGINES

ROOT = Path(__file__).resolve().parent.parent
# What a wheel is built from (copied, so that building leaves no build/ or egg-info here).
PACKAGE_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "generator")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The package's wheel, built by pip from a copy of what it is made of."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in PACKAGE_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--wheel-dir", str(base / "dist"), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (built,) = (base / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel, installed by pip (not editable) into a folder of its own; its dependencies come
    from this environment, and the repository is nowhere on the path."""
    target = tmp_path_factory.mktemp("installed") / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return target


def _run(installed: Path, cwd: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, *arguments], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip


def test_the_wheels_metadata_names_its_licences_readme_and_kind(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
        licences = [n for n in names if "/licenses/" in n]
        mit = next(n for n in licences if n.endswith("/LICENSE"))
        assert archive.read(mit).decode("utf-8").startswith("MIT License")
    assert metadata["License-Expression"] == "MIT AND OFL-1.1"
    assert sorted(metadata.get_all("License-File")) == [
        "LICENSE", "generator/static/fonts/OFL.txt"
    ]  # fmt: skip
    assert any(n.endswith("generator/static/fonts/OFL.txt") for n in licences), licences
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().startswith("# Trusted Relationships")  # the README
    classifiers = metadata.get_all("Classifier")
    assert "Framework :: MkDocs" in classifiers and "Programming Language :: Python :: 3.11" in (
        classifiers
    )
    assert metadata.get_all("Project-URL") is None, "no address invented for the project"


def test_the_wheel_carries_the_schemas_templates_and_static_files(installed):
    package = installed / "generator"
    assert sorted(p.name for p in (package / "schemas").glob("*.schema.json")) == sorted(
        p.name for p in (ROOT / "generator" / "schemas").glob("*.schema.json")
    )
    assert (package / "templates" / "guide" / "index.md.j2").is_file()
    assert (package / "static" / "js" / "checker.js").is_file()
    assert (package / "publish" / "csp.py").is_file()
    assert (package / "theme" / "partials" / "header.html").is_file()


def test_a_wheel_install_checks_and_builds_a_copy_of_the_content(installed, tmp_path):
    """A folder holding only content/, forms/ and mkdocs.yml: no docs/, no theme overrides, no
    schemas. Every engine builds the whole site from what the wheel carries."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("content", "forms"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    assert sorted(p.name for p in project.iterdir()) == ["content", "forms", "mkdocs.yml"]
    where = _run(installed, tmp_path, "-c", "import generator; print(generator.__file__)")
    assert where.stdout.strip() == str(installed / "generator" / "__init__.py"), where

    checked = _run(installed, tmp_path, "-m", "generator", "--root", str(project), "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No problems found" in checked.stdout

    service = yaml.safe_load((ROOT / "content" / "service.yaml").read_text(encoding="utf-8"))
    for engine in ENGINES:
        site = project / f"site-{engine}"
        built = _run(
            installed, tmp_path, "-m", "generator", "--root", str(project),
            "build", "--engine", engine, "--site-dir", str(site),
        )  # fmt: skip
        assert built.returncode == 0, built.stdout + built.stderr
        assert len(list(site.rglob("*.html"))) >= 25, engine
        home = (site / "index.html").read_text(encoding="utf-8")
        # The package's own theme templates made the header: the service's name and organisation.
        assert 'class="md-ellipsis tr-header__name"' in home, engine
        assert html.escape(service["part_of"]) in home, engine
        assert (site / "checker" / "index.html").is_file()
        assert (site / "forms" / "referral.schema.json").is_file()
        # The search index each engine's search box reads: Zensical's own, or Material's.
        index, entries = (
            ("search.json", "items")
            if engine == "zensical"
            else ("search/search_index.json", "docs")
        )
        assert len(json.loads((site / index).read_text(encoding="utf-8"))[entries]) >= 25
        for pdf in ("one-minute-guide.pdf", "referral-form-blank.pdf"):
            assert (site / "downloads" / pdf).read_bytes()[:5] == b"%PDF-", (engine, pdf)
    assert sorted(p.name for p in project.iterdir() if not p.name.startswith(".")) == [
        "content",
        "forms",
        "mkdocs.yml",
        *(f"site-{e}" for e in sorted(ENGINES)),
    ], "the build wrote into the project folder"
