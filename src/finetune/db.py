"""Database engines and migrations.

Requests use an async engine (``sqlite+aiosqlite`` by default, ``postgresql+psycopg`` when
``FINETUNE_DATABASE_URL`` points at PostgreSQL); Alembic runs on a sync engine at start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from finetune.config import ConfigurationError, Settings
from finetune.db_writes import SerializedWriteSession, WriteLocks
from finetune.errors import ServiceUnavailable

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any number will do as long as it is fixed: it serialises concurrent migrators on PostgreSQL.
_MIGRATION_LOCK_ID = 7_246_100_001
# An unreachable PostgreSQL must fail a request quickly (503), not hang it.
_POSTGRES_CONNECT_TIMEOUT_SECONDS = 5
# How long a process starting up waits for another one's migration to finish (SQLite).
_MIGRATION_WAIT_MILLISECONDS = 120_000
DATABASE_RETRY_AFTER_SECONDS = 2


class DatabaseUnavailable(ServiceUnavailable):
    """The database connection failed or was dropped; the request may simply be retried."""

    def __init__(
        self, message: str = "the database is temporarily unavailable; retry shortly"
    ) -> None:
        super().__init__(message, headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)})


def is_connection_failure(exc: BaseException) -> bool:
    """Whether ``exc`` means the database could not be reached or the connection died
    (refused, terminated by the server, SQLite busy), as opposed to a bug or bad data."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError)


def display_database_url(settings: Settings) -> str:
    """The database in use, as an operator may see it: any password masked."""
    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def _database_url(settings: Settings, *, use_async: bool) -> str:
    # Settings only accept sqlite and postgresql/postgres URLs (any driver suffix).
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            directory = Path(url.database).parent
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot create {directory} for the SQLite database: {exc.strerror or exc}"
                ) from exc
        backend, driver = "sqlite", "aiosqlite" if use_async else "pysqlite"
    else:
        backend, driver = "postgresql", "psycopg"
    return url.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)


def async_database_url(settings: Settings) -> str:
    """The configured database as an async SQLAlchemy URL."""
    return _database_url(settings, use_async=True)


def sync_database_url(settings: Settings) -> str:
    """The configured database as a sync SQLAlchemy URL (used for migrations)."""
    return _database_url(settings, use_async=False)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers proceed during a write; busy_timeout makes writers queue, not fail (set
    # first: switching a new file to WAL waits for a migration another process is running).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
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
    # A SQLite file cannot drop a connection: pinging it would only cost a thread round trip.
    ping = not url.startswith("sqlite")
    engine = create_async_engine(url, pool_pre_ping=ping, connect_args=_connect_args(url))
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


def _connect_args(url: str) -> dict[str, Any]:
    if url.startswith("postgresql"):
        return {"connect_timeout": _POSTGRES_CONNECT_TIMEOUT_SECONDS}
    return {}


def _migration_engine(settings: Settings) -> Engine:
    """A sync engine whose transactions hold the database's migration lock.

    PostgreSQL: a transaction-scoped advisory lock (taken in :func:`run_migrations`). SQLite:
    ``BEGIN EXCLUSIVE``, for which the driver's own transaction handling is switched off; the
    next process waits up to two minutes for it instead of failing on ``busy``.
    """
    url = sync_database_url(settings)
    if not url.startswith("sqlite"):
        return create_engine(url, connect_args=_connect_args(url))
    engine = create_engine(url, connect_args={"isolation_level": None})
    _configure(engine)

    @event.listens_for(engine, "connect")
    def wait_for_other_migrators(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout={_MIGRATION_WAIT_MILLISECONDS}")

    @event.listens_for(engine, "begin")
    def begin_exclusive(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN EXCLUSIVE")

    return engine


def run_migrations(settings: Settings) -> None:
    """Bring the database schema to the newest revision; several processes may call it at once
    (each waits for the migration lock). An unusable database is a :class:`DatabaseUnavailable`
    naming it, password masked."""
    engine = _migration_engine(settings)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:id)")
                connection.execute(lock, {"id": _MIGRATION_LOCK_ID})
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (OperationalError, InterfaceError) as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        where = display_database_url(settings)
        raise DatabaseUnavailable(f"cannot use the database {where}: {reason}") from exc
    finally:
        engine.dispose()
