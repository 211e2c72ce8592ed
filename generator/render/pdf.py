"""Render the printable PDFs: the model (and a referral's answers) -> HTML -> PDF bytes.

Three documents, all tagged PDF/UA-1 on A4 in the bundled font, fetching nothing but files from
the package's static folder: the guide (`render_guide_pdf`), a blank referral form that is fillable
on screen and usable on paper (`render_blank_form_pdf`) and a filled referral for the record
(`render_filled_referral_pdf`). `python -m generator pdf FILE.json -o OUT.pdf` prints the last.

AcroForm field names in the blank form follow the saved referral's shape. A field is named by its
id (`full_name`); a checkbox by its field id and option id (`contact_days[monday]`), because
every checkbox is its own field and WeasyPrint exports "on" for all of them; an item of a
repeatable group by the group id, the item's index from 0 and the sub-field id
(`other_agencies[0][agency]`). Brackets, not dots: a dot in a PDF field name means "child of", and
the PDF standard forbids it inside a name. A radio group exports its options' labels.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.model import Form, FormField, Project
from generator.render.diagram import render_pathway_svg
from generator.render.rendering import format_date
from generator.rules.submission import applicable_fields, criteria_report
from generator.text import markup as richtext

logger = logging.getLogger(__name__)

# What WeasyPrint is asked for; part of the cache key, so changing an option re-renders.
WRITE_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}
# How many items of a repeatable group the blank form leaves room for (fewer if the group allows
# fewer).
BLANK_GROUP_ROWS = 3
# The stylesheets each document reads, in order, from static/pdf/.
STYLESHEETS = {
    "guide": ("base.css", "guide.css"),
    "blank_form": ("base.css", "form.css"),
    "filled_referral": ("base.css", "referral.css"),
}


class PdfError(Exception):
    """A PDF could not be made; the message says why in plain words."""


@dataclass(frozen=True)
class Answer:
    """One question of a filled referral as printed: its label and what to show under it."""

    label: str
    kind: str  # "text" (keep line breaks), "list", "items" (of a repeatable group), "missing"
    value: object
    item_name: str = ""


def static_folder() -> Path:
    """The package's static folder on disk: the only place a PDF may fetch from."""
    # Not importlib.resources: WeasyPrint reads file: URLs, so what is needed is a folder of real
    # files, and the package keeps it next to this module.
    folder = Path(__file__).resolve().parent.parent / "static"
    if not folder.is_dir():
        raise PdfError(f"the generator's static folder is missing: {folder}")
    return folder


def static_assets() -> list[Path]:
    """The files a PDF may read besides its HTML: the stylesheets and the bundled fonts."""
    folder = static_folder()
    found = [p for sub in ("pdf", "fonts") for p in sorted((folder / sub).iterdir()) if p.is_file()]
    return [p for p in found if p.suffix in {".css", ".woff", ".woff2", ".ttf", ".otf"}]


def fingerprint_renderer() -> str:
    """A hash of all but the HTML that decides a PDF: assets, write options, library versions."""
    # From the installed packages' metadata, not by importing them: importing WeasyPrint takes
    # over half a second, which a build whose PDFs render in other processes need not spend.
    from importlib.metadata import version

    digest = hashlib.sha256()
    versions = (
        f"weasyprint {version('weasyprint')} pikepdf {version('pikepdf')} pydyf {version('pydyf')}"
    )
    digest.update(f"{versions}\n{sorted(WRITE_OPTIONS.items())}\n".encode())
    folder = static_folder()
    for path in static_assets():
        digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


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


def _pathway_svg(project: Project) -> Markup:
    return Markup(render_pathway_svg(project.pathway))


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
            pathway_svg=_pathway_svg(project),
        )
    )


def blank_field_name(field: FormField, option_id: str | None = None, prefix: str = "") -> str:
    """The AcroForm name of a field (or of one of its checkboxes); see the module docstring."""
    name = f"{prefix}[{field.id}]" if prefix else field.id
    return f"{name}[{option_id}]" if option_id is not None else name


def blank_field_names(form: Form) -> list[str]:
    """Every AcroForm field name the blank form has, in order; checkbox options count once each."""
    names: list[str] = []

    def add(field: FormField, prefix: str = "") -> None:
        if field.type == "group":
            for index in range(_blank_rows(field)):
                for sub in field.fields:
                    add(sub, f"{blank_field_name(field, prefix=prefix)}[{index}]")
        elif field.type == "checkboxes":
            names.extend(blank_field_name(field, o.id, prefix) for o in field.options)
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


def _condition_text(form: Form, field: FormField) -> str:
    """Tell paper readers when a conditional question applies: "... to 'Gender' was '...'."."""
    condition = field.show_if
    if condition is None:
        return ""
    trigger = form.find_field(condition.field)
    if trigger is None:
        return ""
    labels = {o.id: o.label for o in trigger.options}
    answers = [f"‘{labels.get(v, v)}’" for v in condition.values]
    answer_text = (
        answers[0] if len(answers) == 1 else ", ".join(answers[:-1]) + " or " + answers[-1]
    )
    if trigger.type == "checkboxes":
        return f"Answer this only if your answers to ‘{trigger.label}’ include {answer_text}."
    return f"Answer this only if your answer to ‘{trigger.label}’ was {answer_text}."


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
            condition=lambda field: _condition_text(form, field),
            inline_options=_inline_options,
        )
    )


NOT_APPLICABLE = "Not applicable"
NOT_ANSWERED = "Not answered"


def _is_blank(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


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


def _criteria_as_printed(form: Form, report: list[dict]) -> list[dict]:
    """Every criterion in order: as the answers judge it, or `recorded: False` where the form does
    not record it (as the form page says)."""
    judged = {entry["id"]: entry for entry in report}
    return [
        {**judged[c.id], "recorded": True}
        if c.id in judged
        else {"id": c.id, "name": c.name, "met": None, "reasons": [], "recorded": False}
        for c in form.criteria
    ]


def filled_referral_html(project: Project, data: dict, generated_at: datetime) -> str:
    """A saved referral as HTML for print: each question, its answer or why there is none, when."""
    if generated_at.tzinfo is None:  # a time without a zone is taken as local time
        generated_at = generated_at.astimezone()
    form = project.form
    applying = {f.id for f in applicable_fields(form, data)}
    sections = [
        (section, [describe_answer(f, data, f.id in applying) for f in section.fields])
        for section in form.sections
    ]
    return (
        _environment()
        .get_template("pdf/filled_referral.html")
        .render(
            service=project.service,
            form=form,
            sections=sections,
            criteria=_criteria_as_printed(form, criteria_report(form, data)),
            draft=data.get("status") == "draft",
            generated=_format_moment(generated_at),
            generated_iso=generated_at.isoformat(timespec="seconds"),
            saved=_saved_at(data),
            not_applicable=NOT_APPLICABLE,
        )
    )


# --- PDF -----------------------------------------------------------------------------------------


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Fetch file: URLs inside the static folder only: no network, no other files."""

        def __init__(self, folder: Path):
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
            self._folder = folder

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not path.is_relative_to(self._folder):
                    raise ValueError(f"only files in {self._folder} may be used: {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


def convert_html_to_pdf(html: str, stylesheets: tuple[str, ...]) -> bytes:
    """HTML + stylesheets from static/pdf/ -> tagged PDF bytes, reading only the static folder."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    folder = static_folder()
    fetcher = _fetcher_class()(folder)
    fonts = FontConfiguration()
    base_url = folder.as_uri() + "/pdf/"
    started = time.perf_counter()
    try:
        css = [
            CSS(filename=str(folder / "pdf" / name), url_fetcher=fetcher, font_config=fonts)
            for name in stylesheets
        ]
        pdf = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
            stylesheets=css, font_config=fonts, **WRITE_OPTIONS
        )
    except FatalURLFetchingError as error:  # a BaseException: `except Exception` would miss it
        cause = error.__cause__ or error
        raise PdfError(f"the PDF refers to a file it may not read ({cause})") from None
    if WRITE_OPTIONS["pdf_forms"] and "<input" in html:
        pdf = repair_radio_groups(pdf)
    logger.debug("rendered a PDF of %d bytes in %.2f s", len(pdf), time.perf_counter() - started)
    return pdf


_RADIO_FLAG = 1 << 15


def repair_radio_groups(pdf: bytes) -> bytes:
    """Make each radio button a bare widget of its group, as the PDF standard has it.

    WeasyPrint 70 gives every button of a group its own name and lists it in the AcroForm beside the
    group, so readers see four fields called "gender.gender" next to the "gender" group. Taking
    the field keys off the buttons leaves one field per question; tags and appearances stay as
    they were.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        acroform = document.Root.get("/AcroForm")
        if acroform is None:
            return pdf
        buttons: set[tuple[int, int]] = set()
        for field in acroform.Fields:
            if field.get("/FT") != "/Btn" or not int(field.get("/Ff", 0)) & _RADIO_FLAG:
                continue
            for kid in field.get("/Kids", []):
                buttons.add(kid.objgen)
                for key in ("/T", "/TU", "/FT"):
                    if key in kid:
                        del kid[key]
        if not buttons:
            return pdf
        acroform.Fields = pikepdf.Array([f for f in acroform.Fields if f.objgen not in buttons])
        repaired = io.BytesIO()
        document.save(repaired, deterministic_id=True)
        return repaired.getvalue()


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
