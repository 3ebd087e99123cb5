"""``/healthz``: the process is up (liveness) and the database answers (readiness)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from finetune import __version__

router = APIRouter()


class Health(BaseModel):
    object: Literal["health"] = "health"
    status: Literal["ok", "unavailable"]
    live: bool
    ready: bool
    database: Literal["ok", "unreachable"]
    version: str


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database is unreachable."}},
    tags=["health"],
    summary="Liveness and readiness",
)
async def healthz(request: Request) -> JSONResponse:
    """200 when the database answers, 503 (still JSON) when it does not."""
    db_engine: AsyncEngine = request.app.state.db_engine
    try:
        async with db_engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        database_ok = True
    except Exception:
        database_ok = False
    health = Health(
        status="ok" if database_ok else "unavailable",
        live=True,
        ready=database_ok,
        database="ok" if database_ok else "unreachable",
        version=__version__,
    )
    return JSONResponse(health.model_dump(), status_code=200 if database_ok else 503)
