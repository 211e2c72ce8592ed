"""The loader on good and broken sources: every editor mistake gets the exact located message."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from generator.problems import Location, SourceError
from generator.sources.load import UNCHECKED, check_sources, load_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OTHER_SERVICE = FIXTURES / "other-service"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def make_broken_copy(case: Path, destination: Path) -> Path:
    """The small second service, with the case's files laid over it (and DELETE's files removed)."""
    shutil.copytree(OTHER_SERVICE, destination)
    for path in case.rglob("*"):
        relative = path.relative_to(case)
        if path.is_file() and path.name not in ("expected.txt", "DELETE"):
            (destination / relative).write_bytes(path.read_bytes())
    if (case / "DELETE").exists():
        for line in (case / "DELETE").read_text().split():
            (destination / line).unlink()
    return destination


def test_shipped_sources_are_clean():
    assert check_sources(ROOT) == []


def test_a_second_unrelated_service_passes():
    project = load_project(OTHER_SERVICE)
    assert project.service.name == "Harbour Mentoring Project"
    assert project.eligibility.upper_age == 15


def test_a_second_unrelated_service_builds_strict_without_a_warning(
    tmp_path, copy_project_to, build_site
):
    # The project's website settings with the second service's content and form in place of ours.
    root = copy_project_to(tmp_path / "project")
    for folder in ("content", "forms"):
        shutil.rmtree(root / folder)
        shutil.copytree(OTHER_SERVICE / folder, root / folder)
    result = build_site(root, root / "site", strict=True, command="generator", engine="mkdocs")
    assert result.ok, result.output
    assert "WARNING" not in result.output.upper(), result.output
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Harbour Mentoring Project" in home
    assert "Trusted Relationships" not in home


def test_there_are_at_least_25_distinct_mistakes():
    assert len(BROKEN) >= 25


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_each_mistake_gets_its_exact_located_message(case: Path, tmp_path: Path):
    root = make_broken_copy(case, tmp_path / "service")
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    problems = [str(p) for p in check_sources(root)]
    assert problems == expected


def test_check_command_exits_1_listing_problems_without_traceback(tmp_path: Path):
    root = make_broken_copy(FIXTURES / "broken" / "loop", tmp_path / "service")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/checker.yaml:" in result.stderr
    assert "nothing was built" in result.stderr


def test_check_command_json_output(tmp_path: Path):
    import json

    root = make_broken_copy(FIXTURES / "broken" / "option_to_nowhere", tmp_path / "service")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "check", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["ok"] is False
    assert report["problems"][0]["file"] == "content/checker.yaml"
    assert report["problems"][0]["line"] > 0


def test_check_command_exits_0_on_shipped_sources():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(ROOT), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_a_5_mb_file_is_refused_plainly(tmp_path: Path):
    root = shutil.copytree(OTHER_SERVICE, tmp_path / "service")
    (root / "content/guide.yaml").write_bytes(b"title: x\n" + b"# padding\n" * 500_000)
    problems = [str(p) for p in check_sources(root)]
    assert problems == ["content/guide.yaml:1:1: the file is too large (5.0 MB; the limit is 1 MB)"]


def test_model_remembers_where_things_were_written():
    project = load_project(ROOT)
    # A criterion's question is written with its criterion (its `ask:`); its "yes" in checker.yaml.
    question = project.checker.question("age")
    assert question.where.file == "content/eligibility.yaml"
    assert question.where.line > 1
    assert question.options[0].where.file == "content/checker.yaml"
    assert question.options[1].where.file == "content/eligibility.yaml"


def test_model_is_immutable():
    project = load_project(ROOT)
    with pytest.raises(AttributeError):
        project.eligibility.upper_age = 99  # type: ignore[misc]


def test_source_error_report_counts_problems():
    with pytest.raises(SourceError) as error:
        load_project(FIXTURES / "does-not-exist")
    assert error.value.report().endswith("problems found in the sources; nothing was built.")


def test_a_check_that_waits_is_named_once_at_the_file_it_waits_for(tmp_path: Path):
    case = FIXTURES / "broken" / "schema_problem_stops_cross_file_checks"
    problems = check_sources(make_broken_copy(case, tmp_path / "service"))
    notes = [p for p in problems if p.code == UNCHECKED]
    assert [p.where for p in notes] == [Location("content/eligibility.yaml")]
    # The checker's own graph is still checked while the criteria wait.
    assert {p.code for p in problems if p.where.file == "content/checker.yaml"} == {"graph"}


def test_text_that_cannot_be_published_does_not_stop_the_other_checks(tmp_path: Path):
    case = FIXTURES / "broken" / "unsafe_text_beside_cross_file_problem"
    problems = check_sources(make_broken_copy(case, tmp_path / "service"))
    assert [p.code for p in problems] == ["graph", "text"]


def test_every_problem_names_its_kind():
    codes = {"file", "yaml", "schema", "text", "placeholder", "crosscheck", "graph", UNCHECKED}
    for case in BROKEN:
        with tempfile.TemporaryDirectory() as folder:
            problems = check_sources(make_broken_copy(case, Path(folder) / "service"))
        assert problems and {p.code for p in problems} <= codes, case.name
