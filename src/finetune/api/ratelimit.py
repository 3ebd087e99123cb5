"""Fixed-window rate limits (one minute) through the ``limits`` library.

Counting is an atomic increment in the storage, so no more than the limit succeed in a window:
with Redis configured (shared by every worker and machine), in the database (shared by the
workers of ``serve --workers N`` without Redis), or in process memory (one process).

When Redis cannot be reached the limiter fails closed: it raises :class:`LimiterUnavailable`
(503 ``service_unavailable``) rather than letting requests through uncounted.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItemPerMinute
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.config import Settings
from finetune.errors import ServiceUnavailable
from finetune.models import RateLimitCounter

# A Redis that does not answer within this many seconds counts as down: requests must not hang.
REDIS_TIMEOUT_SECONDS = 2.0
UNAVAILABLE_RETRY_AFTER = 5
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float  # Unix time when the window ends

    @property
    def reset(self) -> int:
        """The window's end in whole Unix seconds, as ``ratelimit-reset`` reports it."""
        return math.ceil(self.reset_at)

    def headers(self) -> dict[str, str]:
        """The ``ratelimit-*`` headers every response carries."""
        return {
            "ratelimit-limit": str(self.limit),
            "ratelimit-remaining": str(self.remaining),
            "ratelimit-reset": str(self.reset),
        }

    def retry_after(self, now: float) -> int:
        """Whole seconds until the window ends (at least 1)."""
        return max(1, math.ceil(self.reset_at - now))


class LimiterUnavailable(ServiceUnavailable):
    """The shared counter store is unreachable; ``rate`` is what the response headers report."""

    def __init__(self, per_minute: int) -> None:
        super().__init__(
            "rate limiting is temporarily unavailable; retry shortly",
            headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
        )
        self.rate = RateLimitResult(
            allowed=False,
            limit=per_minute,
            remaining=0,
            reset_at=time.time() + UNAVAILABLE_RETRY_AFTER,
        )


def limits_storage(settings: Settings, namespace: str) -> Storage:
    """A ``limits`` storage: Redis shared by every worker when configured, else process memory.

    Redis errors surface as ``StorageError`` after at most ``REDIS_TIMEOUT_SECONDS``, so callers
    can fail closed instead of hanging.
    """
    if settings.redis_url:
        storage = storage_from_string(
            f"async+{settings.redis_url}",
            implementation="redispy",
            key_prefix=f"{settings.redis_key_prefix}:{namespace}",
            wrap_exceptions=True,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
    else:
        storage = storage_from_string("async+memory://")
    assert isinstance(storage, Storage)  # the "async+" schemes give asyncio storages
    return storage


class RateLimiter(Protocol):
    async def hit(self, key: str, per_minute: int) -> RateLimitResult:
        """Count one request for ``key``; ``allowed`` is False once the limit is used up.

        Raises :class:`LimiterUnavailable` when the counters cannot be reached.
        """
        ...


class StorageRateLimiter:
    """Counts in a ``limits`` storage (Redis or process memory)."""

    def __init__(self, storage: Storage) -> None:
        self._limiter = FixedWindowRateLimiter(storage)

    async def hit(self, key: str, per_minute: int) -> RateLimitResult:
        item = RateLimitItemPerMinute(per_minute)
        try:
            # One atomic INCR (+EXPIRE on the window's first hit) decides; the stats read after
            # it only feeds the headers.
            allowed = await self._limiter.hit(item, key)
            stats = await self._limiter.get_window_stats(item, key)
        except StorageError as exc:
            raise LimiterUnavailable(per_minute) from exc
        return RateLimitResult(
            allowed=bool(allowed),
            limit=per_minute,
            remaining=max(0, int(stats.remaining)),
            reset_at=float(stats.reset_time),
        )


class DatabaseRateLimiter:
    """Counts in the database with one atomic upsert per request, so the workers of one
    ``serve --workers N`` share exact counts without Redis. Windows are aligned minutes."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._swept_window = 0

    async def hit(self, key: str, per_minute: int) -> RateLimitResult:
        try:
            count, window_end = await self.count(key, WINDOW_SECONDS)
        except SQLAlchemyError as exc:
            raise LimiterUnavailable(per_minute) from exc
        return RateLimitResult(
            allowed=count <= per_minute,
            limit=per_minute,
            remaining=max(0, per_minute - count),
            reset_at=float(window_end),
        )

    async def count(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Count one hit for ``key`` in the current aligned window of ``window_seconds``;
        returns the window's count so far and its end (Unix seconds). Raises
        ``SQLAlchemyError`` when the database cannot be reached."""
        now = int(time.time())
        window = now // window_seconds * window_seconds
        async with self._sessionmaker() as session:
            count = await _increment(session, key, window, window + window_seconds)
            minute = now // WINDOW_SECONDS
            if minute != self._swept_window:
                # Finished windows are never read again; one sweep a minute per process.
                self._swept_window = minute
                await session.execute(
                    delete(RateLimitCounter).where(RateLimitCounter.window_end <= now)
                )
            await session.commit()
        return count, window + window_seconds

    async def clear(self, key: str) -> None:
        """Forget every window counted for ``key``."""
        async with self._sessionmaker() as session, session.begin():
            await session.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key))


async def _increment(session: AsyncSession, key: str, window: int, window_end: int) -> int:
    """Add one to the key's counter for ``window`` and return the new count, atomically."""
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    statement = (
        insert(RateLimitCounter)
        .values(key=key, window_start=window, count=1, window_end=window_end)
        .on_conflict_do_update(
            index_elements=[RateLimitCounter.key, RateLimitCounter.window_start],
            set_={"count": RateLimitCounter.count + 1},
        )
        .returning(RateLimitCounter.count)
    )
    return int((await session.execute(statement)).scalar_one())


def build_rate_limiter(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> RateLimiter:
    """Redis when configured; else the database or process memory, as the settings say."""
    if not settings.redis_url and settings.rate_limit_storage == "database":
        return DatabaseRateLimiter(sessionmaker)
    return StorageRateLimiter(limits_storage(settings, "limits"))
