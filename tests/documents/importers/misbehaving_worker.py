"""An import worker that misbehaves on request, for the sandbox tests: the real worker loop
(``sandbox_worker.serve``, with its resource limits) around a reader that does what the
uploaded file's name asks; any other name is read normally.

Run by the sandbox as ``python misbehaving_worker.py CPU_SECONDS MEMORY_BYTES``.
"""

from __future__ import annotations

import os
import sys
import time

from finetune.documents.importers import ImportResult, read_document
from finetune.documents.importers.lines import Line
from finetune.documents.importers.sandbox_worker import serve
from finetune.documents.schema import ResumeData

Answer = tuple[ImportResult, list[Line]]
KEPT: list[bytes] = []  # memory a reader holds on to after answering


def misbehave(filename: str, content: bytes, content_type: str | None) -> Answer:
    if filename == "spin":  # CPU until the kernel's CPU-time limit stops it
        while True:
            pass
    if filename == "hoard":  # address space until Python's MemoryError
        hoard = [bytearray(1 << 20) for _ in range(1 << 20)]
        return ImportResult(ResumeData(), notes=[str(len(hoard))]), []
    if filename == "fat-crash":  # touch 700 MB, then die the way pdfium does when out of memory
        ballast = b"x" * (700 << 20)
        os.abort()
        return ImportResult(ResumeData(), notes=[str(len(ballast))]), []
    if filename == "crash":
        os.abort()
    if filename == "sleep":  # never answer: only the wall-clock deadline ends this
        time.sleep(3600)
    if filename == "pid":  # answer with this process's id, keeping as many bytes as asked
        KEPT.append(b"x" * int(content or b"0"))
        return ImportResult(ResumeData(), notes=[str(os.getpid())]), []
    return read_document(filename, content, content_type)


if __name__ == "__main__":
    serve(misbehave, int(sys.argv[1]), int(sys.argv[2]))
