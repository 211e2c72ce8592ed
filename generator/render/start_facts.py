"""The one-minute facts the home page opens with: Project -> groups of short facts.

Each fact is a criterion's `short` words (content/eligibility.yaml), grouped by the criterion's kind
in reading order (KIND_ORDER), then the text of each pathway box marked `start_page: true`
(content/pathway.yaml). No criterion is named here: one without `short` words is left out, and a
new kind is listed under no lead-in words of its own. The lead-in words are the generator's, the
same for every service.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Project
from generator.sources.facts import join_words

# The words before each kind's facts. A kind listed in SENTENCE_KINDS is written as one sentence
# ("... if they are at risk of ..."); the others as a list after their lead-in.
LEADS = {
    "scope": "{name} is for a {person} if they",
    "eligibility": "A {person} can be referred if they:",
    "route": "The referral:",
}
SENTENCE_KINDS = ("scope",)
# The kinds in reading order: whom the service is for, who can be referred, how. Any other kind
# follows, in the order it first appears.
KIND_ORDER = ("scope", "eligibility", "route")


@dataclass(frozen=True)
class FactGroup:
    kind: str
    lead: str  # the lead-in words, filled in ("" for a kind with none)
    items: tuple[str, ...]

    @property
    def sentence(self) -> str:
        """The group as one sentence, for a kind in SENTENCE_KINDS."""
        return " ".join(filter(None, (self.lead, join_words(self.items)))) + "."

    @property
    def as_sentence(self) -> bool:
        return self.kind in SENTENCE_KINDS


@dataclass(frozen=True)
class StartFacts:
    groups: tuple[FactGroup, ...]
    steps: tuple[str, ...]  # the marked pathway boxes' texts, each ending as a sentence ends


def start_facts(project: Project) -> StartFacts:
    by_kind: dict[str, list[str]] = {}
    for criterion in project.eligibility.criteria:
        if criterion.short:
            by_kind.setdefault(criterion.kind, []).append(criterion.short)
    words = {"name": project.service.short_name, "person": project.service.person}
    kinds = sorted(
        by_kind, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER)
    )
    groups = tuple(
        FactGroup(kind, LEADS.get(kind, "").format(**words), tuple(by_kind[kind])) for kind in kinds
    )
    steps = tuple(
        step.text if step.text[-1:] in ".?!" else step.text + "."
        for step in project.pathway.steps
        if step.start_page
    )
    return StartFacts(groups, steps)
