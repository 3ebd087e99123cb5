"""A migrated SQLite database per test, for service-level tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker, run_migrations


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on a freshly migrated database."""
    settings = Settings(data_dir=tmp_path, database_url=None)
    run_migrations(settings)
    engine = create_db_engine(settings)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()
