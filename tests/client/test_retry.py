"""Retries: which failures are retried, how long the client waits, and that a call's retries
share one Idempotency-Key. A scripted fake transport answers, so every branch is exercised."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from finetune.client import (
    APIConnectionError,
    AsyncFinetune,
    CreditLimitExceeded,
    Finetune,
    IdempotencyKeyInUse,
    InternalServerError,
    RateLimitExceeded,
    RetryEvent,
    RetryPolicy,
    ServiceUnavailable,
    UnexpectedResponse,
    ValidationError,
)
from finetune.client.errors import APIError, error_from_response
from ports import free_port

FAST = RetryPolicy(max_attempts=4, max_elapsed=10, backoff_base=0.001, jitter=0)
JOB = "A job description long enough to pass the fifty character minimum, for tests."


def _error(status: int, name: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"object": "error", "name": name, "message": f"{name} happened", "status": status}
    return httpx.Response(status, json=body, headers=headers)


class Script:
    """Answers requests in order from a list; records each request it saw."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self, policy: RetryPolicy = FAST, **options: Any) -> Finetune:
        http = httpx.Client(transport=httpx.MockTransport(self))
        return Finetune(
            "ft_test_k", "http://finetune.test", retry=policy, http_client=http, **options
        )


def _generated() -> dict[str, Any]:
    return {
        "object": "resume",
        "id": "res_1",
        "livemode": False,
        "company_name": "C",
        "position": "P",
        "finetune_level": "good",
        "ats_score": 80,
        "ats_score_before": 60,
        "pdf_url": None,
        "created_at": "2026-02-21T10:30:00Z",
        "resume_data": {"basics": {}, "sections": {}},
        "keywords": {"matched": ["Python"], "missing": []},
        "ats_breakdown": {"score": 80, "components": [], "terms": []},
        "ats_breakdown_before": {"score": 60, "components": [], "terms": []},
        "changes": [],
        "warnings": [],
        "usage": {"model": "finetune-local"},
        "credits_remaining": 42,
    }


@pytest.mark.parametrize(
    "failure",
    [
        _error(429, "rate_limit_exceeded", {"Retry-After": "0"}),
        _error(409, "idempotency_key_in_use", {"Retry-After": "0"}),
        _error(500, "internal_server_error"),
        _error(503, "service_unavailable", {"Retry-After": "0"}),
        httpx.Response(502, text="<html>bad gateway</html>"),
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("timed out"),
    ],
    ids=["429", "409", "500", "503", "502-html", "connect", "timeout"],
)
def test_transient_failures_are_retried_with_the_same_idempotency_key(
    failure: httpx.Response | Exception,
) -> None:
    """generate survives one transient failure; both attempts carry one Idempotency-Key."""
    script = Script(failure, httpx.Response(200, json=_generated()))
    events: list[RetryEvent] = []
    with script.client(on_retry=events.append) as client:
        resume = client.resumes.generate(job_description=JOB, company_name="C", position="P")
    assert resume.id == "res_1" and resume.keywords.matched == ["Python"]
    keys = {request.headers["Idempotency-Key"] for request in script.requests}
    assert len(script.requests) == 2 and len(keys) == 1
    assert [event.attempt for event in events] == [1]


def test_an_explicit_idempotency_key_is_sent_as_given() -> None:
    """A caller's own key (e.g. an order number) goes out unchanged, with the documented body."""
    script = Script(httpx.Response(200, json=_generated()))
    with script.client() as client:
        client.resumes.generate(
            job_description=JOB, company_name="C", position="P", idempotency_key="order-17"
        )
    assert script.requests[0].headers["Idempotency-Key"] == "order-17"
    assert json.loads(script.requests[0].content)["finetune_level"] == "good"


@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (_error(429, "credit_limit_exceeded", {"Retry-After": "0"}), CreditLimitExceeded),
        (_error(400, "validation_error"), ValidationError),
        (_error(404, "not_found"), APIError),
    ],
    ids=["credit-limit", "validation", "not-found"],
)
def test_final_answers_are_raised_without_a_retry(
    failure: httpx.Response, raised: type[APIError]
) -> None:
    """Out of credits, invalid or not found: one request, the typed error raised."""
    script = Script(failure)
    with script.client() as client, pytest.raises(raised) as caught:
        client.usage.get()
    assert len(script.requests) == 1
    assert caught.value.status == failure.status_code and caught.value.message.endswith("happened")


@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (_error(500, "internal_server_error"), InternalServerError),
        (_error(409, "idempotency_key_in_use", {"Retry-After": "0"}), IdempotencyKeyInUse),
    ],
)
def test_attempts_are_bounded(failure: httpx.Response, raised: type[APIError]) -> None:
    """A server that keeps failing is asked max_attempts times, then its error is raised."""
    script = Script(*[failure] * FAST.max_attempts)
    with script.client() as client, pytest.raises(raised):
        client.usage.get()
    assert len(script.requests) == FAST.max_attempts


def test_a_wait_past_the_time_budget_is_not_taken() -> None:
    """Retry-After beyond max_elapsed: the error comes back at once, nothing slept."""
    script = Script(_error(503, "service_unavailable", {"Retry-After": "120"}))
    started = time.monotonic()
    with script.client(RetryPolicy(max_elapsed=60)) as client, pytest.raises(ServiceUnavailable):
        client.usage.get()
    assert time.monotonic() - started < 1 and len(script.requests) == 1


def test_retry_after_is_honoured() -> None:
    """The client really waits the Retry-After it was given before the next attempt."""
    script = Script(
        _error(409, "idempotency_key_in_use", {"Retry-After": "1"}),
        httpx.Response(200, json=_generated()),
    )
    started = time.monotonic()
    with script.client() as client:
        client.resumes.generate(job_description=JOB, company_name="C", position="P")
    assert time.monotonic() - started >= 1


def _delay(headers: dict[str, str], status: int, name: str, now: float = 1_000.0) -> float | None:
    error = error_from_response(_error(status, name, headers))
    return RetryPolicy(jitter=0).delay(error, attempt=1, elapsed=0, now=lambda: now)


def test_ratelimit_reset_is_the_wait_when_there_is_no_retry_after() -> None:
    """Retry-After wins; else the wait lasts until ratelimit-reset; never negative."""
    assert _delay({"ratelimit-reset": "1042"}, 429, "rate_limit_exceeded") == 42
    assert _delay({"ratelimit-reset": "990"}, 429, "rate_limit_exceeded") == 0  # clock skew
    assert _delay({"Retry-After": "7", "ratelimit-reset": "1042"}, 429, "rate_limit_exceeded") == 7
    assert _delay({"ratelimit-reset": "1500"}, 429, "rate_limit_exceeded") is None  # > 90 s


def test_backoff_grows_with_jitter_and_a_ceiling() -> None:
    """Without a server hint: doubling waits, capped, each between half and all of its ceiling."""
    policy = RetryPolicy(max_attempts=10, backoff_base=1, backoff_max=4, max_elapsed=1_000)
    error = error_from_response(_error(500, "internal_server_error"))
    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (6, 4)]:
        waits = [policy.delay(error, attempt, 0) for _ in range(50)]
        assert all(w is not None and ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 1  # jittered


def test_a_refused_connection_is_retried_then_raised() -> None:
    """Nothing listens on the port: every attempt fails to connect → APIConnectionError."""
    events: list[RetryEvent] = []
    client = Finetune("k", f"http://127.0.0.1:{free_port()}", retry=FAST, on_retry=events.append)
    with client, pytest.raises(APIConnectionError) as caught:
        client.usage.get()
    assert len(events) == FAST.max_attempts - 1
    assert "GET http://127.0.0.1" in str(caught.value)


async def test_the_async_client_retries_alike() -> None:
    """AsyncFinetune: a 429 then the answer; the 429's Retry-After and the key are honoured."""
    script = Script(
        _error(429, "rate_limit_exceeded", {"Retry-After": "0"}),
        _error(409, "idempotency_key_in_use", {"Retry-After": "0"}),
        httpx.Response(200, json=_generated()),
    )
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    async with AsyncFinetune("k", "http://finetune.test", retry=FAST, http_client=http) as client:
        resume = await client.resumes.generate(job_description=JOB, company_name="C", position="P")
    await http.aclose()
    assert resume.credits_remaining == 42
    assert len({request.headers["Idempotency-Key"] for request in script.requests}) == 1
    assert len(script.requests) == 3


async def test_the_async_client_raises_typed_errors() -> None:
    """A rate limit resetting in ten minutes is raised at once, with its headers."""
    script = Script(_error(429, "rate_limit_exceeded", {"Retry-After": "600"}))
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    async with AsyncFinetune("k", "http://finetune.test", http_client=http) as client:
        with pytest.raises(RateLimitExceeded) as caught:
            await client.usage.get()
    await http.aclose()
    assert caught.value.headers["retry-after"] == "600"


def test_an_unexpected_success_body_is_reported() -> None:
    """A 200 whose body is not the documented object is UnexpectedResponse, not a crash."""
    script = Script(httpx.Response(200, json={"object": "usage"}))
    with script.client() as client, pytest.raises(UnexpectedResponse, match="not a Usage"):
        client.usage.get()
