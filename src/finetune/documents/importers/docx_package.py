"""A DOCX package checked from its ZIP central directory before python-docx opens it.

python-docx reads every part into memory and lxml parses every XML part, so a 2 MB file whose
``document.xml`` inflates to 2 GB, or that holds a million empty paragraphs, costs the reader
gigabytes or minutes. The central directory lists each part's packed and unpacked size, and
``zipfile`` never inflates more than that declared size (a part that does is a CRC error), so
the sizes can be trusted: parts, unpacked bytes and compression ratio are checked from the
directory alone, then the XML parts are inflated once, in chunks and within those bounds, to
count paragraphs and table cells.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from finetune.documents.importers.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_DOCX_PART_BYTES,
    MAX_DOCX_PARTS,
    MAX_DOCX_UNPACKED_BYTES,
    MAX_LINES,
    MIN_BOMB_BYTES,
    too_many_lines,
)
from finetune.errors import PayloadTooLarge, ValidationError

# A paragraph or table-cell start tag under any namespace prefix: <w:p>, <x:p …>, <tc/>.
# Never </w:p>, <w:pPr> or <w:tcPr>. A match holds no "<" but its first.
_BLOCK_TAG = re.compile(rb"<(?:[^\s<>/:]+:)?(?:p|tc)[\s/>]")
_CHUNK = 1 << 20
_MB = 1_000_000


def check_docx_package(content: bytes) -> None:
    """Refuse a DOCX whose parts would take more than an import may spend to read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            _check_directory(parts)
            blocks = sum(_count_blocks(archive, part) for part in parts if _is_xml(part))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as exc:
        raise ValidationError(f"the DOCX file is damaged and cannot be read ({exc})") from exc
    except NotImplementedError as exc:  # a compression method zipfile does not know
        raise ValidationError(f"the DOCX file cannot be read ({exc})") from exc
    if blocks > MAX_LINES:
        raise too_many_lines(blocks, "paragraphs and table cells")


def _check_directory(parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_DOCX_PARTS:
        raise PayloadTooLarge(
            f"the DOCX file has {len(parts):,} parts; a Word document has a few dozen "
            f"(at most {MAX_DOCX_PARTS:,} are read)"
        )
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_DOCX_PART_BYTES:
            raise PayloadTooLarge(
                f"the DOCX part {part.filename} unpacks to {part.file_size / _MB:,.0f} MB; "
                f"each part is limited to {MAX_DOCX_PART_BYTES // _MB} MB"
            )
        ratio = part.file_size / max(1, part.compress_size)
        if part.file_size > MIN_BOMB_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ValidationError(
                f"the DOCX part {part.filename} unpacks to {ratio:,.0f} times its packed size "
                f"(a zip bomb?); Word documents compress less than {MAX_COMPRESSION_RATIO} times"
            )
    if total > MAX_DOCX_UNPACKED_BYTES:
        raise PayloadTooLarge(
            f"the DOCX file unpacks to {total / _MB:,.0f} MB; documents are limited to "
            f"{MAX_DOCX_UNPACKED_BYTES // _MB} MB unpacked"
        )


def _is_xml(part: zipfile.ZipInfo) -> bool:
    return part.filename.lower().endswith(".xml")


def _count_blocks(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """Paragraph and table-cell start tags in one XML part, inflated in chunks. Each chunk's
    text from its last "<" on is carried into the next, so a tag cut by a chunk boundary is
    counted whole, once."""
    count, pending = 0, b""
    with archive.open(part) as stream:
        while count <= MAX_LINES and (chunk := stream.read(_CHUNK)):
            data = pending + chunk
            cut = data.rfind(b"<")
            cut = len(data) if cut < 0 else cut
            count += len(_BLOCK_TAG.findall(data, 0, cut))
            pending = data[cut:]
    return count + len(_BLOCK_TAG.findall(pending))
