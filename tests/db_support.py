"""A freshly migrated database for service-level tests, shared by their fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import backends
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker, run_migrations


@asynccontextmanager
async def migrated_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on ``settings``' database, migrated to the latest revision; disposed on exit."""
    run_migrations(settings)
    engine = create_db_engine(settings)
    try:
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def fresh_sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a freshly migrated database: SQLite in ``tmp_path``, or on the PostgreSQL +
    Redis leg of the test matrix a throwaway PostgreSQL database."""
    with ExitStack() as stack:
        database_url = None
        if backends.ACTIVE is not None:
            database_url = stack.enter_context(backends.private_database())
        settings = Settings(data_dir=tmp_path, database_url=database_url)
        async with migrated_engine(settings) as engine:
            yield create_sessionmaker(engine)
