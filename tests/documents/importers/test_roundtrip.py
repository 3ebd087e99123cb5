"""Our own documents read back: every employer, title, date, school and bullet survives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
    """PDF, DOCX and Markdown of each sample resume import back with the same facts."""
    original = load_resume_file(path)
    result = import_resume(filename, WRITERS[filename](original))
    assert _facts(result.resume) == _facts(original)
    assert result.resume.sections.summary.content == original.sections.summary.content


def test_pairs_cover_the_sample_resumes() -> None:
    """The round trip runs over every sample resume there is (eight at the time of writing)."""
    assert len(PAIRS) >= 8


def test_bullet_wrapping_over_many_lines_and_a_page_break() -> None:
    """A bullet set on dozens of lines, across a page break, is read back as one bullet."""
    long_bullet = "A very long bullet " + " ".join(f"word{k}" for k in range(900))
    bullets = ["A short bullet", long_bullet, "The last bullet"]
    resume = ResumeData.model_validate(
        {"basics": {"name": "Page Breaker"}, "sections": {"experience": {"id": "experience",
         "name": "Experience", "items": [{"company": "Acme Corp", "position": "Engineer",
         "date": "2019 – 2021", "summary": "\n".join(f"- {b}" for b in bullets)}]}}}
    )  # fmt: skip
    pdf = render_pdf(resume)
    assert pdf_page_count(pdf) == 2
    job = import_resume("long.pdf", pdf).resume.sections.experience.items[0]
    assert split_bullets(job.summary)[1] == bullets
