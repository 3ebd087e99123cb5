from datetime import UTC, datetime

import pytest

from finetune.errors import ServiceUnavailable
from finetune.llm.base import TransientProviderError
from finetune.llm.retry import RetryPolicy, call_with_retries, parse_retry_after


def test_backoff_grows_exponentially_with_jitter_and_cap() -> None:
    """Delays double per failure, stay within [half, full] of the ceiling, and are capped."""
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0)
    for failures, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (9, 5.0)]:
        delay = policy.backoff(failures, None)
        assert ceiling / 2 <= delay <= ceiling


def test_retry_after_is_honoured_but_capped() -> None:
    """A provider's Retry-After replaces the backoff, bounded by retry_after_cap."""
    policy = RetryPolicy(retry_after_cap=10.0)
    assert policy.backoff(1, 3.0) == 3.0
    assert policy.backoff(1, 600.0) == 10.0


def test_parse_retry_after_forms() -> None:
    """Seconds, milliseconds and HTTP dates are understood; garbage is ignored."""
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    http_date = {"retry-after": "Wed, 01 Jan 2025 12:00:30 GMT"}
    assert parse_retry_after(http_date, now=now) == 30.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


async def test_transient_errors_are_retried_then_succeed() -> None:
    """Two transient failures followed by success return the value after two sleeps."""
    outcomes: list[object] = [TransientProviderError("boom"), TransientProviderError("boom"), 42]
    sleeps: list[float] = []

    async def call() -> int:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        assert isinstance(outcome, int)
        return outcome

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    result = await call_with_retries(call, RetryPolicy(attempts=3), what="t", sleep=fake_sleep)
    assert result == 42
    assert len(sleeps) == 2


async def test_persistent_failure_becomes_service_unavailable_with_retry_after() -> None:
    """After the last attempt the error is ServiceUnavailable carrying the provider's wait."""
    calls = 0

    async def call() -> int:
        nonlocal calls
        calls += 1
        raise TransientProviderError("HTTP 503", retry_after=12.2)

    async def fake_sleep(seconds: float) -> None:
        return None

    with pytest.raises(ServiceUnavailable) as caught:
        await call_with_retries(call, RetryPolicy(attempts=3), what="t", sleep=fake_sleep)
    assert calls == 3
    assert caught.value.headers == {"Retry-After": "13"}
    assert caught.value.status == 503
