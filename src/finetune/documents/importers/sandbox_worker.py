"""The import worker process, and the messages it exchanges with the server (``sandbox``).

Run as ``python -m finetune.documents.importers.sandbox_worker CPU_SECONDS MEMORY_BYTES``. It
caps its own address space, then reads requests from stdin and answers on the pipe that was its
stdout, until stdin closes. Before each request it allows itself ``CPU_SECONDS`` more CPU time
(the kernel ends it with SIGXCPU past that). Anything a library prints goes to stderr, so it
cannot corrupt the answers.

Every message is a 4-byte big-endian length and that many bytes. A request is a JSON header
(``filename``, ``content_type``) followed by the file's bytes. An answer is one JSON document:
the import result, or an error's name, status and message. Answers are JSON, not pickle,
because the worker is the process that reads hostile files: whatever happens inside it, the
server only ever parses JSON from it.
"""

from __future__ import annotations

import json
import math
import os
import resource
import struct
import sys
from typing import Any, BinaryIO

from finetune.documents.importers import Reader, read_document
from finetune.errors import FinetuneError, PayloadTooLarge

_LENGTH = struct.Struct(">I")
HEADER_BYTES = _LENGTH.size
MAX_ANSWER_BYTES = 64 << 20


def encode_message(payload: bytes) -> bytes:
    return _LENGTH.pack(len(payload)) + payload


def read_message(stream: BinaryIO) -> bytes | None:
    """One message from a blocking stream; None at end of input."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    payload = stream.read(length)
    return payload if len(payload) == length else None


def message_length(header: bytes) -> int:
    return int(_LENGTH.unpack(header)[0])


def out_of_memory(memory_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"reading the file needs more than the {memory_bytes >> 20} MiB of memory an import may use"
    )


def peak_rss_bytes() -> int:
    """This process's peak resident memory as ``getrusage`` reports it. On Linux the figure
    survives ``execve``: a fresh process starts with its parent's peak."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def resident_bytes() -> int:
    """Resident memory now (Linux ``/proc``; 0 where there is none)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_resources(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file behind
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError) as exc:  # macOS refuses it; Linux, where we deploy, does not
        print(f"import worker: no memory limit on this system ({exc})", file=sys.stderr)


def _allow_cpu(seconds: int) -> None:
    """Let this process use ``seconds`` more CPU time from now (the soft limit only: the hard
    limit cannot be raised again once lowered)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (used + seconds, hard))


def _answer(
    read: Reader, request: dict[str, Any], content: bytes, memory_bytes: int
) -> dict[str, Any]:
    try:
        result, lines = read(request["filename"], content, request["content_type"])
    except FinetuneError as error:
        return {"error": error.to_dict()}
    except MemoryError:
        # The heap may be left in pieces: answer, then let a fresh worker take over.
        return {"error": out_of_memory(memory_bytes).to_dict(), "retire": True}
    return {
        "result": {
            "resume": result.resume.model_dump(mode="json"),
            "unplaced": result.unplaced,
            "source_format": result.source_format,
            "notes": result.notes,
        },
        "lines": [[line.text, line.kind, line.level, line.bold] for line in lines],
    }


def serve(read: Reader, cpu_seconds: int, memory_bytes: int) -> None:
    """Answer requests with ``read`` until stdin closes."""
    _limit_resources(memory_bytes)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    while (header := read_message(requests)) is not None:
        content = read_message(requests)
        if content is None:
            return
        _allow_cpu(cpu_seconds)
        answer = _answer(read, json.loads(header), content, memory_bytes)
        answer["rss"] = resident_bytes()  # what the reader kept, once it is done
        answers.write(encode_message(json.dumps(answer).encode()))
        answers.flush()
        if answer.get("retire"):
            return


if __name__ == "__main__":
    serve(read_document, int(sys.argv[1]), int(sys.argv[2]))
