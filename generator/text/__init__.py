"""Editors' text as it is published: Markdown -> sanitised HTML, and plain text -> escaped text.

The one place where editors' Markdown is turned into HTML and sanitised, below every stage that
reads it: `markup` holds the one Markdown configuration (and where links to other pages lead),
`sanitiser` the nh3 allow-list, and `escaping` how text is kept inert where an engine reads
Markdown again. `generator.sources.textsafety` uses them to judge editors' text, and the renderers
use them to publish it, so a text is judged exactly as it is published.
"""
