"""Hostile upload files, built the way an attacker would build them: small on the wire, costly
to read. Used by the import-limit tests and ``bench/hostile_uploads.py``.

The bombs are made without inflating anything here: a block is deflated once from an empty
history and its compressed form repeated (a copy never refers back past its own start, so the
copies decode one after another), which builds a 2 GB document in well under a second.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

import docx

from samples.pdf_objects import pdf_from_objects, stream_object

WORD_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="%s"><w:body>' % WORD_NS
)
DOCUMENT_END = b"</w:body></w:document>"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_NAME_LINE = b"BT /F1 12 Tf 72 720 Td (Jane Doe) Tj ET\n"


def markdown_link_bomb(repeats: int = 12_000) -> bytes:
    """One line of ``[a](`` repeated: 48 KB that backtracking link patterns read in O(n²)."""
    return b"[a](" * repeats


@functools.cache
def docx_zip_bomb(unpacked: int = 2 << 30) -> bytes:
    """A Word document whose ``document.xml`` inflates to ``unpacked`` bytes of empty
    paragraphs (2 GiB by default) from about 2 MB."""
    block = b"<w:p/>" * (1 << 20)  # 6 MiB
    body = [(DOCUMENT_START, 1), (block, unpacked // len(block)), (DOCUMENT_END, 1)]
    members = {name: [(data, 1)] for name, data in _template_parts().items()}
    members["word/document.xml"] = body
    return _zip_of_deflated({name: _deflate(parts) for name, parts in members.items()})


def docx_with_body(body: bytes) -> bytes:
    """A valid Word package whose ``document.xml`` body is ``body``."""
    return docx_with_document(DOCUMENT_START + body + DOCUMENT_END)


def docx_with_document(document_xml: bytes) -> bytes:
    """A Word package (python-docx's default parts) with ``document.xml`` replaced as given,
    well-formed or not."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _template_parts().items():
            archive.writestr(name, document_xml if name == "word/document.xml" else data)
    return out.getvalue()


def docx_empty_paragraphs(count: int = 1_000_000) -> bytes:
    """A million empty paragraphs: 6 MB of XML in a 10 KB file."""
    return docx_with_body(b"<w:p/>" * count)


def docx_malformed_xml() -> bytes:
    """A Word package whose ``document.xml`` is cut off mid-element."""
    return docx_with_document(DOCUMENT_START + b"<w:p><w:r><w:t>Jane Doe</w:t></w:r>")


def docx_wide_cell(span: int = 100_000_000) -> bytes:
    """A table cell declared to span a hundred million grid columns."""
    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="%d"/></w:tcPr>%s</w:tc>' % (span, _paragraph(b"Jane"))
    return docx_with_body(b"<w:tbl><w:tr>%s</w:tr></w:tbl>" % cell)


def docx_tall_merged_cell(rows: int = 3_000) -> bytes:
    """A table cell merged down ``rows`` rows (each continuing row refers to the one above)."""
    first = b'<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>%s</w:tc></w:tr>' % (
        _paragraph(b"Jane Doe")
    )
    rest = b"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>" * (rows - 1)
    return docx_with_body(b"<w:tbl>%s%s</w:tbl>" % (first, rest))


def docx_linked_sections(count: int = 3_000) -> bytes:
    """``count`` sections, each showing the page header of the section before it."""
    section_break = b"<w:p><w:pPr><w:sectPr/></w:pPr></w:p>"
    return docx_with_body(_paragraph(b"Jane Doe") + section_break * count)


@functools.cache
def pdf_flate_bomb(unpacked: int = 1 << 30) -> bytes:
    """A one-page PDF whose content stream inflates to ``unpacked`` bytes (1 GiB by default)
    of spaces after a line of text, from about 1 MB."""
    block = b" " * (1 << 20)
    raw = _deflate([(_NAME_LINE, 1), (block, unpacked // len(block))])
    adler = 1
    for data, copies in ((_NAME_LINE, 1), (block, unpacked // len(block))):
        for _ in range(copies):
            adler = zlib.adler32(data, adler)
    stream = b"\x78\xda" + raw.data + struct.pack(">I", adler)
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 /MediaBox [0 0 612 792] >>",
            _FONT,
            b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>",
            stream_object(stream, b"/Filter /FlateDecode "),
        ]
    )


def pdf_pages(count: int = 50_000, line: bytes = _NAME_LINE) -> bytes:
    """``count`` pages that all show the same line: about 4.5 MB for 50,000 pages. Each page's
    line continues the one before it, so a reader that joins them gets one enormous line."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> >>" % (kids, count),
        _FONT,
        stream_object(line),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"] * count
    return pdf_from_objects(objects)


def pdf_self_referencing_pages() -> bytes:
    """A page tree whose root lists itself among its kids."""
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /MediaBox [0 0 612 792] >>",
            b"<< /Type /Page /Parent 2 0 R >>",
        ]
    )


def ole_encrypted_word() -> bytes:
    """The start of a password-protected Word file: an OLE compound file naming the
    ``EncryptedPackage`` stream in its directory."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + "EncryptedPackage".encode("utf-16-le") + bytes(512)


def _paragraph(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % text


@functools.cache
def _template_parts() -> dict[str, bytes]:
    out = io.BytesIO()
    docx.Document().save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class _Deflated:
    def __init__(self, data: bytes, crc: int, size: int) -> None:
        self.data, self.crc, self.size = data, crc, size


def _deflate(parts: list[tuple[bytes, int]]) -> _Deflated:
    """Raw deflate data for each part's bytes repeated its count, one after another."""
    chunks, crc, size = [], 0, 0
    for data, copies in parts:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        chunks.append((compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)) * copies)
        for _ in range(copies):
            crc = zlib.crc32(data, crc)
        size += len(data) * copies
    chunks.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush())  # the final, empty block
    return _Deflated(b"".join(chunks), crc, size)


def _zip_of_deflated(members: dict[str, _Deflated]) -> bytes:
    """A ZIP archive of already deflated members (``zipfile`` can only deflate itself)."""
    out, directory = bytearray(), bytearray()
    for name, member in members.items():
        offset, encoded = len(out), name.encode()
        # method deflate, time 0, date 1980-01-01, CRC, packed size, size, name length
        fields = (8, 0, 0x21, member.crc, len(member.data), member.size, len(encoded))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *fields, 0) + encoded + member.data
        central = (0x02014B50, 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", *central) + encoded
    count = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)
