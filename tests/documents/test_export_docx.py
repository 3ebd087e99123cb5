"""DOCX export: real Word headings and list paragraphs, single column, the PDF's content."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from finetune.documents.export_docx import to_docx
from finetune.documents.loading import load_resume_file
from finetune.documents.schema import ResumeData

SAMPLE = Path(__file__).parents[1] / "data" / "pairs" / "software-engineer" / "resume.json"


def _open(resume: ResumeData) -> docx.document.Document:
    return docx.Document(io.BytesIO(to_docx(resume)))


def test_sections_are_heading_1_and_bullets_are_list_paragraphs() -> None:
    """Section titles use "Heading 1", bullets "List Bullet", the name "Title"."""
    document = _open(load_resume_file(SAMPLE))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", "Daniel Okafor")
    headings = [text for style, text in styled if style == "Heading 1"]
    assert headings == ["Summary", "Experience", "Education", "Skills", "Languages"]
    bullets = [text for style, text in styled if style == "List Bullet"]
    assert len(bullets) == 11
    assert bullets[0].startswith("Designed and built the settlement service")
    assert ("Normal", "Mar 2021 – Present · Portland, OR (hybrid)") in styled


def test_single_column_without_tables_or_images() -> None:
    """ATS-friendly: no tables, no inline images, one section."""
    document = _open(load_resume_file(SAMPLE))
    assert document.tables == []
    assert document.inline_shapes._inline_lst == []
    assert len(document.sections) == 1
    assert document.core_properties.author == "Daniel Okafor"


def test_hidden_items_are_left_out_and_empty_resume_still_opens() -> None:
    """Hidden entries do not appear; an empty resume gives a valid, empty document."""
    resume = load_resume_file(SAMPLE)
    resume.sections.experience.items[0].visible = False
    text = "\n".join(p.text for p in _open(resume).paragraphs)
    assert "Larkspur Payments" not in text
    assert "Tidewater Freight" in text
    assert [p.text for p in _open(ResumeData()).paragraphs if p.text] == []
