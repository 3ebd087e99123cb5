"""``/healthz``: the process is up (liveness); the database, and Redis when configured, answer
(readiness)."""

from __future__ import annotations

from typing import Literal

import redis.asyncio as aioredis
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from finetune import __version__
from finetune.api.ratelimit import REDIS_TIMEOUT_SECONDS
from finetune.config import Settings

router = APIRouter()


class Health(BaseModel):
    object: Literal["health"] = "health"
    status: Literal["ok", "unavailable"]
    live: bool
    ready: bool
    database: Literal["ok", "unreachable"]
    redis: Literal["ok", "unreachable", "not_configured"]
    version: str


@router.get(
    "/healthz",
    response_model=Health,
    responses={
        503: {"model": Health, "description": "The database (or the configured Redis) is down."}
    },
    tags=["health"],
    summary="Liveness and readiness",
)
async def healthz(request: Request) -> JSONResponse:
    """200 when every store answers, 503 (still JSON) when one does not."""
    database_ok = await _database_answers(request.app.state.db_engine)
    redis_state = await _redis_state(request.app.state.settings)
    ready = database_ok and redis_state != "unreachable"
    health = Health(
        status="ok" if ready else "unavailable",
        live=True,
        ready=ready,
        database="ok" if database_ok else "unreachable",
        redis=redis_state,
        version=__version__,
    )
    return JSONResponse(health.model_dump(), status_code=200 if ready else 503)


async def _database_answers(db_engine: AsyncEngine) -> bool:
    try:
        async with db_engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


async def _redis_state(settings: Settings) -> Literal["ok", "unreachable", "not_configured"]:
    """Rate limits fail closed without Redis, so a worker that cannot reach it is not ready."""
    if not settings.redis_url:
        return "not_configured"
    client = aioredis.from_url(
        settings.redis_url,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        await client.ping()
    except Exception:
        return "unreachable"
    finally:
        await client.aclose()
    return "ok"
