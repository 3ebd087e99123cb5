"""/healthz, /openapi.json and /docs."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from apiserver import RunningServer

from finetune.app import create_app
from finetune.config import Settings


def test_healthz_reports_live_and_ready(api: httpx.Client) -> None:
    """With the database reachable, /healthz is 200 and ready."""
    response = api.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "health"
    assert (body["status"], body["live"], body["ready"], body["database"]) == (
        "ok",
        True,
        True,
        "ok",
    )


def test_healthz_reports_unready_database(tmp_path: Path) -> None:
    """When the database cannot be reached, /healthz answers 503 with ready false."""
    broken = Settings(data_dir=tmp_path, database_url="postgresql://nobody@127.0.0.1:1/nothing")
    app = create_app(broken)
    transport = httpx.ASGITransport(app=app)

    async def probe() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/healthz")

    response = asyncio.run(probe())
    assert response.status_code == 503
    assert response.json()["ready"] is False and response.json()["live"] is True


def test_healthz_reports_unreachable_redis(tmp_path: Path) -> None:
    """With Redis configured but down, /healthz is 503: rate-limited routes would refuse."""
    settings = Settings(data_dir=tmp_path, database_url=None, redis_url="redis://127.0.0.1:1/0")
    app = create_app(settings)

    async def probe() -> httpx.Response:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.get("/healthz")

    response = asyncio.run(probe())
    assert response.status_code == 503
    body = response.json()
    assert (body["ready"], body["database"], body["redis"]) == (False, "ok", "unreachable")


@pytest.fixture(scope="module")
def openapi(server: RunningServer) -> dict[str, Any]:
    """The served OpenAPI document."""
    document: dict[str, Any] = httpx.get(f"{server.base_url}/openapi.json").json()
    return document


def test_openapi_lists_platform_routes(openapi: dict[str, Any]) -> None:
    """Every platform route is described."""
    paths = openapi["paths"]
    assert "get" in paths["/api/v1/usage"]
    assert "get" in paths["/api/v1/api-keys"]
    assert {"get", "put"} <= set(paths["/api/v1/base-resume"])
    assert "get" in paths["/healthz"]


def test_openapi_documents_errors_and_headers(openapi: dict[str, Any]) -> None:
    """Authenticated routes document the error model and the rate-limit headers."""
    for path in ("/api/v1/usage", "/api/v1/api-keys", "/api/v1/base-resume"):
        operation = openapi["paths"][path]["get"]
        responses = operation["responses"]
        for status in ("400", "401", "403", "429", "500"):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (path, status)
        assert "ratelimit-remaining" in responses["200"]["headers"]
        assert "Retry-After" in responses["429"]["headers"]
    for operations in openapi["paths"].values():
        for operation in operations.values():
            assert "422" not in operation["responses"]
    assert "HTTPValidationError" not in openapi["components"]["schemas"]
    put = openapi["paths"]["/api/v1/base-resume"]["put"]
    assert {"application/json", "multipart/form-data"} <= set(put["requestBody"]["content"])


def test_docs_page_is_served(api: httpx.Client) -> None:
    """The interactive documentation is available at /docs."""
    response = api.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
