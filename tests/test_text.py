"""The text layer on its own (generator/text/): what Markdown, the sanitiser and the escaping write,
compared with the exact HTML expected, so a change of one character in any of them shows here.

tests/test_sanitise.py judges them on generated fragments; this file pins their output."""

from __future__ import annotations

import pytest

from generator.text.escaping import escape_markdown, inert_to_markdown
from generator.text.markup import markdown_to_html, published_url, render_markdown
from generator.text.sanitiser import html_tokens, sanitise_html


@pytest.mark.parametrize(
    ("page", "address"),
    [("index", "./"), ("checker/index", "checker/"), ("pathway", "pathway/"), ("a/b", "a/b/")],
)
def test_a_page_is_published_at_its_folders_address(page, address):
    assert published_url(page) == address


def test_links_to_pages_lead_to_their_published_address_from_where_the_text_is():
    text = "See [the pathway](pathway.md#steps), [the checker](checker/index.md) and [us](https://example.org/a_b)."
    assert str(render_markdown(text, "web", "../")) == (
        '<p>See <a href="../pathway/#steps">the pathway</a>, <a href="../checker/">the checker</a>'
        ' and <a href="https://example.org/a_b">us</a>.</p>'
    )


def test_in_a_pdf_links_to_pages_keep_their_words_and_the_others_stay_links():
    text = "See [the pathway](pathway.md), [mail](mailto:a@b.org), [tel](tel:01234) or <https://example.org/>."
    assert str(render_markdown(text, "pdf")) == (
        '<p>See the pathway, <a href="mailto:a@b.org">mail</a>, <a href="tel:01234">tel</a> or '
        '<a href="https://example.org/">https://example.org/</a>.</p>'
    )


def test_markdown_keeps_a_numbered_list_apart_from_a_bulleted_one():
    assert markdown_to_html("1. one\n2. two\n\n* three") == (
        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n<ul>\n<li>three</li>\n</ul>"
    )


def test_the_sanitiser_keeps_exactly_the_allowed_elements_attributes_and_schemes():
    dirty = (
        '<p onclick="x" class="c">a<script>b</script><!-- c --><img src=x></p>'
        '<a href="https://e.org/" title="t">x</a><ol start="3"><li>i</li></ol>'
        '<a href="javascript:alert(1)">j</a><h2>h</h2>'
    )
    assert sanitise_html(dirty) == (
        '<p>a</p><a href="https://e.org/" title="t">x</a><ol start="3"><li>i</li></ol><a>j</a>h'
    )


def test_html_tokens_name_every_part_of_a_fragment():
    fragment = '<p class="a" id=b>x<!-- c --><br/>y &amp; z</p><!doctype html><?php x ?>'
    assert html_tokens(fragment) == [
        ("start", "p", (("class", "a"), ("id", "b"))),
        ("text", "x"),
        ("comment", " c "),
        ("start", "br", ()),
        ("text", "y & z"),
        ("end", "p"),
        ("declaration", "doctype html"),
        ("declaration", "php x ?"),
    ]


def test_published_html_keeps_no_character_markdown_could_read_again():
    fragment = '<a href="x_y">[a]_b_ *c* {d} `e` |f| ~g~ \\h snake_case</a>'
    assert inert_to_markdown(fragment) == (
        '<a href="x_y">&#91;a&#93;&#95;b&#95; &#42;c&#42; &#123;d&#125; &#96;e&#96; '
        "&#124;f&#124; &#126;g&#126; &#92;h snake_case</a>"
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# <b>x</b>  {y}\n  1. z_ *", "&#35; &lt;b&gt;x&lt;/b&gt; &#123;y&#125; 1. z&#95; &#42;"),
        ("- item", "&#45; item"),
        ("12) x", "&#49;&#50;) x"),
        ("> quote", "&gt; quote"),
    ],
)
def test_plain_text_for_a_markdown_page_is_escaped_exactly(text, escaped):
    assert str(escape_markdown(text)) == escaped
