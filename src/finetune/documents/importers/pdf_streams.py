"""How much a PDF's Flate streams unpack to, measured before pdfium opens the file.

pdfium inflates a page's content stream whole before reading its text, so a 1 MB PDF holding
one stream that inflates to 1 GB costs gigabytes. Every ``stream`` keyword in the file is tried
as the start of zlib data and inflated in bounded steps, counting the output and keeping none of
it, until the total passes ``MAX_PDF_INFLATED_BYTES``. Data that is not zlib (images in other
codecs, plain streams) stops at its first bytes. Streams nested in other filters are not
unwrapped here: the import worker's memory limit bounds those.
"""

from __future__ import annotations

import re
import zlib

from finetune.documents.importers.limits import MAX_PDF_INFLATED_BYTES
from finetune.errors import PayloadTooLarge

_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_INPUT_STEP = 1 << 16
_OUTPUT_STEP = 1 << 20


def check_pdf_streams(content: bytes) -> None:
    """Refuse a PDF whose Flate streams unpack to more than ``MAX_PDF_INFLATED_BYTES``."""
    remaining = MAX_PDF_INFLATED_BYTES
    for match in _STREAM_START.finditer(content):
        remaining -= _inflated_size(memoryview(content)[match.end() :], remaining)
        if remaining < 0:
            raise PayloadTooLarge(
                f"the PDF's compressed streams unpack to more than "
                f"{MAX_PDF_INFLATED_BYTES // 1_000_000} MB; a resume PDF holds a few MB"
            )


def _inflated_size(data: memoryview, limit: int) -> int:
    """Bytes the zlib stream at the start of ``data`` inflates to, counting stops past
    ``limit``; 0 when ``data`` does not start with zlib data."""
    inflater = zlib.decompressobj()
    total = 0
    try:
        for start in range(0, len(data), _INPUT_STEP):
            pending: bytes | memoryview = data[start : start + _INPUT_STEP]
            while pending and not inflater.eof:
                total += len(inflater.decompress(pending, _OUTPUT_STEP))
                if total > limit:
                    return total
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # not zlib data, or damaged: pdfium decides what to make of it
    return total
