"""Fixed-window rate limits (one minute) through the ``limits`` library.

Counting is an atomic increment in the storage, so with Redis configured (shared by every
worker) no more than the limit succeed in a window, whatever the number of processes. The
in-memory storage is exact within one process, which is why ``serve`` refuses several workers
without Redis.

When Redis cannot be reached the limiter fails closed: it raises :class:`LimiterUnavailable`
(503 ``service_unavailable``) rather than letting requests through uncounted.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from finetune.config import Settings
from finetune.errors import ServiceUnavailable

# A Redis that does not answer within this many seconds counts as down: requests must not hang.
REDIS_TIMEOUT_SECONDS = 2.0
UNAVAILABLE_RETRY_AFTER = 5


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


class RateLimiter:
    """Counts requests per key in one-minute windows."""

    def __init__(self, redis_url: str | None = None, key_prefix: str = "finetune") -> None:
        if redis_url:
            storage = storage_from_string(
                f"async+{redis_url}",
                implementation="redispy",
                key_prefix=f"{key_prefix}:limits",
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
        else:
            storage = storage_from_string("async+memory://")
        self._limiter = FixedWindowRateLimiter(storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        """Redis-backed when ``FINETUNE_REDIS_URL`` is set, else in process memory."""
        return cls(settings.redis_url, settings.redis_key_prefix)

    async def hit(self, key: str, per_minute: int) -> RateLimitResult:
        """Count one request for ``key``; ``allowed`` is False once the limit is used up.

        Raises :class:`LimiterUnavailable` when the storage cannot be reached.
        """
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
