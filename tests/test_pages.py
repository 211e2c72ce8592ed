"""The guide's pages: every fact of the seed guide is published, facts change everywhere at once,
and a broken source stops the build without touching the last good site."""

from __future__ import annotations

import datetime
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from generator.render import pages, rendering
from generator.render.context import BuildContext
from generator.sources.load import load_project

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Every sentence of the seed guide (one-minute-guide-2026.txt, the guide this project started from),
# one paragraph each, after dropping its Markdown (** and an escaped link). Each must appear word
# for word on the home page.
SEED_TEXT = """
Trusted Relationships is part of the wider Children & Families Early Help Service, and it
supports children and young people who are identified as being at risk of or subject to Child
Criminal Exploitation (CCE) (which may also include elements of other forms of exploitation such
as Child Sexual Exploitation (CSE), Online Child Exploitation (OCE), County Lines, and Modern
Slavery & Human Trafficking (MSHT)).

In terms of eligibility for Trusted Relationships support, a young person must be aged 17 or
below, have an exploitation risk status assigned ('Low', 'Medium' or 'High') and be open to a
Children & Families (C&F) Service.

Trusted Relationships is a consent-based service that uses relational, trauma-informed, and
strengths-based practice.

It recognises that people and services with a positive relationship with the young person are
best placed to support them in reducing exploitation risk and make a meaningful difference in
their lives.

Trusted Relationships is a unique support offer, which supplements the work of other services in
North Yorkshire to jointly develop and deliver a plan to help move young people away from
exploitation risk.

Central to the delivery model is the understanding that trusted relationships can help young
people make positive changes.

The Trusted Relationships service offers highly flexible, tailored support based on the young
person's individual needs to foster positive relationships and promote the development of
protective factors that build resilience in vulnerable young people.

Trusted Relationships Workers (TRWs) use restorative approaches and provide consistent,
non-judgemental support to build trust.

They work collaboratively with young people and trusted adults to develop safety plans focused
on practical strategies to reduce exploitation risk.

Using tools such as Family Finding and network mapping, TRWs help strengthen family and
community connections to reduce isolation.

They help young people understand what makes them vulnerable to exploitation and identify
protective factors and relationships that can be strengthened.

Trusted Relationships support differs from more traditional social care by placing greater
emphasis on relational work and emotional wellbeing/safety.

While access is based on specific criteria and cases cannot remain open indefinitely, TRWs have
more flexibility to spend time building trust, a particularly important factor with young people
who may be resistant to services.

Support is not tied to specific timeframes or assessment cycles, allowing TRWs to adapt their
approach to the young person's emotional and practical needs.

Rather than managing cases, Trusted Relationships complements other services by focusing on
relational repair and protective connections that can last beyond the involvement of services.

To avoid the implementation of parallel pathways and ensure children and young people most in
need of this support are identified at the earliest opportunity, the referral process for
Trusted Relationships has been fully integrated within the designated Child Exploitation process
for North Yorkshire.

As such, before making a Trusted Relationships referral, the C&F Service case-holder must first
route the case through the Multi-Agency Child Exploitation (MACE) Level 1 process, which
requires the case to become open to a C&F service to complete a Child Exploitation Risk
Assessment (CERA) in conjunction with partners.

Once completed, the CERA is sent to the MACE Level 1 forum for a multi-agency view of the risk
level and scrutiny regarding the risk management and the contextual safeguarding concerns around
the child.

The MACE Level 1 forum also make recommendations in relation to the case and Trusted
Relationships will be considered as one potential support option.

If an outcome of the MACE discussion is that the case would be suitable for and would benefit
from Trusted Relationships support, the case-holder will be asked to consider making a referral
to ensure the young person can receive Trusted Relationships support.

Referrals into the Trusted Relationships service should be made with the agreement of the young
person / family.

There is specific guidance on how to submit referrals using the Children and Families System,
LCS.

Following submission of a referral, the case will be considered by a Referrals Panel, who will
consider the referral alongside the CERA and, if appropriate, will allocate the case to receive
support through the Trusted Relationships service.

It has been agreed that agencies external to the C&F Service cannot submit a referral directly
to the Trusted Relationships Service; this is to ensure the existing child exploitation pathway
is not bypassed.

Taking this approach to manage referrals into the Trusted Relationships service, it delivers
significant benefits, including:

Promoting consistency in how cases are considered, referred, and allocated to the Trusted
Relationships service.

Ensuring there is multi-agency agreement on the appropriateness of Trusted Relationships support
in the context of the range of options and interventions available to children and young people
vulnerable to or subject to different forms of exploitation.

Ensuring the MACE Level 1 forum retains oversight of children and young people within the local
authority area at risk of or subject to exploitation.

Ensuring case-holding responsibility remains with the C&F Service, with the Trusted
Relationships Service supplementing the work of other agencies/services.

If you have any questions in relation to the Trusted Relationships Service, please contact Mike
Lord, Planning & Development Officer (Michael.Lord@northyorks.gov.uk).
"""

# Reworded in the YAML, deliberately: "after child's involvement" gained its article, and a web page
# has no "following page", so the diagram is named instead. (The seed's em dash in "building
# trust—a particularly" is a comma in the YAML and above.)
REWORDED_TEXT = """
Another key element of the TRW role is forming a trusted relationship that builds self-esteem,
resilience, and the development of positive support networks that will remain after the child's
involvement with the Trusted Relationships Service ends.

The pathway to access support through the Trusted Relationships programme is set out in the
referral pathway diagram (Appendix 1).
"""

SEED_SENTENCES = tuple(
    " ".join(paragraph.split())
    for paragraph in (SEED_TEXT + REWORDED_TEXT).split("\n\n")
    if paragraph.strip()
)

# The seed's headings, in its order, compared without case or a trailing colon (the seed capitalises
# every word and ends some with ":"). Its title line "Trusted Relationships Service (2026)" is
# checked separately, as is its "Summary - ... Referral Pathway" (the pathway page's heading).
SEED_HEADINGS = (
    "What is the Trusted Relationships Service?",
    "Trusted Relationships Support",
    "Trusted Relationships Practice Model",
    "How Trusted Relationships is Different",
    "Accessing Support Through Trusted Relationships",
    "Contact",
    "Appendix 1",
)

AGE_PHRASE = re.compile(r"\b17\b")
OLD_EMAIL = "Michael.Lord@northyorks.gov.uk"
NEW_EMAIL = "someone.else@example.org"


def _headings(html: str, level: int) -> list[str]:
    found = re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", "", h).split()) for h in found]


def _page(site: Path, url_path: str) -> str:
    return (site / url_path / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project():
    return load_project(PROJECT_ROOT)


@pytest.fixture(scope="module")
def rendered(project, tmp_path_factory):
    context = BuildContext(root=PROJECT_ROOT, cache_dir=tmp_path_factory.mktemp("cache"))
    return pages.render_files(project, context)


# -- the seed guide, published in full -------------------------------------------------------------


@pytest.mark.parametrize("sentence", SEED_SENTENCES, ids=lambda s: s[:48])
def test_every_seed_sentence_is_on_the_home_page(sentence, site_texts):
    assert sentence in site_texts["index.html"]


def test_the_seed_headings_are_on_the_home_page_in_order(built_site):
    headings = [h.lower() for h in _headings((built_site / "index.html").read_text(), 2)]
    positions = []
    for heading in SEED_HEADINGS:
        wanted = heading.lower().rstrip(":")
        matches = [i for i, h in enumerate(headings) if h == wanted or h.startswith(wanted + ":")]
        assert matches, f"heading {heading!r} is missing; the page has {headings}"
        positions.append(matches[0])
    assert positions == sorted(positions), "the seed's sections are out of order"


def test_home_page_shows_title_year_and_review_dates(built_site, site_texts):
    html = (built_site / "index.html").read_text()
    assert _headings(html, 1) == ["Trusted Relationships Service"]
    text = site_texts["index.html"]
    assert "One minute guide (2026)" in text
    assert "Last reviewed: 26 November 2026" in text
    assert "Next review: 26 November 2027" in text
    assert '<time datetime="2026-11-26">' in html


def test_pathway_page_has_the_seed_appendix_heading(built_site):
    assert _headings(_page(built_site, "pathway"), 1) == [
        "MACE Level 1 and Trusted Relationships referral pathway"
    ]


# -- derived pages ---------------------------------------------------------------------------------


def test_who_can_be_referred_lists_every_criterion(project, site_texts):
    text = site_texts["who-can-be-referred/index.html"]
    # As the seed keeps them: eligibility, then the route, each in its own modal verbs.
    assert "In terms of eligibility for Trusted Relationships support, a young person must:" in text
    assert "The route a referral takes" in text
    for criterion in project.eligibility.criteria:
        assert criterion.text in text
    route = text[text.index("The route a referral takes") :]
    assert all(c.text in route for c in project.eligibility.criteria if c.kind == "route")
    assert (
        "Referrals into the Trusted Relationships service should be made with the agreement of the "
        "young person / family." in route
    )
    assert "must agree" not in text


def test_pathway_text_alternative_lists_every_step_in_order(project, built_site, html_text):
    html = _page(built_site, "pathway")
    steps = re.findall(r'<li id="step-([a-z0-9_]+)"', html)
    assert steps == [s.id for s in project.pathway.steps]
    ordered_list = html[html.index('<ol class="tr-steps">') :]
    text = html_text(ordered_list)
    for step in project.pathway.steps:
        assert step.text in text
    # Each decision says where each answer leads, by step number.
    number = {s.id: i for i, s in enumerate(project.pathway.steps, start=1)}
    for step in project.pathway.steps:
        for branch in step.branches if step.kind == "decision" else ():
            assert f"{branch.label}: go to step {number[branch.to]}" in text


def test_how_to_refer_links_to_the_checker_the_form_and_the_pathway(rendered):
    page = rendered["how-to-refer.md"]
    for target in ("checker/index.md", "referral-form.md", "pathway.md", "contact.md"):
        assert f"]({target})" in page


def test_contact_page_links_every_contact_by_email(project, rendered):
    for contact in project.service.contacts:
        assert f"[{contact.email}](mailto:{contact.email})" in rendered["contact.md"]
        assert contact.name in rendered["contact.md"]


def test_downloads_list_the_pdfs_and_the_schema(rendered):
    for target in (
        "downloads/one-minute-guide.pdf",
        "downloads/referral-form-blank.pdf",
        "forms/referral.schema.json",
    ):
        assert f"]({target})" in rendered["downloads.md"]


def test_accessibility_statement_names_the_regulations_and_the_yaml_contact(project, rendered):
    page = rendered["accessibility.md"]
    assert "Accessibility Regulations 2018" in page
    assert "WCAG" in page and "2.2" in page and "AA" in page
    for contact in project.service.contacts:
        assert contact.email in page


def test_editing_page_names_every_source_file(project, rendered):
    page = rendered["editing.md"]
    # Read from the page's table: each source file's row says what the file holds.
    rows = dict(re.findall(r"^\| `([^`]+)` \| (.*?) \|$", page, re.MULTILINE))
    for path, _ in project.sources:
        assert path in rows, f"{path} is not in the editing page's table"
        assert len(rows[path].split()) >= 3, f"{path} has no description on the editing page"
    assert "make serve" in page
    assert re.search(r"content/[a-z]+\.yaml:\d+:\d+: ", page), "no example of a located problem"


# What pages.render_files writes, spelt out: a page or an asset added or dropped shows here.
GUIDE_FILES = {
    "index.md",
    "who-can-be-referred.md",
    "pathway.md",
    "how-to-refer.md",
    "contact.md",
    "downloads.md",
    "what-changed.md",
    "accessibility.md",
    "editing.md",
    "hosting.md",
    "assets/guide/guide.css",
    "assets/guide/home.css",
    "assets/guide/pathway.css",
    "assets/guide/header.js",
}


def test_rendering_is_a_pure_function_of_the_model(tmp_path, copy_project_to, monkeypatch):
    """Render reads the model only: with the sources deleted after loading, run from another
    folder and with another cache, it writes the same files, byte for byte."""
    root = copy_project_to(tmp_path / "project")
    project = load_project(root)
    first = pages.render_files(project, BuildContext(root=root, cache_dir=tmp_path / "cache"))
    for folder in ("content", "forms", "docs"):
        shutil.rmtree(root / folder)
    (root / "mkdocs.yml").unlink()
    monkeypatch.chdir(tmp_path)
    again = pages.render_files(project, BuildContext(root=root, cache_dir=tmp_path / "other"))
    assert again == first
    fonts = {
        f"assets/fonts/{font.name}"
        for font in (PROJECT_ROOT / "generator" / "static" / "fonts").glob("*.woff")
    }
    assert len(fonts) == 2, fonts
    assert set(first) == GUIDE_FILES | fonts
    assert (
        first["assets/fonts/atkinson-hyperlegible-latin-400-normal.woff"]
        == (
            PROJECT_ROOT / "generator/static/fonts/atkinson-hyperlegible-latin-400-normal.woff"
        ).read_bytes()
    )


def test_front_matter_is_valid_yaml_even_with_quotes_and_ampersands(rendered):
    import yaml

    with_front_matter = [p for p, page in rendered.items() if page[:4] == "---\n"]
    assert len(with_front_matter) >= 8, with_front_matter
    for path in with_front_matter:
        meta = yaml.safe_load(rendered[path].split("---\n")[1])
        assert isinstance(meta, dict) and meta.get("description"), path


# -- helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026", "2026"),
        ("2026-11", "November 2026"),
        ("2026-11-26", "26 November 2026"),
        ("2027-01-05", "5 January 2027"),
    ],
)
def test_format_date_writes_british_dates(value, expected):
    assert rendering.format_date(value) == expected


def test_arrange_nav_puts_the_guide_first_the_back_pages_last_and_leaves_editors_pages_out():
    paths = [
        "contact.md",
        "index.md",
        "checker/index.md",
        "checker/q/age.md",
        "referral-form.md",
        "editing.md",
        "pathway.md",
        "downloads/guide.pdf",
        "assets/guide/guide.css",
    ]
    assert pages.arrange_nav(paths) == [
        "index.md",
        "pathway.md",
        "checker/index.md",
        "referral-form.md",
        "contact.md",
    ]


def test_editors_pages_are_linked_from_the_footer_by_their_own_headings(project, rendered):
    values = pages.theme_values(project)
    assert [title for title, _ in values["editors_pages"]] == list(pages.EDITORS_LINKS.values())
    for path, title in pages.EDITORS_LINKS.items():
        assert f"\n# {title}\n" in rendered[path], f"{path} no longer has the heading {title!r}"
    # ... and from the accessibility statement.
    for path in pages.EDITORS_PAGES:
        assert f"]({path})" in rendered["accessibility.md"]


def test_header_shows_the_service_and_its_organisation_and_no_logo_by_default(project):
    values = pages.theme_values(project)
    assert values["name"] == project.service.name
    assert project.service.part_of in values["organisation"]
    assert project.service.area in values["organisation"]
    assert values["logo"] is None and project.service.brand_colour is None


ACCESSIBILITY_SECTIONS = (
    "## How accessible this website is",
    "## Feedback and contact information",
    "## Enforcement procedure",
    "### Compliance status",
    "## Non-accessible content",
    "### PDFs and other documents",
    "## How we tested this website",
    "## Preparation of this statement",
)


def test_accessibility_statement_has_the_model_statements_sections_and_the_yaml_facts(
    project, rendered
):
    page = rendered["accessibility.md"]
    for heading in ACCESSIBILITY_SECTIONS:
        assert heading in page, heading
    facts = project.service.accessibility
    assert f"This website is {facts.compliance} compliant" in page
    for written in (facts.prepared, facts.last_reviewed):  # as people write dates: 1 December 2026
        day = datetime.date.fromisoformat(str(written))
        assert f"{day.day} {day:%B} {day.year}" in page, written
    assert facts.contact.email in page
    assert "(https://www.equalityadvisoryservice.com/)" in page
    # As a reader sees it: the page's Markdown made HTML, tags dropped, references read.
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markdown.markdown(page))).split())
    for issue in facts.known_issues:
        assert " ".join(issue.split()) in shown, issue
    # What the tests run, named as they are.
    for tool in ("axe-core", "Nu Html Checker", "Lighthouse", "printed on A4"):
        assert tool in page, tool


# This service's words: none belongs in generator/, which must serve any service from its YAML.
# (Case-insensitive substrings; the acronyms as whole words, in capitals.)
SERVICE_WORDS = re.compile(
    r"(?i:trusted relationships|north yorkshire|northyorks|mike lord|exploitation|criminal"
    r"|risk[ _]status|case-holder|safeguarding)|\b(?:CERA|MACE|LCS|TRWs?|CCE|CSE)\b|C&(?:amp;)?F\b"
)
# What the scan finds today, file by file (the test compares exactly, so the list cannot go stale):
# empty, since the eligibility lists became named lists in YAML and the schemas' examples generic.
KNOWN_SERVICE_WORDS: dict[str, set[str]] = {}


def _service_words_in(text: str) -> set[str]:
    return {match.group().lower() for match in SERVICE_WORDS.finditer(text)}


def _generator_texts() -> dict[str, str]:
    """Every text file of generator/ by its path there: code, templates, scripts, styles, schemas."""
    generator_dir = PROJECT_ROOT / "generator"
    return {
        path.relative_to(generator_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(generator_dir.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix not in (".woff", ".woff2")
    }


def test_generator_holds_no_words_of_this_service():
    found = {}
    for name, text in _generator_texts().items():
        words = _service_words_in(text)
        if words:
            found[name] = words
    # The command line's help, as an editor reads it.
    help_text = subprocess.run(
        [sys.executable, "-m", "generator", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    ).stdout
    if words := _service_words_in(help_text):
        found["python -m generator --help"] = words
    assert found == KNOWN_SERVICE_WORDS


# Whom the service is for is the service's word too (`person` in content/service.yaml): the
# templates' fixed text and the code name it from the model. The schemas are left out: their examples
# show what an editor might write in a field, and no page shows them.
PERSON_WORDS = re.compile(r"(?i)\byoung (?:person|people)\b")


def test_generator_names_whom_the_service_is_for_only_from_the_yaml():
    texts = {
        name: text for name, text in _generator_texts().items() if not name.startswith("schemas/")
    }
    assert "templates/pdf/guide.html" in texts and "templates/guide/how-to-refer.md.j2" in texts
    found = [
        f"generator/{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group()!r}"
        for name, text in texts.items()
        for match in PERSON_WORDS.finditer(text)
    ]
    assert found == [], "name them from the model (service.person) instead:\n" + "\n".join(found)


def test_the_guide_renderers_hold_no_age_limit():
    owned = [
        PROJECT_ROOT / "generator" / name
        for name in ("render/pages.py", "render/diagram.py", "plugin.py", "commands/build.py")
    ]
    owned += sorted((PROJECT_ROOT / "generator" / "templates" / "guide").iterdir())
    css = PROJECT_ROOT / "generator" / "static" / "css"
    owned += [css / name for name in ("guide.css", "home.css", "pathway.css")]
    for path in owned:
        text = path.read_text(encoding="utf-8")
        assert not AGE_PHRASE.search(text), f"{path.name} hard-codes the age limit"


# -- one change in the YAML, every page follows ----------------------------------------------------


def _site_texts(site: Path, html_text) -> dict[str, str]:
    texts = {
        str(p.relative_to(site)): html_text(p.read_text(encoding="utf-8"))
        for p in site.rglob("*.html")
    }
    index = site / "search" / "search_index.json"
    if index.exists():
        texts["search/search_index.json"] = json.dumps(
            json.loads(index.read_text()), ensure_ascii=False
        )
    return texts


def test_changing_the_age_limit_once_changes_every_page(
    project_copy, build_site, built_site, edit_file, html_text
):
    edit_file(project_copy / "content" / "eligibility.yaml", "upper_age: 17\n", "upper_age: 15\n")
    result = build_site(project_copy, project_copy / "site")
    assert result.ok, result.output
    before = _site_texts(built_site, html_text)
    after = _site_texts(project_copy / "site", html_text)
    stating_age = {path for path, text in before.items() if AGE_PHRASE.search(text)}
    assert {"index.html", "who-can-be-referred/index.html", "pathway/index.html"} <= stating_age
    for path in sorted(stating_age):
        assert re.search(r"\b15\b", after[path]), f"{path} no longer states the age limit"
    still_old = sorted(path for path, text in after.items() if AGE_PHRASE.search(text))
    assert still_old == [], f"these still say 17: {still_old}"


def test_changing_the_contact_email_once_changes_every_page(
    project_copy, build_site, built_site, edit_file
):
    edit_file(project_copy / "content" / "service.yaml", OLD_EMAIL, NEW_EMAIL)
    result = build_site(project_copy, project_copy / "site")
    assert result.ok, result.output
    text_files = ("*.html", "*.json", "*.xml", "*.js", "*.svg", "*.txt", "*.css")
    before = {
        str(p.relative_to(built_site))
        for pattern in text_files
        for p in built_site.rglob(pattern)
        if OLD_EMAIL.lower() in p.read_text().lower()
    }
    assert {"index.html", "contact/index.html", "accessibility/index.html"} <= before
    site = project_copy / "site"
    for path in sorted(before):
        assert NEW_EMAIL in (site / path).read_text(), f"{path} lost the contact e-mail"
    still_old = sorted(
        str(p.relative_to(site))
        for pattern in text_files
        for p in site.rglob(pattern)
        if OLD_EMAIL.lower() in p.read_text().lower()
    )
    assert still_old == [], f"these still show the old e-mail: {still_old}"


# -- a broken source stops the build and leaves the last good site alone ---------------------------


@pytest.mark.parametrize("command", ["mkdocs", "generator"])
def test_a_source_problem_stops_the_build_and_keeps_the_last_good_site(
    command, project_copy, build_site, edit_file, folder_snapshot
):
    site = project_copy / "site"
    good = build_site(project_copy, site, command=command)
    assert good.ok, good.output
    before = folder_snapshot(site)
    assert "index.html" in before

    eligibility = project_copy / "content" / "eligibility.yaml"
    line = eligibility.read_text().splitlines().index("upper_age: 17") + 1
    edit_file(eligibility, "upper_age: 17\n", "upper_age: seventeen\n")
    broken = build_site(project_copy, site, command=command)

    assert broken.returncode == 1, broken.output
    assert re.search(
        rf"^(ERROR\s+-\s+)?content/eligibility\.yaml:{line}:\d+: .*whole number",
        broken.output,
        re.MULTILINE,
    ), broken.output
    assert "Traceback" not in broken.output
    assert folder_snapshot(site) == before, "the failed build changed the site folder"


def test_a_service_logo_and_brand_colour_are_published_and_shown(tmp_path):
    other_root = Path(__file__).resolve().parent / "fixtures" / "other-service"
    other = load_project(other_root)
    files = pages.render_files(other, BuildContext(root=other_root, cache_dir=tmp_path))
    values = pages.theme_values(other)
    assert values["logo"] == "assets/brand/logo.svg"
    assert values["logo_text"] == "Harbour Mentoring"
    assert files["assets/brand/logo.svg"] == (other_root / "content" / "logo.svg").read_bytes()
    assert "--tr-brand: #1d70b8;" in files[pages.STYLESHEET]
    assert "Exampleshire" in values["organisation"]
