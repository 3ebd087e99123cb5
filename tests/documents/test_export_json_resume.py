"""JSON Resume export of every sample resume validates against the JSON Resume schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from finetune.documents.jsonresume import to_json_resume
from finetune.documents.loading import load_resume_file

DATA = Path(__file__).parents[1] / "data"
PAIRS = sorted((DATA / "pairs").glob("*/resume.json"))


@pytest.mark.parametrize("path", PAIRS, ids=[p.parent.name for p in PAIRS])
def test_export_validates_against_schema(path: Path) -> None:
    """to_json_resume output is a valid JSON Resume document."""
    schema = json.loads((DATA / "jsonresume" / "schema.json").read_text())
    document = to_json_resume(load_resume_file(path))
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    assert document["basics"]["name"]
