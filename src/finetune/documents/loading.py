"""Load a resume given as our resume_data or as a JSON Resume document, from memory or a file.

The API (base resume upload), the CLI and the tests all come through here, so every way a resume
can be wrong ends in the same ValidationError that names the field at fault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from finetune.documents.jsonresume import from_json_resume, looks_like_json_resume
from finetune.documents.schema import ResumeData
from finetune.errors import ValidationError


def load_resume_document(doc: Any) -> ResumeData:
    """Our resume_data or a JSON Resume dict → ResumeData; ValidationError naming the field."""
    if not isinstance(doc, dict):
        raise ValidationError(
            "A resume must be a JSON object (resume_data or a JSON Resume document), "
            f"got {_json_type(doc)}."
        )
    if looks_like_json_resume(doc):
        resume = from_json_resume(doc)
    else:
        try:
            resume = ResumeData.model_validate(doc)
        except PydanticValidationError as exc:
            raise ValidationError(_describe(exc)) from exc
    if not has_content(resume):
        raise ValidationError(
            "The resume is empty: give at least a name, a summary or one section item."
        )
    return resume


def load_resume_file(path: Path) -> ResumeData:
    """Read a .json resume file (resume_data or JSON Resume); ValidationError when unusable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Cannot read resume file {path}: {exc.strerror or exc}.") from exc
    try:
        text = raw.decode("utf-8-sig")  # editors on Windows like to add a byte-order mark
    except UnicodeDecodeError as exc:
        raise ValidationError(f"Resume file {path} is not UTF-8 text.") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"Resume file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); expected resume_data or a JSON Resume document."
        ) from exc
    return load_resume_document(doc)


def has_content(resume: ResumeData) -> bool:
    """True when the resume says anything at all: a name, headline, summary or any item."""
    basics, sections = resume.basics, resume.sections
    if basics.name.strip() or basics.headline.strip() or sections.summary.content.strip():
        return True
    return any(
        getattr(sections, name).items for name in type(sections).model_fields if name != "summary"
    )


def _describe(exc: PydanticValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    message = f"Invalid resume_data at {_field_path(first['loc'])}: {first['msg']}."
    if len(errors) > 1:
        message += f" ({len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return message


def _field_path(loc: tuple[int | str, ...]) -> str:
    """Pydantic's ``('sections', 'experience', 'items', 0)`` → ``sections.experience.items[0]``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(document)"


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "a value")
