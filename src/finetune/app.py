"""The FastAPI application: ``create_app(settings)``, or ``create_app_from_env()`` for uvicorn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from finetune import __version__
from finetune.accounts.routes import router as usage_router
from finetune.api.docs import install_docs
from finetune.api.errors import install_error_handlers, install_openapi
from finetune.api.gate import ApiGate
from finetune.api.health import router as health_router
from finetune.api.log_redaction import install_access_log_redaction
from finetune.api.ratelimit import build_rate_limiter
from finetune.base_resume.routes import router as base_resume_router
from finetune.base_resume.service import start_import_workers
from finetune.config import Settings, load_settings
from finetune.dashboard import DashboardMount
from finetune.db import create_db_engine, create_sessionmaker, run_migrations
from finetune.files.routes import router as files_router
from finetune.files.service import link_signer
from finetune.keys.routes import router as keys_router
from finetune.resumes.routes import router as resumes_router
from finetune.tailoring.engines import build_engine
from finetune.tailoring.vocabulary import default_vocabulary

API_PREFIX = "/api/v1"

DESCRIPTION = """\
Tailor a stored base resume to a job description: structured JSON, an explainable ATS score,
the list of changes, and an ATS-friendly PDF. Authenticate with the `X-API-Key` header
(`ft_live_…` or `ft_test_…`). Every response under `/api/v1` and `/files` carries the
`ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset` headers; every error is
`{"object": "error", "name", "message", "status"}`.
"""


def create_app(settings: Settings) -> FastAPI:
    """Build the application; the database is migrated when it starts serving."""
    db_engine = create_db_engine(settings)
    sessionmaker = create_sessionmaker(db_engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(run_migrations, settings)
        # Built before serving: routes that already hold a pooled connection would otherwise
        # each need a second one for it, and a burst of first requests exhausts the pool.
        app.state.link_signer = await link_signer(sessionmaker, settings)
        # Load the skills vocabulary now, so the first generation does not pay for it.
        await asyncio.to_thread(default_vocabulary)
        # Uploads are read in a separate, resource-limited process: have it ready.
        await asyncio.to_thread(start_import_workers)
        yield
        await db_engine.dispose()

    app = FastAPI(
        title="Finetune Resume API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # install_docs serves both without a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db_engine = db_engine
    app.state.sessionmaker = sessionmaker
    app.state.engine = build_engine(settings)

    install_error_handlers(app)
    install_openapi(app)
    install_docs(app)
    install_access_log_redaction()
    app.add_middleware(
        ApiGate,
        settings=settings,
        sessionmaker=sessionmaker,
        limiter=build_rate_limiter(settings, sessionmaker),
    )
    app.include_router(health_router)
    for router in (usage_router, keys_router, base_resume_router, resumes_router):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(files_router)
    app.add_middleware(DashboardMount, api=app)  # every other path: the web dashboard
    return app


def create_app_from_env() -> FastAPI:
    """The uvicorn factory: settings from ``FINETUNE_*`` environment variables."""
    return create_app(load_settings())
