"""One rule changed in content/eligibility.yaml changes every output together: the checker, the form
page's rule table, `validate`, the guide and the PDFs."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

from markupsafe import escape

from generator.render import checker_site, form_site, pages
from generator.render.context import BuildContext
from generator.render.pdf import filled_referral_html, guide_html
from generator.rules.submission import build_rules, validate_submission
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "forms" / "examples" / "referral-example.json").read_text())
TODAY = datetime.date(2026, 11, 26)
NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)
# A referral the shipped reading accepts: the family's agreement does not apply, and why is recorded.
FAMILY_NOT_APPLICABLE = {
    **EXAMPLE,
    "parent_agrees": "not_applicable",
    "parent_not_applicable_reason": "Fictional example: the young person lives independently.",
}


def _outputs(root: Path, tmp_path: Path, data: dict) -> dict[str, str]:
    project = load_project(root)
    context = BuildContext(root, tmp_path / "cache")
    form_page = form_site.render_files(project, context)
    checker_files = checker_site.render_files(project, context)
    return {
        "checker": checker_files["checker/graph.json"],
        "checker_pages": "".join(
            checker_files[k] for k in ("checker/index.md", "checker/q/family_agrees.md")
        ),
        "form_page": form_page["referral-form.md"],
        "rules": form_page["forms/referral.rules.json"],
        "table": json.dumps(build_rules(project.form)["rules"], ensure_ascii=False),
        "validate": "\n".join(str(p) for p in validate_submission(project.form, data, today=TODAY)),
        "guide": pages.render_files(project, context)["who-can-be-referred.md"],
        # The guide PDF's criteria box (its sections are editors' prose, which may quote the seed).
        "guide_pdf": guide_html(project).split('<aside class="criteria"')[1].split("</aside>")[0],
        "filled_pdf": filled_referral_html(project, data, NOW),
    }


def test_the_consent_reading_changes_every_output(project_copy, edit_file, tmp_path):
    before = _outputs(project_copy, tmp_path, FAMILY_NOT_APPLICABLE)
    assert before["validate"] == ""
    edit_file(
        project_copy / "content" / "eligibility.yaml",
        "    reading: >-\n"
        "      the young person's family agrees too; where they do not, the referral can still be made and\n"
        "      the case-holder records why\n",
        "    reading: the young person and their family both agree\n",
    )
    edit_file(
        project_copy / "content" / "eligibility.yaml",
        'in: ["yes", not_applicable]',
        'in: ["yes"]',
    )
    after = _outputs(project_copy, tmp_path, FAMILY_NOT_APPLICABLE)
    new = "the young person and their family both agree"
    for output in ("checker", "checker_pages", "guide", "guide_pdf"):
        assert new in after[output] and new not in before[output], output
    for output in ("form_page", "rules", "table", "filled_pdf"):
        assert after[output] != before[output], output
    assert "Not met" in after["filled_pdf"] and "Not met" not in before["filled_pdf"]
    assert after["validate"] == (
        "Criteria > The young person's family agrees to the referral: "
        'the answer to "Does the young person\'s parent or carer agree to the referral?" is '
        '"Not applicable"'
    )


def test_removing_a_criterion_changes_every_output(project_copy, edit_file, tmp_path):
    refused = {**EXAMPLE, "mace_recommended": "no"}
    before = _outputs(project_copy, tmp_path, refused)
    name = "The MACE Level 1 forum found Trusted Relationships support suitable"
    assert name in before["validate"]
    eligibility = project_copy / "content" / "eligibility.yaml"
    text = eligibility.read_text(encoding="utf-8")
    start = text.index("  - id: mace_recommends")
    eligibility.write_text(text[:start] + text[text.index("  # Agreement.", start) :], "utf-8")
    # `check` proves the checker asks every criterion and names only real ones, so its question
    # and outcome go too.
    checker = project_copy / "content" / "checker.yaml"
    text = checker.read_text(encoding="utf-8")
    start = text.index("  - criterion: mace_recommends")
    text = text[:start] + text[text.index("  - criterion:", start + 1) :]
    for outcome in ("not_recommended", "find_mace_outcome"):
        start = text.index(f"  - id: {outcome}\n")
        text = text[:start] + text[text.index("  - id:", start + 1) :]
    following = re.search(
        r"  - criterion: mace_recommends\n    if_met: (\w+)", checker.read_text("utf-8")
    )
    checker.write_text(
        text.replace("if_met: mace_recommends", f"if_met: {following.group(1)}"), "utf-8"
    )
    # And the pathway's decision box is no longer the gate for it (`check` names the line).
    edit_file(project_copy / "content" / "pathway.yaml", "    criteria: [mace_recommends]\n", "")
    after = _outputs(project_copy, tmp_path, refused)
    assert after["validate"] == ""
    sentence = "If an outcome of the MACE discussion is that the case would be suitable"
    for output in ("guide", "guide_pdf"):
        assert sentence in before[output] and sentence not in after[output], output
    for output in ("table", "rules", "form_page", "filled_pdf"):
        assert name in before[output] and name not in after[output], output
    assert '"mace_recommends"' in before["checker"] and '"mace_recommends"' not in after["checker"]


def test_the_filled_pdf_prints_every_criterion_met_or_not():
    project = load_project(ROOT)
    html = filled_referral_html(project, {**EXAMPLE, "mace_recommended": "no"}, NOW)
    box = html.split('class="summary-criteria"')[1].split("</dl>")[0]
    for criterion in project.eligibility.criteria:
        assert str(escape(criterion.name)) in box  # as Jinja writes it
    assert box.count('">Met</dd>') == 7
    assert box.count('">Not met: ') == 1
    assert box.count("Not recorded on this form") == 2
