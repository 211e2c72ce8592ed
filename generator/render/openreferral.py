"""Render the service as an Open Referral UK record: Project -> {"openreferral/service.json": JSON}.

Open Referral UK is the UK profile of the Human Services Data Specification (HSDS 3); council
service directories (Family Hubs among them) read `service` records in it. The record holds only
what the sources state: no address, phone number or opening hours are ever made up. What we emit
is described, from the published profile, by schemas/openreferral-service.schema.json.
"""

from __future__ import annotations

import json
import re
import uuid

from generator.model import Project
from generator.render.context import BuildContext
from generator.render.rendering import plain_text

RECORD = "openreferral/service.json"

NO_URL_NOTE = (
    f"{RECORD} has no url: content/service.yaml sets no site_url (the address the site is "
    "published at)."
)

# The profile's ids are UUIDs. Each is derived from the service's area and name, so every build
# gives the same ids and a directory that took the record in recognises it the next time.
_NAMESPACE = uuid.UUID("6f1c1d4e-5a0e-4c52-9a57-3a3c6f0b8d21")

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def render_files(project: Project, context: BuildContext) -> dict[str, str]:
    return {RECORD: json.dumps(build_service_record(project), indent=2, ensure_ascii=False) + "\n"}


def _id(project: Project, *parts: str) -> str:
    key = "\0".join((project.service.area, project.service.name, *parts))
    return str(uuid.uuid5(_NAMESPACE, key))


def record_notes(project: Project) -> list[str]:
    """What the build should say about the record: one note when it cannot say where the site is."""
    return [] if project.service.site_url else [NO_URL_NOTE]


def build_service_record(project: Project) -> dict:
    """The Open Referral UK `service` record of the project, as plain data."""
    service, guide = project.service, project.guide
    service_id = _id(project, "service")
    record: dict = {
        "id": service_id,
        "name": service.name,
        "description": plain_text(guide.summary),
    }
    if service.site_url:
        record["url"] = service.site_url
    if service.contacts:
        record["email"] = service.contacts[0].email
    record["status"] = service.status
    # The eligibility facts state an upper age only; "aged {upper_age} or below" has no minimum.
    record["maximum_age"] = project.eligibility.upper_age
    # The date the information was last checked: the guide's last review, when it is a whole date.
    if _FULL_DATE.match(guide.dates.last_reviewed):
        record["assured_date"] = guide.dates.last_reviewed
    record["organization"] = {
        "id": _id(project, "organization"),
        "name": service.part_of,
        "description": f"{service.part_of}, {service.area}",
    }
    # Only what content/service.yaml states: nothing is guessed from the contacts' addresses.
    if service.organisation_email:
        record["organization"]["email"] = service.organisation_email
    if service.organisation_url:
        record["organization"]["website"] = service.organisation_url
    record["contacts"] = [
        {
            "id": _id(project, "contact", contact.id),
            "service_id": service_id,
            "name": contact.name,
            "title": contact.role,
        }
        for contact in service.contacts
    ]
    return record
