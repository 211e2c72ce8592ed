"""Fill {placeholders} in editors' text from facts written once elsewhere: text + facts -> text.

A placeholder is a name in single braces, such as `{upper_age}` or `{criterion.age}`. Anything else in
braces (including template syntax such as `{{ x }}` or `{% x %}`) is left alone as ordinary text, so no
editor's text is ever run as a template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}")


def join_words(items: Sequence[str], conjunction: str = "and", serial_comma: bool = False) -> str:
    """'a', 'a and b', 'a, b and c' (or 'a, b, and c' with the serial comma)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    comma = "," if serial_comma else ""
    return f"{', '.join(items[:-1])}{comma} {conjunction} {items[-1]}"


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def fill_placeholders(text: str, facts: Mapping[str, str]) -> tuple[str, list[str]]:
    """Return the text with known placeholders filled, and the names of unknown ones.

    Filling repeats until nothing changes, so a placeholder whose braces are only completed by
    another's value is filled too, rather than published raw; `facts` should come from
    `resolve_facts`, whose values hold no placeholders, so a few rounds always settle."""
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in facts:
            return facts[name]
        if name not in unknown:
            unknown.append(name)
        return match.group(0)

    for _ in range(_MAX_ROUNDS):
        filled = PLACEHOLDER.sub(replace, text)
        if filled == text:
            break
        text = filled
        if len(text) > _MAX_FILLED:
            break  # multiplying itself: the caller's length check reports it
    return text, unknown


# A fact is a name, a sentence or a short list; a longer one is placeholders multiplying each other.
MAX_FACT = 10_000

# Placeholders are one level deep in practice; a text still changing after this many rounds is
# assembling placeholders from pieces on purpose.
_MAX_ROUNDS = 8
_MAX_FILLED = 1_000_000


def resolve_facts(facts: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Fill the placeholders inside facts (a criterion may name the age limit) until none is left.

    Returns the resolved facts and, for each fact that cannot be resolved, why: it names itself,
    directly or through others, or names a fact that does not exist."""
    resolved: dict[str, str] = {}
    problems: dict[str, str] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> str | None:
        if name in resolved:
            return resolved[name]
        if name in chain:
            loop = " -> ".join(f"{{{n}}}" for n in chain[chain.index(name) :] + (name,))
            problems.setdefault(chain[0], f"placeholders fill each other in a loop: {loop}")
            return None
        value = facts[name]
        for inner in dict.fromkeys(PLACEHOLDER.findall(value)):
            if inner not in facts:
                problems.setdefault(
                    name, f"unknown placeholder {{{inner}}}: {describe_known(facts, inner)}"
                )
                continue
            if resolve(inner, chain + (name,)) is None:
                return None
        text, _ = fill_placeholders(value, resolved)
        if len(text) > MAX_FACT:
            problems.setdefault(
                name,
                f"with its placeholders filled in, this text grows too long "
                f"({len(text):,} characters; the limit is {MAX_FACT:,})",
            )
            return None
        resolved[name] = text
        return text

    for name in facts:
        resolve(name, ())
    for name in facts:  # unresolvable: kept as written, and reported through `problems`
        resolved.setdefault(name, facts[name])
    return resolved, problems


def describe_known(facts: Mapping[str, str], near: str) -> str:
    """A short list of the placeholder names an editor could have meant."""
    import difflib

    names = sorted(facts)
    close = difflib.get_close_matches(near, names, n=3, cutoff=0.5)
    if close:
        return "did you mean " + join_words([f"{{{n}}}" for n in close], "or") + "?"
    return "known: " + ", ".join(f"{{{n}}}" for n in names)


# --- The facts a service writes ------------------------------------------------------------------


def collect_facts(service: dict, eligibility: dict) -> dict[str, object]:
    """The values {placeholders} may name, built from service.yaml and eligibility.yaml, with the
    placeholders inside them filled (`generator.sources.load` reports those that cannot be)."""
    facts = written_facts(service, eligibility)
    resolved, _ = resolve_facts(as_text(facts))
    collected: dict[str, object] = {
        name: resolved[name] if isinstance(value, str) else value for name, value in facts.items()
    }
    collected["eligibility.sentence"] = eligibility_sentence(resolved, eligibility)
    return collected


def list_facts(lists: dict) -> dict[str, str]:
    """Each named list's facts, written as the list says: {<fact>} and {<fact>.all} every label,
    and, where it marks items main: true, {<fact>.main} those and {<fact>.others} the rest."""
    facts = {}
    for name, spec in lists.items():
        fact = spec.get("fact", name)
        quote = "'" if spec.get("quoted") else ""

        def words(items, spec=spec, quote=quote):
            return join_words(
                [f"{quote}{x['label']}{quote}" for x in items],
                spec.get("join", "and"),
                serial_comma=bool(spec.get("serial_comma")),
            )

        items = spec["items"]
        facts[fact] = facts[f"{fact}.all"] = words(items)
        if any(x.get("main") for x in items):
            facts[f"{fact}.main"] = words([x for x in items if x.get("main")])
            facts[f"{fact}.others"] = words([x for x in items if not x.get("main")])
    return facts


def written_facts(service: dict, eligibility: dict) -> dict[str, object]:
    """The facts as the sources write them, placeholders and all."""
    facts: dict[str, object] = {
        "upper_age": eligibility["upper_age"],
    }
    facts.update(list_facts(eligibility["lists"]))
    for key in ("name", "short_name", "area", "part_of", "person"):
        facts[f"service.{key}"] = service[key]
    for contact in service["contacts"]:
        facts[f"contact.{contact['id']}"] = (
            f"{contact['name']}, {contact['role']} ({contact['email']})"
        )
        facts[f"contact.{contact['id']}.email"] = contact["email"]
        facts[f"contact.{contact['id']}.name"] = contact["name"]
        facts[f"contact.{contact['id']}.role"] = contact["role"]
    for term in service["terms"]:
        facts[f"term.{term['id']}"] = f"{term['meaning']} ({term['abbreviation']})"
    # Criteria may use the facts above (and each other); other text may use the criteria.
    for criterion in eligibility["criteria"]:
        for key, suffix in CRITERION_FACTS:
            if key in criterion:
                facts[f"criterion.{criterion['id']}{suffix}"] = criterion[key]
        for path, value in ask_texts(criterion):
            facts[ask_fact(criterion["id"], path)] = value
    facts["eligibility.lead_in"] = eligibility.get("lead_in", DEFAULT_LEAD_IN)
    return facts


def eligibility_sentence(facts: dict[str, str], eligibility: dict) -> str:
    """The seed's eligibility sentence from resolved facts: the lead-in, then the text of every
    criterion of kind eligibility, in order. Made after the facts are resolved, from facts whose
    problems point at their own lines, so it is never measured as one fact of its own."""
    texts = [
        facts[f"criterion.{c['id']}"] for c in eligibility["criteria"] if c["kind"] == "eligibility"
    ]
    return f"{facts['eligibility.lead_in']} {join_words(texts)}." if texts else ""


# Each criterion's keys that text may quote: {criterion.<id>} is its text, and so on.
CRITERION_FACTS = (("text", ""), ("name", ".name"), ("short", ".short"), ("reading", ".reading"))
# The words before the eligibility criteria when content/eligibility.yaml gives no `lead_in`.
DEFAULT_LEAD_IN = "To be eligible, a {service.person} must"


def ask_texts(criterion: dict) -> list[tuple[tuple[str, ...], str]]:
    """The checker's words a criterion holds (`ask:`), as (path under `ask`, text) pairs."""
    ask = criterion.get("ask") or {}
    found: list[tuple[tuple[str, ...], str]] = []
    for key in ("question", "hint"):
        if key in ask:
            found.append(((key,), ask[key]))
    for group in ("answers", "titles"):
        for key, value in (ask.get(group) or {}).items():
            found.append(((group, key), value))
    return found


def ask_fact(criterion_id: str, path: tuple[str, ...]) -> str:
    """The placeholder name of one of a criterion's checker words: criterion.<id>.ask.<path>."""
    return ".".join(("criterion", criterion_id, "ask", *path))


def as_text(facts: dict) -> dict[str, str]:
    return {k: str(v) for k, v in facts.items()}
