"""The package works installed from its wheel, not only from the repository: the schemas, templates
and static files travel inside it, so `check` and `build` run on a folder of sources alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a wheel is built from (copied, so that building leaves no build/ or egg-info here).
PACKAGE_INPUTS = ("pyproject.toml", "README.md", "generator")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel, installed by pip (not editable) into a folder of its own; its dependencies come
    from this environment, and the repository is nowhere on the path."""
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
    (wheel,) = (base / "dist").glob("*.whl")
    target = base / "site-packages"
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


def test_the_wheel_carries_the_schemas_templates_and_static_files(installed):
    package = installed / "generator"
    assert sorted(p.name for p in (package / "schemas").glob("*.schema.json")) == sorted(
        p.name for p in (ROOT / "generator" / "schemas").glob("*.schema.json")
    )
    assert (package / "templates" / "guide" / "index.md.j2").is_file()
    assert (package / "static" / "js" / "checker.js").is_file()
    assert (package / "publish" / "csp.py").is_file()


def test_a_wheel_install_checks_and_builds_a_copy_of_the_content(installed, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("content", "forms"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    where = _run(installed, tmp_path, "-c", "import generator; print(generator.__file__)")
    assert where.stdout.strip() == str(installed / "generator" / "__init__.py"), where

    checked = _run(installed, tmp_path, "-m", "generator", "--root", str(project), "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No problems found" in checked.stdout

    shutil.copytree(ROOT / "docs", project / "docs")  # the theme override mkdocs.yml names
    built = _run(installed, tmp_path, "-m", "generator", "--root", str(project), "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (project / "site" / "checker" / "index.html").is_file()
    assert (project / "site" / "forms" / "referral.schema.json").is_file()
    assert (project / "site" / "downloads" / "one-minute-guide.pdf").read_bytes()[:5] == b"%PDF-"
