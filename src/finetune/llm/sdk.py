"""What the providers built on the official SDKs share: a client per event loop, and one mapping
of HTTP failures onto our exceptions (both SDKs come from the same generator, so their errors carry
the same status, message and headers).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from finetune.llm.base import (
    ProviderRejected,
    Rung,
    RungRejected,
    TransientProviderError,
    short,
)
from finetune.llm.retry import parse_retry_after

ClientT = TypeVar("ClientT")


class PerLoopClient(Generic[ClientT]):
    """One client (and connection pool) per event loop: pooled connections are loop-bound."""

    def __init__(self, make: Callable[[], ClientT]) -> None:
        self._make = make
        self._client: ClientT | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> ClientT:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = self._make()
            self._loop = loop
        return self._client


def transport_failure(error: Exception, *, timed_out: bool) -> TransientProviderError:
    """A timeout or a failed connection: always worth another attempt."""
    if timed_out:
        return TransientProviderError("the request timed out")
    return TransientProviderError(f"connection failed: {short(error)}")


def status_failure(
    status: int, message: object, headers: Mapping[str, str], rung: Rung
) -> Exception:
    """An HTTP error status: transient (retry), refused for this rung (step down), or permanent."""
    detail = f"HTTP {status}: {short(message)}"
    if status in (408, 409, 429) or status >= 500:
        return TransientProviderError(detail, retry_after=parse_retry_after(headers))
    if status in (400, 422) and rung is not Rung.prompt:
        return RungRejected(detail)
    return ProviderRejected(detail)
