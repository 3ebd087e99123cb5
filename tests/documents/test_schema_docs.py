"""docs/schema.md stays true: its full example validates and covers every section."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from finetune.documents.jsonresume import to_json_resume
from finetune.documents.loading import load_resume_document, load_resume_file
from finetune.documents.schema import ResumeData, Sections

ROOT = Path(__file__).parents[2]
PERSONA = ROOT / "src" / "finetune" / "documents" / "data" / "sample_persona.json"
SCHEMA = json.loads((ROOT / "tests" / "data" / "jsonresume" / "schema.json").read_text())
ITEM_SECTIONS = [name for name in Sections.model_fields if name != "summary"]


def _full_example() -> dict[str, object]:
    text = (ROOT / "docs" / "schema.md").read_text()
    after_heading = text.split("## Full example", 1)[1]
    match = re.search(r"```json\n(.*?)```", after_heading, re.DOTALL)
    assert match, "docs/schema.md has no json block under 'Full example'"
    parsed: dict[str, object] = json.loads(match.group(1))
    return parsed


def _assert_every_section_filled(resume: ResumeData) -> None:
    assert resume.sections.summary.content
    for name in ITEM_SECTIONS:
        assert getattr(resume.sections, name).items, f"section {name} is empty"


def test_full_example_validates_and_fills_every_section() -> None:
    """The documented example is valid resume_data with at least one item in every section."""
    resume = load_resume_document(_full_example())
    _assert_every_section_filled(resume)
    jsonschema.validate(to_json_resume(resume), SCHEMA)


def test_sample_persona_is_complete() -> None:
    """The test-mode persona fills every section, so test mode exercises all of them."""
    resume = load_resume_file(PERSONA)
    _assert_every_section_filled(resume)
    assert resume.basics.name and resume.basics.headline and resume.basics.email
