"""``GET/PUT /api/v1/base-resume``: JSON body (resume_data or JSON Resume) or a multipart upload."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from finetune.api.auth import Auth
from finetune.api.deps import DbSession
from finetune.api.errors import RATE_LIMIT_HEADERS, error_responses
from finetune.api.ids import format_time
from finetune.api.limits import UPLOAD_LIMIT
from finetune.base_resume.service import (
    get_base_resume,
    parse_json_document,
    parse_upload,
    put_base_resume,
)
from finetune.documents.schema import ResumeData
from finetune.errors import ValidationError
from finetune.models import BaseResume

router = APIRouter(tags=["base resume"])


class BaseResumeOut(BaseModel):
    object: Literal["base_resume"] = "base_resume"
    resume_data: dict[str, Any]
    updated_at: str

    @classmethod
    def of(cls, stored: BaseResume) -> BaseResumeOut:
        return cls(resume_data=stored.resume_data, updated_at=format_time(stored.updated_at))


_PUT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "Finetune resume_data (docs/resume-data.md) or a JSON Resume "
                    "document (jsonresume.org), sent as the body itself",
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
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
    response_model=BaseResumeOut,
    summary="Replace the account's base resume",
    responses={200: {"headers": RATE_LIMIT_HEADERS}, **error_responses()},
    openapi_extra=_PUT_BODY,
)
async def replace_base_resume(request: Request, auth: Auth, session: DbSession) -> BaseResumeOut:
    """A rejected document leaves the stored base resume untouched."""
    resume = await _resume_from_request(request)
    return BaseResumeOut.of(await put_base_resume(session, auth.account_id, resume))


async def _resume_from_request(request: Request) -> ResumeData:
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=10, max_part_size=UPLOAD_LIMIT)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationError("multipart uploads need a file field named 'file'")
        return parse_upload(upload.filename or "", await upload.read())
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
    return parse_json_document(document)
