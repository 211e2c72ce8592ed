"""Helpers for the referral form page's browser tests: open it, and move between its views (the
task list, one section, check answers) as the page's own addresses do, so that a test about
something else can reach the question it needs.

With its script, the page shows one view at a time (generator/static/js/form/journey.mjs): a
question is on screen only in its own section's view."""

from __future__ import annotations

FORM_URL = "referral-form/"
# Every element a test may need to know about the focus, in one round trip.
FOCUSED = """() => { const e = document.activeElement;
  return {id: e.id, name: e.getAttribute('name') || '', type: e.type || '', value: e.value || '',
          checked: !!e.checked, save: e.hasAttribute('data-tr-save'),
          next: e.hasAttribute('data-tr-next'), summary: e.hasAttribute('data-tr-summary'),
          change: e.getAttribute('data-tr-change') || '', href: e.getAttribute('href') || '',
          add: e.getAttribute('data-tr-add') || '', text: (e.textContent || '').trim()}; }"""


def open_form(page, site_url, view: str = ""):
    """Load the form page (at one of its views' addresses, "#tr-check" say) and wait for its
    script."""
    page.goto(site_url(FORM_URL) + view, wait_until="load")
    page.wait_for_function("() => window.TRForm && document.querySelector('.tr-form--js')")
    return page


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def wait_for_focus(page, element_id: str) -> None:
    """A view changes on the address's hashchange, a task after a link is followed (clicked, or
    Enter on it): wait for the focus the view gives, never for a length of time."""
    page.wait_for_function("id => document.activeElement.id === id", arg=element_id)


def _go(page, hash_: str, heading: str) -> None:
    """Go to a view's address; wait until the page has shown it (it focuses the view's heading
    on the hashchange, a task after the address changes)."""
    moved = page.evaluate(
        "hash => { if (location.hash === hash) return false; location.hash = hash; return true; }",
        hash_,
    )
    if moved:
        wait_for_focus(page, heading)
    page.wait_for_selector(f"[id='{heading}']", state="visible")


def show_section(page, section_id: str) -> None:
    """Show one section, as its address (its link in the task list) does."""
    _go(page, f"#tr-section-{section_id}", f"tr-section-{section_id}")


def show_question(page, form, field_id: str) -> None:
    """Show the section that asks `field_id`."""
    show_section(page, section_of(form, field_id))


def show_tasks(page) -> None:
    _go(page, "#tr-tasks", "tr-tasks")


def show_check(page) -> None:
    _go(page, "#tr-check", "tr-check")


def section_of(form, field_id: str) -> str:
    for section in form.sections:
        if any(f.id == field_id for f in section.fields):
            return section.id
    raise KeyError(field_id)


def settle(page) -> None:
    """Let CSS transitions (Material's back-to-top button fades) end before measuring or axe."""
    page.evaluate(
        "() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"
    )
