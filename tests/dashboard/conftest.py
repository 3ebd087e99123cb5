"""Dashboard fixtures: a real server (the API tests' helper) and signed-in HTTP visitors."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The API tests' server helper (uvicorn in a thread) is reused rather than copied.
sys.path.insert(0, str(Path(__file__).parent.parent / "api"))

from apiserver import RunningServer, run_server
from visitor import Visitor


@pytest.fixture(scope="session")
def dash_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the dashboard tests. Sign-in throttling is loosened (all tests come from
    127.0.0.1) and free accounts (what sign-up makes) may call the API often."""
    with run_server(
        tmp_path_factory.mktemp("dashboard-data"),
        login_attempts_per_address=100_000,
        rate_limit_free=1000,
    ) as running:
        yield running


@pytest.fixture
def visitor(dash_server: RunningServer) -> Iterator[Visitor]:
    """An anonymous browser-like HTTP client (keeps cookies, does not follow redirects)."""
    with Visitor(dash_server.base_url) as client:
        yield client


@pytest.fixture
def signed_in(dash_server: RunningServer) -> Iterator[Callable[[], Visitor]]:
    """``signed_in()`` makes a fresh account through the sign-up page and returns its visitor."""
    visitors: list[Visitor] = []

    def make() -> Visitor:
        client = Visitor(dash_server.base_url)
        visitors.append(client)
        client.sign_up(f"dash-{uuid.uuid4().hex[:12]}@example.com", "correct horse battery")
        return client

    yield make
    for client in visitors:
        client.close()
