"""Security test fixtures: a private server (the API tests' helper) and accounts on it.

Each module gets its own server so a test that lowers a limit never affects another suite.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

# The API tests' server helper (uvicorn in a thread) is reused rather than copied.
sys.path.insert(0, str(Path(__file__).parent.parent / "api"))

from apiserver import AccountKeys, RunningServer, new_account, run_server
from security_support import upload_base_resume


@pytest.fixture(scope="module")
def secure_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on its own temporary data directory, for one test module."""
    with run_server(tmp_path_factory.mktemp("security-data")) as running:
        yield running


@pytest.fixture
def make_account(secure_server: RunningServer) -> Callable[..., AccountKeys]:
    """``make_account(plan="pro", credits=100, rate_limit=100_000)`` with a base resume."""

    def make(
        plan: str = "pro", credits: int | None = 100, rate_limit: int | None = 100_000
    ) -> AccountKeys:
        account = new_account(secure_server, plan, credits, rate_limit)
        upload_base_resume(secure_server.base_url, account.live_key)
        return account

    return make


@pytest.fixture
def api(secure_server: RunningServer) -> Iterator[httpx.Client]:
    """An HTTP client bound to the module's server."""
    with httpx.Client(base_url=secure_server.base_url, timeout=60) as client:
        yield client
