"""The immutable model of one service: what every renderer reads, built only by `generator.sources.load`.

Every object remembers where it was written (`where`), so checks made after loading still point editors
at a file, line and column. Text fields hold the editors' Markdown with {placeholders} already filled in
(see `generator.sources.facts`), so renderers never need the raw YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from generator.problems import Location

NOWHERE = Location("", 0, 0)


@dataclass(frozen=True)
class Term:
    id: str
    abbreviation: str
    meaning: str
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    role: str
    email: str
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Logo:
    """The service's logo image: its path in the project, its bytes and what it says (or "")."""

    path: str
    data: bytes = field(repr=False)
    text: str = ""


@dataclass(frozen=True)
class Accessibility:
    """The facts of the accessibility statement; its standard wording is the template's."""

    compliance: str  # "fully", "partially" or "not"
    prepared: str  # YYYY-MM-DD
    last_reviewed: str
    contact: Contact
    known_issues: tuple[str, ...]
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Service:
    name: str
    short_name: str
    area: str
    part_of: str
    language: str
    terms: tuple[Term, ...]
    contacts: tuple[Contact, ...]
    person: str  # whom the service is for, as the generator's own sentences say "a person must"
    # Settings for publishing, each optional: "" when content/service.yaml leaves it out.
    status: str = "active"  # as Open Referral UK says it: active, inactive, defunct ...
    site_url: str = ""  # where the site is published (https://...)
    edit_url: str = ""  # a web editor's address, with {path} and {line}
    # The organisation the service is part of (part_of), as the service states them.
    organisation_email: str = ""
    organisation_url: str = ""  # https://...
    where: Location = field(default=NOWHERE, compare=False)
    accessibility: Accessibility | None = None
    logo: Logo | None = None
    brand_colour: str | None = None  # None: the neutral default


@dataclass(frozen=True)
class Choice:
    """One item of a list of answers: of a named list in content/eligibility.yaml, or a form option."""

    id: str
    label: str
    main: bool = False
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class MetCondition:
    """One condition a referral's answers meet for a criterion (content/eligibility.yaml `met_when`).

    Exactly one test is set: `values` (the answer, or one ticked answer, is one of these; `main: true`
    is resolved to the main items' ids when loading), `answered`, or `age_at_most` with `on_field`.
    """

    field: str
    values: tuple[str, ...] = ()
    answered: bool = False
    age_at_most: int | None = None
    on_field: str | None = None
    where: Location = field(default=NOWHERE, compare=False)


CriterionKind = Literal["scope", "eligibility", "route"]
CriterionStrength = Literal["must", "should"]


@dataclass(frozen=True)
class Criterion:
    id: str
    text: (
        str  # eligibility: completes "a <service.person> must ..."; scope, route: a whole sentence
    )
    kind: CriterionKind = "eligibility"
    name: str = ""  # the criterion in a few words, as messages name it
    short: str = ""  # the home page's one-minute facts: a few words after "they" or "the referral"
    # must: a referral that does not meet it is refused; should: accepted with a warning.
    strength: CriterionStrength = "must"
    strength_words: str = ""  # the seed's words that give the strength, quoted
    reading: str = ""  # an inference: how the service reads the seed's words, where they leave room
    # should only: the form's question recording why it is not met (required whenever asked)
    reason_field: str = ""
    not_met: str = ""  # the checker's outcome when it is not met
    not_known: str = ""  # the checker's outcome when the person answering does not know ("": none)
    met_when: tuple[MetCondition, ...] = ()  # empty: the referral form does not record it
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Eligibility:
    upper_age: int
    lists: Mapping[str, tuple[Choice, ...]]  # content/eligibility.yaml `lists`, by name
    criteria: tuple[Criterion, ...]
    # the words before the eligibility criteria (content/eligibility.yaml `lead_in`), filled in
    lead_in: str = ""
    where: Location = field(default=NOWHERE, compare=False)

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)


@dataclass(frozen=True)
class GuideSection:
    id: str
    title: str
    body: str  # Markdown
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class GuideDates:
    published: str  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    last_reviewed: str
    next_review: str


@dataclass(frozen=True)
class ChangeNote:
    """A change readers should know about, as an editor wrote it: its day, what changed (plain
    text) and the pages (by name, `render.change_notes.PAGE_FILES`) and home-page sections (by id)
    it changed."""

    date: str  # YYYY-MM-DD
    summary: str
    pages: tuple[str, ...] = ()
    home_sections: tuple[str, ...] = ()
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Guide:
    title: str
    kind: str  # "One minute guide"
    year: int
    summary: str
    dates: GuideDates
    sections: tuple[GuideSection, ...]
    where: Location = field(default=NOWHERE, compare=False)
    changes: tuple[ChangeNote, ...] = ()  # as written; the "What changed" page sorts them


@dataclass(frozen=True)
class Option:
    """An answer to a checker question and where it leads: a question id or an outcome id."""

    id: str
    label: str
    next: str
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    hint: str
    options: tuple[Option, ...]
    criterion: str | None = None
    where: Location = field(default=NOWHERE, compare=False)


OutcomeResult = Literal["eligible", "not_yet", "not_eligible"]


@dataclass(frozen=True)
class Outcome:
    id: str
    result: OutcomeResult
    title: str
    body: str  # Markdown
    # What to do next: ids of the links the checker offers (NEXT_STEPS in generator.sources.flowcheck).
    next_steps: tuple[str, ...] = ()
    where: Location = field(default=NOWHERE, compare=False)
    # Set when the outcome is a criterion's: its id, and "not_met" or "not_known".
    criterion: str = ""
    answer: str = ""


@dataclass(frozen=True)
class Checker:
    title: str
    intro: str
    start: str
    questions: tuple[Question, ...]
    outcomes: tuple[Outcome, ...]
    where: Location = field(default=NOWHERE, compare=False)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)


@dataclass(frozen=True)
class Branch:
    label: str
    to: str
    where: Location = field(default=NOWHERE, compare=False)


PathwayKind = Literal["start", "step", "decision", "end"]


@dataclass(frozen=True)
class PathwayStep:
    id: str
    kind: PathwayKind
    text: str
    # Where the pathway goes from here: one unlabelled branch for a step, labelled ones for a decision,
    # none for an end. The loader fills in the implicit "the step below" so renderers need not.
    branches: tuple[Branch, ...]
    start_page: bool = False  # its text is one of the home page's one-minute facts
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Pathway:
    title: str
    steps: tuple[PathwayStep, ...]
    where: Location = field(default=NOWHERE, compare=False)


FieldType = Literal["text", "textarea", "date", "email", "tel", "radios", "checkboxes", "group"]


@dataclass(frozen=True)
class Condition:
    """Ask a field only when another field's answer is one of `values`."""

    field: str
    values: tuple[str, ...]
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class FormField:
    id: str
    type: FieldType
    label: str
    error_name: str
    hint: str = ""
    optional: bool = False
    options: tuple[Choice, ...] = ()
    show_if: Condition | None = None
    autocomplete: str | None = None
    max_length: int | None = None
    not_in_future: bool = False
    not_after: str | None = None  # a date field this date may not be after (birth before referral)
    # Repeatable groups only: the fields of one item, what to call an item, how many items at most.
    fields: tuple[FormField, ...] = ()
    item_name: str = ""
    max_items: int | None = None
    where: Location = field(default=NOWHERE, compare=False)


# Keys a saved referral keeps for its own details beside the answers, so no field may use them as ids.
SUBMISSION_METADATA_KEYS = ("form", "status", "saved_at")


@dataclass(frozen=True)
class FormSection:
    id: str
    title: str
    fields: tuple[FormField, ...]
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class SummaryItem:
    """One question the summary of a printed referral shows: its id and the words for it."""

    field: str
    label: str  # "" means the question's own label
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class FormSummary:
    """What opens a printed referral (forms/referral.yaml `summary`), by question id."""

    header: tuple[str, ...]  # the answers naming the person on every printed page
    rows: tuple[SummaryItem, ...] = ()
    flags: tuple[SummaryItem, ...] = ()  # pointed to by section ("... see section 9") when answered
    where: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    intro: str
    sections: tuple[FormSection, ...]
    # Optional in forms/referral.yaml; "" means none (no marking printed, no notice shown).
    on_screen_intro: str = ""
    protective_marking: str = ""
    save_notice: str = ""
    saved_notice: str = ""
    how_to_submit: str = ""  # printed on the blank form: how it is sent, who considers it
    summary: FormSummary | None = None
    # The criteria a referral's answers must meet (content/eligibility.yaml), in order: `validate`,
    # the form page and the filled PDF check them.
    criteria: tuple[Criterion, ...] = ()
    where: Location = field(default=NOWHERE, compare=False)

    def all_fields(self) -> tuple[FormField, ...]:
        """Top-level fields of every section, in order (group items are inside their group)."""
        return tuple(f for s in self.sections for f in s.fields)

    def find_field(self, field_id: str) -> FormField | None:
        return next((f for f in self.all_fields() if f.id == field_id), None)

    def section_of(self, field_id: str) -> FormSection | None:
        return next((s for s in self.sections if any(f.id == field_id for f in s.fields)), None)


@dataclass(frozen=True)
class Project:
    """Everything one service's sources say, checked and cross-referenced."""

    service: Service
    eligibility: Eligibility
    guide: Guide
    checker: Checker
    pathway: Pathway
    form: Form
    # The source files read, relative to the project root, with a hash of their bytes: caches key on it.
    sources: tuple[tuple[str, str], ...] = ()
