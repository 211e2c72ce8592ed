"""Where a printed link says it leads: Project -> the site's address for print, and a note if none.

On paper a link is only its address. The post-build stage writes each link's address beside it
for print (`publish.postbuild.mark_print_urls`) and takes the site's address from here: the
`site_url` of content/service.yaml. Without one, printed links can only say where they lead from
the site's root, and the build says so once.
"""

from __future__ import annotations

from generator.model import Project

NO_SITE_URL_NOTE = (
    "printed pages will show links as addresses from the site's root (such as /pathway/), not "
    "full addresses, because content/service.yaml sets no site_url. The Editing page says how "
    "to set it."
)


def print_base_url(project: Project) -> str:
    """The address printed links start with: the site's published address, or "" if unknown."""
    return project.service.site_url


def print_link_notes(project: Project) -> list[str]:
    """What the build should say about printed links: one note when they cannot be in full."""
    return [] if print_base_url(project) else [NO_SITE_URL_NOTE]
