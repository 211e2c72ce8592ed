"""The words the rule table shows: what each question says for each rule an answer breaks.

`generator.rules.compile` puts them in the table's rows, so both interpreters show the same words:
"Enter ...", "Select ...", a real date, a question that does not apply, and the file's own
problems (too large, not a saved form, another form's).
"""

from __future__ import annotations

from generator.model import Form, FormField
from generator.rules.form_schema import max_length_of

FILE_MESSAGES = {
    "too_large": "This file is too large to be a saved form: the most allowed is 1 MB",
    "not_json": "This file is not a saved form: it is not valid JSON",
    "not_object": "This file is not a saved form: it holds JSON, but not a set of answers",
    "too_many": "This file is not a saved form: it has a list of more than 1,000 answers",
    "no_form_id": "This file is not a saved form: it does not say which form it was saved from",
    "other_form": "This file was saved from another form, not this one",
}
UNKNOWN_MESSAGE = "This is not a question on this form"
SAVED_AT_MESSAGE = "Must be a date and time, like 2026-03-27T14:05:00Z"
TEL_EXAMPLES = "01632 960 001, 07700 900 982 or +44 808 157 0192"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def lowercase_first(text: str) -> str:
    """'Agency' -> 'agency', but 'GP surgery' stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def quote_answers(controller: FormField, values: tuple[str, ...]) -> str:
    """'"Yes"' or '"Yes" or "No"': the labels of answers to `controller`, as messages quote them."""
    labels = {o.id: o.label for o in controller.options}
    return " or ".join(f'"{labels.get(v, v)}"' for v in values)


def _not_applicable_message(form: Form, field: FormField) -> str:
    condition = field.show_if
    controller = form.find_field(condition.field) if condition else None
    if condition is None or controller is None:
        return ""
    answers = quote_answers(controller, condition.values)
    if controller.type == "checkboxes":
        return (
            f'This question does not apply because the answers to "{controller.label}" '
            f"do not include {answers}"
        )
    return (
        f'This question does not apply because the answer to "{controller.label}" is not {answers}'
    )


def messages_for(form: Form, field: FormField) -> dict[str, str]:
    """What to say for each rule `field` can break, keyed by schema keyword or rule name."""
    name, named = field.error_name, _capitalise(field.error_name)
    enter, select = f"Enter {name}", f"Select {name}"
    # An empty answer where one could be left out: say both ways to put it right.
    or_leave_out = ", or leave the question out" if field.optional else ""
    if field.type in ("text", "textarea", "email", "tel"):
        formats = {
            "email": f"Enter {name} in the correct format, like name@example.com",
            "tel": f"Enter {name} in the correct format, like {TEL_EXAMPLES}",
        }
        messages = {
            "required": enter,
            "type": f"{named} must be text",
            "pattern": formats.get(field.type, enter + or_leave_out),
            "maxLength": f"{named} must be {max_length_of(field)} characters or fewer",
            "invisible": f"{named} must not contain invisible characters that change how text "
            "is shown",
        }
    elif field.type == "date":
        real = f"{named} must be a real date"
        messages = {"required": enter, "type": real, "pattern": real, "date": real}
        if field.not_in_future:
            messages["future"] = f"{named} must be today or in the past"
        if field.not_after:
            on = form.find_field(field.not_after)
            on_name = on.error_name if on else field.not_after
            messages["not_after"] = f"{named} must be the same as or before {on_name}"
    elif field.type == "radios":
        messages = {"required": select, "enum": select}
    elif field.type == "checkboxes":
        messages = {
            "required": select,
            "type": select,
            "enum": select,
            "uniqueItems": select,
            "minItems": select + or_leave_out,
        }
    else:  # group
        item = lowercase_first(field.item_name)
        messages = {
            "required": f"Add {name}",
            "type": f"{named} must be a list",
            "minItems": f"Add {name}{or_leave_out}",
            "maxItems": f"{named} must be {field.max_items} or fewer",
            "item_type": f"Each {item} must be a set of answers",
        }
    if field.show_if is not None:
        messages["not"] = _not_applicable_message(form, field)
    return messages
