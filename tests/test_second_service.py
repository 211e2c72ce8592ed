"""A service of another kind (money advice, not youth exploitation) checks clean and builds with
every engine: the generator's lists, facts and criteria are generic, defined only in YAML."""

import re
import shutil
from pathlib import Path

import pytest

from generator.publish.engines import ENGINES
from generator.sources.load import check_sources, load_project

MONEY_ADVICE = Path(__file__).resolve().parent / "fixtures" / "money-advice"


def test_a_money_advice_service_checks_clean_and_its_lists_make_its_facts():
    assert check_sources(MONEY_ADVICE) == []
    project = load_project(MONEY_ADVICE)
    assert set(project.eligibility.lists) == {"debt_kinds", "contact_ways"}
    debts = project.form.find_field("debts")
    assert [o.id for o in debts.options] == ["rent", "council_tax", "energy", "phone"]
    criterion = project.eligibility.criterion("priority_debt")
    # The items marked main, then the rest; two items take no serial comma.
    assert criterion.text == (
        "owe rent arrears and council tax arrears, which may come with other debts such as "
        "energy bills and phone contracts"
    )
    assert criterion.met_when[0].values == ("rent", "council_tax")
    consent = project.eligibility.criterion("consent")
    assert consent.text == "The person agrees to be contacted by 'Phone', 'Email' or 'Letter'."


@pytest.mark.parametrize("engine", ENGINES)
def test_a_money_advice_service_builds_strict_with_every_engine(
    engine, tmp_path, copy_project_to, build_site, html_text
):
    root = copy_project_to(tmp_path / "service")
    for name in ("content", "forms"):
        shutil.rmtree(root / name)
        shutil.copytree(MONEY_ADVICE / name, root / name)
    result = build_site(root, tmp_path / "site", strict=True, command="generator", engine=engine)
    assert result.ok, result.output
    site = tmp_path / "site"
    checker = html_text((site / "checker" / "index.html").read_text(encoding="utf-8"))
    assert "Check if a person can be referred for money advice" in checker
    question = html_text(
        (site / "checker" / "q" / "priority_debt" / "index.html").read_text("utf-8")
    )
    assert "Does the person owe rent arrears and council tax arrears?" in question
    form = (site / "referral-form" / "index.html").read_text(encoding="utf-8")
    assert 'id="f-debts-council_tax"' in form and "Debt Relief Order" not in form
    who = html_text((site / "who-can-be-referred" / "index.html").read_text(encoding="utf-8"))
    # Whom the service is for comes from its service.yaml (person: person), on every page.
    assert "To be eligible, a person must:" in who
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Trusted Relationships" not in text, page
        assert not re.search(r"(?i)young (?:person|people)", text), page
