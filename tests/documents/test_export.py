"""Choosing an export by format name."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from finetune.documents.export import EXPORT_FORMATS, export_resume
from finetune.documents.loading import load_resume_file
from finetune.errors import ValidationError

SAMPLE = Path(__file__).parents[1] / "data" / "pairs" / "data-analyst" / "resume.json"


def test_each_format_has_its_media_type_and_content() -> None:
    """json_resume is JSON Resume, docx a Word package, markdown text starting with the name."""
    resume = load_resume_file(SAMPLE)
    exported = {name: export_resume(resume, name) for name in EXPORT_FORMATS}
    assert json.loads(exported["json_resume"].content)["basics"]["name"] == "Samuel Achterberg"
    assert exported["json_resume"].media_type == "application/json"
    with zipfile.ZipFile(io.BytesIO(exported["docx"].content)) as archive:
        assert "word/document.xml" in archive.namelist()
    assert exported["docx"].extension == ".docx"
    assert exported["markdown"].content.decode().startswith("# Samuel Achterberg\n")
    assert exported["markdown"].media_type.startswith("text/markdown")


def test_unknown_format_names_the_choices() -> None:
    """An unknown format is a validation error listing the formats."""
    with pytest.raises(ValidationError, match="json_resume, docx, markdown"):
        export_resume(load_resume_file(SAMPLE), "pdf2")
