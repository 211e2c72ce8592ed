"""Render the printable PDFs: the model (and a referral's answers) -> HTML -> PDF bytes.

Three documents, all tagged PDF/UA-1 on A4 in the bundled font, fetching nothing but files from
the package's static folder: the guide (`render_guide_pdf`), a blank referral form that is fillable
on screen and usable on paper (`render_blank_form_pdf`) and a filled referral for the record
(`render_filled_referral_pdf`). `python -m generator pdf FILE.json -o OUT.pdf` prints the last.
This module builds their HTML; `pdf_engine` turns it into PDF bytes, and `referral_print` words
what a referral's printouts say (its answers, conditions and summary).

AcroForm field names in the blank form follow the saved referral's shape. A field is named by its
id (`full_name`); a checkbox by its field id and option id (`contact_days[monday]`), because
every checkbox is its own field and WeasyPrint exports "on" for all of them; a date by its id and
the part (`date_of_birth[day]`, `[month]`, `[year]`), as the form page asks for it; an item of a
repeatable group by the group id, the item's index from 0 and the sub-field id
(`other_agencies[0][agency]`). Brackets, not dots: a dot in a PDF field name means "child of", and
the PDF standard forbids it inside a name. A radio group exports its options' labels.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.model import Form, FormField, Project
from generator.render.diagram import PRINT_WIDTH, render_pathway_svg
from generator.render.pdf_engine import (
    WRITE_OPTIONS,
    PdfError,
    convert_html_to_pdf,
    fingerprint_renderer,
    repair_radio_groups,
    static_assets,
    static_folder,
)
from generator.render.referral_print import (
    NOT_ANSWERED,
    NOT_APPLICABLE,
    Answer,
    condition_text,
    describe_answer,
    section_heading,
    summarise_referral,
)
from generator.render.rendering import format_date
from generator.rules.submission import applicable_fields
from generator.text import markup as richtext

# What other modules and tests use from here: the PDFs' public API.
__all__ = [
    "NOT_ANSWERED",
    "NOT_APPLICABLE",
    "STYLESHEETS",
    "WRITE_OPTIONS",
    "Answer",
    "PdfError",
    "convert_html_to_pdf",
    "describe_answer",
    "fingerprint_renderer",
    "repair_radio_groups",
    "static_assets",
    "static_folder",
]

# How many items of a repeatable group the blank form leaves room for (fewer if the group allows
# fewer).
BLANK_GROUP_ROWS = 3
# The parts of a date on the blank form, each its own box, as the form page asks for them.
DATE_PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
# The stylesheets each document reads, in order, from static/pdf/.
STYLESHEETS = {
    "guide": ("base.css", "guide.css"),
    "blank_form": ("base.css", "form.css"),
    "filled_referral": ("base.css", "referral.css"),
}


# --- HTML ----------------------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = render_markdown
    env.filters["long_date"] = format_date
    return env


def render_markdown(text: str) -> Markup:
    """Editors' Markdown as sanitised HTML for print: links to pages of the guide keep their words."""
    return richtext.render_markdown(text, "pdf")


def guide_html(project: Project) -> str:
    """The one-minute guide as HTML for print: summary, criteria, sections, dates, Appendix 1."""
    return (
        _environment()
        .get_template("pdf/guide.html")
        .render(
            service=project.service,
            guide=project.guide,
            eligibility=project.eligibility,
            pathway=project.pathway,
            # The drawing laid out for paper: wide enough for its text to print at 10 pt.
            pathway_svg=Markup(render_pathway_svg(project.pathway, width=PRINT_WIDTH)),
        )
    )


def blank_field_name(field: FormField, option_id: str | None = None, prefix: str = "") -> str:
    """The AcroForm name of a field (or of one of its checkboxes or date parts); see the module
    docstring."""
    name = f"{prefix}[{field.id}]" if prefix else field.id
    return f"{name}[{option_id}]" if option_id is not None else name


def blank_field_names(form: Form) -> list[str]:
    """Every AcroForm field name the blank form has, in order; checkbox options and date parts
    count once each."""
    names: list[str] = []

    def add(field: FormField, prefix: str = "") -> None:
        if field.type == "group":
            for index in range(_blank_rows(field)):
                for sub in field.fields:
                    add(sub, f"{blank_field_name(field, prefix=prefix)}[{index}]")
        elif field.type == "checkboxes":
            names.extend(blank_field_name(field, o.id, prefix) for o in field.options)
        elif field.type == "date":
            names.extend(blank_field_name(field, part, prefix) for part, *_ in DATE_PARTS)
        else:
            names.append(blank_field_name(field, prefix=prefix))

    for field in form.all_fields():
        add(field)
    return names


def _blank_rows(field: FormField) -> int:
    return min(BLANK_GROUP_ROWS, field.max_items) if field.max_items else BLANK_GROUP_ROWS


def _inline_options(field: FormField) -> bool:
    """Whether a few short options (Yes / No) fit on one line; longer lists get a line each."""
    return len(field.options) <= 3 and all(len(o.label) <= 15 for o in field.options)


def blank_form_html(project: Project) -> str:
    """The referral form as HTML for print: every field, as a box, tick boxes or rows to fill in."""
    form = project.form
    return (
        _environment()
        .get_template("pdf/blank_form.html")
        .render(
            service=project.service,
            form=form,
            rows=_blank_rows,
            name=blank_field_name,
            condition=lambda field: condition_text(form, field),
            inline_options=_inline_options,
            date_parts=DATE_PARTS,
        )
    )


def _format_moment(moment: datetime) -> str:
    """'26 November 2026 at 14:03 GMT' (the zone only when the time says which it is)."""
    zone = f" {moment.tzname()}" if moment.tzinfo is not None and moment.tzname() else ""
    return f"{format_date(moment.date())} at {moment:%H:%M}{zone}"


def _saved_at(data: dict) -> str:
    """When the file says it was saved, in words, or "" if it does not say (or not readably)."""
    saved = data.get("saved_at")
    if not isinstance(saved, str):
        return ""
    try:
        return _format_moment(datetime.fromisoformat(saved))
    except ValueError:
        return ""


def filled_referral_html(project: Project, data: dict, generated_at: datetime) -> str:
    """A saved referral as HTML for print: the summary, then each question with its answer or why
    there is none, and when it was generated."""
    if generated_at.tzinfo is None:  # a time without a zone is taken as local time
        generated_at = generated_at.astimezone()
    form = project.form
    applying = {f.id for f in applicable_fields(form, data)}
    sections = [
        (
            section_heading(number, section.title),
            section,
            [describe_answer(f, data, f.id in applying) for f in section.fields],
        )
        for number, section in enumerate(form.sections, 1)
    ]
    return (
        _environment()
        .get_template("pdf/filled_referral.html")
        .render(
            service=project.service,
            form=form,
            sections=sections,
            summary=summarise_referral(form, data),
            draft=data.get("status") == "draft",
            generated=_format_moment(generated_at),
            generated_iso=generated_at.isoformat(timespec="seconds"),
            saved=_saved_at(data),
            not_applicable=NOT_APPLICABLE,
        )
    )


# --- PDF -----------------------------------------------------------------------------------------


def render_guide_pdf(project: Project) -> bytes:
    """The one-minute guide as an A4 PDF."""
    return convert_html_to_pdf(guide_html(project), STYLESHEETS["guide"])


def render_blank_form_pdf(project: Project) -> bytes:
    """The referral form, blank: fillable in a PDF reader and printable for handwriting."""
    return convert_html_to_pdf(blank_form_html(project), STYLESHEETS["blank_form"])


def render_filled_referral_pdf(project: Project, data: dict, generated_at: datetime) -> bytes:
    """A saved referral's answers under their questions, stating when it was generated."""
    return convert_html_to_pdf(
        filled_referral_html(project, _printable(data), generated_at),
        STYLESHEETS["filled_referral"],
    )


def _printable(value):
    """The answers with any half of a UTF-16 pair (which no PDF text can hold) shown as U+FFFD.

    `load_submission` refuses such files; this keeps the renderer itself total for any caller."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value
