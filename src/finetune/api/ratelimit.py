"""Fixed-window rate limits (one minute) through the ``limits`` library.

Counting is an atomic increment in the storage, so with Redis configured (shared by every
worker) no more than the limit succeed in a window, whatever the number of processes. The
in-memory storage is exact within one process, which is why ``serve`` refuses several workers
without Redis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string


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


class RateLimiter:
    """Counts requests per key in one-minute windows."""

    def __init__(self, redis_url: str | None = None) -> None:
        if redis_url:
            storage = storage_from_string(f"async+{redis_url}", implementation="redispy")
        else:
            storage = storage_from_string("async+memory://")
        self._limiter = FixedWindowRateLimiter(storage)

    async def hit(self, key: str, per_minute: int) -> RateLimitResult:
        """Count one request for ``key``; ``allowed`` is False once the limit is used up."""
        item = RateLimitItemPerMinute(per_minute)
        allowed = await self._limiter.hit(item, key)
        stats = await self._limiter.get_window_stats(item, key)
        return RateLimitResult(
            allowed=bool(allowed),
            limit=per_minute,
            remaining=max(0, int(stats.remaining)),
            reset_at=float(stats.reset_time),
        )
