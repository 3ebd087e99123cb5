"""Read uploaded files in a separate, resource-limited process, so that no single upload can
stall the server or make it grow.

The limits in ``limits`` refuse what a check can see before parsing; this is the backstop for
what it cannot (a parser's own worst case, a native library crashing). Each server process
keeps ``workers`` warm worker processes (``sandbox_worker``, one by default), started ahead of
the first upload and reused across uploads, so a normal import only adds a round trip over a
pipe. A worker runs under an address-space limit and a per-upload CPU-time limit set by the
kernel, and the server gives it a wall-clock deadline. A worker that breaches one is killed and
replaced and the upload is refused: 413 for CPU time or memory, 503 (with ``Retry-After``) for
the wall clock, which only an overloaded machine reaches; a worker that crashes on a file is a
400. Workers are also replaced after ``retire_after`` uploads or once their resident memory
after an upload passes ``retire_above_rss``, so memory a parser kept is given back. At most
``max_waiting`` uploads queue for a busy worker; more are refused with 503 rather than piling
up threads.

``read`` blocks: async callers run it in a worker thread.
"""

from __future__ import annotations

import atexit
import functools
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, cast

from finetune.documents.importers import ImportResult
from finetune.documents.importers.lines import Line, LineKind
from finetune.documents.importers.sandbox_worker import (
    HEADER_BYTES,
    MAX_ANSWER_BYTES,
    encode_message,
    message_length,
    out_of_memory,
    peak_rss_bytes,
)
from finetune.documents.schema import ResumeData
from finetune.errors import (
    FinetuneError,
    PayloadTooLarge,
    ServiceUnavailable,
    ValidationError,
)

_log = logging.getLogger(__name__)
WORKER_COMMAND = (sys.executable, "-m", "finetune.documents.importers.sandbox_worker")
_ERRORS: dict[str, type[FinetuneError]] = {
    ValidationError.name: ValidationError,
    PayloadTooLarge.name: PayloadTooLarge,
}


@dataclass(frozen=True)
class SandboxLimits:
    cpu_seconds: int = 10  # per upload; a one-page resume needs about 0.05 s
    memory_bytes: int = 1 << 30  # address space of a worker; idle, it maps about 150 MB
    wall_seconds: float = 30.0  # per upload, and the longest an upload waits for a worker
    workers: int = 1  # per server process
    max_waiting: int = 8  # uploads queued for a busy worker beyond those running
    retire_after: int = 200  # uploads per worker process
    retire_above_rss: int = 300 << 20  # resident memory after an upload that retires a worker


class _Overdue(Exception):
    """The worker did not answer before the deadline."""


class _Gone(Exception):
    """The worker's pipes closed: it exited or was killed."""


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self, command: tuple[str, ...], limits: SandboxLimits) -> None:
        args = [*command, str(limits.cpu_seconds), str(limits.memory_bytes)]
        # The peak RSS the process starts with (this one's: see peak_rss_bytes); only a higher
        # peak at its end is its own.
        self._inherited_peak = peak_rss_bytes()
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdin is not None and self.process.stdout is not None
        self._to = self.process.stdin.fileno()
        self._from = self.process.stdout.fileno()
        os.set_blocking(self._to, False)
        os.set_blocking(self._from, False)
        self.uploads = 0

    def alive(self) -> bool:
        return self.process.poll() is None

    def exchange(self, messages: list[bytes], deadline: float) -> dict[str, Any]:
        """Send the request, wait for the answer; _Overdue or _Gone when there is none."""
        for message in messages:
            self._write(encode_message(message), deadline)
        length = message_length(self._read(HEADER_BYTES, deadline))
        if length > MAX_ANSWER_BYTES:
            raise _Gone(f"answer of {length} bytes")
        try:
            answer: dict[str, Any] = json.loads(self._read(length, deadline))
        except ValueError as exc:
            raise _Gone("an unreadable answer") from exc
        return answer

    def stop(self) -> tuple[int, int]:
        """Kill and reap the process: (its exit code, negative for a signal; its own peak RSS
        in bytes, 0 when unknown: no higher than the peak it started with)."""
        peak_rss = 0
        if self.process.returncode is None:
            # os.kill and os.wait4 rather than Popen's kill and wait: Popen.kill reaps an
            # exited process first, and wait4 also tells how much memory the process used.
            os.kill(self.process.pid, signal.SIGKILL)
            _, status, usage = os.wait4(self.process.pid, 0)
            self.process.returncode = os.waitstatus_to_exitcode(status)
            if usage.ru_maxrss * 1024 > self._inherited_peak:  # Linux reports KiB
                peak_rss = usage.ru_maxrss * 1024
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        return self.process.returncode, peak_rss

    def _write(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            _wait_for(self._to, select.POLLOUT, deadline)
            try:
                view = view[os.write(self._to, view) :]
            except BlockingIOError:
                continue
            except (BrokenPipeError, ConnectionResetError) as exc:
                raise _Gone("its input closed") from exc

    def _read(self, size: int, deadline: float) -> bytes:
        chunks: list[bytes] = []
        while size:
            _wait_for(self._from, select.POLLIN, deadline)
            try:
                chunk = os.read(self._from, min(size, 1 << 20))
            except BlockingIOError:
                continue
            if not chunk:
                raise _Gone("its output closed")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)


def _wait_for(fd: int, event: int, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Overdue
    poller = select.poll()
    poller.register(fd, event)
    if not poller.poll(remaining * 1000):
        raise _Overdue


class ImportSandbox:
    """A small pool of import worker processes; ``read`` is ``read_document`` run in one."""

    def __init__(
        self, limits: SandboxLimits | None = None, command: tuple[str, ...] = WORKER_COMMAND
    ) -> None:
        self.limits = limits or SandboxLimits()
        self._command = command
        self._lock = threading.Lock()  # guards the four fields below
        self._idle: list[_Worker] = []
        self._busy = 0  # workers reading an upload now
        self._inside = 0  # uploads reading or waiting for a worker
        self._closed = False
        self._slots = threading.BoundedSemaphore(self.limits.workers)

    def start(self) -> None:
        """Start the workers now, so the first upload does not wait for one to load."""
        with self._lock:
            while not self._closed and len(self._idle) + self._busy < self.limits.workers:
                self._idle.append(self._spawn())

    def close(self) -> None:
        """Stop the idle workers now and each busy one when its upload ends."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def read(
        self, filename: str, content: bytes, content_type: str | None
    ) -> tuple[ImportResult, list[Line]]:
        """Read ``content`` as ``read_document`` would, in a worker process."""
        header = json.dumps({"filename": filename, "content_type": content_type}).encode()
        with self._slot():
            worker = self._take()
            deadline = time.monotonic() + self.limits.wall_seconds
            try:
                answer = worker.exchange([header, content], deadline)
            except _Overdue:
                self._release(worker, replace=True)
                raise ServiceUnavailable(
                    f"reading the file took longer than {self.limits.wall_seconds:.0f} s: the "
                    "server is busy, try again shortly",
                    headers={"Retry-After": "10"},
                ) from None
            except _Gone as gone:
                ended = self._release(worker, replace=True)
                raise self._breach(ended, filename, str(gone)) from None
            worker.uploads += 1
            self._release(worker, replace=self._due_to_retire(worker, answer))
        return _decode(answer)

    @contextmanager
    def _slot(self) -> Iterator[None]:
        with self._lock:
            if self._inside >= self.limits.workers + self.limits.max_waiting:
                raise _busy()
            self._inside += 1
        try:
            if not self._slots.acquire(timeout=self.limits.wall_seconds):
                raise _busy()
            try:
                yield
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._inside -= 1

    def _take(self) -> _Worker:
        with self._lock:
            self._busy += 1
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.stop()  # died while idle (killed from outside): not this upload's fault
            try:
                return self._spawn()
            except ServiceUnavailable:
                self._busy -= 1
                raise

    def _due_to_retire(self, worker: _Worker, answer: dict[str, Any]) -> bool:
        return bool(
            answer.get("retire")
            or worker.uploads >= self.limits.retire_after
            or answer.get("rss", 0) > self.limits.retire_above_rss
        )

    def _release(self, worker: _Worker, *, replace: bool) -> tuple[int, int]:
        """Return ``worker`` to the idle list, or stop it and start a warm successor (none
        once closed); the stopped worker's (exit code, peak RSS), zeros when kept."""
        ended = worker.stop() if replace or self._closed else (0, 0)
        with self._lock:
            self._busy -= 1
            if self._closed:
                return ended
            if not replace:
                self._idle.append(worker)
            else:
                with suppress(ServiceUnavailable):  # logged; the next upload tries again
                    self._idle.append(self._spawn())
        return ended

    def _spawn(self) -> _Worker:
        try:
            return _Worker(self._command, self.limits)
        except OSError as exc:  # no processes or memory left to start one
            _log.error("cannot start an import worker: %s", exc)
            raise ServiceUnavailable(
                "the server cannot read uploads right now: try again shortly",
                headers={"Retry-After": "30"},
            ) from exc

    def _breach(self, ended: tuple[int, int], filename: str, how: str) -> FinetuneError:
        code, peak_rss = ended
        _log.warning(
            "import worker stopped reading %r (%s, exit %s, peak %d MiB)",
            filename,
            how,
            code,
            peak_rss >> 20,
        )
        if code == -signal.SIGXCPU:
            return PayloadTooLarge(
                f"reading the file needs more than the {self.limits.cpu_seconds} s of CPU time "
                "an import may use"
            )
        if peak_rss >= self.limits.memory_bytes // 2:
            return out_of_memory(self.limits.memory_bytes)
        return ValidationError("the file could not be read: the reader stopped on it (damaged?)")


def _busy() -> ServiceUnavailable:
    return ServiceUnavailable(
        "every import worker is busy: try the upload again in a few seconds",
        headers={"Retry-After": "5"},
    )


def _decode(answer: dict[str, Any]) -> tuple[ImportResult, list[Line]]:
    """The worker's answer as ``read_document``'s result, or its error raised."""
    if "error" in answer:
        error = answer["error"]
        raise _ERRORS.get(error["name"], ValidationError)(str(error["message"]))
    result = answer["result"]
    imported = ImportResult(
        ResumeData.model_validate(result["resume"]),
        [str(text) for text in result["unplaced"]],
        str(result["source_format"]),
        [str(note) for note in result["notes"]],
    )
    lines = [
        Line(str(text), cast(LineKind, kind), int(level), bold)
        for text, kind, level, bold in answer["lines"]
    ]
    return imported, lines


@functools.cache
def shared_sandbox() -> ImportSandbox:
    """This process's sandbox, made on first use and stopped when the process exits. Each
    ``finetune serve --workers N`` process has its own."""
    sandbox = ImportSandbox()
    atexit.register(sandbox.close)
    return sandbox
