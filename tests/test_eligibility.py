"""The checker's graph, its Python evaluator, the `eligibility` command and the checker's pages.

The reviewed table tests/checker_paths.txt lists every path through the checker with its outcome.
When routing changes on purpose, review the difference and regenerate it:

    .venv/bin/python -m generator eligibility --paths > tests/checker_paths.txt
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator.cli import main
from generator.render.checker_site import SCRIPT, render_files
from generator.render.context import BuildContext
from generator.render.rendering import read_static
from generator.rules.eligibility import (
    Result,
    compile_graph,
    enumerate_paths,
    evaluate,
    format_path_table,
)
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
PATH_TABLE = ROOT / "tests" / "checker_paths.txt"
OTHER_SERVICE = ROOT / "tests" / "fixtures" / "other-service"
REGENERATE = "python -m generator eligibility --paths > tests/checker_paths.txt"
JS_BUDGET = 15 * 1024


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def graph(project):
    return compile_graph(project.checker)


@pytest.fixture(scope="module")
def site_files(project, tmp_path_factory):
    return render_files(project, BuildContext(ROOT, tmp_path_factory.mktemp("cache")))


# --- The graph -----------------------------------------------------------------------------------


def test_graph_holds_every_question_option_and_outcome_in_order(project, graph):
    checker = project.checker
    assert graph["start"] == checker.start
    assert [q["id"] for q in graph["questions"]] == [q.id for q in checker.questions]
    assert [o["id"] for o in graph["outcomes"]] == [o.id for o in checker.outcomes]
    first = graph["questions"][0]
    assert set(first) == {"id", "text", "hint", "criterion", "options"}
    # Every criterion is asked once, in the order checker.yaml gives (who is asking first).
    assert sorted(q["criterion"] for q in graph["questions"]) == sorted(
        c.id for c in project.eligibility.criteria
    )
    assert graph["questions"][0]["criterion"] == "case_holder"
    assert set(first["options"][0]) == {"id", "label", "next"}
    # The graph holds the editors' Markdown; only the published graph holds HTML.
    assert set(graph["outcomes"][0]) == {"id", "result", "title", "body"}
    assert [o["body"] for o in graph["outcomes"]] == [o.body for o in project.checker.outcomes]
    assert all(q["text"] and "{" not in q["text"] for q in graph["questions"])


def test_outcome_bodies_are_published_as_html_compiled_from_markdown(project, graph, site_files):
    published = json.loads(site_files["checker/graph.json"])
    # The published graph is the graph with each outcome's body as HTML, and nothing else changed.
    assert {**published, "outcomes": None} == {**graph, "outcomes": None}
    for mine, theirs in zip(published["outcomes"], graph["outcomes"], strict=True):
        assert list(mine) == ["id", "result", "title", "body_html"]
        assert [mine[k] for k in ("id", "result", "title")] == [
            theirs[k] for k in ("id", "result", "title")
        ]
    # Each blank-line-separated paragraph of the YAML's Markdown becomes one <p>, in order.
    compiled = {outcome["id"]: outcome["body_html"] for outcome in published["outcomes"]}
    checked = 0
    for outcome in project.checker.outcomes:
        blocks = [block.strip() for block in re.split(r"\n\s*\n", outcome.body) if block.strip()]
        if any(re.match(r"[-*+#>|]|\d+\.", block) for block in blocks):
            continue  # lists, headings, quotes and tables are not paragraphs
        body = compiled[outcome.id]
        assert body.startswith("<p>") and body.endswith("</p>"), outcome.id
        paragraphs = re.findall(r"<p>(.*?)</p>", body, re.DOTALL)
        assert len(paragraphs) == len(blocks), outcome.id
        for paragraph, block in zip(paragraphs, blocks, strict=True):
            first_word = block.split()[0]
            assert paragraph.startswith(str(escape(first_word))), (outcome.id, first_word)
        checked += len(blocks) > 1
    assert checked, "no outcome has two paragraphs: this test would check nothing"


def test_graph_is_plain_json(graph):
    assert json.loads(json.dumps(graph)) == graph


# --- Evaluating answers --------------------------------------------------------------------------


def test_no_answers_asks_the_first_question(graph):
    assert evaluate(graph, {}) == Result(outcome=None, path=(), next_question=graph["start"])


def test_incomplete_answers_name_the_next_question(graph):
    result = evaluate(graph, {"case_holder": "yes"})
    assert result.outcome is None
    assert result.path == (("case_holder", "yes"),)
    assert result.next_question == "age"


def test_answers_from_an_abandoned_branch_are_ignored(graph):
    # Answered "yes" all the way, then went back and changed the first answer: only it counts now.
    every_yes = {q["id"]: "yes" for q in graph["questions"]}
    assert evaluate(graph, every_yes).outcome == "refer"
    changed = {**every_yes, "case_holder": "no"}
    assert evaluate(graph, changed) == Result(
        outcome="ask_case_holder", path=(("case_holder", "no"),), next_question=None
    )


def test_an_answer_that_is_no_option_counts_as_none(graph):
    result = evaluate(graph, {"case_holder": "maybe", "age": "yes"})
    assert result == Result(outcome=None, path=(), next_question="case_holder")


def _reviewed_path_count() -> int:
    """How many paths the reviewed table (tests/checker_paths.txt) lists."""
    lines = (Path(__file__).with_name("checker_paths.txt")).read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if line.strip() and not line.startswith("#"))


def test_every_path_replays_to_its_outcome(graph):
    paths = enumerate_paths(graph)
    assert len(paths) == _reviewed_path_count()
    for found in paths:
        assert evaluate(graph, dict(found.path)) == found


def test_every_question_and_outcome_is_on_some_path(graph):
    paths = enumerate_paths(graph)
    asked = {question for found in paths for question, _ in found.path}
    reached = {found.outcome for found in paths}
    assert asked == {q["id"] for q in graph["questions"]}
    assert reached == {o["id"] for o in graph["outcomes"]}


def test_every_outcome_result_is_reachable(graph):
    results = {o["id"]: o["result"] for o in graph["outcomes"]}
    assert {results[found.outcome] for found in enumerate_paths(graph)} == {
        "eligible",
        "not_yet",
        "not_eligible",
    }


def _answers(graph):
    questions = graph["questions"]
    keys = st.sampled_from([q["id"] for q in questions] + ["unknown", "constructor"])
    values = st.sampled_from(sorted({o["id"] for q in questions for o in q["options"]}) + ["maybe"])
    return st.dictionaries(keys, values)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_only_answers_on_the_path_matter(graph, data):
    answers = data.draw(_answers(graph))
    result = evaluate(graph, answers)
    # The result is fully determined by the answers on its own path ...
    assert evaluate(graph, dict(result.path)) == result
    # ... which is the start of exactly one enumerated path (or all of one, at an outcome).
    prefixes = [
        found for found in enumerate_paths(graph) if found.path[: len(result.path)] == result.path
    ]
    assert prefixes
    if result.outcome:
        assert [found.outcome for found in prefixes] == [result.outcome]


# --- The reviewed table of every path ------------------------------------------------------------


def test_path_table_matches_the_routing(graph):
    expected = PATH_TABLE.read_text(encoding="utf-8")
    actual = format_path_table(graph)
    assert actual == expected, (
        "The checker's routing changed but tests/checker_paths.txt did not. Review the change, "
        f"then run: {REGENERATE}"
    )


def test_path_table_lists_one_line_per_path(graph):
    lines = [
        line
        for line in PATH_TABLE.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert len(lines) == len(enumerate_paths(graph))
    assert all(
        re.fullmatch(
            r"([a-z0-9_]+=[a-z0-9_]+ )+-> [a-z0-9_]+ \([a-z_]+\) \| meets: (none|[a-z0-9_ ]+)"
            r"( \| [a-z0-9_]+ not (met|known))?",
            line,
        )
        for line in lines
    )


def test_path_table_would_catch_a_routing_change(project_copy, edit_file):
    # `check` refuses an answer leading to another criterion's outcome, so change what one means.
    edit_file(
        project_copy / "content" / "checker.yaml",
        "- id: seek_agreement\n    result: not_yet",
        "- id: seek_agreement\n    result: not_eligible",
    )
    changed = format_path_table(compile_graph(load_project(project_copy).checker))
    assert changed != PATH_TABLE.read_text(encoding="utf-8")


# --- The command ---------------------------------------------------------------------------------


def _run(capsys, *argv):
    code = main(["--root", str(ROOT), "eligibility", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _write(tmp_path, content) -> str:
    path = tmp_path / "answers.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_command_prints_outcome_title_and_path(capsys, tmp_path):
    answers = {"case_holder": "yes", "age": "yes", "exploitation": "no"}
    code, out, _ = _run(capsys, "--answers", _write(tmp_path, answers))
    assert code == 0
    assert out.startswith("Outcome: not_cce (not_eligible)\n")
    assert "Trusted Relationships is for young people at risk of" in out
    assert "2. Is the young person aged 17 or under? -> Yes  [age=yes]" in out
    assert "[exploitation=no]" in out


def test_command_json_output(capsys, tmp_path):
    answers = {"case_holder": "yes", "age": "no", "cera": "yes"}
    code, out, _ = _run(capsys, "--answers", _write(tmp_path, answers), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True
    assert data["outcome"]["id"] == "over_age"
    assert data["outcome"]["result"] == "not_eligible"
    assert [(s["question"], s["answer"]) for s in data["path"]] == [
        ("case_holder", "yes"),
        ("age", "no"),
    ]
    assert data["ignored"] == ["cera"]
    assert data["criteria_met"] == ["case_holder"]


def test_command_lists_every_path(capsys):
    code, out, _ = _run(capsys, "--paths")
    assert code == 0
    assert out == PATH_TABLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "answers.json:1:2: this is not valid JSON"),
        ("", "answers.json:1:1: this is not valid JSON"),
        (
            '["age", "yes"]',
            (
                "expected a JSON object of question ids and the chosen answer ids, "
                'for example {"case_holder": "yes"}; found a list'
            ),
        ),
        ('"yes"', "found a string"),
        ('{"agee": "yes"}', "'agee' is not a question id (did you mean 'age'?)"),
        (
            '{"age": "maybe"}',
            (
                "'maybe' is not an answer to 'age' (Is the young person aged 17 or "
                "under?); use one of: yes, no"
            ),
        ),
        ('{"age": true}', "the answer to 'age' must be an answer id in quotes, one of: yes, no"),
        (
            '{"case_holder": "yes", "age": "yes"}',
            (
                "the answers stop before an outcome; the next question is "
                "'exploitation' (Is the young person at risk of, or subject to, child "
                'criminal exploitation (CCE)?): add "exploitation" with one of: yes, no'
            ),
        ),
        (
            '{"case_holder": "yes", "age": "yes", "exploitation": "yes"}',
            'add "risk_status" with one of: yes, no, not_known',
        ),
        ("{}", "the next question is 'case_holder'"),
    ],
)
def test_broken_answers_get_a_plain_message(capsys, tmp_path, content, message):
    code, out, err = _run(capsys, "--answers", _write(tmp_path, content))
    assert code == 1
    assert out == ""
    assert message in err


def test_every_problem_in_an_answers_file_is_listed(capsys, tmp_path):
    path = _write(tmp_path, {"x": "yes", "age": "maybe", "cera": 1})
    code, _, err = _run(capsys, "--answers", path)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 4 and all(line.startswith(f"{path}: ") for line in lines[:3])
    assert lines[3] == f"3 problems found in {path}."


def test_broken_answers_as_json(capsys, tmp_path):
    answers = {"case_holder": "yes", "age": "yes"}
    code, out, _ = _run(capsys, "--answers", _write(tmp_path, answers), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    assert "the next question is 'exploitation'" in data["problems"][0]["message"]
    assert data["problems"][0]["code"] == "answers"


def test_missing_and_unreadable_answers_files(capsys, tmp_path):
    code, _, err = _run(capsys, "--answers", str(tmp_path / "nowhere.json"))
    assert code == 1 and "there is no such file" in err
    binary = tmp_path / "answers.json"
    binary.write_bytes(b"\xff\xfe\x00")
    code, _, err = _run(capsys, "--answers", str(binary))
    assert code == 1 and "this is not a UTF-8 text file" in err


def test_command_runs_as_a_module(tmp_path):
    answers = _write(
        tmp_path,
        {
            q: "yes"
            for q in (
                "age",
                "exploitation",
                "open_to_cf",
                "case_holder",
                "cera",
                "mace",
                "risk_status",
                "mace_recommends",
                "young_person_agrees",
                "family_agrees",
            )
        },
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(ROOT),
            "eligibility",
            "--answers",
            answers,
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["outcome"]["id"] == "refer"


# --- Another service builds too ------------------------------------------------------------------


def test_another_service_compiles_and_renders(tmp_path):
    other = load_project(OTHER_SERVICE)
    graph = compile_graph(other.checker)
    assert {found.outcome for found in enumerate_paths(graph)} == {
        "join",
        "too_old",
        "rate_first",
        "ask_first",
    }
    files = render_files(other, BuildContext(OTHER_SERVICE, tmp_path))
    assert {
        "checker/index.md",
        "checker/q/age.md",
        "checker/q/risk.md",
        "checker/outcome/join.md",
        "checker/graph.json",
    } <= set(files)
    assert "Trusted Relationships" not in "".join(
        v for v in files.values() if isinstance(v, str) and not v.startswith("/*")
    )


# --- The pages -----------------------------------------------------------------------------------


def test_pages_for_every_question_and_outcome(site_files, project):
    for question in project.checker.questions:
        page = site_files[f"checker/q/{question.id}.md"]
        assert str(escape(question.text)) in page
        for option in question.options:
            assert f"[{escape(option.label)}](" in page.replace("\\", "")
    for outcome in project.checker.outcomes:
        assert f"checker/outcome/{outcome.id}.md" in site_files


def test_every_outcome_offers_next_steps_that_fit_its_result(project, site_files):
    """Only an eligible outcome offers the referral form; over-age and external-agency offer none."""
    for outcome in project.checker.outcomes:
        page = site_files[f"checker/outcome/{outcome.id}.md"]
        offers_form = "referral-form.md" in page or "referral-form-blank.pdf" in page
        assert offers_form == (outcome.result == "eligible"), outcome.id
        assert outcome.next_steps, outcome.id
    start = site_files["checker/index.md"]
    for outcome_id in ("over_age", "ask_case_holder"):
        block = start[start.index(f'data-tr-next="{outcome_id}"') :]
        block = block[: block.index("</div>")]
        assert "referral-form" not in block


def test_no_outcome_asks_for_a_step_the_answers_say_is_done(project, graph):
    """Along every path, the outcome is the not-met (or not-known) outcome of the last criterion
    asked, so it never asks for an earlier step; an eligible outcome follows every criterion."""
    own = {c.id: {"no": c.not_met, "not_known": c.not_known} for c in project.eligibility.criteria}
    criterion_of = {q.id: q.criterion for q in project.checker.questions}
    paths = enumerate_paths(graph)
    assert len(paths) == _reviewed_path_count()
    unknown = 0
    for found in paths:
        question, answer = found.path[-1]
        result = project.checker.outcome(found.outcome).result
        if answer == "yes":
            assert result == "eligible", found
            assert {criterion_of[q] for q, _ in found.path} == set(own), found
        else:
            assert found.outcome == own[criterion_of[question]][answer], found
            unknown += answer == "not_known"
    assert unknown >= 4, "risk status, open to C&F, CERA and MACE each offer I don't know"


def test_the_static_why_lists_every_deciding_answer(project, site_files, graph):
    paths = enumerate_paths(graph)
    assert len(paths) == _reviewed_path_count()
    for found in paths:
        page = site_files[f"checker/outcome/{found.outcome}.md"]
        # One list of the answers: the path's, each with a Change link to its question's page.
        assert "<h2>Why</h2>" not in page and page.count("<h2>Your answers</h2>") == 1
        answers = page[page.index("<h2>Your answers</h2>") : page.index("</dl>")]
        assert answers.count("govuk-summary-list__row") == len(found.path), found.outcome
        changes = re.findall(r'href="\.\./\.\./\.\./checker/q/([a-z0-9_]+)/">Change', answers)
        assert changes == [question for question, _ in found.path], found.outcome
        # As on the page the script draws: what to do next, then the answers, then start again.
        order = ["<h2>What to do next</h2>", "<h2>Your answers</h2>", "Start again"]
        assert sorted(order, key=page.index) == order, found.outcome


def test_start_page_embeds_the_same_graph_as_graph_json(site_files, graph):
    start = site_files["checker/index.md"]
    embedded = re.search(
        r'<script type="application/json" data-tr-graph>(.*?)</script>', start, re.DOTALL
    )
    published = json.loads(site_files["checker/graph.json"])
    assert json.loads(embedded.group(1)) == published
    assert published["questions"] == graph["questions"]
    assert "</" not in embedded.group(1)


def test_no_link_carries_a_query_or_an_answer(site_files):
    checked = 0
    for path, content in site_files.items():
        if path.endswith(".md"):
            for target in re.findall(r"\]\(([^)]*)\)", content) + re.findall(
                r'href="([^"]*)"', content
            ):
                assert "?" not in target and "#" not in target, (path, target)
                checked += 1
    assert checked >= 20, f"only {checked} links found: are the pages still read?"


def test_plain_text_is_kept_from_markdown(project, tmp_path, edit_file, project_copy):
    edit_file(
        project_copy / "content" / "eligibility.yaml",
        'not_met: "No, they are older"',
        'not_met: "No *really* [older](x)"',
    )
    files = render_files(load_project(project_copy), BuildContext(project_copy, tmp_path))
    assert (
        "[No &#42;really&#42; &#91;older&#93;(x)](../outcome/over_age.md)"
        in files["checker/q/age.md"]
    )


def test_script_is_small_and_keeps_nothing(site_files):
    script = site_files[SCRIPT]
    assert len(script.encode("utf-8")) <= JS_BUDGET
    # The site gets a minified copy (names shortened); what the code does is read in the source.
    source = read_static("js/checker.js")
    for forbidden in (
        "localStorage",
        "sessionStorage",
        "document.cookie",
        "fetch(",
        "XMLHttpRequest",
        "sendBeacon",
        "location.hash",
        "location.search",
        "indexedDB",
        "eval(",
    ):
        assert forbidden not in script, forbidden
        assert forbidden not in source, forbidden
    # History entries hold the step number and nothing else.
    assert re.findall(r"(?:push|replace)State\(([^,]*),", source) == [
        "{ step: step }",
        "{ step: step }",
        "null",
    ]
    # Each step's address is its static page's, from the page's own links: never an answer.
    assert re.findall(r"(?:push|replace)State\([^,]*, \"\", ([^)]*\)?)\)", source) == [
        "this.hrefOf(step)",
        "this.hrefOf(step)",
    ]


def test_every_interface_word_the_script_uses_is_in_the_page(site_files):
    script = read_static("js/checker.js")  # the source: the minified copy renames `text`
    start = site_files["checker/index.md"]
    words = json.loads(re.search(r"data-tr-text>(.*?)</script>", start, re.DOTALL).group(1))
    used = set(re.findall(r"\btext\.([a-z_]+)", script))
    assert used and used <= set(words), used - set(words)
    assert set(words["results"]) == {"eligible", "not_yet", "not_eligible"}


def test_a_static_page_reached_from_two_questions_offers_a_way_back_to_each():
    """Without JavaScript the page cannot know which question led to it: one link to each."""
    from types import SimpleNamespace

    from generator.render.checker_site import _back_links

    first = SimpleNamespace(id="age", text="How old?")
    second = SimpleNamespace(id="risk", text="Is there a risk?")
    links = _back_links([(first, None), (second, None)], start=False, from_outcome=True)
    assert links == [("How old?", "../q/age.md"), ("Is there a risk?", "../q/risk.md")]
    assert _back_links([(first, None)], start=False) == [("", "age.md")]


# --- Plain English -------------------------------------------------------------------------------


def _sentences(markdown: str) -> list[str]:
    """The sentences of a text as readers see them: Markdown marks and list bullets dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("**", "")
    text = re.sub(r"^\s*[-*] ", "", text, flags=re.MULTILINE)
    found = []
    for block in re.split(r"\n\s*\n|\n(?=\S)", text):
        found += [s for s in re.split(r"(?<=[.!?;:])\s+", " ".join(block.split())) if s]
    return found


def test_the_checker_words_we_write_have_sentences_of_25_words_or_fewer(project):
    """Framing text we write is plain English; the seed's own sentences stay as the seed's."""
    from tests.test_pages import SEED_SENTENCES

    seed = " ".join(" ".join(SEED_SENTENCES).split())
    checker = project.checker
    texts = [checker.title, checker.intro]
    for question in checker.questions:
        texts += [question.text, question.hint, *(o.label for o in question.options)]
    for outcome in checker.outcomes:
        texts += [outcome.title, outcome.body]
    long = [
        sentence
        for text in texts
        for sentence in _sentences(text)
        if len(sentence.split()) > 25 and sentence not in seed
    ]
    assert long == [], "sentences over 25 words:\n" + "\n".join(long)
    assert sum(len(_sentences(text)) for text in texts) > 60, "are the texts still read?"


def test_every_outcome_says_who_to_talk_to(project):
    contact = project.service.contacts[0].name
    for outcome in project.checker.outcomes:
        body = " ".join(outcome.body.split())
        named = [who for who in (contact, "MACE Level 1 forum", "case-holder") if who in body]
        assert named, f"{outcome.id} names no one to talk to"
    refer = " ".join(project.checker.outcome("refer").body.split())
    # Who submits, where, what to have ready, what happens next, and what the site's form is for.
    for words in ("case-holder", "LCS", "CERA", "MACE Level 1", "Referrals Panel", "prepare"):
        assert words in refer, words
