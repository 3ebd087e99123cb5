"""Reading and replacing an account's base resume (one per account, shared by both modes)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finetune.api.ids import utc_now
from finetune.documents.importers import ImportResult, import_resume
from finetune.documents.json_input import loads_bounded
from finetune.documents.loading import load_resume_document
from finetune.documents.schema import ResumeData
from finetune.errors import NotFound, ValidationError
from finetune.models import BaseResume

# Importers for these arrive with a later issue; until then they get a clear refusal.
_NOT_YET_IMPORTABLE = {".pdf", ".docx", ".md", ".markdown", ".txt", ".text"}
SUPPORTED_UPLOADS = "JSON (.json: JSON Resume or Finetune resume_data)"


def serialize(resume: ResumeData) -> dict[str, Any]:
    """The stored and returned form of a resume."""
    return resume.model_dump(mode="json", exclude_none=True)


def parse_json_document(document: Any) -> ResumeData:
    """A JSON body: our ``resume_data`` or a JSON Resume document."""
    if not isinstance(document, dict):
        raise ValidationError("the base resume must be a JSON object (resume_data or JSON Resume)")
    return load_resume_document(document)


def parse_upload(filename: str, data: bytes) -> ResumeData:
    """An uploaded file, by extension; anything unreadable is a ``ValidationError``."""
    suffix = PurePosixPath(filename or "").suffix.lower()
    if suffix in _NOT_YET_IMPORTABLE:
        raise ValidationError(
            f"importing {suffix} files is not supported yet; upload {SUPPORTED_UPLOADS} "
            "or send the resume as a JSON body"
        )
    if suffix != ".json":
        raise ValidationError(
            f"unsupported file type {suffix or '(none)'}; upload {SUPPORTED_UPLOADS}"
        )
    if not data.strip():
        raise ValidationError("the uploaded file is empty")
    try:
        document = loads_bounded(data, "the uploaded file")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(f"the uploaded file is not valid JSON: {exc}") from exc
    return parse_json_document(document)


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
