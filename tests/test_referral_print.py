"""What a referral's printouts say, worded once (render/referral_print.py): the summary a panel reads
first, each criterion's status, the age on the referral date, conditions in words."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from generator.render import referral_print
from generator.render.referral_print import (
    STATUS_WORDS,
    condition_text,
    summarise_referral,
    summary_lines,
)
from generator.rules.submission import drop_inapplicable
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "forms/examples/referral-example.json").read_text(encoding="utf-8"))
TODAY = "2026-11-26"
NOT_RECORDED = "Not recorded on this form: confirm it before you refer"

# The summary of the fictional example, as a reader sees it: written out here, not computed, so a
# change to any of its words or values shows up as a diff to review.
READS = "The service reads this as: "  # a criterion's reading, never shown as the seed's words
EXAMPLE_SUMMARY = [
    "Summary",
    "Name Sam Example",
    "Date of birth 27 March 2011 (aged 15 on 5 October 2026)",
    "Risk status Medium",
    "Exploitation Child Criminal Exploitation (CCE), County Lines",
    "Referred by Alex Example",
    "Team Example Children and Families Team",
    "Date of referral 5 October 2026",
    "Worker safety: see section 9, Worker safety",
    "Who can be referred: what the answers show",
    "The young person must be aged 17 or below Met",
    (
        "The young person is at risk of or subject to Child Criminal Exploitation (CCE) Met "
        f"{READS}a referral is for a young person at risk of or subject to Child Criminal "
        "Exploitation (CCE); the MACE Level 1 forum considers the options for other forms of "
        "exploitation."
    ),
    "The young person must have an exploitation risk status assigned Met",
    f"The young person must be open to a C&F Service {NOT_RECORDED}",
    f"The referral must be made by the young person's C&F Service case-holder {NOT_RECORDED}",
    "A Child Exploitation Risk Assessment (CERA) must have been completed Met",
    "The case must have been considered at the MACE Level 1 forum Met",
    (
        "The MACE Level 1 forum found Trusted Relationships support suitable Met "
        f"{READS}a referral is made once the MACE Level 1 forum finds Trusted Relationships support "
        "suitable."
    ),
    f"The young person agrees to the referral Met {READS}the young person agrees to the referral.",
    (
        f"The young person's family agrees to the referral Met {READS}the young person's family agrees "
        "too; where they do not, the referral can still be made and the case-holder records why."
    ),
]


@pytest.fixture(scope="module")
def form():
    return load_project(ROOT).form


def test_the_example_summary_reads_as_written(form):
    summary = summarise_referral(form, drop_inapplicable(form, EXAMPLE), TODAY)
    assert summary_lines(summary) == EXAMPLE_SUMMARY
    assert summary.header == ("Sam Example", "LCS person ID EXAMPLE-0001")


def test_each_criterion_status_is_one_of_the_worded_ones(form):
    """met, not met, not yet known or not recorded; a new kind of status needs only its words."""
    unmet = {**EXAMPLE, "mace_recommended": "no"}
    del unmet["cera_date"]
    lines = {c.id: c for c in summarise_referral(form, unmet, TODAY).criteria}
    assert lines["mace_recommends"].status == "not_met"
    assert lines["mace_recommends"].words == (
        'Not met: the answer to "Did the MACE Level 1 forum recommend Trusted Relationships '
        'support?" is "No"'
    )
    assert lines["cera"].status == "unknown"
    assert lines["cera"].words.startswith("Not yet known: ")
    assert lines["open_to_cf"].status == "not_recorded" and not lines["open_to_cf"].recorded
    assert {c.status for c in lines.values()} <= set(STATUS_WORDS)


def test_a_should_not_met_shows_the_reason_recorded(form):
    unmet = {**EXAMPLE, "parent_agrees": "no", "parent_not_agreed_reason": "Mum is not ready."}
    lines = {c.id: c for c in summarise_referral(form, unmet, TODAY).criteria}
    assert lines["family_agrees"].status == "not_met_should"
    assert lines["family_agrees"].words == "Not met (should): Mum is not ready."
    # Without its reason (a draft), the answers that decided it.
    del unmet["parent_not_agreed_reason"]
    lines = {c.id: c for c in summarise_referral(form, unmet, TODAY).criteria}
    assert lines["family_agrees"].words == (
        "Not met (should): the answer to \"Does the young person's parent or carer agree to the "
        'referral?" is "No"'
    )


def test_a_missing_answer_says_so_and_hides_its_flag(form):
    partial = {k: v for k, v in EXAMPLE.items() if k not in ("risk_status", "worker_safety")}
    summary = summarise_referral(form, partial, TODAY)
    rows = {row.field: row for row in summary.rows}
    assert rows["risk_status"].value == "Not answered" and not rows["risk_status"].answered
    assert [flag.shown for flag in summary.flags] == [False]
    assert "Worker safety: see section 9, Worker safety" not in summary_lines(summary)


@pytest.mark.parametrize(
    "born, on, age",
    [
        ("2011-03-27", "2026-10-05", 15),
        ("2011-03-27", "2028-03-26", 16),  # the day before the birthday
        ("2011-03-27", "2028-03-27", 17),  # on it
        ("2012-02-29", "2013-02-28", 0),
        ("2011-02-30", "2026-10-05", None),  # no such day
        ("", "2026-10-05", None),
    ],
)
def test_the_age_is_counted_as_the_age_criterion_counts_it(born, on, age):
    assert referral_print.age_on(born, on) == age


def test_a_date_of_birth_without_a_referral_date_shows_no_age(form):
    partial = {k: v for k, v in EXAMPLE.items() if k != "referral_date"}
    rows = {row.field: row for row in summarise_referral(form, partial, TODAY).rows}
    assert rows["date_of_birth"].value == "27 March 2011"


def test_without_a_summary_in_the_form_only_the_criteria_open_the_printout(form):
    summary = summarise_referral(dataclasses.replace(form, summary=None), EXAMPLE, TODAY)
    assert summary.rows == () and summary.flags == () and summary.header == ()
    assert len(summary.criteria) == len(form.criteria)


def test_a_condition_is_worded_once_for_paper_and_the_page(form):
    assert (
        condition_text(form, form.find_field("gender_description"))
        == "Answer this only if your answer to ‘Gender’ was ‘In another way’."
    )
    assert condition_text(form, form.find_field("full_name")) == ""
