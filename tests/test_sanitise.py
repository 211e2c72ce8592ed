"""Editors' text as published: placeholders filled first, Markdown rendered, then the allow-list.

The hostile corpus (tests/test_hostile.py) plants fixed strings everywhere; this file covers what a
fixed string cannot: markup assembled from placeholders' values, facts that fill each other, and
generated fragments (hypothesis) judged by the same check and the same sanitiser the build uses.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.render.rendering import render_template
from generator.sources.load import check_sources, load_project
from generator.sources.schema_check import text_kind
from generator.sources.textsafety import markup_problem
from generator.text.escaping import escape_markdown
from generator.text.links import promised
from generator.text.markup import render_markdown
from generator.text.sanitiser import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES


def _edit(root: Path, relative: str, change) -> None:
    path = root / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def project(tmp_path, copy_project_to) -> Path:
    return copy_project_to(tmp_path / "project")


def _messages(root: Path) -> list[str]:
    return [str(p) for p in check_sources(root)]


# --- Markup assembled from pieces ------------------------------------------------------------------


def test_a_tag_assembled_from_a_placeholder_is_refused_where_it_is_assembled(project):
    _edit(project, "content/service.yaml", lambda d: d.update(short_name="script"))

    def plant(guide):
        guide["sections"][0]["body"] = (
            "<{service.short_name}>window.__pwned=1</{service.short_name}>"
        )

    _edit(project, "content/guide.yaml", plant)
    messages = _messages(project)
    assert any(
        m.startswith("content/guide.yaml:")
        and m.endswith(
            "HTML such as '<script>' is not allowed in the text; write plain text or Markdown"
        )
        for m in messages
    ), messages


def test_a_link_address_arriving_through_a_placeholder_is_judged_as_published(project):
    _edit(project, "content/service.yaml", lambda d: d.update(area="javascript:window.__pwned=1"))
    _edit(
        project,
        "content/guide.yaml",
        lambda g: g["sections"][0].update(body="[Read more]({service.area})"),
    )
    messages = _messages(project)
    assert any(
        m.startswith("content/guide.yaml:") and "a link to 'javascript:' is not allowed" in m
        for m in messages
    ), messages


def test_an_email_address_is_a_link_in_markdown_and_refused_in_plain_words(project):
    """Plain words (a title) show an address without its link, so the check refuses it there, at
    its line, as published: here it arrives through a placeholder. In Markdown it becomes a link."""
    _edit(
        project,
        "content/guide.yaml",
        # Not the first section: it holds the seed's words that give the criteria their strength.
        lambda g: g["sections"][1].update(
            title="Write to {contact.enquiries.email}", body="Write to {contact.enquiries.email}."
        ),
    )
    messages = _messages(project)
    assert len(messages) == 1 and messages[0].startswith("content/guide.yaml:"), messages
    assert "would show here without its link: this text is plain words" in messages[0]
    _edit(project, "content/guide.yaml", lambda g: g["sections"][1].update(title="Write to us"))
    assert _messages(project) == []
    address = load_project(project).service.contacts[0].email
    assert f'<a href="mailto:{address}">{address}</a>' in render_markdown(f"Write to {address}.")


def test_the_schema_says_which_texts_are_markdown_and_which_are_addresses():
    assert text_kind("guide", ("summary",)) == "markdown"
    assert text_kind("guide", ("sections", 3, "body")) == "markdown"
    assert text_kind("guide", ("changes", 0, "summary")) == "markdown"
    assert text_kind("checker", ("outcomes", 0, "body")) == "markdown"
    assert text_kind("guide", ("sections", 3, "title")) == "plain"
    assert text_kind("form", ("sections", 0, "fields", 0, "label")) == "plain"
    assert text_kind("service", ("contacts", 0, "email")) == "address"


@pytest.mark.parametrize(
    ("words", "hosts"),
    [
        ("see www.example.invalid", ["www.example.invalid"]),
        ("see northyorks.gov.uk", ["northyorks.gov.uk"]),
        ("see https://evil.example/", ["evil.example"]),
        ("see bit.ly", ["bit.ly"]),
        ("the referral.Then ask", []),  # a missed space, not a website
        ("e.g.Today", []),
        ("Node.js and setup.py", []),
        ("guide.pdf", []),
    ],
)
def test_what_words_name_as_a_website(words, hosts):
    assert [t.host for t in promised(words) if t.kind == "web"] == hosts


def test_placeholders_that_fill_each_other_are_refused_at_the_fact(project):
    def loop(eligibility):
        eligibility["criteria"][0]["text"] = "be {criterion.exploitation}"
        eligibility["criteria"][1]["text"] = "be {criterion.age}"

    _edit(project, "content/eligibility.yaml", loop)
    messages = _messages(project)
    loops = [m for m in messages if "placeholders fill each other in a loop" in m]
    assert loops and all(m.startswith("content/eligibility.yaml:") for m in loops), messages
    assert any("{criterion.age} -> {criterion.exploitation} -> {criterion.age}" in m for m in loops)


def test_a_placeholder_inside_a_criterion_is_filled_everywhere(project):
    def nest(eligibility):
        eligibility["criteria"][0]["text"] = (
            "be aged {upper_age} or below, and {criterion.exploitation}"
        )

    _edit(project, "content/eligibility.yaml", nest)
    loaded = load_project(project)
    first = loaded.eligibility.criteria[0].text
    assert "{" not in first and "at risk of or subject to Child Criminal" in first, first


def test_facts_that_multiply_each_other_stop_with_a_located_message(project):
    def multiply(eligibility):
        criteria = eligibility["criteria"]
        ids = [c["id"] for c in criteria]
        for index, criterion in enumerate(criteria[:-1]):
            inner = f"{{criterion.{ids[index + 1]}}}"
            criterion["text"] = inner * 40

    _edit(project, "content/eligibility.yaml", multiply)
    messages = _messages(project)
    assert any(
        m.startswith("content/eligibility.yaml:") and "grows too long" in m for m in messages
    ), messages


# --- The allow-list, on generated fragments --------------------------------------------------------

PIECES = st.sampled_from(
    [
        "<",
        ">",
        "</",
        "/>",
        "<!--",
        "-->",
        "&",
        "&#",
        "&#x",
        ";",
        '"',
        "'",
        "`",
        "=",
        " ",
        "\n",
        "\n\n",
        "\t",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        ":",
        "!",
        "#",
        "*",
        "_",
        "-",
        "1.",
        "\\",
        "script",
        "img",
        "svg",
        "a",
        "div",
        "textarea",
        "meta",
        "iframe",
        "style",
        "title",
        "href",
        "src",
        "onerror",
        "onload",
        "http-equiv",
        "refresh",
        "markdown",
        "data:",
        "x",
        "javascript:",
        "JaVaScRiPt:",
        "vbscript:",
        "java\tscript:",
        "https://example.org/",
        "mailto:",
        "@example.com",
        "pathway.md",
        "window.__pwned=1",
        "{upper_age}",
        "![",
        "](",
    ]
)
# Shapes a random fragment rarely makes, tried on every run: an image, a heading, raw HTML, a
# javascript: link, a comment.
SHAPES = [
    "![pixel](https://example.org/pixel.png)",
    "# Heading",
    "<b>bold</b>",
    "[x](javascript:window.__pwned=1)",
    "<!-- hidden -->",
]


def with_shapes(test):
    for shape in SHAPES:
        test = example(shape)(test)
    return test


FRAGMENTS = st.lists(PIECES, min_size=1, max_size=24).map("".join)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if not attrs:
            self.found.append((tag, "", ""))
        for name, value in attrs:
            self.found.append((tag, name, value or ""))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.found.append(("!--", "", ""))


def _elements(fragment: str) -> list[tuple[str, str, str]]:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser.found


class _Words(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment, whitespace collapsed."""
    parser = _Words()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _scheme(url: str) -> str | None:
    cleaned = "".join(c for c in url if c not in "\t\n\r").strip()
    head = cleaned.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return head.split(":", 1)[0].lower() if ":" in head else None


# The allow-list as the sanitiser's docstring states it, written out here rather than imported,
# so that widening the sanitiser's list (or a mistake in it) fails these tests until it is mirrored.
TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
SCHEMES = {"https", "http", "mailto", "tel"}


def _allowed(tag: str, attribute: str, value: str) -> bool:
    if tag not in TAGS or (attribute and attribute not in ATTRIBUTES.get(tag, ())):
        return False
    return attribute != "href" or _scheme(value) in SCHEMES | {None}


def test_the_tests_allow_list_is_the_sanitisers():
    assert TAGS == ALLOWED_TAGS and ATTRIBUTES == ALLOWED_ATTRIBUTES and SCHEMES == URL_SCHEMES


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRAGMENTS)
@with_shapes
def test_a_published_text_holds_only_allowed_elements_attributes_and_schemes(text):
    for target in ("web", "pdf"):
        for tag, attribute, value in _elements(str(render_markdown(text, target))):
            assert _allowed(tag, attribute, value), (text, target, tag, attribute, value)


@settings(max_examples=400, deadline=None)
@given(FRAGMENTS)
@with_shapes
def test_the_check_accepts_a_text_only_if_the_sanitiser_would_keep_all_of_it(text):
    """Judged against Markdown itself, run here, and the allow-list above: what the check accepts
    renders to allowed elements only, and is published with every word it had."""
    if markup_problem(text) is not None:
        return
    as_written = markdown.markdown(text, extensions=["sane_lists"])
    refused = [e for e in _elements(as_written) if not _allowed(*e) or e[0] == "!--"]
    assert refused == [], (text, as_written)
    published = str(render_markdown(text))
    assert html_to_text(published) == html_to_text(as_written), (text, as_written, published)


# What MkDocs' Markdown adds to ours on a page: attribute lists, Markdown inside HTML, admonitions.
PAGE_MARKDOWN = ["attr_list", "md_in_html", "admonition", "toc", "tables", "fenced_code"]


@settings(max_examples=400, deadline=None)
@given(FRAGMENTS)
def test_a_plain_text_on_a_markdown_page_stays_text(text):
    """Titles, labels and hints are written into Markdown pages; escaped, they never become an
    element or an attribute, whatever Markdown extension the page is read with."""
    page = f"{escape_markdown(text)} {{ #anchor }}\n\n- {escape_markdown(text)}\n"
    elements = _elements(markdown.markdown(page, extensions=PAGE_MARKDOWN))
    assert {e[0] for e in elements} <= {"p", "ul", "li"}, (text, elements)
    assert all(attribute in ("", "id") for _, attribute, _ in elements), (text, elements)


def test_a_markdown_page_template_escapes_an_editors_title():
    """The same escaping through the page templates themselves (not only the function)."""
    rendered = render_template(
        "form/page.md.j2",
        form=type("Form", (), {"title": "# <b>x</b> {: onclick=alert(1) }", "intro": "Hi"})(),
        html="",
    )
    body = rendered.split("---\n", 2)[2]  # after the front matter, whose comments start with #
    heading = next(line for line in body.splitlines() if line.startswith("# "))
    html = markdown.markdown(heading, extensions=PAGE_MARKDOWN)
    assert [(tag, attribute) for tag, attribute, _ in _elements(html)] == [("h1", "id")], html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


@settings(max_examples=400, deadline=None)
@given(FRAGMENTS)
def test_published_html_read_again_inside_a_markdown_block_stays_the_same(text):
    """A page may hold the sanitised HTML inside a `markdown` block, which Markdown reads again
    (md_in_html parses a paragraph's text as Markdown): it must make no new element or attribute,
    such as a link from an escaped `\\[x\\](javascript:...)` or an id from `{ #__config }`."""
    if markup_problem(text) is not None:
        return  # refused by the check: no site is built with it
    published = str(render_markdown(text))
    page = f'<div markdown="1">\n\n{published}\n\n</div>\n'
    again = [
        e for e in _elements(markdown.markdown(page, extensions=PAGE_MARKDOWN)) if e[0] != "div"
    ]
    assert sorted(again) == sorted(_elements(published)), (text, published)


def test_an_attribute_list_in_the_summary_gives_no_element_an_id(project):
    """The home page's summary sits in the page's lead block; Material reads `#__config` as its
    configuration, so an id from editors' text would break every page's scripts."""
    from generator.render.context import BuildContext
    from generator.render.site import generate_site

    _edit(
        project,
        "content/guide.yaml",
        lambda g: g.update(summary=g["summary"] + "\n\nHostile paragraph\n{ #__config }"),
    )
    files = generate_site(load_project(project), BuildContext(project, project / ".cache"))
    html = markdown.markdown(files["index.md"].split("---\n", 2)[2], extensions=PAGE_MARKDOWN)
    assert 'id="__config"' not in html
