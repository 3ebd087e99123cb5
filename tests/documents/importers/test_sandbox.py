"""The import sandbox: uploads are read in a worker process that the kernel stops at its CPU and
memory limits and the server stops at its deadline; each breach is the documented error and the
worker is replaced, so the next upload is read as usual.

Breaches are provoked with ``misbehaving_worker.py``: the real worker loop and limits around a
reader that spins, hoards memory, crashes or sleeps when the file name asks it to.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import samples.hostile as hostile
import samples.imports as samples
from finetune.documents.importers import import_resume
from finetune.documents.importers.sandbox import WORKER_COMMAND, ImportSandbox, SandboxLimits
from finetune.errors import PayloadTooLarge, ServiceUnavailable, ValidationError
from samples.resumes import without_ids

MISBEHAVING = (sys.executable, str(Path(__file__).with_name("misbehaving_worker.py")))
MakeSandbox = Callable[..., ImportSandbox]


@pytest.fixture
def make_sandbox() -> Iterator[MakeSandbox]:
    """``make_sandbox(misbehaving=True, cpu_seconds=1, ...)``; every sandbox is closed after."""
    made: list[ImportSandbox] = []

    def make(misbehaving: bool = True, **limits: Any) -> ImportSandbox:
        command = MISBEHAVING if misbehaving else WORKER_COMMAND
        made.append(ImportSandbox(SandboxLimits(**limits), command))
        return made[-1]

    yield make
    for sandbox in made:
        sandbox.close()


def _pid(sandbox: ImportSandbox, kept: int = 0) -> int:
    """The worker's process id; it keeps ``kept`` bytes after answering."""
    result, _ = sandbox.read("pid", str(kept).encode(), None)
    return int(result.notes[0])


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("cv.docx", samples.docx_styled()),
        ("cv.pdf", samples.pdf_two_column()),
        ("cv.md", samples.MARKDOWN.encode()),
        ("cv.txt", samples.TEXT.encode()),
        ("cv.json", json.dumps({"basics": {"name": "Jane Doe"}}).encode()),
    ],
)
def test_worker_reads_as_the_server_process_would(
    make_sandbox: MakeSandbox, filename: str, content: bytes
) -> None:
    """The real worker's answer, carried back as JSON, is the in-process import."""
    result, lines = make_sandbox(misbehaving=False).read(filename, content, None)
    expected = import_resume(filename, content)
    assert without_ids(result.resume.model_dump()) == without_ids(expected.resume.model_dump())
    assert (result.unplaced, result.source_format) == (expected.unplaced, expected.source_format)
    assert bool(lines) == (filename != "cv.json")


def test_worker_errors_keep_their_name_and_message(make_sandbox: MakeSandbox) -> None:
    """A refusal inside the worker reaches the caller as the same error class and message."""
    sandbox = make_sandbox(misbehaving=False)
    with pytest.raises(ValidationError, match="48,000 characters long"):
        sandbox.read("cv.md", hostile.markdown_link_bomb(), "text/markdown")
    with pytest.raises(PayloadTooLarge, match="unpacks to 2,145 MB"):
        sandbox.read("cv.docx", hostile.docx_zip_bomb(), None)


def test_pathological_markdown_within_the_limits_reads_in_linear_time(
    make_sandbox: MakeSandbox,
) -> None:
    """200,000 characters of unclosed links, the most the limits let through, read well within
    a 5 s CPU limit (the backtracking patterns needed about a second per line, 20 s here)."""
    sandbox = make_sandbox(misbehaving=False, cpu_seconds=5)
    lines = "\n".join("[a](" * 2_490 for _ in range(20))
    result, _ = sandbox.read("cv.md", f"Jane Doe\n{lines}".encode(), None)
    assert result.resume.basics.name == "Jane Doe"


def test_cpu_time_limit(make_sandbox: MakeSandbox) -> None:
    """A reader that never stops is ended by the kernel: 413, and a fresh worker reads on."""
    sandbox = make_sandbox(cpu_seconds=1)
    before = _pid(sandbox)
    with pytest.raises(PayloadTooLarge, match="more than the 1 s of CPU time"):
        sandbox.read("spin", b"x", None)
    assert _pid(sandbox) != before


def test_memory_limit_in_python(make_sandbox: MakeSandbox) -> None:
    """Past the address-space limit Python raises MemoryError: 413, and the worker retires."""
    sandbox = make_sandbox(memory_bytes=512 << 20)
    before = _pid(sandbox)
    with pytest.raises(PayloadTooLarge, match="more than the 512 MiB of memory"):
        sandbox.read("hoard", b"x", None)
    assert _pid(sandbox) != before


def test_native_crash_after_using_much_memory(make_sandbox: MakeSandbox) -> None:
    """A worker that dies (as pdfium aborts when out of memory) after using over half its
    memory limit: 413 for memory."""
    sandbox = make_sandbox(memory_bytes=1 << 30)
    with pytest.raises(PayloadTooLarge, match="more than the 1024 MiB of memory"):
        sandbox.read("fat-crash", b"x", None)


def test_crash(make_sandbox: MakeSandbox) -> None:
    """A reader that crashes on a file: 400, and the next upload is read."""
    sandbox = make_sandbox()
    with pytest.raises(ValidationError, match="the reader stopped on it"):
        sandbox.read("crash", b"x", None)
    assert _pid(sandbox) > 0


def test_wall_clock_deadline(make_sandbox: MakeSandbox) -> None:
    """A worker that does not answer in time is killed: 503 with Retry-After, and replaced."""
    sandbox = make_sandbox(wall_seconds=5.0)  # room for a new worker to load on a busy machine
    before = _pid(sandbox)
    with pytest.raises(ServiceUnavailable, match="took longer than 5 s") as caught:
        sandbox.read("sleep", b"x", None)
    assert caught.value.headers["Retry-After"].isdigit()
    assert _pid(sandbox) != before


def test_uploads_beyond_the_queue_are_turned_away(make_sandbox: MakeSandbox) -> None:
    """With its worker busy and no room to wait, the next upload is 503 at once, not queued."""
    sandbox = make_sandbox(wall_seconds=5.0, max_waiting=0)
    _pid(sandbox)  # the worker is up

    def occupy() -> None:
        with pytest.raises(ServiceUnavailable, match="took longer"):
            sandbox.read("sleep", b"x", None)

    busy = threading.Thread(target=occupy)
    busy.start()
    time.sleep(0.5)
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match="busy") as caught:
        sandbox.read("pid", b"0", None)
    assert time.monotonic() - started < 2.5  # turned away, not made to wait out the 5 s
    assert caught.value.headers["Retry-After"].isdigit()
    busy.join()


def test_workers_retire_after_a_number_of_uploads(make_sandbox: MakeSandbox) -> None:
    """A worker reads ``retire_after`` uploads, then a fresh one takes over."""
    sandbox = make_sandbox(retire_after=2)
    first, second, third = (_pid(sandbox) for _ in range(3))
    assert first == second != third


def test_workers_retire_once_they_keep_much_memory(make_sandbox: MakeSandbox) -> None:
    """A worker still holding more than ``retire_above_rss`` after an upload is replaced, so
    memory a parser kept is given back; one below it stays."""
    sandbox = make_sandbox(retire_above_rss=200 << 20)
    first = _pid(sandbox)
    assert _pid(sandbox, kept=1 << 20) == first
    assert _pid(sandbox) == first
    assert _pid(sandbox, kept=250 << 20) == first
    assert _pid(sandbox) != first


def test_a_worker_killed_while_idle_is_replaced_quietly(make_sandbox: MakeSandbox) -> None:
    """A worker ended from outside between uploads does not fail the next upload."""
    sandbox = make_sandbox()
    os.kill(_pid(sandbox), signal.SIGKILL)
    time.sleep(0.2)
    assert _pid(sandbox) > 0


def test_close_stops_the_workers(make_sandbox: MakeSandbox) -> None:
    """Closing the sandbox ends its idle worker processes."""
    sandbox = make_sandbox()
    pid = _pid(sandbox)
    sandbox.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
