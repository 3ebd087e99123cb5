"""A freshly migrated database for service-level tests, shared by their fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine

from finetune.config import Settings
from finetune.db import create_db_engine, run_migrations


@asynccontextmanager
async def migrated_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on ``settings``' database, migrated to the latest revision; disposed on exit."""
    run_migrations(settings)
    engine = create_db_engine(settings)
    try:
        yield engine
    finally:
        await engine.dispose()
