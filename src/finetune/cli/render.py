"""`finetune render`: a resume file to an ATS-friendly PDF, offline, with the API's renderer.

Kept apart from tailor and score so rendering imports only the resume loader and Typst.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from finetune.documents.loading import load_resume_file
from finetune.documents.pdf import Paper, render_pdf

commands = typer.Typer()


class PaperChoice(StrEnum):
    letter = "letter"
    a4 = "a4"

    @property
    def paper(self) -> Paper:
        return "a4" if self is PaperChoice.a4 else "us-letter"


@commands.command("render")
def render_command(
    resume: Path = typer.Option(..., "--resume", help="Resume: resume_data or JSON Resume."),
    out: Path = typer.Option(..., "--output", "-o", help="Where to write the PDF."),
    paper: PaperChoice = typer.Option(PaperChoice.letter, "--paper", help="letter or a4."),
) -> None:
    """Render a resume to an ATS-friendly PDF."""
    pdf = render_pdf(load_resume_file(resume), paper=paper.paper)
    out.write_bytes(pdf)
    typer.echo(f"Wrote {out} ({len(pdf):,} bytes, {paper.value})")
