"""Import a resume file — PDF, DOCX, Markdown, plain text or JSON — into ``resume_data``.

The format is decided by the file's content (magic bytes), with the name and declared type only
breaking ties between text formats, so a renamed file is still read for what it is. Files that
cannot yield text (empty, scanned, encrypted, corrupt, unsupported) are a ``ValidationError`` that
says what to do instead; nothing is ever invented to fill a gap. Files beyond what a resume could
hold are refused before or while they are parsed (``limits``); the server also runs this code in
a resource-limited worker process (``sandbox``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from finetune.documents.importers.extract import (
    extract_docx_lines,
    extract_markdown_lines,
    extract_text_lines,
)
from finetune.documents.importers.limits import check_lines
from finetune.documents.importers.lines import Line, classify_bullets
from finetune.documents.importers.llm_structure import structure_with_llm
from finetune.documents.importers.pdf_lines import extract_pdf_lines
from finetune.documents.importers.reactive import from_reactive_resume, looks_like_reactive_resume
from finetune.documents.importers.sections import parse_lines
from finetune.documents.importers.sniff import MAX_IMPORT_BYTES, decode_text, sniff_format
from finetune.documents.json_input import loads_bounded
from finetune.documents.jsonresume import looks_like_json_resume
from finetune.documents.loading import has_content, load_resume_document
from finetune.documents.schema import ResumeData
from finetune.errors import FinetuneError, PayloadTooLarge, ValidationError
from finetune.llm.base import LLMProvider
from finetune.llm.retry import RetryPolicy

__all__ = [
    "MAX_IMPORT_BYTES",
    "ImportResult",
    "Reader",
    "import_resume",
    "import_resume_with_llm",
    "read_document",
]

_log = logging.getLogger(__name__)
_FORMAT_NAMES = {"pdf": "PDF", "docx": "DOCX", "markdown": "Markdown", "text": "text"}


@dataclass
class ImportResult:
    resume: ResumeData
    unplaced: list[str] = field(default_factory=list)  # text the parser could not place
    # pdf | docx | markdown | text | json-resume | resume-data | reactive-resume
    source_format: str = "text"
    notes: list[str] = field(default_factory=list)  # e.g. values an LLM invented, dropped


def import_resume(filename: str, content: bytes, content_type: str | None = None) -> ImportResult:
    """Read an uploaded resume file into ``resume_data`` plus the text it could not place."""
    return read_document(filename, content, content_type)[0]


# read_document, or a stand-in that runs it elsewhere (the server's sandboxed worker)
Reader = Callable[[str, bytes, str | None], tuple["ImportResult", list[Line]]]


async def import_resume_with_llm(
    filename: str,
    content: bytes,
    content_type: str | None,
    provider: LLMProvider,
    *,
    retry: RetryPolicy | None = None,
    reader: Reader | None = None,
) -> ImportResult:
    """As :func:`import_resume` (or ``reader``), then let ``provider`` structure the text of a
    document file; its answer is used only where the text bears it out (see ``llm_structure``)."""
    read = reader or read_document
    result, lines = await asyncio.to_thread(read, filename, content, content_type)
    if not lines:  # JSON: already structured
        return result
    resume, unplaced, notes = await structure_with_llm(provider, lines, result.resume, retry=retry)
    if resume is None:
        return ImportResult(result.resume, result.unplaced, result.source_format, notes)
    return ImportResult(resume, unplaced, result.source_format, notes)


def read_document(
    filename: str, content: bytes, content_type: str | None
) -> tuple[ImportResult, list[Line]]:
    """The parsed result and the extracted lines it came from (none for JSON)."""
    if len(content) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge("resume files are limited to 5 MB")
    if not content.strip():
        raise ValidationError(f"{_name(filename)} is empty: there is no resume text to import")
    source_format = sniff_format(filename, content, content_type)
    if source_format == "json":
        return _import_json(filename, decode_text(content)), []
    lines = _extract(source_format, content)
    # Checked again after extraction: a PDF's wrapped lines are joined, a DOCX's paragraphs
    # were only counted before.
    check_lines([line.text for line in lines], "of the text read from the file")
    if not any(char.isalnum() for line in lines for char in line.text):
        raise ValidationError(f"{_name(filename)} contains no text to import")
    resume, unplaced = parse_lines(lines)
    if not has_content(resume):
        raise ValidationError(f"no resume content could be recognised in {_name(filename)}")
    return ImportResult(resume, unplaced, source_format), lines


def _extract(source_format: str, content: bytes) -> list[Line]:
    try:
        if source_format == "pdf":
            return classify_bullets(extract_pdf_lines(content))
        if source_format == "docx":
            return extract_docx_lines(content)
        text = decode_text(content)
        check_lines(text.splitlines(), "of the file")
        if source_format == "markdown":
            return extract_markdown_lines(text)
        return extract_text_lines(text)
    except (FinetuneError, MemoryError):
        raise
    except Exception as exc:  # lxml, python-docx and pdfium raise many kinds on damaged files
        detail = f"{type(exc).__name__}: {exc}"[:300]
        _log.warning("could not read a %s upload: %s", source_format, detail)
        raise ValidationError(
            f"the {_FORMAT_NAMES[source_format]} file is damaged and cannot be read ({detail})"
        ) from exc


def _import_json(filename: str, text: str) -> ImportResult:
    try:
        document = loads_bounded(text, _name(filename))
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{_name(filename)} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})"
        ) from exc
    unplaced: list[str] = []
    if isinstance(document, dict) and looks_like_reactive_resume(document):
        return ImportResult(from_reactive_resume(document, unplaced), unplaced, "reactive-resume")
    is_json_resume = isinstance(document, dict) and looks_like_json_resume(document)
    source = "json-resume" if is_json_resume else "resume-data"
    return ImportResult(load_resume_document(document), unplaced, source)


def _name(filename: str) -> str:
    return repr(filename) if filename else "the file"
