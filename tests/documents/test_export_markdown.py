"""Markdown export: headings, entries and bullets, with user text kept literal."""

from __future__ import annotations

from pathlib import Path

from finetune.documents.export_markdown import escape, to_markdown
from finetune.documents.loading import load_resume_file
from finetune.documents.schema import ResumeData

SAMPLE = Path(__file__).parents[1] / "data" / "pairs" / "software-engineer" / "resume.json"


def test_structure_of_a_sample_resume() -> None:
    """Name as H1, sections as H2, entries as H3 with a date line, bullets as "- " items."""
    markdown = to_markdown(load_resume_file(SAMPLE))
    lines = markdown.splitlines()
    assert lines[0] == "# Daniel Okafor"
    assert "## Experience" in lines
    assert "### Senior Software Engineer · Larkspur Payments" in lines
    assert "Mar 2021 – Present · Portland, OR (hybrid)" in lines
    assert "- Mentored 3 junior engineers through on-call onboarding and code review" in lines
    assert "- Languages (Expert): Python, SQL, Bash" in lines
    assert "[daniel.okafor@example.com](<mailto:daniel.okafor@example.com>)" in markdown
    assert markdown.endswith("\n")


def test_markup_in_user_text_stays_literal() -> None:
    """A resume cannot inject headings, emphasis, links or HTML into the Markdown."""
    resume = ResumeData.model_validate(
        {"basics": {"name": "# Eve <script>alert(1)</script>", "headline": "1. *bold* [x](y)"}}
    )
    markdown = to_markdown(resume)
    assert markdown.splitlines()[0] == r"# \# Eve \<script\>alert(1)\</script\>"
    assert r"\1. \*bold\* \[x\](y)" in markdown
    assert "<script>" not in markdown


def test_escape_only_changes_markdown_punctuation() -> None:
    """Plain words are untouched; a leading list marker is escaped only at a line start."""
    assert escape("Python, Go & SQL") == "Python, Go & SQL"
    assert escape("- item") == "- item"
    assert escape("- item", line_start=True) == r"\- item"
    assert escape("snake_case") == r"snake\_case"
