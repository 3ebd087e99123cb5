"""Reading and replacing an account's base resume (one per account, shared by both modes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finetune.api.ids import utc_now
from finetune.documents.importers import ImportResult, import_resume_with_llm
from finetune.documents.importers.sandbox import shared_sandbox
from finetune.documents.jsonresume import looks_like_json_resume
from finetune.documents.loading import load_resume_document
from finetune.documents.schema import ResumeData
from finetune.errors import NotFound, ValidationError
from finetune.llm.base import LLMProvider
from finetune.models import BaseResume


def serialize(resume: ResumeData) -> dict[str, Any]:
    """The stored and returned form of a resume."""
    return resume.model_dump(mode="json", exclude_none=True)


# The object GET returns; sent back (edited or not), its resume_data replaces the stored one.
_BASE_RESUME_FIELDS = frozenset({"object", "resume_data", "updated_at"})


def import_json_body(document: Any) -> ImportResult:
    """A JSON body: our ``resume_data``, a JSON Resume document, or the ``base_resume`` object
    ``GET`` returns (whose ``updated_at`` is ignored: the server sets it)."""
    if not isinstance(document, dict):
        raise ValidationError("the base resume must be a JSON object (resume_data or JSON Resume)")
    if "resume_data" in document or document.get("object") == "base_resume":
        document = _resume_data_of(document)
    source = "json-resume" if looks_like_json_resume(document) else "resume-data"
    return ImportResult(load_resume_document(document), [], source)


def _resume_data_of(base_resume: dict[str, Any]) -> Any:
    unknown = sorted(set(base_resume) - _BASE_RESUME_FIELDS)
    if unknown:
        raise ValidationError(f"unknown field: {unknown[0]}")
    if base_resume.get("object", "base_resume") != "base_resume":
        raise ValidationError('object must be "base_resume" when resume_data is sent inside it')
    if "resume_data" not in base_resume:
        raise ValidationError("resume_data is required")
    resume_data = base_resume["resume_data"]
    if not isinstance(resume_data, dict):
        raise ValidationError("resume_data must be an object")
    return resume_data


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
