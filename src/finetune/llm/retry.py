"""Retries for transient provider failures: exponential backoff with jitter, Retry-After honoured.

The SDKs' own retries are switched off (``max_retries=0``) so this is the only retry loop and its
budget is predictable: ``attempts`` calls, each bounded by the configured timeout.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from finetune.errors import ServiceUnavailable
from finetune.llm.base import TransientProviderError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    base_delay: float = 1.0  # first backoff, doubled per attempt
    max_delay: float = 20.0
    # A provider asking for minutes should not hold one of our requests that long.
    retry_after_cap: float = 30.0
    unavailable_retry_after: int = 30  # what we tell our own client when we give up

    def backoff(self, failures: int, retry_after: float | None) -> float:
        """Seconds to wait after the ``failures``-th failure (1-based)."""
        if retry_after is not None:
            return max(0.0, min(retry_after, self.retry_after_cap))
        ceiling = min(self.max_delay, self.base_delay * 2 ** (failures - 1))
        # Jitter spreads simultaneous retries from many requests so they don't arrive in lockstep.
        return ceiling * random.uniform(0.5, 1.0)


async def call_with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Run ``call``; on TransientProviderError wait and retry, then raise ServiceUnavailable."""
    last: TransientProviderError | None = None
    for failures in range(1, policy.attempts + 1):
        try:
            return await call()
        except TransientProviderError as error:
            last = error
            if failures < policy.attempts:
                await sleep(policy.backoff(failures, error.retry_after))
    assert last is not None  # attempts >= 1, so the loop ran and failed
    wait = last.retry_after if last.retry_after is not None else policy.unavailable_retry_after
    raise ServiceUnavailable(
        f"The LLM provider ({what}) is unavailable after {policy.attempts} attempts: {last}",
        headers={"Retry-After": str(max(1, math.ceil(wait)))},
    ) from last


def parse_retry_after(headers: Mapping[str, str], *, now: datetime | None = None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date), else None."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
