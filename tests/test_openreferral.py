"""The Open Referral UK service record: valid against the profile's schema, and single-sourced."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from generator.render.context import BuildContext
from generator.render.openreferral import RECORD, build_service_record, render_files
from generator.sources.load import load_project

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "openreferral-service.schema.json").read_text("utf-8"))
OTHER_SERVICE = ROOT / "tests" / "fixtures" / "other-service"


def _validator():
    return jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _record(root: Path) -> dict:
    project = load_project(root)
    files = render_files(project, BuildContext(root=root, cache_dir=root / ".cache"))
    return json.loads(files[RECORD])


def test_the_schema_is_sound_and_names_its_source():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert "OpenReferralUK/uk-profile" in SCHEMA["$comment"]


@pytest.mark.parametrize("root", [ROOT, OTHER_SERVICE], ids=["ours", "other-service"])
def test_the_record_validates(root):
    record = _record(root)
    errors = [e.message for e in _validator().iter_errors(record)]
    assert errors == []


def test_the_record_states_only_what_the_sources_state():
    record = _record(ROOT)
    assert record["name"] == "Trusted Relationships Service"
    assert record["email"] == "Michael.Lord@northyorks.gov.uk"
    assert record["status"] == "active"
    assert record["maximum_age"] == 17
    assert record["assured_date"] == "2026-11-26"
    assert record["organization"]["name"] == "Children & Families Early Help Service"
    assert record["contacts"] == [
        {
            "id": record["contacts"][0]["id"],
            "service_id": record["id"],
            "name": "Mike Lord",
            "title": "Planning & Development Officer",
        }
    ]
    assert record["description"].startswith("Trusted Relationships supports children and young")
    # Not stated anywhere in the sources, so never made up.
    for key in ("url", "minimum_age", "schedules", "service_at_locations", "phones"):
        assert key not in record
    assert sorted(record["organization"]) == ["description", "id", "name"]


# The record's ids as directories first saw them: made from the service's area and name (and a
# contact's id), so no build, machine or release changes them; only renaming the service does.
OUR_IDS = {
    "service": "0fba0883-a27d-5e52-8d5e-cb13eec4901e",
    "organization": "8d56d063-9382-52b2-ab79-d0daaeb3dd13",
    "contact": "6b84bd0d-ccaf-54d1-a44f-a5d45397c090",
}


@pytest.mark.parametrize(
    ("root", "service_id"),
    [(ROOT, OUR_IDS["service"]), (OTHER_SERVICE, "2e8f13c1-7011-5047-983d-89d5a709a92d")],
    ids=["ours", "other-service"],
)
def test_ids_are_stable_from_build_to_build(root, service_id):
    record = build_service_record(load_project(root))
    assert record["id"] == service_id
    if root == ROOT:
        assert record["organization"]["id"] == OUR_IDS["organization"]
        assert [contact["id"] for contact in record["contacts"]] == [OUR_IDS["contact"]]


def test_the_schema_refuses_what_the_profile_does_not_have():
    record = _record(ROOT)
    assert not _validator().is_valid({**record, "status": "open"})
    assert not _validator().is_valid({**record, "phone": "01234 567890"})
    assert not _validator().is_valid({**record, "id": "trusted-relationships"})


def test_the_record_follows_a_fact_changed_once_in_yaml(tmp_path, edit_file):
    root = tmp_path / "service"
    for folder in ("content", "forms"):
        shutil.copytree(ROOT / folder, root / folder)
    edit_file(root / "content/eligibility.yaml", "upper_age: 17", "upper_age: 18")
    edit_file(
        root / "content/service.yaml",
        "email: Michael.Lord@northyorks.gov.uk",
        "email: trusted.relationships@northyorks.gov.uk",
    )
    edit_file(
        root / "content/service.yaml",
        "# site_url: https://council.example.org/trusted-relationships/",
        "site_url: https://council.example.org/trusted-relationships/",
    )
    record = _record(root)
    assert record["maximum_age"] == 18
    assert record["email"] == "trusted.relationships@northyorks.gov.uk"
    assert record["url"] == "https://council.example.org/trusted-relationships/"
    assert _validator().is_valid(record)


def test_a_site_url_that_is_not_https_is_refused(tmp_path, edit_file):
    from generator.sources.load import UNCHECKED, check_sources

    root = tmp_path / "service"
    for folder in ("content", "forms"):
        shutil.copytree(ROOT / folder, root / folder)
    edit_file(
        root / "content/service.yaml",
        "# site_url: https://council.example.org/trusted-relationships/",
        "site_url: javascript:alert(1)",
    )
    lines = (root / "content/service.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("site_url: javascript:alert(1)") + 1
    # The check's own note that other checks wait for service.yaml is not the point here.
    problems = [str(p) for p in check_sources(root) if p.code != UNCHECKED]
    assert problems == [
        (
            f"content/service.yaml:{line}:11: write the whole web address starting https://, for "
            "example https://council.example.org/guide/"
        )
    ]


def test_the_organisation_has_the_email_and_website_service_yaml_states(tmp_path, edit_file):
    root = tmp_path / "service"
    for folder in ("content", "forms"):
        shutil.copytree(ROOT / folder, root / folder)
    service = root / "content/service.yaml"
    edit_file(
        service,
        "# organisation_email: enquiries@council.example.org",
        "organisation_email: early.help@council.example.org",
    )
    edit_file(
        service,
        "# organisation_url: https://council.example.org/early-help/",
        "organisation_url: https://council.example.org/early-help/",
    )
    record = _record(root)
    assert record["organization"]["email"] == "early.help@council.example.org"
    assert record["organization"]["website"] == "https://council.example.org/early-help/"
    assert record["email"] == "Michael.Lord@northyorks.gov.uk"  # the service's own, unchanged
    assert [e.message for e in _validator().iter_errors(record)] == []


def test_an_organisation_url_that_is_not_https_is_refused(tmp_path, edit_file):
    from generator.sources.load import UNCHECKED, check_sources

    root = tmp_path / "service"
    for folder in ("content", "forms"):
        shutil.copytree(ROOT / folder, root / folder)
    service = root / "content/service.yaml"
    line = (
        service.read_text()
        .splitlines()
        .index("# organisation_url: https://council.example.org/early-help/")
    )
    edit_file(
        service,
        "# organisation_url: https://council.example.org/early-help/",
        "organisation_url: http://council.example.org/",
    )
    assert [str(p) for p in check_sources(root) if p.code != UNCHECKED] == [
        (
            f"content/service.yaml:{line + 1}:19: write the whole web address starting "
            "https://, for example https://council.example.org/early-help/"
        )
    ]


def test_a_record_without_a_url_is_a_build_note_and_rendering_it_says_nothing(
    tmp_path, edit_file, caplog
):
    # Render is pure: the record's missing url reaches editors as one of the build's notes
    # (SiteBuild.source_notes, which the command line and the MkDocs plugin both print).
    from generator.publish.pipeline import SiteBuild

    caplog.set_level("DEBUG")
    project = load_project(ROOT)
    assert not project.service.site_url
    record = _record(ROOT)
    assert "url" not in record
    ours = [r.getMessage() for r in caplog.records if r.name.startswith(("generator", "mkdocs"))]
    assert ours == []
    build = SiteBuild(ROOT, tmp_path / "site")
    build.project = project
    assert (
        "openreferral/service.json has no url: content/service.yaml sets no site_url (the "
        "address the site is published at)."
    ) in build.source_notes()

    root = tmp_path / "with-url"
    for folder in ("content", "forms"):
        shutil.copytree(ROOT / folder, root / folder)
    edit_file(
        root / "content/service.yaml",
        "# site_url: https://council.example.org/trusted-relationships/",
        "site_url: https://council.example.org/trusted-relationships/",
    )
    build.project = load_project(root)
    assert build.source_notes() == []
