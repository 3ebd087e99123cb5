"""Generating, finding, rendering and deleting resumes. Never commits; raises FinetuneErrors.

Generation runs in three steps so that no database transaction stays open while the (possibly
slow) engine works: :func:`prepare_generation` reads the base resume and checks credits,
:func:`run_tailoring` awaits the engine, :func:`store_generated` charges and stores in the
caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import anyio
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from finetune.accounts.service import (
    charge_credits,
    credits_remaining,
    ensure_current_cycle,
    seconds_until,
)
from finetune.api.auth import AuthContext
from finetune.api.ids import new_id, utc_now
from finetune.documents.pdf import render_pdf
from finetune.documents.schema import ResumeData
from finetune.errors import CreditLimitExceeded, NotFound, ValidationError
from finetune.models import BaseResume, Resume, ResumePdf
from finetune.resumes.idempotency import withdraw_answers
from finetune.resumes.schemas import GenerateRequest
from finetune.tailoring.engine import TailoringEngine
from finetune.tailoring.model import Level, TailorResult
from finetune.tailoring.pipeline import result_fields, tailor

NO_BASE_RESUME = (
    "no base resume on this account: upload one with PUT /api/v1/base-resume "
    "(JSON resume_data or JSON Resume, or a PDF/DOCX/Markdown/text file as multipart field "
    "'file') or in the dashboard, then retry"
)


def sample_persona() -> ResumeData:
    """The built-in resume test mode tailors when the account has no base resume."""
    text = resources.files("finetune.documents").joinpath("data/sample_persona.json").read_text()
    return ResumeData.model_validate(json.loads(text))


@dataclass(frozen=True)
class PreparedGeneration:
    request: GenerateRequest
    level: Level
    base: ResumeData


async def prepare_generation(
    session: AsyncSession, auth: AuthContext, request: GenerateRequest
) -> PreparedGeneration:
    """Everything generation needs from the database, checked before the engine runs."""
    level = Level(request.finetune_level)
    row = await session.get(BaseResume, auth.account_id)
    if row is not None:
        base = ResumeData.model_validate(row.resume_data)
    elif auth.livemode:
        raise ValidationError(NO_BASE_RESUME)
    else:
        base = sample_persona()
    if auth.livemode:
        await _precheck_credits(session, auth.account_id, level.credits)
    return PreparedGeneration(request=request, level=level, base=base)


async def _precheck_credits(session: AsyncSession, account_id: str, amount: int) -> None:
    """Fail fast for a broke account; the charge itself re-checks atomically."""
    account = await ensure_current_cycle(session, account_id)
    remaining = max(0, account.credits_total - account.credits_used)
    if remaining < amount:
        raise CreditLimitExceeded(
            f"this needs {amount} credits and {remaining} remain in this billing cycle",
            headers={"Retry-After": str(seconds_until(account.cycle_end))},
        )


async def run_tailoring(prepared: PreparedGeneration, engine: TailoringEngine) -> TailorResult:
    request = prepared.request
    return await tailor(
        prepared.base,
        request.job_description,
        company=request.company_name,
        position=request.position,
        level=prepared.level,
        engine=engine,
    )


def stored_document(resume: Resume) -> ResumeData:
    """The tailored resume stored with ``resume``."""
    return ResumeData.model_validate(resume.resume_data or {})


async def render(document: ResumeData, *, test_mode: bool) -> bytes:
    """The PDF of a resume, rendered in a worker thread (Typst is CPU-bound)."""
    return await anyio.to_thread.run_sync(lambda: render_pdf(document, test_mode=test_mode))


@dataclass(frozen=True)
class StoredGeneration:
    resume: Resume
    credits_remaining: int


async def store_generated(
    session: AsyncSession,
    auth: AuthContext,
    prepared: PreparedGeneration,
    result: TailorResult,
    pdf: bytes | None,
) -> StoredGeneration:
    """Charge (live mode) and store the resume, and its PDF if one was rendered."""
    now = utc_now()
    charged = prepared.level.credits if auth.livemode else 0
    if charged:
        # First statement of the transaction, so SQLite takes its write lock up front.
        remaining = await charge_credits(session, auth.account_id, charged)
    fields = result_fields(result)
    request = prepared.request
    resume = Resume(
        id=new_id("res"),
        account_id=auth.account_id,
        livemode=auth.livemode,
        company_name=request.company_name,
        position=request.position,
        finetune_level=prepared.level.value,
        job_description=request.job_description,
        ats_score=fields["ats_score"],
        ats_score_before=fields["ats_score_before"],
        resume_data=fields["resume_data"],
        keywords=fields["keywords"],
        ats_breakdown=fields["ats_breakdown"],
        ats_breakdown_before=fields["ats_breakdown_before"],
        changes=fields["changes"],
        warnings=fields["warnings"],
        usage=fields["usage"],
        credits_charged=charged,
        pdf_generated_at=now if pdf is not None else None,
        created_at=now,
        deleted_at=None,
    )
    session.add(resume)
    if pdf is not None:
        await session.flush()  # the PDF row references the resume
        session.add(ResumePdf(resume_id=resume.id, content=pdf, generated_at=now))
    await session.flush()
    if not charged:
        remaining = await credits_remaining(session, auth.account_id)
    return StoredGeneration(resume=resume, credits_remaining=remaining)


async def find_resume(session: AsyncSession, auth: AuthContext, resume_id: str) -> Resume:
    """The caller's live (not deleted) resume in the caller's mode, else ``NotFound``."""
    resume = (
        await session.execute(
            select(Resume).where(
                Resume.id == resume_id,
                Resume.account_id == auth.account_id,
                Resume.livemode == auth.livemode,
                Resume.deleted_at.is_(None),
            )
        )
    ).scalar_one_or_none()
    if resume is None:
        raise NotFound(f"no resume with id {resume_id}")
    return resume


async def store_pdf(session: AsyncSession, resume: Resume, pdf: bytes) -> None:
    """Replace the resume's PDF with a freshly rendered one."""
    now = utc_now()
    await session.execute(update(Resume).where(Resume.id == resume.id).values(pdf_generated_at=now))
    stored = await session.get(ResumePdf, resume.id)
    if stored is None:
        session.add(ResumePdf(resume_id=resume.id, content=pdf, generated_at=now))
    else:
        stored.content = pdf
        stored.generated_at = now
    resume.pdf_generated_at = now
    await session.flush()


async def delete_resume(session: AsyncSession, auth: AuthContext, resume_id: str) -> None:
    """Leave a tombstone (its place in the listing order) and drop the content and PDF, and
    the answers stored for Idempotency-Keys that showed them."""
    resume = await find_resume(session, auth, resume_id)
    await withdraw_answers(session, resume.id)
    stored = await session.get(ResumePdf, resume.id)
    if stored is not None:
        await session.delete(stored)
    resume.deleted_at = utc_now()
    resume.job_description = None
    resume.resume_data = None
    resume.keywords = None
    resume.ats_breakdown = None
    resume.ats_breakdown_before = None
    resume.changes = None
    resume.warnings = None
    resume.usage = None
    resume.pdf_generated_at = None
    await session.flush()


async def load_pdf(session: AsyncSession, resume_id: str) -> tuple[Resume, bytes] | None:
    """A resume with its PDF (any owner, any mode: the caller authorises), if both exist."""
    row = (
        await session.execute(
            select(Resume, ResumePdf.content)
            .join(ResumePdf, ResumePdf.resume_id == Resume.id)
            .where(Resume.id == resume_id, Resume.deleted_at.is_(None))
        )
    ).one_or_none()
    return None if row is None else (row[0], row[1])
