"""When to retry a failed request, and how long to wait first.

Retried: no answer at all (connection refused or broken, timeout), ``rate_limit_exceeded``,
``idempotency_key_in_use``, ``internal_server_error``, ``service_unavailable`` and other 5xx.
Never: ``credit_limit_exceeded`` (more credits only come with the next billing cycle) and every
other 4xx, which would fail the same way again. POSTs carry an Idempotency-Key, so a retry of a
request the server did finish replays its answer instead of charging twice.

The wait is what the server asks for (``Retry-After``, else ``ratelimit-reset``) plus a little
jitter, or else exponential backoff with jitter; either way bounded by the number of attempts and
the total time a call may take.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from finetune.client.errors import (
    APIConnectionError,
    APIError,
    CreditLimitExceeded,
    FinetuneClientError,
)
from finetune.llm.retry import parse_retry_after

_RETRIED_NAMES = frozenset(
    {
        "rate_limit_exceeded",
        "idempotency_key_in_use",
        "internal_server_error",
        "service_unavailable",
    }
)


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` includes the first request; ``max_elapsed`` (seconds) bounds the whole
    call, waits included: a wait that would end past it is not taken and the error is raised."""

    max_attempts: int = 4
    max_elapsed: float = 90.0  # room for one wait until a one-minute rate-limit window resets
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.5  # at most this many seconds added to a wait the server asked for

    @classmethod
    def disabled(cls) -> RetryPolicy:
        return cls(max_attempts=1)

    def delay(
        self,
        error: FinetuneClientError,
        attempt: int,
        elapsed: float,
        *,
        now: Callable[[], float] = time.time,
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or ``None`` to give up and raise."""
        if attempt >= self.max_attempts or not is_retryable(error):
            return None
        asked = server_wait(error, now()) if isinstance(error, APIError) else None
        if asked is not None:
            wait = asked + random.uniform(0, self.jitter)
        else:
            ceiling = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
            # Jitter keeps many clients that failed together from retrying in lockstep.
            wait = ceiling * random.uniform(0.5, 1.0)
        if elapsed + wait > self.max_elapsed:
            return None
        return wait


def is_retryable(error: FinetuneClientError) -> bool:
    if isinstance(error, APIConnectionError):
        return True
    if not isinstance(error, APIError) or isinstance(error, CreditLimitExceeded):
        return False
    return error.name in _RETRIED_NAMES or error.status >= 500


def server_wait(error: APIError, now: float) -> float | None:
    """Seconds the server asked to wait: ``Retry-After``, else until ``ratelimit-reset``."""
    retry_after = parse_retry_after(error.headers)
    if retry_after is not None:
        return retry_after
    if error.status == 429:
        try:
            reset = float(error.headers["ratelimit-reset"])
        except (KeyError, ValueError):
            return None
        return max(0.0, reset - now)
    return None


@dataclass(frozen=True)
class RetryEvent:
    """Told to an ``on_retry`` callback before each wait (the CLI shows it)."""

    error: FinetuneClientError
    attempt: int  # the attempt that failed, 1-based
    delay: float  # seconds until the next one


class Retrying:
    """The retry budget of one call: each failure either yields a wait or re-raises."""

    def __init__(
        self, policy: RetryPolicy, on_retry: Callable[[RetryEvent], None] | None = None
    ) -> None:
        self._policy = policy
        self._on_retry = on_retry
        self._started = time.monotonic()
        self._attempt = 0

    def wait_after(self, error: FinetuneClientError) -> float:
        """Seconds to wait before trying again; raises ``error`` when the budget is spent."""
        self._attempt += 1
        delay = self._policy.delay(error, self._attempt, time.monotonic() - self._started)
        if delay is None:
            raise error
        if self._on_retry is not None:
            self._on_retry(RetryEvent(error, self._attempt, delay))
        return delay


def connection_error(exc: httpx.TransportError) -> APIConnectionError:
    """A transport failure as the client's error, naming the request it broke."""
    try:
        where = f"{exc.request.method} {exc.request.url}"
    except RuntimeError:  # an error raised before the request was bound
        where = "request"
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    error = APIConnectionError(f"{where} {kind}: {str(exc) or type(exc).__name__}")
    error.__cause__ = exc
    return error
