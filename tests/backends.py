"""Which storage the API/database tests run on: the test matrix's two legs.

By default servers use SQLite in their data directory and in-process rate-limit counters. With
``FINETUNE_TEST_BACKEND=postgres`` the test session creates its own PostgreSQL database
``finetune_test_<random>`` (from ``FINETUNE_TEST_POSTGRES_URL``) and a Redis key prefix (on
``FINETUNE_TEST_REDIS_URL``), points every test server at them, and drops/cleans both at the end.
When those servers are unreachable the leg is skipped, unless ``FINETUNE_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import redis

POSTGRES_ADMIN_URL = os.environ.get(
    "FINETUNE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("FINETUNE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def services_requested() -> bool:
    """True on the PostgreSQL + Redis leg of the matrix."""
    return os.environ.get("FINETUNE_TEST_BACKEND", "").lower() in ("postgres", "postgresql")


def services_required() -> bool:
    """True in CI, where an unreachable PostgreSQL/Redis is a failure rather than a skip."""
    return os.environ.get("FINETUNE_REQUIRE_SERVICES", "") not in ("", "0")


class ServicesUnreachable(Exception):
    """PostgreSQL or Redis did not answer."""


def database_url(name: str) -> str:
    """The admin URL with its database replaced by ``name``."""
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _admin() -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        raise ServicesUnreachable(f"PostgreSQL at {POSTGRES_ADMIN_URL}: {exc}") from exc


def create_database(name: str) -> str:
    """Create database ``name``; returns its URL."""
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def drop_database(name: str) -> None:
    """Drop database ``name``, disconnecting whoever still uses it."""
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_client(url: str = REDIS_URL) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=5)


def delete_redis_keys(prefix: str, url: str = REDIS_URL) -> None:
    """Delete every key starting with ``prefix``."""
    client = redis_client(url)
    try:
        batch = [key for key in client.scan_iter(match=f"{prefix}*", count=500)]
        for start in range(0, len(batch), 500):
            client.delete(*batch[start : start + 500])
    finally:
        client.close()


@dataclass(frozen=True)
class ServiceBackend:
    database_name: str
    redis_url: str
    key_prefix: str

    @property
    def database_url(self) -> str:
        return database_url(self.database_name)

    def settings_for(self, data_dir: Path) -> dict[str, Any]:
        """Settings for a server on ``data_dir``: the session's database, and a Redis prefix of
        its own per data directory, so servers share counters exactly when they would share
        a SQLite file on the other leg."""
        digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:10]
        return {
            "database_url": self.database_url,
            "redis_url": self.redis_url,
            "redis_key_prefix": f"{self.key_prefix}:{digest}",
        }

    def environment(self) -> dict[str, str]:
        """The same as ``FINETUNE_*`` variables, for ``finetune`` subprocesses."""
        return {
            "FINETUNE_DATABASE_URL": self.database_url,
            "FINETUNE_REDIS_URL": self.redis_url,
            "FINETUNE_REDIS_KEY_PREFIX": f"{self.key_prefix}:proc",
        }


def start() -> ServiceBackend:
    """Create the session's database and reserve its Redis prefix (``ServicesUnreachable``
    when either server does not answer)."""
    client = redis_client()
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ServicesUnreachable(f"Redis at {REDIS_URL}: {exc}") from exc
    finally:
        client.close()
    token = uuid.uuid4().hex[:10]
    name = f"finetune_test_{token}"
    create_database(name)
    return ServiceBackend(database_name=name, redis_url=REDIS_URL, key_prefix=f"ftt-{token}")


def stop(backend: ServiceBackend) -> None:
    """Drop the session's database and its Redis keys."""
    drop_database(backend.database_name)
    delete_redis_keys(backend.key_prefix, backend.redis_url)


@contextmanager
def private_database() -> Iterator[str]:
    """A throwaway database of its own (for tests that need an empty one); yields its URL."""
    name = f"finetune_test_{uuid.uuid4().hex[:10]}"
    url = create_database(name)
    try:
        yield url
    finally:
        drop_database(name)


# Set by tests/conftest.py at session start on the PostgreSQL + Redis leg.
ACTIVE: ServiceBackend | None = None
SKIP_REASON: str | None = None
