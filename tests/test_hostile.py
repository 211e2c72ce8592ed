"""Hostile text in every prose field of the sources: `python -m generator check` refuses it with a
message naming each file it is in, or the site builds with it inert (no template runs, no markup
or link from it reaches a page) and the PDFs still render.

Whether scripts run is tested in Chromium (tests/browser/test_hostile_in_browser.py); this file
checks the command, the built HTML and the PDFs. The corpus is tests/fixtures/hostile-strings.json.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from generator import cli
from generator.sources.load import UNCHECKED, check_sources

ROOT = Path(__file__).resolve().parent.parent
CORPUS = json.loads((ROOT / "tests" / "fixtures" / "hostile-strings.json").read_text("utf-8"))
PDF_LINK_SCHEMES = ("https:", "http:", "mailto:", "tel:")
TEMPLATE_RESULT = "1337"  # 7*191: the corpus's template payloads compute it if a template runs


@pytest.fixture(scope="module")
def sources_root(tmp_path_factory) -> Path:
    """A folder with the schemas, to hold planted sources (a check reads nothing else)."""
    root = tmp_path_factory.mktemp("hostile-check")
    shutil.copytree(ROOT / "schemas", root / "schemas")
    (root / "content").mkdir()
    (root / "forms").mkdir()
    return root


# The files a check reads, each holding prose: the text is planted in every one.
SOURCE_FILES = {
    "content/service.yaml",
    "content/eligibility.yaml",
    "content/guide.yaml",
    "content/checker.yaml",
    "content/pathway.yaml",
    "forms/referral.yaml",
}


def test_every_entry_says_what_the_check_must_do():
    verdicts = {entry["name"]: entry.get("check") for entry in CORPUS["strings"]}
    assert {v for v in verdicts.values()} == {"refused", "accepted"}, verdicts


@pytest.mark.parametrize("entry", CORPUS["strings"], ids=[e["name"] for e in CORPUS["strings"]])
def test_check_refuses_it_in_every_file_with_a_located_message_or_accepts_it(
    entry, sources_root, plant_hostile, capsys
):
    """As the corpus says of each entry: refused in every file it is in, or accepted."""
    text = entry["text"] * entry.get("repeat", 1)
    planted_in = plant_hostile(sources_root, text)
    assert set(planted_in) == SOURCE_FILES, planted_in

    code = cli.main(["--root", str(sources_root), "check", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == {"accepted": 0, "refused": 1}[entry["check"]], (
        f"exit {code}, but the corpus says the check has {entry['check']} it: "
        f"{report['problems'][:1]}"
    )
    if code == 0:
        assert report["ok"] and report["problems"] == []
        return

    named = {problem["file"] for problem in report["problems"]}
    assert named == set(planted_in), (
        f"the text is in every file but only {sorted(named)} were refused: the same text must be "
        "judged the same way in every file"
    )
    for problem in report["problems"]:
        assert problem["message"].strip(), problem
        if problem["code"] == UNCHECKED:  # a note on a whole file: which checks wait for it
            continue
        assert problem["line"] >= 1 and problem["column"] >= 1, problem
    # What an editor sees: one `file:line:column: message` per problem, no traceback.
    assert cli.main(["--root", str(sources_root), "check"]) == 1
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err and "Something went wrong" not in printed.err
    first = next(line for line in printed.err.splitlines() if not line.endswith(" are fixed"))
    assert re.match(r"^(content|forms)/[a-z]+\.yaml:\d+:\d+: \S", first), first


# Every character that sets the direction text is shown in ("Trojan Source"): the embeddings, the
# overrides and their pop, the isolates and theirs, and the three direction marks.
DIRECTION_CONTROLS = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]


@pytest.mark.parametrize("code", DIRECTION_CONTROLS, ids=lambda code: f"U+{code:04X}")
def test_every_direction_control_is_refused_in_editors_text(code, sources_root, plant_hostile):
    plant_hostile(sources_root, f"Trusted{chr(code)} Relationships")
    # The notes of checks that wait for a file's problems are not about the text.
    problems = [p for p in check_sources(sources_root) if p.code != UNCHECKED]
    assert {problem.where.file for problem in problems} == SOURCE_FILES
    expected = (
        f"this text contains an invisible direction control character (U+{code:04X}) that can "
        "make text display differently from what it says; delete it"
    )
    assert {problem.message for problem in problems} == {expected}


def test_what_the_check_accepts_also_builds(hostile_site):
    """The build must not refuse what the check let through: an editor would see `make check`
    pass and `make build` fail (the generator's message is shown for each)."""
    assert hostile_site.build_failures == {}, "\n".join(
        f"{name}: {why}" for name, why in hostile_site.build_failures.items()
    )


def test_some_strings_reach_the_site_so_it_is_tested_for_inertness(hostile_site):
    assert len(hostile_site.planted) >= 5, [h.name for h in hostile_site.planted]


class _Markup(HTMLParser):
    """Collect what in a page could run script: handler attributes, script URLs, script bodies."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            elif name in self.URL_ATTRIBUTES and value and is_script_url(value):
                self.script_urls.append(f"<{tag} {name}={value[:60]!r}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def is_script_url(url: str) -> bool:
    """Would a browser run this URL as script? It drops tabs and newlines and leading controls and
    spaces before reading the scheme (the WHATWG URL parser)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    return cleaned.lower().startswith(("javascript:", "vbscript:", "data:text/html"))


def test_no_template_ran_and_no_markup_from_the_text_reached_a_page(hostile_site, html_text):
    pages = sorted(hostile_site.site_dir.rglob("*.html"))
    assert len(pages) >= 20
    seen_literally = False
    problems = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        where = path.relative_to(hostile_site.site_dir)
        text = html_text(html)
        if TEMPLATE_RESULT in text:
            problems.append(f"{where}: a template in the text was run")
        seen_literally |= "{{ 7*191 }}" in text or "${7*191}" in text
        markup = _Markup()
        markup.feed(html)
        problems += [f"{where}: an event handler attribute {h}" for h in markup.handlers]
        problems += [f"{where}: a script URL {u}" for u in markup.script_urls]
        for body in markup.scripts:
            # Data for the page's own scripts is JSON: the payload may be in it only as a string.
            if "__pwned" in body and not body.lstrip().startswith(("{", "[")):
                problems.append(f"{where}: the payload is inside a script: {body[:80]!r}")
    assert problems == [], "\n".join(sorted(set(problems)))
    assert seen_literally, "the template payloads should show as typed"


def test_the_pdfs_still_render_and_show_the_text_as_typed(hostile_site):
    pdfs = sorted(hostile_site.site_dir.rglob("*.pdf"))
    assert {p.name for p in pdfs} >= {"one-minute-guide.pdf", "referral-form-blank.pdf"}
    for path in pdfs:
        with pikepdf.open(path) as document:
            assert len(document.pages) >= 1, path
            assert "/StructTreeRoot" in document.Root, f"{path.name}: no longer tagged"
            links = [
                str(annotation.A.URI)
                for page in document.pages
                for annotation in page.get("/Annots", [])
                if "/A" in annotation and "/URI" in annotation.A
            ]
        # A PDF's links may go to the web, an email or a phone, never run script or open a file of
        # the machine that built it (a relative link would resolve to one).
        bad = sorted({u for u in links if not u.lower().startswith(PDF_LINK_SCHEMES)})
        assert bad == [], f"{path.name}: links that must not be there: {bad}"
        text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
        text = text.replace("\x00", "")  # pypdf spells these fonts' text with NULs between
        assert TEMPLATE_RESULT not in text, f"{path.name}: a template in the text was run"
        assert "7*191" in text.replace(" ", ""), f"{path.name}: the planted text is missing"
