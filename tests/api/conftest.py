"""API test fixtures: a real uvicorn server on a free port, and accounts with keys.

API tests talk HTTP to ``server`` (``api`` is an ``httpx.Client`` bound to it). Each test makes
its own account with ``make_account`` so tests never share credits or rate-limit windows.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from finetune.accounts.service import create_account
from finetune.app import create_app
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker
from finetune.keys.service import create_key


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    settings: Settings
    app: FastAPI


@dataclass(frozen=True)
class AccountKeys:
    id: str
    email: str
    live_key: str
    test_key: str
    live_key_id: str
    test_key_id: str


def _settings(data_dir: Path, port: int, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": None,
        "redis_url": None,
        "public_url": f"http://127.0.0.1:{port}",
        "llm_provider": "local",
        # Tests share 127.0.0.1; only the tests about anonymous limits lower this.
        "rate_limit_anonymous": 100_000,
    }
    values.update(overrides)
    return Settings(**values)


@contextmanager
def run_server(data_dir: Path, **overrides: Any) -> Iterator[RunningServer]:
    """Serve ``create_app`` with uvicorn in a background thread until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = _settings(data_dir, port, **overrides)
    app = create_app(settings)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield RunningServer(base_url=f"http://127.0.0.1:{port}", settings=settings, app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


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


async def _create_account(
    settings: Settings, email: str, plan: str, credits: int | None, rate_limit: int | None
) -> AccountKeys:
    engine = create_db_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            account = await create_account(session, email, plan, credits, rate_limit)
            live = await create_key(session, account.id, "live", "Test live key")
            test = await create_key(session, account.id, "test", "Test test key")
            await session.commit()
    finally:
        await engine.dispose()
    return AccountKeys(
        id=account.id,
        email=account.email,
        live_key=live.secret,
        test_key=test.secret,
        live_key_id=live.key.id,
        test_key_id=test.key.id,
    )


def new_account(
    target: RunningServer,
    plan: str = "pro",
    credits: int | None = 100,
    rate_limit: int | None = 1000,
) -> AccountKeys:
    """An account with one live and one test key, created through the services."""
    email = f"user-{uuid.uuid4().hex[:12]}@example.com"
    return asyncio.run(_create_account(target.settings, email, plan, credits, rate_limit))


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
