"""A fresh server answers a burst of concurrent requests at once (no pool stall at start)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from apiserver import new_account, run_server

BURST = 32  # more than the connection pool's 15, as in bench/api_load.py


def test_first_requests_after_start_do_not_wait_for_the_pool(tmp_path: Path) -> None:
    """32 concurrent listings as a new server's first requests all succeed promptly: routes
    holding a connection never wait for a second one to build the link signer."""
    with run_server(tmp_path) as server:
        keys = new_account(server, rate_limit=10_000)
        headers = {"X-API-Key": keys.test_key}

        def listing(_: int) -> int:
            response = httpx.get(
                f"{server.base_url}/api/v1/resumes?limit=20", headers=headers, timeout=60
            )
            return response.status_code

        started = time.monotonic()
        with ThreadPoolExecutor(BURST) as pool:
            statuses = list(pool.map(listing, range(BURST)))
        elapsed = time.monotonic() - started
    assert statuses == [200] * BURST
    # A stalled pool gives up after 30 s; a healthy server needs well under a second here.
    assert elapsed < 15
