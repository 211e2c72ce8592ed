"""The command line as its users meet it: help for every command and option, one table of exit codes
(in `--help` and the README), the console command and `--version`, options that do not apply
refused, and a closed pipe ending quietly."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from generator import cli
from generator.commands import check as check_command
from generator.commands.options import EXIT_CODES, format_exit_codes
from generator.problems import WARNING, Location, Problem
from generator.rules.eligibility import compile_graph, format_path_table
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
OTHER_SERVICE = FIXTURES / "other-service"
EXAMPLE = ROOT / "forms" / "examples" / "referral-example.json"
INVALID = ROOT / "tests" / "submissions" / "invalid" / "aged-18-on-the-referral-date.json"
TODAY = "2026-11-26"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command in this process: (exit code, stdout, stderr), usage errors included."""
    try:
        code = cli.main(list(argv))
    except SystemExit as stop:  # argparse's usage errors and --help
        code = stop.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_process(*argv: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *argv],
        capture_output="stdout" not in options and "stderr" not in options,
        text=True,
        check=False,
        cwd=ROOT,
        **options,
    )


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


# --- Help ----------------------------------------------------------------------------------------


def test_every_command_and_every_option_has_help():
    parser = cli.build_parser()
    commands = _subparsers(parser)
    listed = {action.dest: action.help for action in commands._choices_actions}
    assert list(listed) == ["check", "build", "serve", "eligibility", "validate", "pdf"]
    for name, command in commands.choices.items():
        assert listed[name], f"{name} has no line in the list of commands"
        assert command.description, f"`{name} --help` describes nothing"
    for owner in (parser, *commands.choices.values()):
        for action in owner._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and action.help != argparse.SUPPRESS, (
                f"{owner.prog}: {'/'.join(action.option_strings) or action.dest} has no help"
            )


@pytest.mark.parametrize(
    "command", ["", "check", "build", "serve", "eligibility", "validate", "pdf"]
)
def test_every_help_lists_the_same_exit_codes(capsys, command):
    code, out, _ = run(capsys, *([command] if command else []), "--help")
    assert code == 0
    assert out.startswith(f"usage: python -m generator {command}".rstrip())
    assert out.endswith(format_exit_codes() + "\n")


def test_the_exit_code_table_in_help_is_the_table():
    lines = format_exit_codes().splitlines()
    assert lines[0] == "exit codes:"
    assert [tuple(line.split(maxsplit=1)) for line in lines[1:]] == [
        (str(code), words) for code, words in EXIT_CODES
    ]
    assert [code for code, _ in EXIT_CODES][:5] == [0, 1, 2, 3, 4]


def test_the_readme_lists_the_same_exit_codes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme[readme.index("## Commands\n") :]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", commands, flags=re.MULTILINE)
    assert [(int(code), words) for code, words in rows] == list(EXIT_CODES)


def test_the_readme_gives_every_command_with_the_console_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme[
        readme.index("## Commands\n") : readme.index("\n## ", readme.index("## Commands"))
    ]
    for name in _subparsers(cli.build_parser()).choices:
        assert f"    {cli.CONSOLE_COMMAND} {name} " in commands, f"the README lacks `{name}`"
    assert "python -m generator" in commands  # said to be the same command


# --- The console command and --version -----------------------------------------------------------


def test_the_console_command_is_declared_and_installed():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"] == {cli.CONSOLE_COMMAND: "generator.cli:console_main"}
    assert pyproject["project"]["name"] == cli.DISTRIBUTION
    installed = Path(sys.executable).parent / cli.CONSOLE_COMMAND
    shown = subprocess.run(
        [str(installed), "check", "--help"], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("usage: guide-generator check ")


def test_each_way_of_running_names_itself_in_help(capsys, monkeypatch):
    assert run_process("--help").stdout.startswith("usage: python -m generator ")
    monkeypatch.setattr(sys, "argv", ["guide-generator", "validate", "--help"])
    with pytest.raises(SystemExit) as stop:
        cli.console_main()
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("usage: guide-generator validate ")


def test_version_comes_from_the_package_metadata(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out == f"python -m generator {metadata.version('trusted-relationships-guide')}\n"


# --- Exit codes, per command ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("broken") / "service"
    shutil.copytree(OTHER_SERVICE, root)
    (root / "content" / "guide.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check"], 0),
        (["--root", "{broken}", "check"], 1),
        (["check", "--format", "yaml"], 2),
        (["--root", "{broken}", "build"], 1),
        (["build", "--engine", "sphinx"], 2),
        (["serve", "--port", "0"], 2),
        (["serve", "--port", "eighty"], 2),
        (["eligibility", "--paths"], 0),
        (["eligibility", "--answers", "{missing}"], 1),
        (["eligibility"], 2),
        (["validate", str(EXAMPLE)], 0),
        (["validate", "--today", TODAY, str(INVALID)], 1),
        (["validate", "--today", "26/11/2026", str(EXAMPLE)], 2),
        (["pdf", "--today", TODAY, str(INVALID)], 1),
        (["pdf", "--today", TODAY, str(EXAMPLE), "-o", "{folder}"], 2),
        (["--root", "{missing}", "check"], 2),
    ],
)
def test_each_command_exits_with_the_tables_codes(capsys, tmp_path, broken_root, argv, expected):
    values = {
        "broken": str(broken_root),
        "missing": str(tmp_path / "nowhere"),
        "folder": str(tmp_path),
    }
    code, _, err = run(capsys, *(word.format(**values) for word in argv))
    assert code == expected, err


def test_a_bug_exits_3_with_one_plain_line(capsys, monkeypatch):
    def broken(root):
        raise RuntimeError("the loader fell over")

    monkeypatch.setattr(check_command, "check_sources", broken)
    code, out, err = run(capsys, "check")
    assert (code, out) == (3, "")
    assert err == (
        "Something went wrong inside the generator; this is a bug, not a mistake in your files.\n"
        "Please report it with this line: RuntimeError: the loader fell over\n"
    )


def test_warnings_alone_exit_4_and_are_reported_as_warnings(capsys, monkeypatch):
    warning = Problem(
        Location("content/eligibility.yaml", 30, 9),
        "the seed says 'should' here",
        "should",
        WARNING,
    )
    monkeypatch.setattr(check_command, "check_sources", lambda root: [warning])
    code, out, err = run(capsys, "check")
    assert (code, out) == (4, "")
    assert err == (
        "content/eligibility.yaml:30:9: warning: the seed says 'should' here\n"
        "1 warning found in the sources, and no problems.\n"
    )
    code, out, _ = run(capsys, "check", "--format", "github")
    assert (code, out) == (
        4,
        "::warning file=content/eligibility.yaml,line=30,col=9::the seed says 'should' here\n",
    )
    error = Problem(Location("content/guide.yaml", 2, 1), "'title' is missing here: add it")
    monkeypatch.setattr(check_command, "check_sources", lambda root: [error, warning])
    assert run(capsys, "check")[0] == 1


# --- Options that do not apply are refused, or work ----------------------------------------------


def test_contradicting_formats_are_refused(capsys):
    code, out, err = run(capsys, "check", "--json", "--format", "github")
    assert (code, out) == (2, "")
    assert "argument --format: not allowed with argument --json" in err


def test_a_root_that_is_no_folder_is_refused_plainly(capsys, tmp_path):
    code, _, err = run(capsys, "--root", str(tmp_path / "nowhere"), "check")
    assert code == 2
    assert err.endswith(f"argument --root: '{tmp_path / 'nowhere'}' is not a folder\n")


def test_paths_as_json_give_every_path_of_the_table(capsys):
    code, out, _ = run(capsys, "eligibility", "--paths", "--json")
    assert code == 0
    document = json.loads(out)
    table = format_path_table(compile_graph(load_project(ROOT).checker)).splitlines()[2:]
    assert document["ok"] is True and len(document["paths"]) == len(table)
    for path, line in zip(document["paths"], table, strict=True):
        steps = " ".join(f"{step['question']}={step['answer']}" for step in path["path"])
        outcome = path["outcome"]
        met = " ".join(path["criteria_met"]) or "none"
        left = "".join(f" | {words}" for words in path["criteria_left"])
        assert line == f"{steps} -> {outcome['id']} ({outcome['result']}) | meets: {met}{left}"


@pytest.mark.parametrize("format", ["text", "json", "github", "gitlab"])
def test_output_writes_the_report_in_every_format(capsys, tmp_path, broken_root, format):
    report = tmp_path / "report"
    code, out, err = run(
        capsys, "--root", str(broken_root), "check", "--format", format, "--output", str(report)
    )
    assert (code, out) == (1, "")
    written = report.read_text(encoding="utf-8")
    # The terminal lists the problems in words, whatever the file holds.
    assert err.startswith("content/guide.yaml:2:1: this is not valid YAML") and err.endswith(
        "nothing was built.\n"
    )
    if format == "text":
        assert written == err
    elif format == "json":
        assert json.loads(written)["problems"][0]["file"] == "content/guide.yaml"
    elif format == "github":
        assert written.startswith("::error file=content/guide.yaml,line=2,col=1::")
    else:
        assert json.loads(written)[0]["location"]["path"] == "content/guide.yaml"


def test_output_of_a_clean_check_holds_the_all_clear(capsys, tmp_path):
    report = tmp_path / "report.txt"
    assert run(capsys, "check", "--output", str(report))[:2] == (
        0,
        "No problems found in the sources.\n",
    )
    assert report.read_text(encoding="utf-8") == "No problems found in the sources.\n"


def test_validate_writes_its_report_too(capsys, tmp_path):
    report = tmp_path / "report.json"
    code, _, err = run(
        capsys, "validate", "--today", TODAY, str(INVALID), "--json", "--output", str(report)
    )
    assert code == 1 and err.endswith(f"1 problem found in {INVALID}.\n")
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["problems"][0]["file"] == str(INVALID)
    code, _, err = run(
        capsys, "validate", str(EXAMPLE), "--output", str(tmp_path / "no-folder" / "report.txt")
    )
    assert code == 2 and "the report cannot be written there" in err


def test_a_referrals_problems_point_into_the_saved_file(capsys):
    saved = ROOT / "tests" / "submissions" / "invalid" / "group-problems.json"
    code, out, _ = run(capsys, "validate", "--json", "--today", TODAY, str(saved))
    problems = json.loads(out)["problems"]
    assert code == 1
    assert [p["pointer"] for p in problems[:3]] == [
        "/other_agencies/0/contact",
        "/other_agencies/0/role",
        "/other_agencies/1",
    ]
    data = json.loads(saved.read_text(encoding="utf-8"))
    for problem in problems:
        *parents, last = problem["pointer"].split("/")[1:]
        value = data
        for part in parents:  # each step but the last exists (a missing answer is the last)
            value = value[int(part)] if isinstance(value, list) else value[part]
        assert isinstance(value, list | dict), problem
        assert problem["field"] == ".".join([*parents, last])


# --- A closed pipe -------------------------------------------------------------------------------


def _run_with_closed(stream: str, *argv: str, buffered: bool) -> subprocess.CompletedProcess:
    """Run the command with `stream` (stdout or stderr) a pipe nobody reads: its read end is
    closed before the command starts, so every write to it fails as `| head` makes it fail.
    `buffered` as a shell runs it; unbuffered as with PYTHONUNBUFFERED, which CI may set."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        environment["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        other = "stderr" if stream == "stdout" else "stdout"
        return run_process(*argv, env=environment, **{stream: write_end, other: subprocess.PIPE})
    finally:
        os.close(write_end)


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_closed_pipe_ends_quietly(broken_root, buffered):
    cut = _run_with_closed("stdout", "eligibility", "--paths", buffered=buffered)
    assert (cut.returncode, cut.stderr) == (141, "")
    cut = _run_with_closed("stdout", "eligibility", "--paths", "--json", buffered=buffered)
    assert (cut.returncode, cut.stderr) == (141, "")
    # A line small enough to wait in Python's buffer until the end.
    cut = _run_with_closed("stdout", "check", buffered=buffered)
    assert (cut.returncode, cut.stderr) == (141, "")
    # Problems go to stderr: closing that pipe ends as quietly.
    cut = _run_with_closed("stderr", "--root", str(broken_root), "check", buffered=buffered)
    assert (cut.returncode, cut.stdout) == (141, "")


def test_a_broken_pipe_inside_the_generator_is_a_bug(capsys, monkeypatch):
    def broken(root):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(check_command, "check_sources", broken)
    code, _, err = run(capsys, "check")
    assert code == 3 and "Please report it with this line: BrokenPipeError" in err
