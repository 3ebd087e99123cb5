"""``GET/PUT /api/v1/base-resume``: JSON body (resume_data or JSON Resume) or a multipart upload
of a PDF, DOCX, Markdown, text or JSON file; ``GET /api/v1/base-resume/export`` downloads it."""

from __future__ import annotations

import json
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from finetune.api.auth import Auth, AuthContext
from finetune.api.deps import DbSession
from finetune.api.errors import RATE_LIMIT_HEADERS, error_responses
from finetune.api.exports import EXPORT_200, ExportFormatQuery, download
from finetune.api.ids import format_time
from finetune.api.limits import UPLOAD_LIMIT
from finetune.base_resume.service import (
    get_base_resume,
    import_json_body,
    import_upload,
    import_upload_with_llm,
    put_base_resume,
)
from finetune.documents.importers import ImportResult
from finetune.documents.schema import ResumeData
from finetune.errors import ValidationError
from finetune.llm.base import LLMProvider
from finetune.models import BaseResume

router = APIRouter(tags=["base resume"])


class BaseResumeOut(BaseModel):
    object: Literal["base_resume"] = "base_resume"
    resume_data: dict[str, Any]
    updated_at: str

    @classmethod
    def of(cls, stored: BaseResume) -> BaseResumeOut:
        return cls(resume_data=stored.resume_data, updated_at=format_time(stored.updated_at))


class BaseResumeImported(BaseResumeOut):
    """The stored resume plus how it was read: what ``PUT`` answers."""

    source_format: str  # pdf, docx, markdown, text, json-resume, resume-data, reactive-resume
    unplaced: list[str]  # text from the file the parser could not put in a field: fix it by hand
    notes: list[str]  # e.g. values an LLM proposed that the file does not contain, dropped

    @classmethod
    def of_import(cls, stored: BaseResume, result: ImportResult) -> BaseResumeImported:
        return cls(
            resume_data=stored.resume_data,
            updated_at=format_time(stored.updated_at),
            source_format=result.source_format,
            unplaced=result.unplaced,
            notes=result.notes,
        )


_PUT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "Finetune resume_data (docs/schema.md) or a JSON Resume "
                    "document (jsonresume.org), sent as the body itself; or the base_resume "
                    "object GET returns, resume_data edited or not (updated_at is ignored)",
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF (with a text layer), DOCX, Markdown, plain "
                            "text, or JSON (resume_data, JSON Resume, Reactive Resume); at most "
                            "5 MB. The format is read from the content, not the name.",
                        }
                    },
                }
            },
        },
    }
}


@router.get(
    "/base-resume",
    response_model=BaseResumeOut,
    summary="The account's base resume",
    responses={200: {"headers": RATE_LIMIT_HEADERS}, **error_responses()},
)
async def read_base_resume(auth: Auth, session: DbSession) -> BaseResumeOut:
    """404 ``not_found`` until one is uploaded."""
    return BaseResumeOut.of(await get_base_resume(session, auth.account_id))


@router.put(
    "/base-resume",
    response_model=BaseResumeImported,
    summary="Replace the account's base resume",
    responses={200: {"headers": RATE_LIMIT_HEADERS}, **error_responses(503)},
    openapi_extra=_PUT_BODY,
)
async def replace_base_resume(
    request: Request, auth: Auth, session: DbSession
) -> BaseResumeImported:
    """A rejected document leaves the stored base resume untouched. The answer adds how the
    file was read: ``source_format``, ``unplaced`` text to fix by hand, and ``notes``."""
    result = await _import_from_request(request, auth)
    stored = await put_base_resume(session, auth.account_id, result.resume)
    return BaseResumeImported.of_import(stored, result)


@router.get(
    "/base-resume/export",
    summary="Download the base resume as JSON Resume, DOCX or Markdown",
    response_class=Response,
    responses={**EXPORT_200, **error_responses()},
)
async def export_base_resume(
    auth: Auth, session: DbSession, export_format: ExportFormatQuery
) -> Response:
    """The stored base resume in the chosen format, as a download."""
    stored = await get_base_resume(session, auth.account_id)
    return await download(
        ResumeData.model_validate(stored.resume_data), export_format, "base-resume"
    )


def _llm_provider(request: Request, auth: AuthContext) -> LLMProvider | None:
    """The provider live tailoring uses, when one is configured: it may also structure uploaded
    files. Test keys never call an LLM."""
    if not auth.livemode:
        return None
    engine = request.app.state.engine
    engine = getattr(engine, "primary", engine)  # an LLM engine wrapped with a local fallback
    provider: LLMProvider | None = getattr(engine, "provider", None)
    return provider


async def _import_from_request(request: Request, auth: AuthContext) -> ImportResult:
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=10, max_part_size=UPLOAD_LIMIT)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationError("multipart uploads need a file field named 'file'")
        name, data, media = upload.filename or "", await upload.read(), upload.content_type
        provider = _llm_provider(request, auth)
        if provider is not None:
            return await import_upload_with_llm(name, data, media, provider)
        return await anyio.to_thread.run_sync(import_upload, name, data, media)
    media = content_type.split(";", 1)[0].strip()
    if media and media != "application/json" and not media.endswith("+json"):
        raise ValidationError(
            "send the resume as application/json or as multipart/form-data with a 'file' field"
        )
    body = await request.body()
    if not body.strip():
        raise ValidationError("request body is required: resume_data or a JSON Resume document")
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError("request body is not valid JSON") from exc
    return import_json_body(document)
