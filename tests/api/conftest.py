"""API test fixtures: a real uvicorn server on a free port, and accounts with keys.

API tests talk HTTP to ``server`` (``api`` is an ``httpx.Client`` bound to it). Each test makes
its own account with ``make_account`` so tests never share credits or rate-limit windows.
Types and helpers live in ``apiserver.py`` (``from apiserver import AccountKeys``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest
from apiserver import AccountKeys, RunningServer, new_account, run_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the whole session, on a temporary data directory."""
    with run_server(tmp_path_factory.mktemp("server-data")) as running:
        yield running


@pytest.fixture
def start_server(
    tmp_path: Path,
) -> Callable[..., AbstractContextManager[RunningServer]]:
    """Start a private server with settings overrides: ``with start_server(rate_limit_free=2)``."""

    def start(**overrides: Any) -> AbstractContextManager[RunningServer]:
        return run_server(tmp_path / f"data-{uuid.uuid4().hex[:8]}", **overrides)

    return start


@pytest.fixture
def make_account(server: RunningServer) -> Callable[..., AccountKeys]:
    """``make_account(plan="pro", credits=100, rate_limit=1000)`` on the session server."""

    def make(
        plan: str = "pro", credits: int | None = 100, rate_limit: int | None = 1000
    ) -> AccountKeys:
        return new_account(server, plan, credits, rate_limit)

    return make


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    """An HTTP client bound to the session server."""
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        yield client
