"""Files that cannot give a resume get a clear error and never a placeholder resume."""

from __future__ import annotations

import io
import zipfile

import pytest

import samples.imports as samples
from finetune.documents.importers import MAX_IMPORT_BYTES, import_resume
from finetune.documents.pdf import render_pdf
from finetune.documents.schema import ResumeData
from finetune.errors import PayloadTooLarge, ValidationError


def _rejected(filename: str, content: bytes, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        import_resume(filename, content)


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
@pytest.mark.parametrize("filename", ["resume.txt", "resume.md", "resume.pdf", "resume.docx"])
def test_empty_or_blank_files(filename: str, content: bytes) -> None:
    """An empty or whitespace-only file says it is empty, whatever its name."""
    _rejected(filename, content, "empty")


def test_scanned_pdf_without_text_layer() -> None:
    """A PDF holding only an image is refused with advice, not parsed into nothing."""
    _rejected("scan.pdf", samples.pdf_scanned(), "no text layer")


def test_pdf_of_an_empty_resume_has_no_text() -> None:
    """A valid PDF page with no text at all is the same no-text error."""
    _rejected("blank.pdf", render_pdf(ResumeData()), "no text layer")


def test_encrypted_pdf() -> None:
    """A password-protected PDF asks for the password to be removed."""
    _rejected("locked.pdf", samples.pdf_encrypted(), "encrypted")


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n" + b"\x8f garbage " * 50,
        render_pdf(ResumeData.model_validate({"basics": {"name": "A"}}))[:300],
    ],
    ids=["garbage", "truncated"],
)
def test_corrupt_pdf(content: bytes) -> None:
    """Damaged PDF bytes are a clear "damaged" error."""
    _rejected("resume.pdf", content, "damaged")


def test_corrupt_docx() -> None:
    """A DOCX that is not a readable ZIP archive is a clear "damaged" error."""
    _rejected("resume.docx", b"PK\x03\x04" + b"\x00\x13broken" * 40, "damaged")


def test_docx_missing_its_document_part() -> None:
    """A ZIP with a Word document name but no Word content is not read as a resume."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    _rejected("resume.docx", buffer.getvalue(), "ZIP archive")


@pytest.mark.parametrize(
    ("filename", "content", "match"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG image"),
        ("resume.pdf", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "JPEG image"),
        ("resume.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, r"\.doc"),
        ("resume.rtf", b"{\\rtf1\\ansi Hello}", "RTF"),
        ("resume.pdf", b"Jane Doe\nEngineer\n", "not one"),
        ("resume.docx", b"Jane Doe\nEngineer\n", "not a Word document"),
        ("resume.bin", bytes(range(256)) * 4, "not a document"),
        ("resume.exe", b"MZ\x90\x00" + b"\x01\x02" * 40, "not a document"),
        ("resume.xlsx", b"Just some text", "unsupported file type"),
    ],
)
def test_wrong_types_are_sniffed_not_trusted(filename: str, content: bytes, match: str) -> None:
    """Format is decided by content: images, old Word, RTF, binaries and liars are refused."""
    _rejected(filename, content, match)


def test_a_docx_named_pdf_is_still_read_as_docx() -> None:
    """The content wins over the name: a DOCX uploaded as .pdf imports as a DOCX."""
    result = import_resume("resume.pdf", samples.docx_plain())
    assert result.source_format == "docx"
    assert result.resume.basics.name == "Ken Thompson"


def test_oversized_file() -> None:
    """Over 5 MB is payload_too_large, before any parsing."""
    with pytest.raises(PayloadTooLarge, match="5 MB"):
        import_resume("big.txt", b"a" * (MAX_IMPORT_BYTES + 1))


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b'{"basics": ', "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"basics": {"name": 5}}', "basics.name"),
    ],
)
def test_bad_json(content: bytes, match: str) -> None:
    """Invalid JSON, a non-object, or a wrong field type are errors naming the problem."""
    _rejected("resume.json", content, match)


def test_deeply_nested_json() -> None:
    """JSON nested thousands of levels deep is refused, not a crash."""
    _rejected("resume.json", b'{"basics": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested too deeply")


def test_text_with_no_resume_content() -> None:
    """Punctuation alone is not a resume."""
    _rejected("resume.txt", b"----\n====\n", "no text|no resume content")
