"""Word a referral for paper once: Form (+ answers) -> answers, conditions and the panel summary.

Every printout of a referral says what this module says: the filled-referral PDF renders its
values (render/pdf.py), and the form page publishes the same words and the summary's skeleton
for its script, which fills in the answers before the browser prints (render/form_site.py,
templates/pdf/_summary.html). tests/browser/test_print.py reads both printouts and compares them.

A criterion's status is one of STATUS_WORDS' keys. A criterion that is not met is worded by the
rules (rules/submission.criteria_report); a should criterion not met is "Not met (should)", then
the reason the form records for it (its `reason_field`'s answer). A criterion's `reading`, the
service's inference, is printed under its name as the service's reading, never as its words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from generator.model import Form, FormField
from generator.render.rendering import format_date
from generator.rules.compile import READING_WORDS
from generator.rules.submission import criteria_report

NOT_APPLICABLE = "Not applicable"
NOT_ANSWERED = "Not answered"

# How the summary and the form page word a criterion's status, by key (see criterion_status).
STATUS_WORDS = {
    "met": "Met",
    "not_met": "Not met",
    # a should criterion not met: the referral is accepted, and the reason recorded follows
    "not_met_should": "Not met (should)",
    "unknown": "Not yet known",
    "not_recorded": "Not recorded on this form: confirm it before you refer",
}

# The summary's own words; {placeholders} are filled in here and by the page's script alike.
SUMMARY_WORDS = {
    "title": "Summary",
    "criteria": "Who can be referred: what the answers show",
    "section": "Section {number}: {title}",
    "see_section": "{label}: see section {number}, {title}",
    "aged": "{date} (aged {age} on {on})",
    "separator": ", ",
}


@dataclass(frozen=True)
class Answer:
    """One question of a filled referral as printed: its label and what to show under it."""

    label: str
    kind: str  # "text" (keep line breaks), "list", "items" (of a repeatable group), "missing"
    value: object
    item_name: str = ""


@dataclass(frozen=True)
class SummaryRow:
    field: str
    label: str
    value: str
    answered: bool
    age_on: str = ""  # the date field the age is given on, for a date of birth (else "")


@dataclass(frozen=True)
class CriterionLine:
    id: str
    name: str
    status: str  # a key of STATUS_WORDS
    words: str  # the status in words, then the answers that decided it (a should: its reason)
    recorded: bool
    reading: str = ""  # "The service reads this as: ...", or "" when the seed's words are plain


@dataclass(frozen=True)
class Flag:
    field: str
    words: str  # "Worker safety: see section 9, Worker safety"
    shown: bool  # answered: on paper only then


@dataclass(frozen=True)
class ReferralSummary:
    """What opens a printed referral: who, the answers the panel looks at first, the criteria."""

    header: tuple[str, ...]  # the answers naming the person, for every page's header
    rows: tuple[SummaryRow, ...]
    criteria: tuple[CriterionLine, ...]
    flags: tuple[Flag, ...]
    words: dict


def _is_blank(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def condition_text(form: Form, field: FormField) -> str:
    """When a conditional question applies, in words for paper and for the page without script:
    "Answer this only if your answer to ‘Gender’ was ‘In another way’." ("" if it always does)."""
    condition = field.show_if
    trigger = form.find_field(condition.field) if condition else None
    if condition is None or trigger is None:
        return ""
    labels = {o.id: o.label for o in trigger.options}
    answers = [f"‘{labels.get(v, v)}’" for v in condition.values]
    answer_text = (
        answers[0] if len(answers) == 1 else ", ".join(answers[:-1]) + " or " + answers[-1]
    )
    if trigger.type == "checkboxes":
        return f"Answer this only if your answers to ‘{trigger.label}’ include {answer_text}."
    return f"Answer this only if your answer to ‘{trigger.label}’ was {answer_text}."


def describe_answer(field: FormField, data: dict, applies: bool = True) -> Answer:
    """What a filled referral shows for one question: the answer in words, or why there is none."""
    if not applies:
        return Answer(field.label, "missing", NOT_APPLICABLE)
    value = data.get(field.id)
    if _is_blank(value):
        return Answer(field.label, "missing", NOT_ANSWERED)
    labels = {o.id: o.label for o in field.options}
    if field.type == "radios":
        return Answer(field.label, "text", labels.get(str(value), str(value)))
    if field.type == "checkboxes":
        chosen = value if isinstance(value, list) else [value]
        return Answer(field.label, "list", [labels.get(str(v), str(v)) for v in chosen])
    if field.type == "date":
        return Answer(field.label, "text", format_date(str(value)))
    if field.type == "group":
        items = value if isinstance(value, list) else [value]
        described = [
            [describe_answer(sub, item if isinstance(item, dict) else {}) for sub in field.fields]
            for item in items
        ]
        return Answer(field.label, "items", described, field.item_name or field.label)
    return Answer(field.label, "text", str(value))


def criterion_status(met: bool | None, recorded: bool = True, strength: str = "must") -> str:
    """The STATUS_WORDS key of a criterion as the rules judge it (met True, False or None)."""
    if not recorded:
        return "not_recorded"
    if met is False and strength == "should":
        return "not_met_should"
    return {True: "met", False: "not_met"}.get(met, "unknown")


def reading_words(reading: str) -> str:
    """A criterion's reading as every printout shows it: the service's, not the seed's words."""
    return f"{READING_WORDS} {reading}." if reading else ""


def age_on(born: str, on: str) -> int | None:
    """Whole years from one YYYY-MM-DD date to another, as the age criterion counts them."""
    try:
        birth, day = datetime.date.fromisoformat(born), datetime.date.fromisoformat(on)
    except (TypeError, ValueError):
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _age_fields(form: Form) -> dict[str, str]:
    """{date of birth field: the field of the date its age is taken on}, from the criteria."""
    return {
        c.field: c.on_field
        for criterion in form.criteria
        for c in criterion.met_when
        if c.age_at_most is not None and c.on_field
    }


def _value_words(field: FormField, value: object, data: dict, age_field: str) -> str:
    answer = describe_answer(field, {field.id: value})
    if answer.kind == "list":
        return SUMMARY_WORDS["separator"].join(answer.value)
    words = str(answer.value)
    age = age_on(str(value), str(data.get(age_field, ""))) if age_field else None
    if age is None:
        return words
    on = format_date(str(data[age_field]))
    return SUMMARY_WORDS["aged"].format(date=words, age=age, on=on)


def _section_numbers(form: Form) -> dict[str, tuple[int, str]]:
    return {
        f.id: (number, section.title)
        for number, section in enumerate(form.sections, 1)
        for f in section.fields
    }


def summarise_referral(form: Form, data: dict, today: str | None = None) -> ReferralSummary:
    """The summary of a referral's answers; with no answers, the skeleton the page's script fills.

    Rows keep the summary's order in forms/referral.yaml; criteria keep theirs, each with its
    status; a flag points to its question's section and is shown only when it is answered."""
    plan = form.summary
    fields = {f.id: f for f in form.all_fields()}
    ages = _age_fields(form)
    rows, flags, header = [], [], []
    if plan is not None:
        # The first answer names the person; the others (an ID) are named by their label.
        header = [
            str(data[f]) if i == 0 else f"{fields[f].label} {data[f]}"
            for i, f in enumerate(plan.header)
            if not _is_blank(data.get(f))
        ]
        for item in plan.rows:
            field, value = fields[item.field], data.get(item.field)
            answered = not _is_blank(value)
            age_field = ages.get(item.field, "")
            words = _value_words(field, value, data, age_field) if answered else NOT_ANSWERED
            rows.append(
                SummaryRow(item.field, item.label or field.label, words, answered, age_field)
            )
        numbers = _section_numbers(form)
        for item in plan.flags:
            number, title = numbers[item.field]
            label = item.label or fields[item.field].label
            words = SUMMARY_WORDS["see_section"].format(label=label, number=number, title=title)
            flags.append(Flag(item.field, words, not _is_blank(data.get(item.field))))
    return ReferralSummary(
        tuple(header), tuple(rows), _criteria_lines(form, data, today), tuple(flags), SUMMARY_WORDS
    )


def _criteria_lines(form: Form, data: dict, today: str | None) -> tuple[CriterionLine, ...]:
    judged = {entry["id"]: entry for entry in criteria_report(form, data, today)}
    lines = []
    for criterion in form.criteria:
        entry = judged.get(criterion.id)
        met = entry["met"] if entry else None
        status = criterion_status(met, entry is not None, criterion.strength)
        # A should not met shows the reason recorded for it; else the answers that decided it.
        reasons = (entry["recorded"] or "; ".join(entry["reasons"])) if entry else ""
        words = STATUS_WORDS[status] + (f": {reasons}" if reasons else "")
        lines.append(
            CriterionLine(
                criterion.id,
                criterion.name,
                status,
                words,
                entry is not None,
                reading_words(criterion.reading),
            )
        )
    return tuple(lines)


def summary_lines(summary: ReferralSummary) -> list[str]:
    """The summary as the lines a reader sees, in order: what the printouts are compared by."""
    lines = [summary.words["title"]]
    lines += [f"{row.label} {row.value}" for row in summary.rows]
    lines += [flag.words for flag in summary.flags if flag.shown]
    if summary.criteria:
        lines.append(summary.words["criteria"])
        lines += [" ".join(filter(None, (c.name, c.words, c.reading))) for c in summary.criteria]
    return lines


def section_heading(number: int, title: str) -> str:
    """A section's heading in a printed referral, numbered so a flag can point to it."""
    return SUMMARY_WORDS["section"].format(number=number, title=title)


def printout_words() -> dict:
    """The words the form page's script prints with, published to the page (form_site)."""
    return {
        "not_answered": NOT_ANSWERED,
        "not_applicable": NOT_APPLICABLE,
        "status": STATUS_WORDS,
        "summary": SUMMARY_WORDS,
        "reading": READING_WORDS,
    }
