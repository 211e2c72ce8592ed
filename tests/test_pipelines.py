"""The ready pipelines (.github/workflows/site.yml, .gitlab-ci.yml): every command they run works here.

Each step's commands are run on a copy of the project, as the pipeline would, except what needs the
network or a runner: package installs are checked against apt's catalogue, `make test` is checked
with `make -n` (it is the test suite this file is part of), and publishing is a dry run (the folder
it would publish holds the built site). A command the test does not know fails it, so a pipeline
cannot gain a step that nobody tried.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
# What a pipeline needs of the project: the README's commands run from these.
PROJECT_FILES = (
    "Makefile", "pyproject.toml", "mkdocs.yml", "package.json", "package-lock.json",
    "docs", "content", "forms", "schemas", "generator", ".ci",
)  # fmt: skip
# Actions a GitHub workflow may use: GitHub's own, pinned to a major version.
KNOWN_ACTIONS = {
    "actions/checkout@v4",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
}


def _lines(script) -> list[str]:
    if isinstance(script, list):
        return [line for item in script for line in _lines(item)]
    return [
        line.strip()
        for line in str(script).splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def github_commands() -> list[str]:
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                commands += _lines(step["run"])
    return commands


def gitlab_commands() -> list[str]:
    pipeline = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    default = pipeline.get("default", {}).get("before_script", [])
    commands = []
    for job in pipeline.values():
        if isinstance(job, dict) and "script" in job:
            commands += _lines(job.get("before_script", default)) + _lines(job["script"])
    return commands


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The project's files in a fresh folder, with this test run's Python environment as its .venv
    (marked installed, so make never installs anything here)."""
    root = tmp_path_factory.mktemp("pipeline") / "project"
    root.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    venv = root / ".venv"
    venv.mkdir()
    prefix = Path(sys.prefix)
    for part in ("bin", "lib", "lib64", "include"):
        if (prefix / part).exists():
            (venv / part).symlink_to(prefix / part)
    shutil.copy(prefix / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / ".installed").touch()
    return root


def _environment(copy: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(copy),
        "HOME": str(copy.parent / "home"),
        "GITHUB_WORKSPACE": str(copy),
        "CI_PROJECT_DIR": str(copy),
    }


def _run(command: str, copy: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", command], cwd=copy, env=_environment(copy), capture_output=True,
        text=True, timeout=600, check=False,
    )  # fmt: skip


def readme_pipeline_commands() -> list[str]:
    """The commands the README says both pipelines run, in its order: the block after "exactly
    these commands:", each line a command, two spaces or more, and what it does (a line that is
    all description goes on the one before)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("exactly these commands:\n\n", 1)[1].split("\n\n", 1)[0]
    commands = []
    for line in block.splitlines():
        command = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        if line.startswith("    ") and not line.startswith("     "):
            commands.append(command)
    return commands


def test_the_readme_gives_each_pipelines_commands_line_by_line():
    """The README's list, less the other platform's check, is each pipeline's make commands in
    order: no step missing from either, none the README does not give."""
    readme = readme_pipeline_commands()
    assert len(readme) >= 4, readme
    github = [c for c in github_commands() if c.startswith("make ")]
    gitlab = [c for c in gitlab_commands() if c.startswith("make ")]
    assert github == [c for c in readme if "--format gitlab" not in c]
    assert gitlab == [c for c in readme if "--format github" not in c]
    for commands in (github, gitlab):
        assert "make test" in commands and "make build" in commands
        assert len([c for c in commands if c.startswith("make check")]) == 1


# Each pipeline file, the name of the published schema check-jsonschema vendors for it.
SCHEMAS = {GITHUB: "vendor.github-workflows", GITLAB: "vendor.gitlab-ci"}
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def _validate(path: Path, schema: str) -> subprocess.CompletedProcess:
    """check-jsonschema (pinned in the test extra) on a file, against its vendored schema."""
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("path", list(SCHEMAS), ids=["github", "gitlab"])
def test_each_pipeline_passes_its_published_schema(path):
    result = _validate(path, SCHEMAS[path])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validation done" in result.stdout


@pytest.mark.parametrize(
    "path, old, new",
    [
        # A step that both runs a command and uses an action, and a job with no runner.
        (GITHUB, "      - name: Check the sources\n", "      - uses: actions/checkout@v4\n"),
        (GITHUB, "    runs-on: ubuntu-latest\n    # Debian", "    # Debian"),
        # A job whose script is a number, and an artifact report that is not a mapping.
        (GITLAB, "  script:\n    - make test\n", "  script: 7\n"),
        (GITLAB, "    when: always\n", "    when: sometimes\n"),
    ],
    ids=["github-step-both", "github-no-runner", "gitlab-script-number", "gitlab-when"],
)
def test_a_broken_pipeline_fails_its_schema(path, old, new, tmp_path):
    """The validation can fail: each mistake, made once in a copy, is refused."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    broken = tmp_path / path.name
    broken.write_text(text.replace(old, new), encoding="utf-8")
    result = _validate(broken, SCHEMAS[path])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Schema validation errors were encountered" in result.stdout + result.stderr


def test_github_actions_are_known_and_pinned():
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    used = {
        step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step
    }
    assert used == KNOWN_ACTIONS
    build = workflow["jobs"]["build"]
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout"))
    # "What changed" lists the change notes in the YAML, not the history: no deep fetch.
    assert "fetch-depth" not in (checkout.get("with") or {})
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    assert workflow["jobs"]["publish"]["needs"] == "build"


def test_gitlab_keeps_the_report_and_needs_no_history():
    pipeline = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert "GIT_DEPTH" not in (pipeline.get("variables") or {})
    assert pipeline["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert pipeline["check"]["artifacts"]["when"] == "always"
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]


def test_every_command_exists_and_works(copy):
    """Run each distinct command once, in the order the pipelines give them."""
    commands = list(dict.fromkeys(github_commands() + gitlab_commands()))
    for command in commands:
        words = shlex.split(command)
        if words[:2] == ["apt-get", "update"]:
            assert shutil.which("apt-get"), command  # refreshes the catalogue: needs the network
        elif "apt-get" in words and "install" in words:
            packages = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
            for package in packages:
                shown = subprocess.run(
                    ["apt-cache", "show", package], capture_output=True, check=False
                )
                assert shown.returncode == 0, f"{command}: no Debian package {package}"
        elif words[:4] == ["git", "config", "--global", "--add"]:
            (copy.parent / "home").mkdir(exist_ok=True)
            result = _run(command, copy)
            assert result.returncode == 0, result.stderr
        elif words[:2] == ["make", "test"]:
            # The suite itself: make -n shows what it would run, without running it.
            result = _run("make -n test", copy)
            assert result.returncode == 0, result.stderr
            assert re.search(
                r"^\.venv/bin/python -m pytest -q -n auto$", result.stdout, re.MULTILINE
            )
        elif words[:2] == ["make", "check"]:
            result = _run(command, copy)
            assert result.returncode == 0, result.stdout + result.stderr
            assert "::error" not in result.stdout
            if "gitlab" in command:
                report = copy / "gl-code-quality-report.json"
                assert report.read_text(encoding="utf-8") == "[]\n"
        elif words[:2] == ["make", "build"]:
            result = _run(command, copy)
            assert result.returncode == 0, result.stdout + result.stderr
            for page in ("index.html", "what-changed/index.html", "openreferral/service.json"):
                assert (copy / "site" / page).is_file(), page
        elif words == ["mv", "site", "public"]:
            # Publishing, as a dry run: the folder GitLab Pages would publish holds the site.
            dry = copy.parent / "dry-run"
            shutil.copytree(copy / "site", dry / "site")
            subprocess.run(["bash", "-c", command], cwd=dry, check=True)
            assert (dry / "public" / "index.html").is_file()
        else:
            pytest.fail(f"the pipeline runs {command!r}, which this test does not know how to try")
