"""A migrated database per test, for service-level tests: SQLite, or on the PostgreSQL + Redis
leg of the test matrix a throwaway PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import backends
from db_support import migrated_engine
from finetune.config import Settings
from finetune.db import create_sessionmaker


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on a freshly migrated database."""
    with ExitStack() as stack:
        database_url = None
        if backends.ACTIVE is not None:
            database_url = stack.enter_context(backends.private_database())
        settings = Settings(data_dir=tmp_path, database_url=database_url)
        async with migrated_engine(settings) as engine:
            yield create_sessionmaker(engine)
