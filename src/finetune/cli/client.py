"""Client commands: `finetune generate`, `resumes`, `usage` and `base-resume`, against a server.

They use the Python SDK (``finetune.client``), so retries, Idempotency-Keys and typed errors are
the SDK's. Configuration: ``--api-key``/``FINETUNE_API_KEY`` and ``--base-url``/
``FINETUNE_BASE_URL`` (default ``http://127.0.0.1:8000``). Failures are one line on stderr and an
exit code by class (see :data:`EXIT_CODES`), never a traceback.

Heavy imports (httpx, pydantic models, rich) happen inside the commands, so ``finetune --help``
does not pay for them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from pydantic import BaseModel

    from finetune.client import Finetune, FinetuneClientError, Keywords, Resume, RetryEvent

OK, USAGE, AUTH, NOT_FOUND, LIMIT, SERVER, CONNECTION = 0, 2, 3, 4, 5, 6, 7
EXIT_CODES = {
    "validation_error": USAGE,
    "idempotency_error": USAGE,
    "payload_too_large": USAGE,
    "method_not_allowed": USAGE,
    "missing_api_key": AUTH,
    "invalid_api_key": AUTH,
    "not_found": NOT_FOUND,
    "rate_limit_exceeded": LIMIT,
    "credit_limit_exceeded": LIMIT,
    "idempotency_key_in_use": SERVER,  # the same request is still running there: retry later
}

ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        envvar="FINETUNE_API_KEY",
        show_default=False,
        help="API key (ft_live_… or ft_test_…).",
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        envvar="FINETUNE_BASE_URL",
        show_default=False,
        help="Server URL (default http://127.0.0.1:8000).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the API's JSON object.")]
ResumeIdArgument = Annotated[str, typer.Argument(help="The resume id (res_…).")]

commands = typer.Typer()
resumes_app = typer.Typer(help="List, show, download and delete tailored resumes.")
base_resume_app = typer.Typer(help="Show or replace the base resume tailoring starts from.")
commands.add_typer(resumes_app, name="resumes", no_args_is_help=True)
commands.add_typer(base_resume_app, name="base-resume", no_args_is_help=True)


class LevelChoice(StrEnum):
    basic = "basic"
    good = "good"
    super = "super"


class ExportChoice(StrEnum):
    json_resume = "json_resume"
    docx = "docx"
    markdown = "markdown"


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"finetune: error: {message}", err=True)
    return typer.Exit(code)


def exit_code(error: FinetuneClientError) -> int:
    """The documented exit code of an SDK error (see docs/clients.md)."""
    from finetune.client import APIConnectionError, APIError

    if isinstance(error, APIConnectionError):
        return CONNECTION
    if isinstance(error, APIError):
        return EXIT_CODES.get(error.name, SERVER if error.status >= 500 else USAGE)
    return SERVER


@contextmanager
def _client(api_key: str | None, base_url: str | None, *, status: str = "") -> Iterator[Finetune]:
    """A client for the command, with a spinner on stderr while ``status`` is set; SDK errors
    become one line and their exit code."""
    from rich.console import Console

    from finetune.client import APIConnectionError, Finetune, FinetuneClientError

    if not (api_key or "").strip():
        raise _fail("no API key: set FINETUNE_API_KEY or pass --api-key", AUTH)
    console = Console(stderr=True)
    spinner = console.status(status) if status else None

    def on_retry(event: RetryEvent) -> None:
        if spinner is not None:
            reason = getattr(event.error, "name", "no answer")
            spinner.update(f"{status} ({reason}; retrying in {event.delay:.0f} s)")

    try:
        client = Finetune(api_key, base_url, on_retry=on_retry)
    except ValueError as exc:
        raise _fail(str(exc), USAGE) from None
    try:
        with client:
            if spinner is None:
                yield client
            else:
                with spinner:
                    yield client
    except APIConnectionError as error:
        hint = f"cannot reach {client.base_url} (is the server running? see --base-url)"
        raise _fail(f"{hint}: {error}", CONNECTION) from None
    except FinetuneClientError as error:
        raise _fail(str(error), exit_code(error)) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or ''}: {exc.strerror or exc}", USAGE) from None


def _print_json(value: BaseModel | dict[str, Any]) -> None:
    data = value if isinstance(value, dict) else value.model_dump(mode="json")
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _read_job(job: str) -> tuple[str, str | None, str | None]:
    """The job text, and for a JSON Resume job document its company and title."""
    from finetune.errors import ValidationError
    from finetune.tailoring.jd import job_text_from_document

    try:
        content = sys.stdin.read() if job == "-" else Path(job).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _fail(f"job file {job} is not UTF-8 text", USAGE) from None
    except OSError as exc:
        raise _fail(f"job file {job}: {exc.strerror or exc}", USAGE) from None
    try:
        text = job_text_from_document(content)
    except ValidationError as error:
        raise _fail(error.message, USAGE) from None
    if text is content:
        return text, None, None
    document = json.loads(content)  # valid JSON: job_text_from_document parsed it
    return text, _field(document, "company"), _field(document, "title")


def _field(document: dict[str, Any], key: str) -> str | None:
    value = document.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _keyword_lines(keywords: Keywords) -> list[str]:
    return [
        f"Matched: {', '.join(keywords.matched) or '—'}",
        f"Missing: {', '.join(keywords.missing) or '—'}",
    ]


def _summary(resume: Resume) -> list[str]:
    mode = "live" if resume.livemode else "test mode"
    return [
        f"{resume.id}  {resume.position} at {resume.company_name}  "
        f"({resume.finetune_level}, {mode})",
        f"ATS score {resume.ats_score_before} → {resume.ats_score}",
        *_keyword_lines(resume.keywords),
        f"{len(resume.changes)} change(s), {len(resume.warnings)} warning(s)",
        *(f"warning {warning.code}: {warning.message}" for warning in resume.warnings),
    ]


@commands.command("generate")
def generate_command(
    job: str = typer.Option(..., "--job", help="Job description file, or - for stdin."),
    company: str | None = typer.Option(None, "--company", help="Target company."),
    position: str | None = typer.Option(None, "--position", help="Target job title."),
    level: LevelChoice = typer.Option(LevelChoice.good, "--level", help="basic, good or super."),
    include_pdf: bool = typer.Option(False, "--include-pdf", help="Render the PDF too."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Download the PDF to this file (implies --include-pdf)."
    ),
    idempotency_key: str | None = typer.Option(
        None, "--idempotency-key", help="Default: a new random key per run."
    ),
    as_json: JsonOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Tailor your base resume to a job on the server (POST /resumes/generate)."""
    text, job_company, job_title = _read_job(job)
    company = (company or "").strip() or job_company
    position = (position or "").strip() or job_title
    if not company or not position:
        missing = "--company" if not company else "--position"
        raise _fail(f"{missing} is required (or a JSON Resume job document naming it)", USAGE)
    status = f"Tailoring your resume for {position} at {company}…"
    with _client(api_key, base_url, status=status) as client:
        resume = client.resumes.generate(
            job_description=text,
            company_name=company,
            position=position,
            finetune_level=level.value,
            include_pdf=include_pdf or output is not None,
            idempotency_key=idempotency_key,
        )
        if output is not None:
            client.resumes.download_pdf(resume.id, output)
    if as_json:
        _print_json(resume)
        return
    lines = _summary(resume)
    lines.append(f"Credits remaining: {resume.credits_remaining}")
    if output is not None:
        lines.append(f"PDF: {output}")
    elif resume.pdf_url:
        lines.append(f"PDF: {resume.pdf_url}")
    typer.echo("\n".join(lines))


@resumes_app.command("list")
def list_command(
    limit: int = typer.Option(20, "--limit", min=1, max=100, help="Resumes per page (1-100)."),
    after: str | None = typer.Option(None, "--after", help="Older than this resume id."),
    before: str | None = typer.Option(None, "--before", help="Newer than this resume id."),
    every: bool = typer.Option(False, "--all", help="Every resume, page after page."),
    as_json: JsonOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Your tailored resumes, newest first."""
    with _client(api_key, base_url) as client:
        if every:
            items, has_more = list(client.resumes.list_all(page_size=limit)), False
        else:
            page = client.resumes.list(limit=limit, after=after, before=before)
            items, has_more = page.data, page.has_more
    if as_json:
        data = [item.model_dump(mode="json") for item in items]
        _print_json({"object": "list", "data": data, "has_more": has_more})
        return
    for item in items:  # plain lines: ids are never cut, and scripts can split them
        level = item.finetune_level + ("" if item.livemode else " (test)")
        pdf = "pdf" if item.pdf_url else "   "
        typer.echo(
            f"{item.id}  {item.created_at:%Y-%m-%d %H:%M}  {level:<12} "
            f"{item.ats_score_before:>3} → {item.ats_score:<3}  {pdf}  "
            f"{item.position} at {item.company_name}"
        )
    if has_more:
        typer.echo(f"More: finetune resumes list --after {items[-1].id} (or --all)")


@resumes_app.command("get")
def get_command(
    resume_id: ResumeIdArgument,
    as_json: JsonOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """One resume: score, keywords and changes (the full object with --json)."""
    with _client(api_key, base_url) as client:
        resume = client.resumes.get(resume_id)
    if as_json:
        _print_json(resume)
        return
    lines = _summary(resume)
    lines += [f"  {change.path}: {change.reason}" for change in resume.changes]
    lines.append(f"PDF: {resume.pdf_url or 'none yet (finetune resumes pdf ID -o FILE)'}")
    typer.echo("\n".join(lines))


@resumes_app.command("pdf")
def pdf_command(
    resume_id: ResumeIdArgument,
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the PDF."),
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Download a resume's PDF (rendering it first if it has none)."""
    with _client(api_key, base_url, status="Rendering the PDF…") as client:
        content = client.resumes.download_pdf(resume_id, output)
    typer.echo(f"Wrote {output} ({len(content):,} bytes)")


@resumes_app.command("export")
def export_command(
    resume_id: ResumeIdArgument,
    export_format: ExportChoice = typer.Option(
        ..., "--format", help="json_resume, docx or markdown."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the file."),
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Download a resume as JSON Resume, DOCX or Markdown."""
    with _client(api_key, base_url) as client:
        content = client.resumes.export(resume_id, export_format.value)
        output.write_bytes(content)
    typer.echo(f"Wrote {output} ({len(content):,} bytes)")


@resumes_app.command("delete")
def delete_command(
    resume_id: ResumeIdArgument,
    as_json: JsonOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Delete a resume and its PDF."""
    with _client(api_key, base_url) as client:
        deleted = client.resumes.delete(resume_id)
    if as_json:
        _print_json(deleted)
    else:
        typer.echo(f"Deleted {deleted.id}")


@commands.command("usage")
def usage_command(
    as_json: JsonOption = False, api_key: ApiKeyOption = None, base_url: BaseUrlOption = None
) -> None:
    """Credits, plan, rate limit and billing cycle of your account."""
    with _client(api_key, base_url) as client:
        usage = client.usage.get()
    if as_json:
        _print_json(usage)
        return
    typer.echo(
        "\n".join(
            [
                f"Plan: {usage.plan}",
                f"Credits: {usage.credits_remaining} of {usage.credits_total} left "
                f"({usage.credits_used} used); the cycle ends {usage.billing_cycle_end:%Y-%m-%d}",
                f"Resumes this week (this key's mode): {usage.resumes_generated_this_week}",
                f"Rate limit: {usage.rate_limit.remaining} of "
                f"{usage.rate_limit.requests_per_minute} requests left this minute",
            ]
        )
    )


@base_resume_app.command("get")
def base_resume_get_command(
    as_json: JsonOption = False, api_key: ApiKeyOption = None, base_url: BaseUrlOption = None
) -> None:
    """The stored base resume."""
    with _client(api_key, base_url) as client:
        stored = client.base_resume.get()
    if as_json:
        _print_json(stored)
        return
    basics = stored.resume_data.get("basics", {})
    sections = stored.resume_data.get("sections", {})
    filled = [name for name, section in sections.items() if section.get("items")]
    typer.echo(f"{basics.get('name') or '(no name)'} — {basics.get('headline') or ''}".rstrip(" —"))
    typer.echo(f"Sections: {', '.join(filled) or '—'}; updated {stored.updated_at:%Y-%m-%d %H:%M}")


@base_resume_app.command("put")
def base_resume_put_command(
    file: Path = typer.Argument(..., help="PDF, DOCX, Markdown, text or JSON resume."),
    as_json: JsonOption = False,
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Replace the base resume with a file (its format is read from its content)."""
    with _client(api_key, base_url, status=f"Uploading {file.name}…") as client:
        stored = client.base_resume.upload(file)
    if as_json:
        _print_json(stored)
        return
    typer.echo(f"Stored the base resume from {file} (read as {stored.source_format}).")
    if stored.unplaced:
        typer.echo(f"{len(stored.unplaced)} line(s) could not be placed; fix them and put again:")
        typer.echo("\n".join(f"  {line}" for line in stored.unplaced))
    for note in stored.notes:
        typer.echo(f"note: {note}")
