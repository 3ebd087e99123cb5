"""Reading and replacing an account's base resume (one per account, shared by both modes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finetune.api.ids import utc_now
from finetune.documents.importers import ImportResult, import_resume
from finetune.documents.loading import load_resume_document
from finetune.documents.schema import ResumeData
from finetune.errors import NotFound, ValidationError
from finetune.models import BaseResume


def serialize(resume: ResumeData) -> dict[str, Any]:
    """The stored and returned form of a resume."""
    return resume.model_dump(mode="json", exclude_none=True)


def parse_json_document(document: Any) -> ResumeData:
    """A JSON body: our ``resume_data`` or a JSON Resume document."""
    if not isinstance(document, dict):
        raise ValidationError("the base resume must be a JSON object (resume_data or JSON Resume)")
    return load_resume_document(document)


def import_upload(filename: str, data: bytes, content_type: str | None = None) -> ImportResult:
    """Any supported file (PDF, DOCX, Markdown, text, JSON), with the text that could not be
    placed; CPU-bound, so async callers run it in a worker thread."""
    return import_resume(filename, data, content_type)


async def get_base_resume(session: AsyncSession, account_id: str) -> BaseResume:
    """The stored base resume, or ``NotFound`` explaining how to upload one."""
    stored = await session.get(BaseResume, account_id)
    if stored is None:
        raise NotFound(
            "no base resume yet: upload one with PUT /api/v1/base-resume "
            "(JSON body or a multipart file field named 'file')"
        )
    return stored


async def put_base_resume(session: AsyncSession, account_id: str, resume: ResumeData) -> BaseResume:
    """Store ``resume`` as the account's base resume, replacing any previous one."""
    data = serialize(resume)
    stored = await session.get(BaseResume, account_id)
    if stored is None:
        stored = BaseResume(account_id=account_id, resume_data=data, updated_at=utc_now())
        session.add(stored)
    else:
        stored.resume_data = data
        stored.updated_at = utc_now()
    await session.flush()
    return stored
