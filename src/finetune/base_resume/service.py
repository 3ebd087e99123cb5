"""Reading and replacing an account's base resume (one per account, shared by both modes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finetune.api.ids import utc_now
from finetune.documents.importers import ImportResult, import_resume_with_llm
from finetune.documents.importers.sandbox import shared_sandbox
from finetune.documents.loading import load_resume_document
from finetune.documents.schema import ResumeData
from finetune.errors import NotFound, ValidationError
from finetune.llm.base import LLMProvider
from finetune.models import BaseResume


def serialize(resume: ResumeData) -> dict[str, Any]:
    """The stored and returned form of a resume."""
    return resume.model_dump(mode="json", exclude_none=True)


def parse_json_document(document: Any) -> ResumeData:
    """A JSON body: our ``resume_data`` or a JSON Resume document."""
    if not isinstance(document, dict):
        raise ValidationError("the base resume must be a JSON object (resume_data or JSON Resume)")
    return load_resume_document(document)


def start_import_workers() -> None:
    """Start this process's import worker now, so the first upload does not wait for it."""
    shared_sandbox().start()


def import_upload(filename: str, data: bytes, content_type: str | None = None) -> ImportResult:
    """Any supported file (PDF, DOCX, Markdown, text, JSON), with the text that could not be
    placed. Read in a resource-limited worker process (``importers/sandbox.py``); this blocks
    until it answers, so async callers run it in a worker thread."""
    return shared_sandbox().read(filename, data, content_type)[0]


async def import_upload_with_llm(
    filename: str, data: bytes, content_type: str | None, provider: LLMProvider
) -> ImportResult:
    """As :func:`import_upload`, then ``provider`` structures the text it read."""
    return await import_resume_with_llm(
        filename, data, content_type, provider, reader=shared_sandbox().read
    )


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
