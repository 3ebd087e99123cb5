"""The base-resume editor's form: built from resume_data, applied back onto it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finetune.dashboard.resume_form import apply_form, build_form, editable_sections
from finetune.documents.schema import ResumeData, split_bullets
from finetune.errors import ValidationError

RESUME = Path(__file__).parent.parent / "data" / "pairs" / "software-engineer" / "resume.json"


@pytest.fixture
def resume() -> ResumeData:
    return ResumeData.model_validate(json.loads(RESUME.read_text()))


def _submitted(resume: ResumeData) -> dict[str, object]:
    """What a browser sends for the untouched form."""
    basics, summary, sections = build_form(resume)
    form: dict[str, object] = {field.name: field.value for field in [*basics, summary]}
    for section in sections:
        form[f"s.{section.key}.name"] = section.name
        for item in section.items:
            form.update({field.name: field.value for field in item.fields})
    return form


def test_every_section_is_editable_with_a_blank_entry(resume: ResumeData) -> None:
    """Each item section appears with its entries plus one blank "new" entry."""
    _, _, sections = build_form(resume)
    assert [section.key for section in sections] == editable_sections()
    experience = next(section for section in sections if section.key == "experience")
    assert len(experience.items) == len(resume.sections.experience.items) + 1
    assert experience.items[-1].key == "new"
    kinds = {field.name.rsplit(".", 1)[1]: field.kind for field in experience.items[0].fields}
    assert kinds["summary"] == "paragraph" and kinds["bullets"] == "bullets"
    assert kinds["url"] == "link" and "id" not in kinds and "ext" not in kinds


def test_unchanged_form_round_trips(resume: ResumeData) -> None:
    """Submitting the form as shown changes nothing (ext, ids and hidden fields survive)."""
    assert apply_form(resume, _submitted(resume)) == resume


def test_edits_add_and_remove(resume: ResumeData) -> None:
    """Edited text and bullets, a removed entry, a new entry and keywords are applied."""
    first, second = resume.sections.experience.items[:2]
    skill = resume.sections.skills.items[0]
    form = _submitted(resume)
    form.update(
        {
            "basics.headline": "  Staff Engineer ",
            f"s.experience.{first.id}.bullets": "- One\n\nTwo\n",
            f"s.experience.{second.id}.remove": "on",
            f"s.skills.{skill.id}.keywords": "Rust, , Zig ",
            f"s.skills.{skill.id}.level": "4",
            "s.awards.new.title": "Engineer of the Year",
            "s.awards.new.awarder": "Acme",
            "s.awards.name": "Honours",
        }
    )
    edited = apply_form(resume, form)
    assert edited.basics.headline == "Staff Engineer"
    assert [item.id for item in edited.sections.experience.items] == [
        item.id for item in resume.sections.experience.items if item.id != second.id
    ]
    paragraph, bullets = split_bullets(edited.sections.experience.items[0].summary)
    assert bullets == ["One", "Two"]
    assert paragraph == split_bullets(first.summary)[0]
    assert edited.sections.skills.items[0].keywords == ["Rust", "Zig"]
    assert edited.sections.skills.items[0].level == 4
    assert edited.sections.awards.name == "Honours"
    award = edited.sections.awards.items[-1]
    assert (award.title, award.awarder) == ("Engineer of the Year", "Acme")
    assert award.id.isalnum()


def test_blank_new_entries_are_ignored() -> None:
    """An empty "new" entry adds nothing; an empty resume can be filled from scratch."""
    empty = ResumeData()
    edited = apply_form(empty, {**_submitted(empty), "basics.name": "Ada"})
    assert edited.basics.name == "Ada"
    assert all(not getattr(edited.sections, key).items for key in editable_sections())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("s.skills.new.level", "high", "whole number"),
        ("s.skills.new.level", "\u00b2", "whole number"),
        ("s.skills.new.level", "\u0664", "whole number"),
        ("s.skills.new.level", "9" * 5000, "whole number"),
        ("s.skills.new.level", "9", "level"),
    ],
)
def test_bad_values_name_the_problem(field: str, value: str, message: str) -> None:
    """Out-of-range or non-numeric levels are a ValidationError that says what is wrong."""
    with pytest.raises(ValidationError, match=message):
        apply_form(ResumeData(), {"s.skills.new.name": "Go", field: value})


def test_nul_characters_are_dropped() -> None:
    """NUL cannot be stored as text, so it is removed rather than failing on save."""
    edited = apply_form(ResumeData(), {"basics.name": "A\x00da"})
    assert edited.basics.name == "Ada"
