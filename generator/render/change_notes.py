"""Editors' change notes as readers see them: the model's notes -> the "What changed" rows, newest
first, and a "Last changed" line on every page a note names.

Only notes an editor wrote are shown: the repository's commits never are, so a development change
("Merge branch ...") never reaches a reader. A note's summary is editors' Markdown, sanitised like
all their text and kept in one HTML block, so it cannot make a row, a date or another entry.
"""

from __future__ import annotations

from generator.model import ChangeNote, Project
from generator.render.rendering import format_date

# The pages a note can name, by the name an editor writes, and the Markdown page each one is. The
# home page's sections (named by id in a note's home_sections) are on the home page.
PAGE_FILES = {
    "home": "index.md",
    "who-can-be-referred": "who-can-be-referred.md",
    "pathway": "pathway.md",
    "how-to-refer": "how-to-refer.md",
    "checker": "checker/index.md",
    "referral-form": "referral-form.md",
    "contact": "contact.md",
    "downloads": "downloads.md",
    "accessibility": "accessibility.md",
}
WHAT_CHANGED = "what-changed.md"


def newest_first(notes: tuple[ChangeNote, ...]) -> list[ChangeNote]:
    """The notes by date, newest first; notes of one day keep the order they are written in."""
    return sorted(notes, key=lambda note: note.date, reverse=True)


def pages_of(note: ChangeNote) -> list[str]:
    """The Markdown pages a note changed, in the order PAGE_FILES lists them."""
    named = set(note.pages) | ({"home"} if note.home_sections else set())
    return [path for name, path in PAGE_FILES.items() if name in named]


def last_changed(project: Project) -> dict[str, str]:
    """{Markdown page: the date (YYYY-MM-DD) of the newest note that changed it}."""
    dates: dict[str, str] = {}
    for note in project.guide.changes:
        for path in pages_of(note):
            dates[path] = max(dates.get(path, ""), note.date)
    return dates


def add_last_changed(files: dict[str, str | bytes], project: Project) -> dict[str, str | bytes]:
    """End each page a note names with the day it last changed and a link to what changed."""
    result = dict(files)
    for path, date in last_changed(project).items():
        page = result.get(path)
        if not isinstance(page, str):
            continue
        to_root = "../" * path.count("/")
        result[path] = page.rstrip("\n") + (
            f'\n\n<p class="tr-last-changed">Last changed: <time datetime="{date}">'
            f"{format_date(date)}</time>.</p>\n\n"
            f"[What changed]({to_root}{WHAT_CHANGED}#changes)\n"
        )
    return result
