"""Our own documents read back: every employer, title, date, school and bullet survives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from finetune.documents.export_docx import to_docx
from finetune.documents.export_markdown import to_markdown
from finetune.documents.importers import import_resume
from finetune.documents.importers.pdf_lines import pdf_page_count
from finetune.documents.loading import load_resume_file
from finetune.documents.pdf import render_pdf
from finetune.documents.schema import ResumeData, split_bullets

PAIRS = sorted((Path(__file__).parents[2] / "data" / "pairs").glob("*/resume.json"))
WRITERS: dict[str, Callable[[ResumeData], bytes]] = {
    "resume.pdf": render_pdf,
    "resume.docx": to_docx,
    "resume.md": lambda resume: to_markdown(resume).encode(),
}


def _facts(resume: ResumeData) -> dict[str, object]:
    s = resume.sections
    return {
        "name": resume.basics.name,
        "headline": resume.basics.headline,
        "email": resume.basics.email,
        "phone": resume.basics.phone,
        "jobs": [(i.company, i.position, i.date, i.location) for i in s.experience.items],
        "bullets": [split_bullets(i.summary)[1] for i in s.experience.items],
        "schools": [(i.institution, i.date, i.score) for i in s.education.items],
        "skills": [(i.name, i.description, i.keywords) for i in s.skills.items],
        "certifications": [(i.name, i.issuer, i.date) for i in s.certifications.items],
        "projects": [(i.name, i.description, i.date, i.keywords) for i in s.projects.items],
        "awards": [(i.title, i.awarder, i.date) for i in s.awards.items],
        "languages": [(i.name, i.description) for i in s.languages.items],
    }


@pytest.mark.parametrize("filename", list(WRITERS))
@pytest.mark.parametrize("path", PAIRS, ids=[p.parent.name for p in PAIRS])
def test_export_then_import_keeps_every_fact(path: Path, filename: str) -> None:
    """PDF, DOCX and Markdown of each sample resume import back with the same facts, and
    nothing our own export wrote is left unplaced."""
    original = load_resume_file(path)
    result = import_resume(filename, WRITERS[filename](original))
    assert _facts(result.resume) == _facts(original)
    assert result.resume.sections.summary.content == original.sections.summary.content
    assert result.unplaced == []


def test_pairs_cover_the_sample_resumes() -> None:
    """The round trip runs over every sample resume there is (eight at the time of writing)."""
    assert len(PAIRS) >= 8


def _one_job_with(bullets: list[str]) -> ResumeData:
    return ResumeData.model_validate(
        {"basics": {"name": "Line Breaker"}, "sections": {"experience": {"id": "experience",
         "name": "Experience", "items": [{"company": "Acme Corp", "position": "Engineer",
         "date": "2019 – 2021", "summary": "\n".join(f"- {b}" for b in bullets)}]}}}
    )  # fmt: skip


def test_bullet_wrapping_over_many_lines_and_a_page_break() -> None:
    """A bullet set on dozens of lines, across a page break, is read back as one bullet."""
    long_bullet = "A very long bullet " + " ".join(f"word{k}" for k in range(900))
    bullets = ["A short bullet", long_bullet, "The last bullet"]
    pdf = render_pdf(_one_job_with(bullets))
    assert pdf_page_count(pdf) == 2
    job = import_resume("long.pdf", pdf).resume.sections.experience.items[0]
    assert split_bullets(job.summary)[1] == bullets


def test_words_broken_at_a_hyphen_dash_or_slash_read_back_whole() -> None:
    """A line that breaks inside "twice-weekly", "fix—not" or "training/serving" is joined
    without a space; the same bullet is set at 40 offsets so every kind of break happens."""
    tail = "training/serving skew, twice-weekly counts, the fix—not a patch—landed, 25–40 orders"
    bullets = [("word " * k) + tail for k in range(40)]
    pdf = render_pdf(_one_job_with(bullets))
    raw = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf))
    line_ends = {line.rstrip("\r")[-1:] for line in raw.split("\n")}
    assert {"/", "—"} <= line_ends and "\ufffe" in raw  # pdfium's mark for a line-end hyphen
    job = import_resume("breaks.pdf", pdf).resume.sections.experience.items[0]
    assert split_bullets(job.summary)[1] == bullets
