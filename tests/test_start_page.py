"""The home page is a start page (issue 19): the one-minute facts come from the criteria and the
pathway, never retyped; the words we frame them with are plain English; a fact changed once in
YAML changes the facts. The start button's place on screen is measured in
tests/browser/test_start_page_in_browser.py."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import yaml

from generator.render import pages
from generator.render.context import BuildContext
from generator.render.pdf import guide_html
from generator.sources.facts import collect_facts
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
# tests/test_pages.py's seed sentence, the one {eligibility.sentence} writes.
SEED_ELIGIBILITY = (
    "In terms of eligibility for Trusted Relationships support, a young person must be aged 17 or "
    "below, have an exploitation risk status assigned ('Low', 'Medium' or 'High') and be open to a "
    "Children & Families (C&F) Service."
)
MAX_FACTS_WORDS = 120  # issue 19: the one-minute facts in at most about 120 words
MAX_SENTENCE_WORDS = 25  # notes/style.md: the sentences we write


def _home_html(root: Path, tmp_path: Path) -> str:
    project = load_project(root)
    page = pages.render_files(project, BuildContext(root, tmp_path / "cache"))["index.md"]
    return markdown.markdown(page.split("---", 2)[2], extensions=["attr_list", "md_in_html"])


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _start_block(page: str) -> str:
    """The start block's HTML: the facts, the button, the links and the contact."""
    return page.split('<div class="tr-start">', 1)[1].split("</div>", 1)[0]


def _framing_sentences(block: str) -> list[str]:
    """Each paragraph's sentences, and each list read as its lead-in and one item: what a reader
    takes in as one sentence."""
    sentences = []
    lead = ""
    for tag, inner in re.findall(r"<(p|ul)\b[^>]*>(.*?)</\1>", block, re.DOTALL):
        if tag == "p":
            lead = _text(inner)
            sentences += [s for s in re.split(r"(?<=[.?!])\s+", lead) if s]
        else:
            sentences += [f"{lead} {_text(item)}" for item in re.findall(r"<li>(.*?)</li>", inner)]
    return sentences


def test_the_facts_are_the_criteria_short_words_and_the_pathway_boxes_marked(tmp_path):
    project = load_project(ROOT)
    block = _start_block(_home_html(ROOT, tmp_path))
    items = [_text(item) for item in re.findall(r"<li>(.*?)</li>", block, re.DOTALL)]
    shorts = [c.short for c in project.eligibility.criteria]
    assert len(shorts) == len(project.eligibility.criteria)  # every criterion has its short words
    # Whom the service is for first, as one sentence; then who can be referred, then the route.
    for_whom = [c.short for c in project.eligibility.criteria if c.kind == "scope"]
    assert for_whom == ["are at risk of or subject to Child Criminal Exploitation (CCE)"]
    assert _text(block).startswith(
        f"Trusted Relationships is for a young person if they {for_whom[0]}."
    )
    assert items == [
        c.short
        for kind in ("eligibility", "route")
        for c in project.eligibility.criteria
        if c.kind == kind
    ]
    marked = [s.text for s in project.pathway.steps if s.start_page]
    assert marked == ["The case-holder submits a referral on LCS"]
    for text in marked:
        assert text in _text(block)


def test_the_start_button_the_links_and_the_contact(tmp_path):
    project = load_project(ROOT)
    block = _start_block(_home_html(ROOT, tmp_path))
    button = re.findall(
        r'<a class="govuk-button govuk-button--start" href="([^"]+)">(.*?)</a>', block
    )
    assert [(href, _text(words)) for href, words in button] == [
        # Straight to the first question: this page says what the checker's start page says.
        (f"checker/q/{project.checker.start}.md", "Check if you can refer")
    ]
    assert _text(project.checker.intro) in _text(block)
    assert '<svg class="govuk-button__start-icon"' in button[0][1]  # the arrow
    assert '<a href="how-to-refer.md">how to refer</a>' in block
    assert f'<a href="referral-form.md">{html.escape(project.form.title)}</a>' in block
    contact = project.service.contacts[0]
    who = html.escape(f"{contact.name}, {contact.role}", quote=False)
    assert f'<a href="mailto:{contact.email}">{who}</a>' in block


def test_the_framing_sentences_are_short_and_the_facts_fit_a_minute(tmp_path):
    block = _start_block(_home_html(ROOT, tmp_path))
    sentences = _framing_sentences(block)
    assert len(sentences) >= 12, sentences
    long = [
        f"{len(s.split())} words: {s}" for s in sentences if len(s.split()) > MAX_SENTENCE_WORDS
    ]
    assert long == []
    facts = block.split('<a class="govuk-button', 1)[0]
    assert len(_text(facts).split()) <= MAX_FACTS_WORDS


def test_the_sentence_check_finds_a_long_sentence():
    long = " ".join(["word"] * 30)
    sentences = _framing_sentences(f"<p>The referral:</p><ul><li>{long}</li></ul>")
    assert [len(s.split()) > MAX_SENTENCE_WORDS for s in sentences] == [False, True]


def test_the_facts_follow_the_age_limit_and_a_risk_status(project_copy, edit_file, tmp_path):
    eligibility = project_copy / "content" / "eligibility.yaml"
    edit_file(eligibility, "upper_age: 17\n", "upper_age: 18\n")
    edit_file(eligibility, "        label: High\n", "        label: Very high\n")
    facts = _text(_start_block(_home_html(project_copy, tmp_path)))
    assert "are aged 18 or below" in facts and "17" not in facts
    assert "('Low', 'Medium' or 'Very high')" in facts


def test_the_facts_follow_a_criterion_removed_and_a_box_unmarked(project_copy, edit_file, tmp_path):
    # No criterion is named in the template: one without short words is simply not listed.
    edit_file(
        project_copy / "content" / "eligibility.yaml", "    short: follows a completed CERA\n", ""
    )
    edit_file(project_copy / "content" / "pathway.yaml", "    start_page: true\n", "")
    facts = _text(_start_block(_home_html(project_copy, tmp_path)))
    assert "follows a completed CERA" not in facts and "follows a discussion at the MACE" in facts
    assert "LCS" not in facts


def test_the_eligibility_sentence_is_the_seeds_and_written_once(tmp_path):
    project = load_project(ROOT)
    page = _text(_home_html(ROOT, tmp_path))
    assert page.count(SEED_ELIGIBILITY) == 1
    # Its lead-in is written once, in content/eligibility.yaml, and nowhere else by hand.
    lead = "In terms of eligibility"
    assert project.eligibility.lead_in.startswith(lead)
    written = [
        path.relative_to(ROOT).as_posix()
        for folder in ("content", "forms", "generator")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file()
        and path.suffix in {".yaml", ".j2", ".html", ".py", ".json"}
        and lead in path.read_text(encoding="utf-8")
    ]
    assert written == ["content/eligibility.yaml"]


def test_the_eligibility_sentence_follows_the_criteria_of_its_kind():
    service = yaml.safe_load((ROOT / "content" / "service.yaml").read_text(encoding="utf-8"))
    eligibility = yaml.safe_load((ROOT / "content" / "eligibility.yaml").read_text("utf-8"))
    assert collect_facts(service, eligibility)["eligibility.sentence"] == SEED_ELIGIBILITY
    criteria = eligibility["criteria"]
    added = {"id": "lives_here", "kind": "eligibility", "text": "live in {service.area}"}
    criteria.insert(len(criteria) - 1, added)  # not of kind eligibility: the order stays theirs
    criteria[0] = {**criteria[0], "kind": "route"}  # the age limit no longer in the sentence
    eligibility["lead_in"] = "To be referred, a {service.person} must"
    assert collect_facts(service, eligibility)["eligibility.sentence"] == (
        "To be referred, a young person must have an exploitation risk status assigned ('Low', "
        "'Medium' or 'High'), be open to a Children & Families (C&F) Service and live in North "
        "Yorkshire."
    )
    del eligibility["lead_in"]
    sentence = collect_facts(service, eligibility)["eligibility.sentence"]
    assert sentence.startswith("To be eligible, a young person must have an exploitation risk")


def test_the_facts_keep_each_criterion_s_strength():
    # A should is not shown as a must: the family's agreement reads "should" on the start page.
    criteria = load_project(ROOT).eligibility.criteria
    should = [c.id for c in criteria if c.strength == "should"]
    assert should == ["family_agrees"]
    wrong = [c.id for c in criteria if ("should" in c.short.split()) != (c.strength == "should")]
    assert wrong == []


def test_the_summary_and_the_guide_pdf_pick_no_criterion_by_hand(tmp_path):
    # The summary (the home page's description, the Open Referral record's) quotes the criteria;
    # the guide PDF lists every criterion by kind after the lead-in, and no summary of its own.
    project = load_project(ROOT)
    scope = project.eligibility.criterion("exploitation")
    assert scope.kind == "scope"
    assert project.guide.summary == f"{scope.text} {SEED_ELIGIBILITY}"
    pdf = guide_html(project)
    assert 'class="summary"' not in pdf
    box = _text(pdf.split('<aside class="criteria"', 1)[1].split("</aside>", 1)[0])
    assert f"{project.eligibility.lead_in}:" in box
    for criterion in project.eligibility.criteria:
        assert _text(html.escape(criterion.text)) in box
