"""The gate on its own: unexpected errors become a generic 500 that keeps the limit headers."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest
from limits.storage import storage_from_string
from starlette.types import Receive, Scope, Send

from finetune.api.gate import ApiGate, is_gated
from finetune.api.ratelimit import StorageRateLimiter
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker


async def _exploding_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("database password is hunter2")


def test_unexpected_error_is_a_generic_500(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """No traceback or exception text reaches the client; the error is logged instead."""
    settings = Settings(data_dir=tmp_path, rate_limit_anonymous=5)
    engine = create_db_engine(settings)
    gate = ApiGate(
        _exploding_app,
        settings=settings,
        sessionmaker=create_sessionmaker(engine),
        limiter=StorageRateLimiter(storage_from_string("async+memory://")),
    )

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/files/res_x.pdf")

    with caplog.at_level(logging.ERROR, logger="finetune.api"):
        response = asyncio.run(call())
    assert response.status_code == 500
    assert response.json() == {
        "object": "error",
        "name": "internal_server_error",
        "message": "internal server error",
        "status": 500,
    }
    assert "hunter2" not in response.text
    assert response.headers["ratelimit-remaining"] == "4"
    assert "hunter2" in caplog.text


@pytest.mark.parametrize(
    ("path", "gated"),
    [
        ("/api/v1", True),
        ("/api/v1/usage", True),
        ("/files/res_1.pdf", True),
        ("/api/v10/usage", False),
        ("/healthz", False),
        ("/docs", False),
        ("/openapi.json", False),
    ],
)
def test_gated_paths(path: str, gated: bool) -> None:
    """Only /api/v1 and /files are authenticated and rate limited."""
    assert is_gated(path) is gated
