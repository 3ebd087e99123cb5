"""Rate limits: exact counting per account and mode, per address when anonymous, headers on
every response, 429 with Retry-After."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
import redis
from apiserver import RunningServer, new_account, run_server

StartServer = Callable[..., AbstractContextManager[RunningServer]]


def _rate(response: httpx.Response) -> tuple[int, int, int]:
    return (
        int(response.headers["ratelimit-limit"]),
        int(response.headers["ratelimit-remaining"]),
        int(response.headers["ratelimit-reset"]),
    )


def test_exact_count_then_429(start_server: StartServer) -> None:
    """With a limit of 3: remaining 2, 1, 0, then 429 with Retry-After, remaining stays 0."""
    with start_server() as server, httpx.Client(base_url=server.base_url) as client:
        account = new_account(server, rate_limit=3)
        headers = {"X-API-Key": account.live_key}
        remaining = []
        for _ in range(3):
            response = client.get("/api/v1/usage", headers=headers)
            assert response.status_code == 200
            limit, left, reset = _rate(response)
            assert limit == 3 and time.time() < reset <= time.time() + 61
            remaining.append(left)
        assert remaining == [2, 1, 0]
        for _ in range(2):
            refused = client.get("/api/v1/usage", headers=headers)
            assert refused.status_code == 429
            assert refused.json()["name"] == "rate_limit_exceeded"
            assert _rate(refused)[:2] == (3, 0)
            assert 1 <= int(refused.headers["retry-after"]) <= 60


def test_usage_reports_remaining_after_this_request(start_server: StartServer) -> None:
    """/usage's rate_limit.remaining equals the header of the same response."""
    with start_server() as server, httpx.Client(base_url=server.base_url) as client:
        account = new_account(server, rate_limit=5)
        headers = {"X-API-Key": account.test_key}
        client.get("/api/v1/api-keys", headers=headers)
        response = client.get("/api/v1/usage", headers=headers)
        assert response.json()["rate_limit"] == {"requests_per_minute": 5, "remaining": 3}
        assert response.headers["ratelimit-remaining"] == "3"


def test_modes_are_counted_separately(start_server: StartServer) -> None:
    """Exhausting the test key's window leaves the live key's window untouched."""
    with start_server() as server, httpx.Client(base_url=server.base_url) as client:
        account = new_account(server, rate_limit=2)
        for _ in range(2):
            client.get("/api/v1/usage", headers={"X-API-Key": account.test_key})
        assert (
            client.get("/api/v1/usage", headers={"X-API-Key": account.test_key}).status_code == 429
        )
        live = client.get("/api/v1/usage", headers={"X-API-Key": account.live_key})
        assert live.status_code == 200 and live.headers["ratelimit-remaining"] == "1"


def test_plan_limits_come_from_settings(start_server: StartServer) -> None:
    """Without an override, free and pro get FINETUNE_RATE_LIMIT_FREE / _PRO."""
    with (
        start_server(rate_limit_free=4, rate_limit_pro=7) as server,
        httpx.Client(base_url=server.base_url) as client,
    ):
        free = new_account(server, plan="free", credits=None, rate_limit=None)
        pro = new_account(server, plan="pro", credits=None, rate_limit=None)
        free_response = client.get("/api/v1/usage", headers={"X-API-Key": free.live_key})
        pro_response = client.get("/api/v1/usage", headers={"X-API-Key": pro.live_key})
        assert _rate(free_response)[:2] == (4, 3)
        assert _rate(pro_response)[:2] == (7, 6)
        assert free_response.json()["rate_limit"]["requests_per_minute"] == 4


def test_errors_count_and_carry_headers(start_server: StartServer) -> None:
    """404, 405 and 400 responses are counted and carry the rate-limit headers."""
    with start_server() as server, httpx.Client(base_url=server.base_url) as client:
        account = new_account(server, rate_limit=10)
        headers = {"X-API-Key": account.live_key}
        answers = [
            client.get("/api/v1/missing", headers=headers),
            client.post("/api/v1/usage", headers=headers),
            client.put("/api/v1/base-resume", headers=headers, content=b"{"),
        ]
        assert [answer.status_code for answer in answers] == [404, 405, 400]
        assert [_rate(answer)[1] for answer in answers] == [9, 8, 7]


def test_anonymous_requests_are_limited_per_address(start_server: StartServer) -> None:
    """Missing and bad keys count against the address's limit, so guessing is throttled."""
    with (
        start_server(rate_limit_anonymous=3) as server,
        httpx.Client(base_url=server.base_url) as client,
    ):
        first = client.get("/api/v1/usage")
        assert first.status_code == 401 and _rate(first)[:2] == (3, 2)
        second = client.get("/api/v1/usage", headers={"X-API-Key": "ft_live_guess"})
        assert second.status_code == 403 and _rate(second)[:2] == (3, 1)
        assert client.get("/api/v1/resumes").status_code == 401
        refused = client.get("/api/v1/usage", headers={"X-API-Key": "ft_live_guess2"})
        assert refused.status_code == 429
        assert refused.json()["name"] == "rate_limit_exceeded"
        assert "retry-after" in refused.headers
        # A valid key is counted on its own account, not on the address.
        account = new_account(server)
        valid = client.get("/api/v1/usage", headers={"X-API-Key": account.live_key})
        assert valid.status_code == 200


def test_health_is_not_rate_limited(api: httpx.Client) -> None:
    """/healthz sits outside the gated prefixes: no key, no limit headers."""
    response = api.get("/healthz")
    assert response.status_code == 200
    assert "ratelimit-limit" not in response.headers


@pytest.fixture
def redis_url() -> str:
    """The Redis to share between servers (skipped when none is reachable, unless required)."""
    url = os.environ.get("FINETUNE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("FINETUNE_REQUIRE_SERVICES"):
            raise
        pytest.skip(f"Redis not reachable: {exc}")
    return url


@pytest.mark.services
def test_limit_is_exact_across_workers_with_redis(tmp_path: Path, redis_url: str) -> None:
    """Two servers on one database and one Redis: together they allow exactly the limit."""
    data_dir = tmp_path / "shared"
    with (
        run_server(data_dir, redis_url=redis_url) as first,
        run_server(data_dir, redis_url=redis_url) as second,
        httpx.Client(base_url=first.base_url) as one,
        httpx.Client(base_url=second.base_url) as two,
    ):
        account = new_account(first, rate_limit=5)
        headers = {"X-API-Key": account.live_key}
        statuses = [
            (one if index % 2 else two).get("/api/v1/usage", headers=headers).status_code
            for index in range(8)
        ]
        assert statuses == [200] * 5 + [429] * 3
