"""Bundle a page's ES modules into one classic script: an entry module -> the script's text.

The referral form's script is written as modules by job (generator/static/js/form/): the rule
interpreter, which Node loads alone for the tests, the page, and drafts. The site serves one file,
as today: one script for the CSP to allow and one request. Each module's text goes in once, after
the modules it imports, inside one function, with its `import` lines and `export` words taken
out; the minifier then shortens names across all of them as it did in one file. No Node at build time, so only the plain forms our modules use are accepted, and any
other is refused with its file and line rather than bundled wrong:
  import { a, b } from "./other.mjs";      (names only, no `as`, a file beside this one)
  export before a top-level const, let, function, async function or class
Modules share one scope once bundled, so two that declare the same top-level name are refused too.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

_IMPORT = re.compile(
    r'^import \{(?P<names>[^}]*)\} from "\./(?P<file>[\w-]+\.mjs)";[ \t]*\n', re.MULTILINE
)
_EXPORT = re.compile(r"^export (?=(?:async )?function\b|const\b|let\b|class\b)", re.MULTILINE)
# What a module declares at its top level (Biome's formatting puts those, and only those, at
# column 0): the names two modules must not share, and the names `export` makes importable.
_DECLARED = re.compile(
    r"^(?P<export>export )?(?:async )?(?:function|const|let|class) +(?P<names>[^=(;]+)",
    re.MULTILINE,
)
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_LEFT_OVER = re.compile(r"^(?:import|export)\b.*", re.MULTILINE)

_HOW = 'write imports as import { a, b } from "./file.mjs"; and put export before a declaration'
# Strict mode once, for every module (a module is strict by itself; a classic script is not).
_START = '(() => {\n"use strict";\n'
_END = "})();\n"


def bundle_modules(entry: str, read: Callable[[str], str]) -> str:
    """The script of `entry` (a path such as "js/form/main.mjs") and every module it imports, each
    once and after what it imports; `read` gives a module's text from its path."""
    order: list[str] = []
    texts: dict[str, str] = {}
    exported: dict[str, set[str]] = {}
    declared: dict[str, str] = {}

    def visit(path: str, chain: tuple[str, ...]) -> None:
        if path in chain:
            raise ValueError(f"{path}: imports itself through {' -> '.join(chain)}")
        if path in texts:
            return
        text = read(path)
        for match in _IMPORT.finditer(text):
            other = posixpath.join(posixpath.dirname(path), match["file"])
            visit(other, (*chain, path))
            if re.search(r"\bas\b", match["names"]):
                raise ValueError(
                    f"{_where(path, text, match)}: cannot bundle a renamed import: {_HOW}"
                )
            for name in match["names"].replace(",", " ").split():
                if name not in exported[other]:
                    raise ValueError(f"{_where(path, text, match)}: {other} exports no {name!r}")
        body = _EXPORT.sub("", _IMPORT.sub("", text))
        left = _LEFT_OVER.search(body)
        if left:
            line = text.count("\n", 0, text.index(left.group())) + 1
            raise ValueError(f"{path}:{line}: cannot bundle {left.group()!r}: {_HOW}")
        exported[path] = set()
        for match in _DECLARED.finditer(text):
            for name in _declared_names(match["names"]):
                if name in declared:
                    raise ValueError(
                        f"{_where(path, text, match)}: {name!r} is declared in {declared[name]} "
                        "too, and bundled modules share one scope"
                    )
                declared[name] = path
                if match["export"]:
                    exported[path].add(name)
        texts[path] = body
        order.append(path)

    visit(entry, ())
    return _START + "\n".join(texts[path] for path in order) + _END


def _declared_names(declaration: str) -> list[str]:
    """'a' from 'a = 1', 'a' from 'a(b)', and 'a', 'b' from 'a, b' (`let a, b;`)."""
    first, *rest = declaration.split(",")
    names = [_NAME.match(first.strip())]
    names += [_NAME.fullmatch(part.strip()) for part in rest]
    return [n.group() for n in names if n]


def _where(path: str, text: str, match: re.Match) -> str:
    line = text.count("\n", 0, match.start()) + 1
    return f"{path}:{line}"
