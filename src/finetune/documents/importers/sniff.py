"""Which format an uploaded file is, by its content first and its name second.

A file is what its bytes say: a PDF starts with ``%PDF-``, a DOCX is a ZIP holding
``word/document.xml``. The name and declared content type only choose between text formats
(Markdown or plain text), and a name that promises a PDF or DOCX the bytes do not deliver is an
error rather than a guess.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from finetune.errors import ValidationError

MAX_IMPORT_BYTES = 5_000_000  # 5 MB, the upload limit of the API
SUPPORTED = "PDF, DOCX, Markdown, plain text or JSON (JSON Resume, resume_data, Reactive Resume)"

_IMAGES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}
# Word saves a password-protected DOCX as an OLE compound file holding this stream.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_TEXT_SUFFIXES = {".txt", ".text", ""}


def sniff_format(filename: str, content: bytes, content_type: str | None) -> str:
    """``pdf``, ``docx``, ``json``, ``markdown`` or ``text``; ValidationError for anything else."""
    suffix = PurePosixPath(filename or "").suffix.lower()
    media = (content_type or "").split(";", 1)[0].strip().lower()
    head = content[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(content, suffix)
    _refuse_known_binary(content, suffix)
    if suffix == ".pdf" or media == "application/pdf":
        raise ValidationError("the file is named or declared as a PDF but is not one (no %PDF-)")
    if suffix == ".docx" or media.endswith("wordprocessingml.document"):
        raise ValidationError("the file is named or declared as a DOCX but is not a Word document")
    text = decode_text(content).lstrip()
    if suffix == ".json" or media == "application/json" or media.endswith("+json"):
        return "json"
    if text.startswith("{") and suffix in _TEXT_SUFFIXES:
        return "json"
    if suffix in _MARKDOWN_SUFFIXES or media in {"text/markdown", "text/x-markdown"}:
        return "markdown"
    if suffix in _TEXT_SUFFIXES or media.startswith("text/"):
        return "text"
    raise ValidationError(f"unsupported file type {suffix}; upload {SUPPORTED}")


def _zip_format(content: bytes, suffix: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"the DOCX file is damaged and cannot be read ({exc})") from exc
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names:
        raise ValidationError(
            "OpenDocument files are not supported: save the resume as DOCX or PDF and upload that"
        )
    raise ValidationError(f"the file is a ZIP archive, not a resume; upload {SUPPORTED}")


def _refuse_known_binary(content: bytes, suffix: str) -> None:
    head = content[:1024]
    for magic, what in _IMAGES.items():
        if head.startswith(magic):
            raise ValidationError(
                f"the file is {what}, which has no text to import; upload the resume as a PDF "
                "with a text layer, a DOCX or text"
            )
    if head.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTED_PACKAGE in content:
        raise ValidationError(
            "the Word document is encrypted with a password: remove the password and upload it "
            "again"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            "old Word (.doc) files are not supported: save the resume as DOCX or PDF and upload it"
        )
    if head.startswith(b"{\\rtf"):
        raise ValidationError("RTF files are not supported: save the resume as DOCX or PDF")


def decode_text(content: bytes) -> str:
    """Bytes of a text file as text (UTF-8, UTF-16 with a byte-order mark, or Windows-1252)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValidationError("the file claims to be UTF-16 text but is not") from exc
    if b"\x00" in content or _control_ratio(content) > 0.01:
        raise ValidationError(f"the file is not a document we can read; upload {SUPPORTED}")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # older Windows editors


def _control_ratio(content: bytes) -> float:
    sample = content[:4096]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / max(1, len(sample))
