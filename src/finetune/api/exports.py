"""The ``format`` query parameter and the download response shared by the export routes."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import Query, Response

from finetune.api.errors import RATE_LIMIT_HEADERS
from finetune.documents.export import EXPORT_FORMATS, export_resume
from finetune.documents.export_docx import DOCX_MEDIA_TYPE
from finetune.documents.schema import ResumeData

ExportFormatQuery = Annotated[
    str,
    Query(
        alias="format",
        description="`json_resume` (JSON Resume 1.0), `docx` (Word) or `markdown`.",
        json_schema_extra={"enum": list(EXPORT_FORMATS)},
    ),
]

EXPORT_200: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The resume as a file download (`Content-Disposition: attachment`).",
        "headers": RATE_LIMIT_HEADERS,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            "text/markdown": {"schema": {"type": "string"}},
        },
    }
}


async def download(resume: ResumeData, export_format: str, stem: str) -> Response:
    """``resume`` written as ``export_format``, as an attachment named ``stem`` + extension."""
    exported = await anyio.to_thread.run_sync(export_resume, resume, export_format)
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{stem}{exported.extension}"'},
    )
