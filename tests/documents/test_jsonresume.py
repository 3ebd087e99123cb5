"""JSON Resume ⇄ resume_data: exact round trips, field mapping, stable ids, clear errors."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from finetune.documents.jsonresume import (
    from_json_resume,
    looks_like_json_resume,
    to_json_resume,
)
from finetune.documents.loading import load_resume_file
from finetune.documents.schema import (
    AwardItem,
    ExperienceItem,
    LanguageItem,
    ResumeData,
    SkillItem,
)
from finetune.errors import ValidationError
from samples.resumes import without_ids

DATA = Path(__file__).parent.parent / "data"
PAIR_RESUMES = sorted((DATA / "pairs").glob("*/resume.json"))
SCHEMA = json.loads((DATA / "jsonresume" / "schema.json").read_text())


@pytest.fixture
def sample() -> dict[str, Any]:
    return json.loads((DATA / "jsonresume" / "sample.resume.json").read_text())


def test_sample_round_trips_exactly(sample: dict[str, Any]) -> None:
    """The JSON Resume sample comes back key for key after a trip through resume_data."""
    assert to_json_resume(from_json_resume(sample)) == sample


def test_sample_export_validates_against_schema(sample: dict[str, Any]) -> None:
    """An export is a valid JSON Resume v1.0.0 document."""
    jsonschema.validate(to_json_resume(from_json_resume(sample)), SCHEMA)


def test_basics_map_to_reactive_resume_names(sample: dict[str, Any]) -> None:
    """label, summary, location, url, image and profiles land in our v4 fields."""
    resume = from_json_resume(sample)
    assert resume.basics.headline == "Programmer"
    assert resume.basics.url.href == "http://richardhendricks.example.com"
    assert resume.basics.location == "San Francisco, California, US"
    assert resume.basics.ext is not None
    assert resume.basics.ext["location"]["address"] == "2712 Broadway St"
    assert resume.sections.summary.content.startswith("Richard hails from Tulsa.")
    profiles = resume.sections.profiles.items
    assert [(p.network, p.username) for p in profiles] == [
        ("Twitter", "neutralthoughts"),
        ("SoundCloud", "dandymusicnl"),
    ]
    assert resume.ext == {"$schema": sample["$schema"], "meta": sample["meta"]}


def test_work_becomes_experience_with_display_dates_and_bullets(sample: dict[str, Any]) -> None:
    """work → experience: display date, ISO originals and description in ext, bullets."""
    job = from_json_resume(sample).sections.experience.items[0]
    assert (job.company, job.position, job.location) == (
        "Pied Piper",
        "CEO/President",
        "Palo Alto, CA",
    )
    assert job.date == "Dec 2013 – Dec 2014"
    assert job.ext == {
        "description": "Awesome compression company",
        "startDate": "2013-12-01",
        "endDate": "2014-12-01",
    }
    assert job.summary.startswith("Pied Piper is a multi-platform technology")
    assert "\n\n- Build an algorithm for artist" in job.summary
    assert job.summary.endswith(
        "- Optimized an algorithm that holds the current world record for Weisman Scores"
    )


def test_other_sections_map_as_documented(sample: dict[str, Any]) -> None:
    """education courses, skill and language levels, references, project extras, certificates."""
    sections = from_json_resume(sample).sections
    school = sections.education.items[0]
    assert school.ext is not None and school.ext["courses"] == sample["education"][0]["courses"]
    assert (school.studyType, school.area, school.score) == (
        "Bachelor",
        "Information Technology",
        "4.0",
    )
    skill = sections.skills.items[0]
    assert (skill.name, skill.description, skill.level) == ("Web Development", "Master", 5)
    assert skill.keywords == ["HTML", "CSS", "Javascript"]
    language = sections.languages.items[0]
    assert (language.name, language.description, language.level) == ("English", "Native speaker", 5)
    assert sections.references.items[0].summary.startswith("It is my pleasure")
    project = sections.projects.items[0]
    assert project.ext is not None
    assert project.ext["roles"] == ["Team lead", "Designer"]
    assert (project.ext["entity"], project.ext["type"]) == ("Smoogle", "application")
    assert project.date == "Aug 2016"
    assert sections.publications.items[0].date == "Oct 2014"
    assert sections.volunteer.items[0].summary.endswith("- Awarded 'Teacher of the Month'")
    certified = from_json_resume({"certificates": [{"name": "CKA", "issuer": "CNCF"}]})
    assert certified.sections.certifications.items[0].issuer == "CNCF"


def test_item_ids_are_deterministic_and_lowercase_alphanumeric(sample: dict[str, Any]) -> None:
    """Converting the same document twice gives the same ids; ids differ between items."""
    first = from_json_resume(sample).model_dump(mode="json")
    second = from_json_resume(copy.deepcopy(sample)).model_dump(mode="json")
    assert first == second
    ids = [
        item["id"] for section in first["sections"].values() for item in section.get("items", [])
    ]
    assert len(ids) == len(set(ids)) == 13
    assert all(re.fullmatch(r"[a-z0-9]+", item_id) for item_id in ids)


@pytest.mark.parametrize("path", PAIR_RESUMES, ids=lambda p: p.parent.name)
def test_pair_resumes_convert_out_and_back(path: Path) -> None:
    """Every test-pair resume exports to valid JSON Resume and both directions round-trip.

    The pairs that are JSON Resume documents themselves (pairs README) are loaded the way users'
    files are, and must also export back exactly as written.
    """
    ours = load_resume_file(path)
    exported = to_json_resume(ours)
    jsonschema.validate(exported, SCHEMA)
    back = from_json_resume(exported)
    assert to_json_resume(back) == exported
    assert without_ids(back.model_dump(mode="json")) == without_ids(ours.model_dump(mode="json"))
    original = json.loads(path.read_text())
    if looks_like_json_resume(original):
        assert exported == original


def test_summary_with_its_own_bullet_lines_round_trips() -> None:
    """A summary that itself holds ``- `` lines comes back from ext, not merged with highlights."""
    doc = {
        "work": [
            {
                "name": "Acme",
                "summary": "Led the team.\n- hired 4 people\n- ran standups",
                "highlights": ["Shipped v2", "Cut costs 10%"],
                "startDate": "2019-02",
            }
        ]
    }
    resume = from_json_resume(doc)
    assert resume.sections.experience.items[0].date == "Feb 2019 – Present"
    assert to_json_resume(resume) == doc


def test_edited_date_wins_over_the_stored_original(sample: dict[str, Any]) -> None:
    """After a visible edit the stale ISO originals are dropped; unrelated originals stay."""
    resume = from_json_resume(sample)
    resume.sections.experience.items[0].date = "Mar 2015 – Present"
    work = to_json_resume(resume)["work"][0]
    assert work["startDate"] == "2015-03"
    assert "endDate" not in work
    assert work["description"] == "Awesome compression company"


def test_edited_summary_replaces_summary_and_highlights(sample: dict[str, Any]) -> None:
    """Editing an item summary exports the new paragraph and bullets, not the imported ones."""
    resume = from_json_resume(sample)
    resume.sections.experience.items[0].summary = "Founder.\n\n- Raised a seed round"
    work = to_json_resume(resume)["work"][0]
    assert (work["summary"], work["highlights"]) == ("Founder.", ["Raised a seed round"])


def test_empty_sections_unknown_keys_and_start_only_dates_survive() -> None:
    """Present-but-empty sections, extra keys and an open-ended start date round-trip."""
    doc = {
        "basics": {"name": "Ada", "profiles": [], "x-pronouns": "she/her"},
        "work": [{"name": "Analytical Engines", "startDate": "1843", "x-team": "core"}],
        "projects": [],
        "x-source": {"tool": "manual"},
    }
    resume = from_json_resume(doc)
    assert resume.sections.experience.items[0].date == "1843 – Present"
    assert to_json_resume(resume) == doc


def test_resume_without_json_resume_originals_exports_cleanly() -> None:
    """Our own resume exports level words and ISO dates; a date with no ISO form ("Summer
    2019") is kept as written in ``displayDate``; and it all comes back as it was."""
    resume = ResumeData()
    resume.sections.skills.items.append(SkillItem(name="Go", description="Intermediate", level=3))
    resume.sections.experience.items.append(
        ExperienceItem(company="Acme", date="Summer 2019", summary="- Built the thing")
    )
    resume.sections.experience.items.append(
        ExperienceItem(company="Beta", date="May 2020 – Jun 2021")
    )
    exported = to_json_resume(resume)
    jsonschema.validate(exported, SCHEMA)
    assert exported["skills"] == [{"name": "Go", "level": "Intermediate"}]
    assert exported["work"][0] == {
        "name": "Acme",
        "displayDate": "Summer 2019",
        "highlights": ["Built the thing"],
    }
    assert exported["work"][1] == {"name": "Beta", "startDate": "2020-05", "endDate": "2021-06"}
    back = from_json_resume(exported)
    assert without_ids(back.model_dump(mode="json")) == without_ids(resume.model_dump(mode="json"))


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("Sept 2021 – present", "2021-09", None),
        ("October 2019 – June 2021", "2019-10", "2021-06"),
        ("2016 - 2020", "2016", "2020"),
        ("Summer 2019", None, None),
    ],
)
def test_date_ranges_written_unlike_our_display_form_survive_the_round_trip(
    written: str, start: str | None, end: str | None
) -> None:
    """A date range the ISO fields would show otherwise is exported as ISO dates (when we can
    read it) plus ``displayDate`` as written, and imported back exactly as written."""
    resume = ResumeData()
    resume.sections.experience.items.append(ExperienceItem(company="Acme", date=written))
    exported = to_json_resume(resume)
    jsonschema.validate(exported, SCHEMA)
    work = exported["work"][0]
    assert (work.get("startDate"), work.get("endDate"), work["displayDate"]) == (
        start,
        end,
        written,
    )
    assert from_json_resume(exported).sections.experience.items[0].date == written


@pytest.mark.parametrize(("written", "iso"), [("Sept 2021", "2021-09"), ("2022-04", "2022-04")])
def test_single_dates_written_unlike_our_display_form_survive_the_round_trip(
    written: str, iso: str
) -> None:
    """An award, certificate or publication date keeps its ISO ``date`` and its written form."""
    resume = ResumeData()
    resume.sections.awards.items.append(AwardItem(title="Medal", date=written))
    exported = to_json_resume(resume)
    jsonschema.validate(exported, SCHEMA)
    assert exported["awards"][0] == {"title": "Medal", "date": iso, "displayDate": written}
    assert from_json_resume(exported).sections.awards.items[0].date == written


def test_dates_in_our_display_form_need_no_display_date() -> None:
    """ "Jan 2020 – Present" is exactly what the ISO dates show: no ``displayDate`` is written."""
    resume = ResumeData()
    resume.sections.experience.items.append(
        ExperienceItem(company="Acme", date="Jan 2020 – Present")
    )
    assert to_json_resume(resume)["work"][0] == {"name": "Acme", "startDate": "2020-01"}


def test_a_display_date_that_disagrees_with_the_iso_dates_is_not_shown() -> None:
    """The ISO dates win over a ``displayDate`` that says another date (edited by hand), and the
    document still exports back exactly as it came in."""
    doc = {"work": [{"name": "Acme", "startDate": "2021-03", "displayDate": "Sept 2019"}]}
    resume = from_json_resume(doc)
    assert resume.sections.experience.items[0].date == "Mar 2021 – Present"
    assert to_json_resume(resume) == doc


@pytest.mark.parametrize(
    ("description", "level", "needs_number"),
    [
        ("Fluent", 5, True),
        ("Conversational", 2, True),
        ("", 4, True),
        ("Fluent", 0, True),
        ("Fluent", 4, False),
        ("", 0, False),
    ],
)
def test_levels_survive_whatever_their_text_says(
    description: str, level: int, needs_number: bool
) -> None:
    """A 0–5 level that its text does not imply ("Fluent" rated 5), or that has no text, comes
    back from JSON Resume unchanged; ``levelNumber`` is written only in those cases."""
    resume = ResumeData()
    resume.sections.languages.items.append(
        LanguageItem(name="English", description=description, level=level)
    )
    resume.sections.skills.items.append(SkillItem(name="Go", description=description, level=level))
    exported = to_json_resume(resume)
    jsonschema.validate(exported, SCHEMA)
    assert [("levelNumber" in exported[key][0]) for key in ("languages", "skills")] == [
        needs_number,
        needs_number,
    ]
    back = from_json_resume(exported).sections
    language, skill = back.languages.items[0], back.skills.items[0]
    assert (language.description, language.level) == (description, level)
    assert (skill.description, skill.level) == (description, level)


def test_a_level_number_that_is_not_ours_stays_in_ext() -> None:
    """A ``levelNumber`` that is not a 0–5 integer is not read as a level; it is kept as is."""
    doc = {"skills": [{"name": "Go", "level": "Advanced", "levelNumber": "high"}]}
    resume = from_json_resume(doc)
    assert resume.sections.skills.items[0].level == 4
    assert to_json_resume(resume) == doc


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"work": [{"name": 5}]}, "work[0].name"),
        ({"work": {"name": "Acme"}}, "work"),
        ({"work": ["Acme"]}, "work[0]"),
        ({"skills": [{"name": "Go", "keywords": "fast"}]}, "skills[0].keywords"),
        ({"basics": {"name": "Ada", "location": 7}}, "basics.location"),
        ({"basics": {"profiles": [{"url": ["x"]}]}}, "basics.profiles[0].url"),
        ({"basics": "Ada"}, "basics"),
    ],
)
def test_wrong_types_raise_validation_error_naming_the_field(
    doc: dict[str, Any], field: str
) -> None:
    """A malformed JSON Resume gets a ValidationError that says which field is wrong."""
    with pytest.raises(ValidationError) as caught:
        from_json_resume(doc)
    assert caught.value.message.startswith(f"{field} must be")


def test_looks_like_json_resume_tells_the_formats_apart(sample: dict[str, Any]) -> None:
    """JSON Resume documents are recognised; our resume_data (even minimal) is not."""
    pair = json.loads(PAIR_RESUMES[0].read_text())
    assert looks_like_json_resume(sample)
    assert looks_like_json_resume({"work": []})
    assert looks_like_json_resume({"basics": {"name": "Ada", "label": "Engineer"}})
    assert not looks_like_json_resume(pair)
    assert not looks_like_json_resume({"basics": {"name": "Ada", "headline": "Engineer"}})
    assert not looks_like_json_resume({"basics": {"name": "Ada"}})
    assert not looks_like_json_resume({})


# JSON Resume before v1.0 (still what many real files and older tools write): work ``company``
# and ``website``, basics ``website`` and ``picture``, education ``gpa``.
_OLDER_DOCUMENT: dict[str, Any] = {
    "basics": {
        "name": "Ann Lee",
        "label": "Registered Nurse",
        "picture": "https://example.com/ann.png",
        "website": "https://ann.example.com",
        "location": {"city": "Columbus", "region": "OH"},
    },
    "work": [
        {
            "company": "Mercy Hospital",
            "position": "Staff Nurse",
            "website": "https://mercy.example.com",
            "startDate": "2019-01-01",
            "highlights": ["Charted in Epic"],
        }
    ],
    "education": [{"institution": "Ohio State", "studyType": "BSN", "gpa": "3.5"}],
}


def test_older_json_resume_fields_are_read() -> None:
    """``website``, ``picture``, work ``company`` and education ``gpa`` fill our fields."""
    assert looks_like_json_resume(_OLDER_DOCUMENT)
    resume = from_json_resume(_OLDER_DOCUMENT)
    assert resume.basics.url.href == "https://ann.example.com"
    assert resume.basics.picture.url == "https://example.com/ann.png"
    role = resume.sections.experience.items[0]
    assert (role.company, role.url.href) == ("Mercy Hospital", "https://mercy.example.com")
    assert resume.sections.education.items[0].score == "3.5"


def test_older_json_resume_round_trips_exactly() -> None:
    """The older keys come back out as they came in (nothing renamed behind the user's back)."""
    assert to_json_resume(from_json_resume(_OLDER_DOCUMENT)) == _OLDER_DOCUMENT
