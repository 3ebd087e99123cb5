"""Offline commands: `finetune tailor` and `finetune score`, no server needed.

They call the same pipeline and scorer as the API, so `tailor --json` prints the resume object
the API would return (without the server's id and credits). Any unreadable, missing or invalid
input is one line on stderr and exit code 2, never a traceback (:mod:`finetune.cli.errors`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from finetune.documents.loading import load_resume_file
from finetune.errors import ValidationError
from finetune.tailoring.jd import analyze_job, job_text_from_document
from finetune.tailoring.model import Keywords, Level, TailorResult
from finetune.tailoring.pipeline import result_fields, tailor_sync
from finetune.tailoring.scoring import score_resume

commands = typer.Typer()
_console = Console()


@dataclass(frozen=True)
class JobFile:
    text: str
    company: str | None
    title: str | None


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


@commands.command("tailor")
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
    base = load_resume_file(resume)
    job_file = read_job_file(job)
    company = (company or "").strip() or job_file.company
    position = (position or "").strip() or job_file.title or analyze_job(job_file.text).title
    result = tailor_sync(base, job_file.text, company=company or "", position=position, level=level)
    if output is not None:
        data = result.resume_data.model_dump(mode="json", exclude_none=True)
        output.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if as_json:
        fields = resume_object(result, company=company, position=position, level=level)
        typer.echo(json.dumps(fields, indent=2, ensure_ascii=False))
    else:
        _print_tailored(result, company, position)


@commands.command("score")
def score_command(
    resume: Path = typer.Option(..., "--resume", help="Resume: resume_data or JSON Resume."),
    job: Path = typer.Option(..., "--job", help="Job: plain text or a JSON Resume job document."),
    as_json: bool = typer.Option(False, "--json", help="Print {ats_score, keywords} as JSON."),
) -> None:
    """Score a resume against a job with the deterministic ATS scorer."""
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
