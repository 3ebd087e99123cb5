"""Database URLs and migrations."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from finetune.accounts.service import charge_credits, create_account
from finetune.config import Settings
from finetune.db import (
    async_database_url,
    create_db_engine,
    create_sessionmaker,
    run_migrations,
    sync_database_url,
)
from finetune.errors import ValidationError
from finetune.models import Account, Base


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:p@db:5432/finetune",
        "postgres://u:p@db:5432/finetune",
        "postgresql+psycopg://u:p@db:5432/finetune",
    ],
)
def test_postgres_urls_use_psycopg(url: str) -> None:
    """Every PostgreSQL spelling becomes postgresql+psycopg, keeping the credentials."""
    settings = Settings(database_url=url)
    assert async_database_url(settings) == "postgresql+psycopg://u:p@db:5432/finetune"
    assert sync_database_url(settings) == "postgresql+psycopg://u:p@db:5432/finetune"


def test_default_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    """Without a URL, the database is finetune.db inside FINETUNE_DATA_DIR (created)."""
    settings = Settings(data_dir=tmp_path / "nested", database_url=None)
    expected = (tmp_path / "nested" / "finetune.db").resolve()
    assert async_database_url(settings) == f"sqlite+aiosqlite:///{expected}"
    assert sync_database_url(settings) == f"sqlite+pysqlite:///{expected}"
    assert (tmp_path / "nested").is_dir()


def test_unsupported_database_is_a_clear_error() -> None:
    """A MySQL URL is refused with a message naming the supported schemes."""
    with pytest.raises(ValidationError, match="sqlite:// or postgresql://"):
        async_database_url(Settings(database_url="mysql://u@h/db"))


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """The initial migration creates exactly the tables models.py declares (rerun is a no-op)."""
    settings = Settings(data_dir=tmp_path, database_url=None)
    run_migrations(settings)
    run_migrations(settings)
    engine = create_engine(sync_database_url(settings))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert set(Base.metadata.tables) <= tables


POSTGRES_ADMIN_URL = os.environ.get(
    "FINETUNE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database (skipped when none is reachable, unless required)."""
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("FINETUNE_REQUIRE_SERVICES"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    name = f"finetune_test_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.mark.services
def test_postgres_migrations_and_credits(postgres_url: str, tmp_path: Path) -> None:
    """On PostgreSQL the schema matches the models and times round-trip as UTC."""
    settings = Settings(data_dir=tmp_path, database_url=postgres_url)
    run_migrations(settings)
    run_migrations(settings)
    engine = create_engine(sync_database_url(settings))
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()

    async def exercise() -> tuple[int, datetime]:
        async_engine = create_db_engine(settings)
        try:
            async with create_sessionmaker(async_engine)() as session:
                account = await create_account(session, "pg@example.com", "free", credits=3)
                remaining = await charge_credits(session, account.id, 2)
                await session.commit()
            async with create_sessionmaker(async_engine)() as session:
                stored = await session.get(Account, account.id)
                assert stored is not None
                return remaining, stored.cycle_end
        finally:
            await async_engine.dispose()

    remaining, cycle_end = asyncio.run(exercise())
    assert remaining == 1
    assert cycle_end.utcoffset() == timedelta(0)
