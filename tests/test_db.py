"""Database URLs and migrations."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from finetune.accounts.service import charge_credits, create_account
from finetune.config import ConfigurationError, Settings, load_settings
from finetune.db import (
    DatabaseUnavailable,
    async_database_url,
    create_db_engine,
    create_sessionmaker,
    display_database_url,
    run_migrations,
    sync_database_url,
)
from finetune.models import Account, Base
from ports import free_port


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
    with pytest.raises(ConfigurationError, match="sqlite://, postgresql:// or postgres://"):
        load_settings(database_url="mysql://u@h/db")


def test_display_url_masks_the_password(tmp_path: Path) -> None:
    """What operators are shown: PostgreSQL without its password, SQLite as its file."""
    postgres = Settings(database_url="postgresql://finetune:hunter2@db:5432/finetune")
    assert display_database_url(postgres) == "postgresql://finetune:***@db:5432/finetune"
    sqlite = Settings(data_dir=tmp_path, database_url=None)
    assert display_database_url(sqlite) == f"sqlite:///{(tmp_path / 'finetune.db').resolve()}"


def test_unreachable_database_is_named_in_the_error() -> None:
    """Migrating against a closed port is DatabaseUnavailable naming the masked URL."""
    url = f"postgresql://finetune:hunter2@127.0.0.1:{free_port()}/finetune"
    with pytest.raises(DatabaseUnavailable) as raised:
        run_migrations(Settings(database_url=url))
    assert raised.value.message.startswith("cannot use the database postgresql://finetune:***@")
    assert "hunter2" not in raised.value.message


# Each process imports everything, then waits for the go file, so all migrate at the same moment.
_MIGRATOR = """
import pathlib, sys, time
from finetune.config import load_settings
from finetune.db import run_migrations
settings = load_settings()
go = pathlib.Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
run_migrations(settings)
"""


def _migrate_at_once(count: int, tmp_path: Path, **env: str) -> list[str]:
    """Start ``count`` migrating processes together; their stderr for those that failed."""
    go = tmp_path / "go"
    clean = {key: value for key, value in os.environ.items() if not key.startswith("FINETUNE_")}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATOR, str(go)],
            env={**clean, **env},
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    time.sleep(1.0)  # let them import
    go.touch()
    failures = []
    for process in processes:
        _, stderr = process.communicate(timeout=180)
        if process.returncode != 0:
            failures.append(stderr)
    return failures


def test_concurrent_migrations_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    """Four processes migrating one new SQLite file at once all succeed (no "table accounts
    already exists"): each takes the file's exclusive lock in turn."""
    data_dir = tmp_path / "data"
    assert _migrate_at_once(4, tmp_path, FINETUNE_DATA_DIR=str(data_dir)) == []
    _assert_schema_matches(Settings(data_dir=data_dir, database_url=None))


@pytest.mark.services
def test_concurrent_migrations_on_a_fresh_postgres_database(
    postgres_url: str, tmp_path: Path
) -> None:
    """Four processes migrating one new PostgreSQL database at once all succeed (advisory lock)."""
    assert _migrate_at_once(4, tmp_path, FINETUNE_DATABASE_URL=postgres_url) == []
    _assert_schema_matches(Settings(database_url=postgres_url))


def _assert_schema_matches(settings: Settings) -> None:
    engine = create_engine(sync_database_url(settings))
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


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


@pytest.mark.services
def test_postgres_migrations_and_credits(postgres_url: str, tmp_path: Path) -> None:
    """On PostgreSQL the schema matches the models and times round-trip as UTC."""
    settings = Settings(data_dir=tmp_path, database_url=postgres_url)
    run_migrations(settings)
    run_migrations(settings)
    _assert_schema_matches(settings)

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
