"""The home page is a start page (issue 19): the one-minute facts come from the criteria and the
pathway, never retyped; the words we frame them with are plain English; a fact changed once in
YAML changes the facts. The start button's place on screen is measured in
tests/browser/test_start_page.py."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown

from generator.render import pages
from generator.render.context import BuildContext
from generator.render.pdf import guide_html
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


def _pdf_facts(root: Path) -> str:
    """The guide PDF's first block: the same facts."""
    page = guide_html(load_project(root))
    return _text(page.split('<div class="summary">', 1)[1].split("<aside", 1)[0])


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
    shorts = [c.short for c in project.eligibility.criteria if c.short]
    assert len(shorts) >= 8  # every criterion of the shipped content has its short words
    assert items == shorts
    marked = [s.text for s in project.pathway.steps if s.start_page]
    assert marked == ["The case-holder submits a referral on LCS"]
    for text in marked:
        assert text in _text(block)
    # The guide PDF opens with the same facts, in the same order.
    pdf = _pdf_facts(ROOT)
    assert [pdf.index(short) for short in shorts] == sorted(pdf.index(short) for short in shorts)
    assert marked[0] in pdf


def test_the_start_button_the_links_and_the_contact(tmp_path):
    project = load_project(ROOT)
    block = _start_block(_home_html(ROOT, tmp_path))
    button = re.findall(
        r'<a class="govuk-button govuk-button--start" href="([^"]+)">(.*?)</a>', block
    )
    assert [(href, _text(words)) for href, words in button] == [
        ("checker/index.md", "Check if you can refer")
    ]
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
    assert len(_text(block).split()) <= MAX_FACTS_WORDS


def test_the_sentence_check_finds_a_long_sentence():
    long = " ".join(["word"] * 30)
    sentences = _framing_sentences(f"<p>The referral:</p><ul><li>{long}</li></ul>")
    assert [len(s.split()) > MAX_SENTENCE_WORDS for s in sentences] == [False, True]


def test_the_facts_follow_the_age_limit_and_a_risk_status(project_copy, edit_file, tmp_path):
    eligibility = project_copy / "content" / "eligibility.yaml"
    edit_file(eligibility, "upper_age: 17\n", "upper_age: 18\n")
    edit_file(eligibility, "        label: High\n", "        label: Very high\n")
    facts = _text(_start_block(_home_html(project_copy, tmp_path)))
    pdf = _pdf_facts(project_copy)
    for text in (facts, pdf):
        assert "are aged 18 or below" in text and "17" not in text
        assert "('Low', 'Medium' or 'Very high')" in text


def test_the_facts_follow_a_criterion_removed_and_a_box_unmarked(project_copy, edit_file, tmp_path):
    # No criterion is named in the template: one without short words is simply not listed.
    edit_file(project_copy / "content" / "eligibility.yaml", "    short: follows a CERA\n", "")
    edit_file(project_copy / "content" / "pathway.yaml", "    start_page: true\n", "")
    facts = _text(_start_block(_home_html(project_copy, tmp_path)))
    assert "follows a CERA" not in facts and "follows the MACE Level 1 forum" in facts
    assert "LCS" not in facts
