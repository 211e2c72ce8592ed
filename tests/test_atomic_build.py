"""A failed build leaves the previous site exactly as it was, with `mkdocs build` and with
`python -m generator build`: a mistake in the sources, a render error halfway through writing the
pages, a broken theme template and a strict-mode warning. A good build replaces the site whole."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.publish import staging
from generator.publish.staging import StagedSite

COMMANDS = ("mkdocs", "generator")

# Makes the 5th page fail while it is finished: by then the engine has written the theme's files
# and every page, and four pages are finished, so a build that wrote straight into the site folder
# would have wrecked it.
RENDER_ERROR_ON_FIFTH_PAGE = """
import generator.publish.postbuild as plugin
_real, _calls = plugin.mark_print_urls, []
def mark_print_urls(*args, **kwargs):
    _calls.append(1)
    if len(_calls) == 5:
        raise RuntimeError("injected render error")
    return _real(*args, **kwargs)
plugin.mark_print_urls = mark_print_urls
"""


@pytest.fixture(scope="module")
def built_project(tmp_path_factory, copy_project_to, build_site):
    """A project copy with a good site built into site/ (which also fills the PDF cache)."""
    root = copy_project_to(tmp_path_factory.mktemp("atomic") / "project")
    result = build_site(root, root / "site")
    assert result.ok, result.output
    (root / "site" / "marker-from-the-last-good-build.txt").write_text("keep me", encoding="utf-8")
    return root


def _assert_untouched(root, before, folder_snapshot):
    assert folder_snapshot(root / "site") == before, "the failed build changed the site folder"
    leftovers = sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))
    assert leftovers == [], f"the failed build left {leftovers} behind"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_mistake_in_the_sources_leaves_the_site_untouched(
    built_project, command, build_site, edit_file, folder_snapshot
):
    before = folder_snapshot(built_project / "site")
    eligibility = built_project / "content" / "eligibility.yaml"
    edit_file(eligibility, "upper_age: 17\n", "upper_age: seventeen\n")
    try:
        result = build_site(built_project, built_project / "site", command=command)
    finally:
        edit_file(eligibility, "upper_age: seventeen\n", "upper_age: 17\n")
    assert result.returncode == 1, result.output
    assert "content/eligibility.yaml:" in result.output
    assert "Traceback" not in result.output
    _assert_untouched(built_project, before, folder_snapshot)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_render_error_halfway_through_leaves_the_site_untouched(
    built_project, command, build_site, folder_snapshot
):
    before = folder_snapshot(built_project / "site")
    result = build_site(
        built_project, built_project / "site", command=command, prelude=RENDER_ERROR_ON_FIFTH_PAGE
    )
    assert not result.ok, result.output
    assert "injected render error" in result.output
    _assert_untouched(built_project, before, folder_snapshot)


def test_a_broken_theme_template_leaves_the_site_untouched(
    built_project, build_site, folder_snapshot, theme_override
):
    before = folder_snapshot(built_project / "site")
    original = (theme_override.package / "main.html").read_text(encoding="utf-8")
    broken = original + "\n{% block footer %}{{ 1 / 0 }}{% endblock %}\n"
    with theme_override(built_project, "main.html", broken):
        result = build_site(built_project, built_project / "site")
    assert not result.ok, result.output
    assert "ZeroDivisionError" in result.output or "division by zero" in result.output
    _assert_untouched(built_project, before, folder_snapshot)


def test_a_strict_mode_warning_leaves_the_site_untouched(
    built_project, build_site, folder_snapshot
):
    """MkDocs counts strict-mode warnings after the last plugin event, so this failure comes
    after everything has been written: the staged site must still not replace the old one."""
    before = folder_snapshot(built_project / "site")
    extra_page = built_project / "docs" / "extra.md"
    extra_page.write_text("# Extra\n\n[A page that is not there](missing.md)\n", encoding="utf-8")
    try:
        result = build_site(built_project, built_project / "site", strict=True, command="generator")
    finally:
        extra_page.unlink()
    assert result.returncode == 1, result.output
    assert "missing.md" in result.output
    assert "still holds the last website that built" in result.output
    assert "Traceback" not in result.output
    _assert_untouched(built_project, before, folder_snapshot)


def test_a_good_build_replaces_the_whole_site(built_project, build_site, folder_snapshot):
    """Through `python -m generator build`, which counts the pages once the new site is in place."""
    site = built_project / "site"
    stale = site / "stale-page" / "index.html"
    stale.parent.mkdir(exist_ok=True)
    stale.write_text("<p>from an older build</p>", encoding="utf-8")
    # What an interrupted build (killed halfway) leaves behind: tidied up by the next build.
    (built_project / ".site.building").mkdir(exist_ok=True)
    (built_project / ".site.building" / "half.html").write_text("half", encoding="utf-8")

    result = build_site(built_project, site, command="generator")
    assert result.ok, result.output
    assert f"Built {sum(1 for _ in site.rglob('*.html'))} pages into {site}" in result.output
    assert not stale.exists(), "a clean build keeps no file of the previous one"
    assert (site / "index.html").is_file() and (site / "search" / "search_index.json").is_file()
    assert not (site / "marker-from-the-last-good-build.txt").exists()
    assert sorted(p.name for p in built_project.iterdir() if p.name.startswith(".site.")) == []
    (site / "marker-from-the-last-good-build.txt").write_text("keep me", encoding="utf-8")


# -- StagedSite on its own: the steps of the swap, and recovery from an interrupted one ------------


def _make(folder, text):
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")


def test_publish_replaces_the_site_and_discard_leaves_it(tmp_path):
    _make(tmp_path / "site", "old")
    staged = StagedSite(tmp_path / "site")
    (staged.prepare() / "index.html").write_text("new", encoding="utf-8")
    staged.discard()
    assert (tmp_path / "site" / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]

    staged = StagedSite(tmp_path / "site")
    (staged.prepare() / "index.html").write_text("new", encoding="utf-8")
    staged.publish()
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_publish_into_a_site_folder_that_cannot_be_renamed(tmp_path, monkeypatch):
    """A mount point (a container's volume, say) cannot be renamed: its contents are replaced."""
    _make(tmp_path / "site", "old")
    (tmp_path / "site" / "stale.html").write_text("stale", encoding="utf-8")
    staged = StagedSite(tmp_path / "site")
    (staged.prepare() / "index.html").write_text("new", encoding="utf-8")
    real_replace = staging.os.replace

    def replace(source, destination):
        if Path(source) == tmp_path / "site":
            raise OSError(16, "Device or resource busy")
        real_replace(source, destination)

    monkeypatch.setattr(staging.os, "replace", replace)
    staged.publish()
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["index.html"]
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_publish_into_a_folder_that_does_not_exist_yet(tmp_path):
    staged = StagedSite(tmp_path / "public" / "site")
    (staged.prepare() / "index.html").write_text("new", encoding="utf-8")
    staged.publish()
    assert (tmp_path / "public" / "site" / "index.html").read_text() == "new"


def test_prepare_restores_a_site_renamed_away_by_an_interrupted_swap(tmp_path):
    _make(tmp_path / ".site.previous", "old")  # killed between the two renames
    _make(tmp_path / ".site.building", "new, maybe half written")
    StagedSite(tmp_path / "site").prepare()
    assert (tmp_path / "site" / "index.html").read_text() == "old"
    assert not (tmp_path / ".site.previous").exists()
    assert list((tmp_path / ".site.building").iterdir()) == []


def test_prepare_removes_the_old_site_left_after_a_finished_swap(tmp_path):
    _make(tmp_path / "site", "new")
    _make(tmp_path / ".site.previous", "old")  # killed before the old site was deleted
    StagedSite(tmp_path / "site").prepare()
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert not (tmp_path / ".site.previous").exists()
    shutil.rmtree(tmp_path / ".site.building")


# -- The swap interrupted at every step ------------------------------------------------------------

OLD_SITE = {"index.html": "old home", "pathway/index.html": "old pathway", "old-only.html": "old"}
NEW_SITE = {"index.html": "new home", "pathway/index.html": "new pathway", "new-only.html": "new"}
# Every call that changes a file system; shutil.rmtree and Path's methods go through these too.
FILE_SYSTEM_CALLS = ("replace", "rename", "unlink", "rmdir", "mkdir", "remove")


class _Killed(BaseException):
    """A kill at that step: nothing after it runs (publish catches only OSError)."""


def _write_tree(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")


def _read_tree(folder: Path) -> dict[str, str] | None:
    if not folder.is_dir():
        return None
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in folder.rglob("*")
        if path.is_file()
    }


def _staged_over_an_old_site(parent: Path) -> StagedSite:
    _write_tree(parent / "site", OLD_SITE)
    staged = StagedSite(parent / "site")
    _write_tree(staged.prepare(), NEW_SITE)
    staged.work_dir.mkdir()  # the engine's sources, deleted first by publish
    (staged.work_dir / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return staged


def _publish_killed_at(step: int | None, monkeypatch) -> int:
    """Run publish, killed just before its `step`-th file system call (None: never); return how
    many calls it made."""
    calls = 0
    with monkeypatch.context() as patch:
        for name in FILE_SYSTEM_CALLS:
            real = getattr(os, name)

            def counted(*args, _real=real, **kwargs):
                nonlocal calls
                calls += 1
                if calls == step:
                    raise _Killed
                return _real(*args, **kwargs)

            patch.setattr(os, name, counted)
        try:
            StagedSite(Path("site")).publish()
        except _Killed:
            pass
    return calls


def test_the_swap_killed_at_any_step_leaves_the_old_site_or_the_new_one(tmp_path, monkeypatch):
    """Whatever step of `publish` a kill stops, the site folder holds the old site or the new one,
    whole. Between its two renames the folder is briefly absent, with the old site whole beside it
    in `.site.previous`; the next build's first step (`prepare`) puts it back."""
    (tmp_path / "uninterrupted").mkdir()
    monkeypatch.chdir(tmp_path / "uninterrupted")
    _staged_over_an_old_site(Path.cwd())
    steps = _publish_killed_at(None, monkeypatch)
    assert _read_tree(Path("site")) == NEW_SITE
    assert steps >= 6, f"only {steps} file system calls: is publish still deleting the old site?"

    absent_at = []
    for step in range(1, steps + 1):
        monkeypatch.chdir(tmp_path)
        (tmp_path / f"step-{step}").mkdir()
        monkeypatch.chdir(tmp_path / f"step-{step}")
        staged = _staged_over_an_old_site(Path.cwd())
        _publish_killed_at(step, monkeypatch)
        found = _read_tree(staged.site_dir)
        if found is None:
            absent_at.append(step)
            assert _read_tree(staged.previous_dir) == OLD_SITE, f"killed at step {step}"
        else:
            assert found in (OLD_SITE, NEW_SITE), f"killed at step {step}: a mixed site {found}"
        StagedSite(staged.site_dir).prepare()  # what the next build does first
        assert _read_tree(staged.site_dir) in (OLD_SITE, NEW_SITE), f"after step {step}"
    assert len(absent_at) <= 1, f"the site folder was missing after steps {absent_at}"
