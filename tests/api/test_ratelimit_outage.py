"""Rate limiting fails closed: with its Redis unreachable, the API answers 503, never unlimited."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
from apiserver import RunningServer, new_account

from ports import free_port

StartServer = Callable[..., AbstractContextManager[RunningServer]]


def test_unreachable_redis_is_503_with_retry_after(start_server: StartServer) -> None:
    """Keyed and anonymous requests get 503 service_unavailable, Retry-After and limit headers."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    with (
        start_server(redis_url=redis_url) as server,
        httpx.Client(base_url=server.base_url, timeout=30) as client,
    ):
        account = new_account(server, rate_limit=7)
        for headers in ({"X-API-Key": account.live_key}, {}):
            response = client.get("/api/v1/usage", headers=headers)
            assert response.status_code == 503, response.text
            assert response.json()["name"] == "service_unavailable"
            assert int(response.headers["retry-after"]) >= 1
            assert response.headers["ratelimit-remaining"] == "0"
        keyed = client.get("/api/v1/usage", headers={"X-API-Key": account.live_key})
        assert keyed.headers["ratelimit-limit"] == "7"
        # The process is alive but not ready: a load balancer should route around it.
        health = client.get("/healthz")
        assert health.status_code == 503
        assert (health.json()["live"], health.json()["redis"]) == (True, "unreachable")
