"""Export a resume by format name: the one place the API, CLI and dashboard choose a writer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal, get_args

from finetune.documents.export_docx import DOCX_MEDIA_TYPE, to_docx
from finetune.documents.export_markdown import to_markdown
from finetune.documents.jsonresume import to_json_resume
from finetune.documents.schema import ResumeData
from finetune.errors import ValidationError

ExportFormat = Literal["json_resume", "docx", "markdown"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)


@dataclass(frozen=True)
class Exported:
    content: bytes
    media_type: str
    extension: str  # for a download's file name, with the dot


def export_resume(resume: ResumeData, export_format: str) -> Exported:
    """``resume`` written as ``export_format``; ValidationError naming the formats otherwise."""
    if export_format == "json_resume":
        document = json.dumps(to_json_resume(resume), ensure_ascii=False, indent=2)
        return Exported(document.encode(), "application/json", ".json")
    if export_format == "docx":
        return Exported(to_docx(resume), DOCX_MEDIA_TYPE, ".docx")
    if export_format == "markdown":
        return Exported(to_markdown(resume).encode(), "text/markdown; charset=utf-8", ".md")
    raise ValidationError(
        f"format must be one of {', '.join(EXPORT_FORMATS)}, got {export_format!r}"
    )
