"""Helpers behind the API fixtures: a uvicorn server in a thread, accounts made via services.

On the PostgreSQL + Redis leg (``backends.ACTIVE``) every server uses the session's database and
a Redis prefix per data directory; otherwise SQLite in its data directory and memory counters.

Test modules import the types from here (``from apiserver import AccountKeys``); pytest puts
this directory on ``sys.path``.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

import backends
from finetune.accounts.service import create_account
from finetune.app import create_app
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker
from finetune.keys.service import create_key, revoke_key


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
    if backends.ACTIVE is not None:
        values.update(backends.ACTIVE.settings_for(data_dir))
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


def revoke(target: RunningServer, key_id: str) -> None:
    """Revoke a key through the keys service, as ``finetune admin revoke-key`` does."""

    async def run() -> None:
        engine = create_db_engine(target.settings)
        try:
            async with create_sessionmaker(engine)() as session:
                await revoke_key(session, key_id)
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())
