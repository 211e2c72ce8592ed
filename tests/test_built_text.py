"""No page shows a Python object where words belong (a template that looked up a missing word)."""

import re
from pathlib import Path

LEAKS = re.compile(r"built-in method|object at 0x[0-9a-f]+|&lt;function |Undefined|\bNone\b</")


def test_no_page_shows_python_objects_instead_of_words(built_site: Path):
    leaks = {
        str(path.relative_to(built_site)): match.group()
        for path in built_site.rglob("*.html")
        for match in [LEAKS.search(path.read_text(encoding="utf-8"))]
        if match
    }
    assert leaks == {}
