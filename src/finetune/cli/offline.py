"""Offline commands: `finetune tailor`, `finetune score` and `finetune render`, no server needed.

They call the same pipeline, scorer and renderer as the API, so `tailor --json` prints the resume
object the API would return (without the server's id and credits). Any unreadable, missing or
invalid input is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from finetune.cli import app
from finetune.documents.loading import load_resume_file
from finetune.documents.pdf import Paper, render_pdf
from finetune.errors import FinetuneError, ValidationError
from finetune.tailoring.jd import analyze_job, job_text_from_document
from finetune.tailoring.model import Keywords, Level, TailorResult
from finetune.tailoring.pipeline import result_fields, tailor_sync
from finetune.tailoring.scoring import score_resume

USAGE_ERROR = 2
_console = Console()


class PaperChoice(StrEnum):
    letter = "letter"
    a4 = "a4"

    @property
    def paper(self) -> Paper:
        return "a4" if self is PaperChoice.a4 else "us-letter"


@dataclass(frozen=True)
class JobFile:
    text: str
    company: str | None
    title: str | None


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Turn the project's errors and file errors into one stderr line and exit code 2."""
    try:
        yield
    except FinetuneError as exc:
        typer.echo(f"finetune: error: {exc.message}", err=True)
        raise typer.Exit(USAGE_ERROR) from None
    except OSError as exc:
        typer.echo(f"finetune: error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        raise typer.Exit(USAGE_ERROR) from None


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"{what} file {path} is not UTF-8 text") from None
    except IsADirectoryError:
        raise ValidationError(f"{what} file {path} is a directory") from None
    except FileNotFoundError:
        raise ValidationError(f"{what} file {path} does not exist") from None


def read_job_file(path: Path) -> JobFile:
    """A job file's text plus, for a JSON Resume job document, its company and title."""
    content = _read_text(path, "job")
    text = job_text_from_document(content)
    if not text.strip():
        raise ValidationError(f"job file {path} is empty")
    company = title = None
    if content.lstrip().startswith("{"):
        document: dict[str, Any] = json.loads(content)  # valid: job_text_from_document parsed it
        company = _text_or_none(document.get("company"))
        title = _text_or_none(document.get("title"))
    return JobFile(text=text, company=company, title=title)


def _text_or_none(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _print_keywords(keywords: Keywords) -> None:
    _console.print(f"[green]Matched[/]: {', '.join(keywords.matched) or '—'}")
    if keywords.missing_evidenced:
        _console.print(f"[yellow]Evidenced, not named[/]: {', '.join(keywords.missing_evidenced)}")
    _console.print(
        f"[red]Not in your resume[/]: {', '.join(keywords.missing_not_in_resume) or '—'}"
    )


def _print_tailored(result: TailorResult, company: str | None, position: str) -> None:
    target = f"{position} at {company}" if company else position
    _console.print(f"[bold]{target}[/]: ATS score {result.ats_score_before} → {result.ats_score}")
    _print_keywords(result.keywords)
    table = Table("Changed", "Why", title=f"{len(result.changes)} change(s)", show_lines=False)
    for change in result.changes:
        table.add_row(change.path, change.reason)
    _console.print(table)
    for warning in result.warnings:
        _console.print(f"[red]warning[/] {warning.code}: {warning.message}")


def resume_object(
    result: TailorResult, *, company: str | None, position: str, level: Level
) -> dict[str, Any]:
    """The API's resume object for an offline run: no id or credits, never live, no PDF yet."""
    return {
        "object": "resume",
        "company_name": company,
        "position": position,
        "finetune_level": level.value,
        **result_fields(result),
        "pdf_url": None,
        "livemode": False,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


@app.command("tailor")
def tailor_command(
    resume: Path = typer.Option(..., "--resume", help="Base resume: resume_data or JSON Resume."),
    job: Path = typer.Option(..., "--job", help="Job: plain text or a JSON Resume job document."),
    level: Level = typer.Option(Level.good, "--level", help="basic, good or super."),
    company: str | None = typer.Option(None, "--company", help="Default: the job document's."),
    position: str | None = typer.Option(
        None, "--position", help="Default: the job document's title or the detected job title."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the resume object as JSON."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Also write the tailored resume_data JSON to this file."
    ),
) -> None:
    """Tailor a resume to a job, offline, with the built-in engine."""
    with _clear_errors():
        base = load_resume_file(resume)
        job_file = read_job_file(job)
        company = (company or "").strip() or job_file.company
        position = (position or "").strip() or job_file.title or analyze_job(job_file.text).title
        result = tailor_sync(
            base, job_file.text, company=company or "", position=position, level=level
        )
        if output is not None:
            data = result.resume_data.model_dump(mode="json", exclude_none=True)
            output.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if as_json:
        fields = resume_object(result, company=company, position=position, level=level)
        typer.echo(json.dumps(fields, indent=2, ensure_ascii=False))
    else:
        _print_tailored(result, company, position)


@app.command("score")
def score_command(
    resume: Path = typer.Option(..., "--resume", help="Resume: resume_data or JSON Resume."),
    job: Path = typer.Option(..., "--job", help="Job: plain text or a JSON Resume job document."),
    as_json: bool = typer.Option(False, "--json", help="Print {ats_score, keywords} as JSON."),
) -> None:
    """Score a resume against a job with the deterministic ATS scorer."""
    with _clear_errors():
        base = load_resume_file(resume)
        job_file = read_job_file(job)
        result = score_resume(base, analyze_job(job_file.text, position=job_file.title))
    if as_json:
        # Exactly the two keys CONTRACT.md names; the breakdown is in the human output.
        payload = {"ats_score": result.ats_score, "keywords": result.keywords.model_dump()}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _console.print(f"[bold]ATS score[/]: {result.ats_score}")
        table = Table("Part", "Points", "Out of", title="Why this score", show_lines=False)
        for component in result.components:
            table.add_row(component.name, f"{component.points:.1f}", f"{component.weight:.0f}")
        _console.print(table)
        _print_keywords(result.keywords)


@app.command("render")
def render_command(
    resume: Path = typer.Option(..., "--resume", help="Resume: resume_data or JSON Resume."),
    out: Path = typer.Option(..., "--output", "-o", help="Where to write the PDF."),
    paper: PaperChoice = typer.Option(PaperChoice.letter, "--paper", help="letter or a4."),
) -> None:
    """Render a resume to an ATS-friendly PDF."""
    with _clear_errors():
        pdf = render_pdf(load_resume_file(resume), paper=paper.paper)
        out.write_bytes(pdf)
    _console.print(f"Wrote {out} ({len(pdf):,} bytes, {paper.value})", highlight=False)
