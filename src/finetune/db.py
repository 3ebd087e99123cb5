"""Database engines and migrations.

Requests use an async engine (``sqlite+aiosqlite`` by default, ``postgresql+psycopg`` when
``FINETUNE_DATABASE_URL`` points at PostgreSQL); Alembic runs on a sync engine at start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from finetune.config import Settings
from finetune.db_writes import SerializedWriteSession, WriteLocks
from finetune.errors import ServiceUnavailable, ValidationError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any number will do as long as it is fixed: it serialises concurrent migrators on PostgreSQL.
_MIGRATION_LOCK_ID = 7_246_100_001
# An unreachable PostgreSQL must fail a request quickly (503), not hang it.
_POSTGRES_CONNECT_TIMEOUT_SECONDS = 5
DATABASE_RETRY_AFTER_SECONDS = 2


class DatabaseUnavailable(ServiceUnavailable):
    """The database connection failed or was dropped; the request may simply be retried."""

    def __init__(self) -> None:
        super().__init__(
            "the database is temporarily unavailable; retry shortly",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )


def is_connection_failure(exc: BaseException) -> bool:
    """Whether ``exc`` means the database could not be reached or the connection died
    (refused, terminated by the server, SQLite busy), as opposed to a bug or bad data."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError)


def _database_url(settings: Settings, *, use_async: bool) -> str:
    raw = settings.resolved_database_url
    url = make_url(raw)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        driver = "aiosqlite" if use_async else "pysqlite"
    elif backend in ("postgresql", "postgres"):
        backend, driver = "postgresql", "psycopg"
    else:
        raise ValidationError(
            f"unsupported database URL scheme {url.drivername!r}: use sqlite:// or postgresql://"
        )
    return url.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)


def async_database_url(settings: Settings) -> str:
    """The configured database as an async SQLAlchemy URL."""
    return _database_url(settings, use_async=True)


def sync_database_url(settings: Settings) -> str:
    """The configured database as a sync SQLAlchemy URL (used for migrations)."""
    return _database_url(settings, use_async=False)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers proceed during a write; busy_timeout makes writers queue, not fail.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _configure(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)


def create_db_engine(settings: Settings) -> AsyncEngine:
    """The async engine requests use.

    On PostgreSQL, ``pool_pre_ping`` tests each pooled connection before a request gets it, so
    connections the server dropped (restart, ``pg_terminate_backend``) are replaced without a
    restart of ours.
    """
    url = async_database_url(settings)
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql"):
        connect_args["connect_timeout"] = _POSTGRES_CONNECT_TIMEOUT_SECONDS
    # A SQLite file cannot drop a connection: pinging it would only cost a thread round trip.
    ping = not url.startswith("sqlite")
    engine = create_async_engine(url, pool_pre_ping=ping, connect_args=connect_args)
    _configure(engine.sync_engine)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (on SQLite, taking turns to write:
    see :mod:`finetune.db_writes`)."""
    if engine.dialect.name == "sqlite":
        return async_sessionmaker(
            engine,
            expire_on_commit=False,
            class_=SerializedWriteSession,
            write_locks=WriteLocks(),
        )
    return async_sessionmaker(engine, expire_on_commit=False)


def run_migrations(settings: Settings) -> None:
    """Bring the database schema to the newest revision (safe to call from several processes)."""
    engine = create_engine(sync_database_url(settings))
    _configure(engine)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:id)")
                connection.execute(lock, {"id": _MIGRATION_LOCK_ID})
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
