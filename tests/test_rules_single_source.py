"""One rule changed in content/eligibility.yaml changes every output together: the checker, the form
page's rule table, `validate`, the guide and the PDFs."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import jsonschema
from markupsafe import escape

from generator.render import checker_site, form_site, pages
from generator.render.context import BuildContext
from generator.render.openreferral import build_service_record
from generator.render.pdf import blank_form_html, filled_referral_html, guide_html
from generator.rules.form_schema import build_submission_schema
from generator.rules.submission import build_rules, validate_submission
from generator.sources.load import check_sources, load_project

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


def _line_of(path: Path, text: str, after: str = "") -> int:
    """The line (from 1) on which `text` starts in `path` (the first after `after`)."""
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text, content.index(after))].count("\n") + 1


def _remove_block(path: Path, start: str, end: str) -> None:
    """Remove the lines from the one starting `start` up to (not including) the next `end`."""
    text = path.read_text(encoding="utf-8")
    at = text.index(start)
    path.write_text(text[:at] + text[text.index(end, at + len(start)) :], "utf-8")


def _reword_risk_status(eligibility: Path, edit_file) -> None:
    """The risk status criterion's name and text reworded, as an editor would."""
    edit_file(
        eligibility,
        "name: The young person must have an exploitation risk status assigned",
        "name: The young person must have a risk status",
    )
    edit_file(
        eligibility,
        "text: have an exploitation risk status assigned ({risk_statuses})",
        "text: have a current exploitation risk status ({risk_statuses})",
    )


def _schema_accepts(form, data: dict) -> bool:
    return jsonschema.Draft202012Validator(build_submission_schema(form)).is_valid(data)


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
        "openreferral": json.dumps(build_service_record(project), ensure_ascii=False),
        "blank_pdf": blank_form_html(project),
        "schema": json.dumps(build_submission_schema(project.form), ensure_ascii=False),
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
    # "Not applicable" now leaves the criterion unmet, and its reason question is not asked then:
    # `check` names the line, and the form's `show_if` follows.
    line = _line_of(
        project_copy / "content" / "eligibility.yaml", 'in: ["yes"]', "id: family_agrees"
    )
    assert [str(p) for p in check_sources(project_copy)] == [
        (
            f"content/eligibility.yaml:{line}:13: criterion 'family_agrees' is not met by the answer "
            "'not_applicable' to 'parent_agrees', but its reason question 'parent_not_agreed_reason' "
            "is not asked then: add the answer to that question's `show_if` in forms/referral.yaml, "
            "or to this list"
        )
    ]
    form = project_copy / "forms" / "referral.yaml"
    edit_file(
        form,
        '          in: ["no"]\n      - id: parent_not_applicable_reason',
        ('          in: ["no", not_applicable]\n      - id: parent_not_applicable_reason'),
    )
    assert check_sources(project_copy) == []
    after = _outputs(
        project_copy, tmp_path, {**FAMILY_NOT_APPLICABLE, "parent_not_agreed_reason": "x"}
    )
    new = "the young person and their family both agree"
    # The reading, an inference, reaches every output that shows it, from the criterion alone.
    for output in ("checker", "checker_pages", "guide", "guide_pdf", "form_page"):
        assert new in after[output] and new not in before[output], output
    assert f"The service reads this as: {new}." in after["filled_pdf"]
    for output in ("form_page", "rules", "table", "filled_pdf"):
        assert after[output] != before[output], output
    # The family's agreement is a should: not met, the referral is accepted with a warning.
    assert after["validate"] == (
        "Criteria > The young person's family agrees to the referral: warning: "
        'the answer to "Does the young person\'s parent or carer agree to the referral?" is '
        '"Not applicable". The guide\'s word is "should" ("should be made with the agreement of '
        'the young person / family"), so the referral can still be made. Record the reason in '
        '"Why has the parent or carer not agreed?". The service reads this as: the young person '
        "and their family both agree."
    )
    assert "Not met (should): x" in after["filled_pdf"]


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


def test_removing_the_mace_criterion_makes_its_date_optional(project_copy, edit_file, tmp_path):
    """Issue 20: a field a criterion's `met_when` names is required because of that criterion.
    Removed, "Date of the MACE Level 1 discussion" is optional in the schema, `validate`, the form
    page and the blank PDF, and `check` notes it at the field."""
    label = "Date of the MACE Level 1 discussion"
    without = {k: v for k, v in EXAMPLE.items() if k != "mace_date"}
    project = load_project(project_copy)
    assert not _schema_accepts(project.form, without)
    root = project_copy / "content"
    _remove_block(root / "eligibility.yaml", "  - id: mace\n", "  - id: mace_recommends\n")
    # checker.yaml only routes: the question is one entry, and the criterion's outcomes go with it.
    _remove_block(
        root / "checker.yaml", "  - criterion: mace\n", "  - criterion: mace_recommends\n"
    )
    _remove_block(root / "checker.yaml", "  - id: route_mace\n", "  - id: not_recommended\n")
    edit_file(root / "checker.yaml", "    if_met: mace\n", "    if_met: mace_recommends\n")
    edit_file(root / "pathway.yaml", "    criteria: [mace]\n", "")
    line = _line_of(project_copy / "forms" / "referral.yaml", "      - id: mace_date")
    assert [str(p) for p in check_sources(project_copy)] == [
        (
            f"forms/referral.yaml:{line}:13: warning: '{label}' is now optional: no criterion in "
            "content/eligibility.yaml needs its answer, and it does not say `required: true`. Write "
            "`required: true` to keep it required, or `optional: true` to say it may be left out"
        )
    ]
    project = load_project(project_copy)
    assert _schema_accepts(project.form, without)
    assert validate_submission(project.form, without, today=TODAY) == []
    context = BuildContext(project_copy, tmp_path / "cache")
    assert f"{label} (optional)" in form_site.render_files(project, context)["referral-form.md"]
    assert f"{label} (optional)" in blank_form_html(project)
    # The form can keep it required itself.
    edit_file(
        project_copy / "forms" / "referral.yaml",
        "      - id: mace_date\n",
        "      - id: mace_date\n        required: true\n",
    )
    assert check_sources(project_copy) == []
    project = load_project(project_copy)
    assert not _schema_accepts(project.form, without)
    assert [p.field_id for p in validate_submission(project.form, without, today=TODAY)] == [
        "mace_date"
    ]


def _stale(outputs: dict[str, str], old: str) -> list[str]:
    """The outputs that still hold `old` words."""
    return [name for name, text in outputs.items() if old in text]


def test_rewording_a_criterion_leaves_no_output_stale(project_copy, edit_file, tmp_path):
    """The risk status criterion reworded in content/eligibility.yaml alone: its name and its text
    change everywhere they are shown (schema, rule table, form page, validate, guide, PDFs)."""
    unmet = {k: v for k, v in EXAMPLE.items() if k != "risk_status"}
    old_name = "The young person must have an exploitation risk status assigned"
    before = _outputs(project_copy, tmp_path, unmet)
    assert set(_stale(before, old_name)) >= {"table", "rules", "form_page", "filled_pdf"}
    assert "have an exploitation risk status assigned" in before["guide"]
    eligibility = project_copy / "content" / "eligibility.yaml"
    _reword_risk_status(eligibility, edit_file)
    assert check_sources(project_copy) == []
    after = _outputs(project_copy, tmp_path, unmet)
    # The checker's words are the criterion's own `ask:`, which this edit leaves as it was;
    # test_rewording_a_criterion_reaches_the_checker rewords them too.
    ours = {k: v for k, v in after.items() if not k.startswith("checker")}
    assert _stale(ours, old_name) == []
    assert _stale(ours, "have an exploitation risk status assigned") == []
    for output in ("table", "rules", "form_page", "filled_pdf"):
        assert "The young person must have a risk status" in after[output], output
    for output in ("guide", "guide_pdf"):
        assert "have a current exploitation risk status" in after[output], output


def test_rewording_a_criterion_reaches_the_checker(project_copy, edit_file, tmp_path):
    old_name = "The young person must have an exploitation risk status assigned"
    eligibility = project_copy / "content" / "eligibility.yaml"
    _reword_risk_status(eligibility, edit_file)
    # The checker's question is the criterion's own (its `ask:`, a few lines below): one block.
    edit_file(
        eligibility,
        "question: Does the young person have an exploitation risk status assigned",
        "question: Does the young person have a current exploitation risk status",
    )
    after = _outputs(project_copy, tmp_path, EXAMPLE)
    assert _stale(after, old_name) == []
    assert _stale(after, "have an exploitation risk status assigned") == []


def test_adding_a_criterion_is_refused_until_check_names_every_line(
    project_copy, edit_file, tmp_path
):
    """A new criterion, with the form's new question for it: the form's rules follow at once, and
    `check` names each line the checker still needs, in content/eligibility.yaml."""
    eligibility = project_copy / "content" / "eligibility.yaml"
    edit_file(
        eligibility,
        "  - id: open_to_cf\n",
        "  - id: lives_in_area\n"
        "    kind: eligibility\n"
        "    strength: must\n"
        "    strength_words: a young person must\n"
        "    text: live in {service.area}\n"
        "    name: The young person must live in {service.area}\n"
        "    not_met: lives_elsewhere\n"
        "    ask:\n"
        "      question: Does the young person live in {service.area}?\n"
        "      answers:\n"
        '        met: "Yes"\n'
        '        not_met: "No"\n'
        "      titles:\n"
        "        not_met: Trusted Relationships is for young people in {service.area}\n"
        "    met_when:\n"
        "      - field: lives_in_area\n"
        '        in: ["yes"]\n'
        "  - id: open_to_cf\n",
    )
    edit_file(
        project_copy / "forms" / "referral.yaml",
        "      - id: area\n",
        "      - id: lives_in_area\n"
        "        type: radios\n"
        "        label: Does the young person live in {service.area}?\n"
        "        error_name: whether the young person lives in {service.area}\n"
        "        options_from: yes_no\n"
        "      - id: area\n",
    )
    line = _line_of(eligibility, "  - id: lives_in_area")
    problems = [str(p) for p in check_sources(project_copy)]
    assert problems, "a criterion no checker question asks must be refused"
    assert all(p.startswith("content/") and p.split(":")[1].isdigit() for p in problems), problems
    assert f"content/eligibility.yaml:{line}:9: no question in content/checker.yaml asks " in (
        "\n".join(problems)
    )
    assert f"content/eligibility.yaml:{line + 6}:14: criterion 'lives_in_area' names outcome " in (
        "\n".join(problems)
    )


def test_raising_the_age_limit_leaves_no_output_stale(project_copy, edit_file, tmp_path):
    """upper_age changed once: every page text, the schema, the rule table, validate and the PDFs
    say the new limit, and none the old."""
    born = {**EXAMPLE, "date_of_birth": "2008-10-05"}  # 18 on the referral date
    before = _outputs(project_copy, tmp_path, born)
    assert "must be aged 17 or below" in before["validate"]
    edit_file(project_copy / "content" / "eligibility.yaml", "upper_age: 17\n", "upper_age: 18\n")
    assert check_sources(project_copy) == []
    after = _outputs(project_copy, tmp_path, born)
    assert after["validate"] == ""
    assert _stale(after, "aged 17 or below") == []
    for output in ("guide", "guide_pdf", "table", "rules", "form_page", "filled_pdf"):
        assert "aged 18 or below" in after[output], output
    assert '"maximum_age": 18' in after["openreferral"]


def test_a_new_risk_status_reaches_every_output(project_copy, edit_file, tmp_path):
    """A status added to the list once: the schema, the rule table, validate, the form page, the
    blank PDF and the guide offer it."""
    edit_file(
        project_copy / "content" / "eligibility.yaml",
        "      - id: high\n        label: High\n",
        "      - id: high\n        label: High\n      - id: very_high\n        label: Very high\n",
    )
    assert check_sources(project_copy) == []
    data = {**EXAMPLE, "risk_status": "very_high"}
    after = _outputs(project_copy, tmp_path, data)
    assert after["validate"] == ""
    for output in ("schema", "rules", "table"):
        assert '"very_high"' in after[output], output
    for output in ("form_page", "blank_pdf", "guide", "guide_pdf", "filled_pdf"):
        assert "Very high" in after[output], output


def test_the_young_persons_reading_reaches_every_output_that_states_it(
    project_copy, edit_file, tmp_path
):
    """The reading, an inference, is quoted from the criterion: changed there, it changes in each
    output that states it, and the old words are nowhere. The summary (home page, Open Referral
    record) quotes only the criteria's text, so it states no reading by hand."""
    old = "the young person agrees to the referral"
    new = "the young person has said yes to the referral"
    before = _outputs(project_copy, tmp_path, EXAMPLE)
    assert old not in before["openreferral"]
    edit_file(
        project_copy / "content" / "eligibility.yaml", f"reading: {old}\n", f"reading: {new}\n"
    )
    assert check_sources(project_copy) == []
    after = _outputs(project_copy, tmp_path, EXAMPLE)
    for output in ("guide", "form_page", "filled_pdf"):
        assert new in after[output] and new not in before[output], output
    assert new not in after["openreferral"]
