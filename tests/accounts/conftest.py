"""A migrated database per test, for service-level tests: SQLite, or on the PostgreSQL + Redis
leg of the test matrix a throwaway PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import backends
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker, run_migrations


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on a freshly migrated database."""
    with ExitStack() as stack:
        database_url = None
        if backends.ACTIVE is not None:
            database_url = stack.enter_context(backends.private_database())
        settings = Settings(data_dir=tmp_path, database_url=database_url)
        run_migrations(settings)
        engine = create_db_engine(settings)
        try:
            yield create_sessionmaker(engine)
        finally:
            await engine.dispose()
