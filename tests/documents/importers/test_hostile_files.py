"""Files built to stall or bloat the reader are refused before parsing, with the documented error
(413 for more than a resume holds, 400 for a shape no resume has); structures that made
python-docx recurse or expand are read in linear time. Every payload is generated here."""

from __future__ import annotations

import io
import zipfile

import pytest

import samples.hostile as hostile
from finetune.documents.importers import import_resume
from finetune.documents.importers.extract import extract_markdown_lines
from finetune.documents.importers.limits import (
    MAX_DOCX_PART_BYTES,
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_PDF_PAGES,
    MAX_TEXT_CHARS,
)
from finetune.documents.importers.sections import MAX_NAME_CHARS
from finetune.errors import FinetuneError, PayloadTooLarge, ValidationError


def _refused(filename: str, content: bytes) -> FinetuneError:
    with pytest.raises(FinetuneError) as caught:
        import_resume(filename, content)
    return caught.value


def test_markdown_link_bomb_is_refused_by_its_line_length() -> None:
    """The 48 KB one-line ``[a](`` upload that froze the server: a 400 naming the line."""
    error = _refused("cv.md", hostile.markdown_link_bomb())
    assert isinstance(error, ValidationError)
    assert "line 1 of the file is 48,000 characters long" in error.message
    assert f"{MAX_LINE_CHARS:,}" in error.message


@pytest.mark.parametrize(
    "unit", ["[a](", "[a](b", "[a](<b", "*a ", "**a", "__a", "`a", "[", "*[a](**b`"]
)
def test_markdown_inline_markup_reads_pathological_lines(unit: str) -> None:
    """Link and emphasis openers that never close (which backtracking patterns read in
    quadratic time): the 48 KB line, read directly, keeps every letter it had."""
    line = unit * (48_000 // len(unit))
    [read] = extract_markdown_lines(f"Jane Doe\n{line}")[1:]
    assert sum(map(str.isalnum, read.text)) == sum(map(str.isalnum, line))


def test_markdown_links_and_emphasis_still_read() -> None:
    """The parser that replaced the regexes keeps links, drops marks and undoes escapes."""
    [line] = extract_markdown_lines(
        r"**Site** [me](mailto:me@x.io) [GitHub](https://github.com/jd) \*not\* <https://a.io>"
    )
    assert line.text == "Site me@x.io https://github.com/jd *not* https://a.io"


def test_text_over_the_line_count() -> None:
    """A text file of more lines than any resume: 413 before parsing."""
    error = _refused("cv.txt", b"Jane Doe\n" + b"x\n" * MAX_LINES)
    assert isinstance(error, PayloadTooLarge)
    assert f"{MAX_LINES + 1:,} lines" in error.message


def test_text_over_the_character_count() -> None:
    """More characters than any resume, in lines of allowed length: 413."""
    line = b"word " * (MAX_LINE_CHARS // 5) + b"\n"
    error = _refused("cv.txt", line * (MAX_TEXT_CHARS // MAX_LINE_CHARS + 1))
    assert isinstance(error, PayloadTooLarge)
    assert f"limited to {MAX_TEXT_CHARS:,}" in error.message


def test_docx_zip_bomb_is_refused_from_the_central_directory() -> None:
    """A 3 MB DOCX whose document.xml inflates to 2 GiB: 413 naming the part and its size."""
    error = _refused("cv.docx", hostile.docx_zip_bomb())
    assert isinstance(error, PayloadTooLarge)
    assert "word/document.xml unpacks to 2,145 MB" in error.message
    assert f"{MAX_DOCX_PART_BYTES // 1_000_000} MB" in error.message


def test_docx_of_a_million_empty_paragraphs_is_a_zip_bomb() -> None:
    """1M empty paragraphs (6 MB of XML in 45 KB) compress like nothing a person writes."""
    error = _refused("cv.docx", hostile.docx_empty_paragraphs())
    assert isinstance(error, ValidationError)
    assert "times its packed size (a zip bomb?)" in error.message


def test_docx_over_the_paragraph_count() -> None:
    """Paragraphs that compress normally but number more than any resume: 413, counted
    before python-docx parses them."""
    paragraphs = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % n for n in range(MAX_LINES))
    error = _refused("cv.docx", hostile.docx_with_body(paragraphs + b"<w:tbl><w:tr><w:tc/>"))
    assert isinstance(error, ValidationError | PayloadTooLarge)
    assert f"{MAX_LINES + 1:,} paragraphs and table cells" in error.message


def test_docx_paragraph_count_sees_through_namespace_prefixes() -> None:
    """Renaming the WordprocessingML prefix does not hide paragraphs from the count."""
    namespace = hostile.WORD_NS
    body = b"<x:p><x:r><x:t>Jane Doe</x:t></x:r></x:p>" * (MAX_LINES + 1)
    document = b'<x:document xmlns:x="%s"><x:body>%s</x:body></x:document>' % (namespace, body)
    error = _refused("cv.docx", hostile.docx_with_document(document))
    assert isinstance(error, PayloadTooLarge)


def test_docx_with_too_many_parts() -> None:
    """Thousands of tiny parts: 413 from the directory alone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", hostile.DOCUMENT_START + hostile.DOCUMENT_END)
        for index in range(1_001):
            archive.writestr(f"customXml/item{index}.xml", b"<a/>")
    error = _refused("cv.docx", buffer.getvalue())
    assert isinstance(error, PayloadTooLarge)
    assert "1,002 parts" in error.message


def test_docx_with_corrupt_compressed_data() -> None:
    """A part whose deflate data is garbage: 400 "damaged" while counting its paragraphs."""
    content = bytearray(hostile.docx_with_body(b"<w:p><w:r><w:t>Jane Doe</w:t></w:r></w:p>" * 50))
    part = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo("word/document.xml")
    data_start = part.header_offset + 30 + len(part.filename)
    content[data_start + 5 : data_start + 25] = bytes(20)
    error = _refused("cv.docx", bytes(content))
    assert isinstance(error, ValidationError)
    assert "DOCX file is damaged" in error.message


def test_docx_with_malformed_xml() -> None:
    """document.xml cut off mid-element: 400 naming the XML error, not a 500."""
    error = _refused("cv.docx", hostile.docx_malformed_xml())
    assert isinstance(error, ValidationError)
    assert "DOCX file is damaged" in error.message
    assert "XMLSyntaxError" in error.message


@pytest.mark.parametrize(
    "build",
    [hostile.docx_wide_cell, hostile.docx_tall_merged_cell, hostile.docx_linked_sections],
    ids=["cell spanning 1e8 columns", "cell merged down 3,000 rows", "3,000 linked sections"],
)
def test_docx_structures_that_python_docx_expands_are_read(build: object) -> None:
    """A cell spanning 1e8 columns (python-docx's grid holds 1e8 cells), a cell merged down
    3,000 rows and 3,000 sections sharing one header (python-docx recurses per row or
    section, past Python's stack) import normally."""
    assert callable(build)
    assert import_resume("cv.docx", build()).resume.basics.name.startswith("Jane")


def test_encrypted_word_document() -> None:
    """A password-protected DOCX (an OLE file) says so instead of calling itself old Word."""
    error = _refused("cv.docx", hostile.ole_encrypted_word())
    assert isinstance(error, ValidationError)
    assert "encrypted with a password" in error.message


def test_pdf_flate_bomb_is_refused_before_pdfium_inflates_it() -> None:
    """A 1 MB PDF whose content stream inflates to 1 GiB: 413 from the stream pre-scan."""
    error = _refused("cv.pdf", hostile.pdf_flate_bomb())
    assert isinstance(error, PayloadTooLarge)
    assert "compressed streams unpack to more than 100 MB" in error.message


def test_pdf_flate_stream_under_the_limit_is_read() -> None:
    """A stream that inflates to a few MB is not a bomb: the text before the padding is read."""
    result = import_resume("cv.pdf", hostile.pdf_flate_bomb(8 << 20))
    assert result.resume.basics.name == "Jane Doe"


def test_pdf_of_50000_pages() -> None:
    """50,000 pages (once stored as a 1.35 MB name): 413 naming the page count."""
    error = _refused("cv.pdf", hostile.pdf_pages())
    assert isinstance(error, PayloadTooLarge)
    assert f"50,000 pages; resumes are limited to {MAX_PDF_PAGES}" in error.message


def test_pdf_at_the_page_limit_keeps_a_bounded_name() -> None:
    """Pages that each repeat the name line join into one long line; it is not a name."""
    result = import_resume("cv.pdf", hostile.pdf_pages(MAX_PDF_PAGES))
    assert len(result.resume.basics.name) <= MAX_NAME_CHARS


def test_pdf_whose_page_tree_points_at_itself() -> None:
    """A self-referencing page tree: 400 "damaged", not pdfium's exception as a 500."""
    error = _refused("cv.pdf", hostile.pdf_self_referencing_pages())
    assert isinstance(error, ValidationError)
    assert "PDF file is damaged" in error.message


def test_pdf_page_with_more_text_than_a_resume() -> None:
    """One page drawing 250,000 characters: 413 before its text is copied out."""
    rows = b"0 -1 Td (" + b"x" * 5_000 + b") Tj\n"
    error = _refused("cv.pdf", hostile.pdf_pages(1, b"BT /F1 1 Tf 0 700 Td\n" + rows * 50 + b"ET"))
    assert isinstance(error, PayloadTooLarge)
    assert "characters of text" in error.message
