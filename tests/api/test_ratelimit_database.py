"""The database rate limiter: exact counts shared by separate engines (as by separate worker
processes), aligned one-minute windows, old windows swept."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from finetune.api.ratelimit import (
    WINDOW_SECONDS,
    DatabaseRateLimiter,
    StorageRateLimiter,
    build_rate_limiter,
)
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker, run_migrations
from finetune.models import RateLimitCounter


def _settings(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path, database_url=None, redis_url=None)
    run_migrations(settings)
    return settings


async def test_two_engines_share_one_exact_count(tmp_path: Path) -> None:
    """Hits through two engines on one database count together: exactly the limit is allowed."""
    settings = _settings(tmp_path)
    engines = [create_db_engine(settings) for _ in range(2)]
    limiters = [DatabaseRateLimiter(create_sessionmaker(engine)) for engine in engines]
    try:
        results = [await limiters[i % 2].hit("acct:a:test", 3) for i in range(5)]
    finally:
        for engine in engines:
            await engine.dispose()
    assert [r.allowed for r in results] == [True, True, True, False, False]
    assert [r.remaining for r in results] == [2, 1, 0, 0, 0]
    window_end = (int(time.time()) // WINDOW_SECONDS + 1) * WINDOW_SECONDS
    assert {r.reset for r in results} <= {window_end, window_end + WINDOW_SECONDS}


async def test_keys_are_counted_apart_and_old_windows_swept(tmp_path: Path) -> None:
    """Another key has its own budget; counters of finished windows are deleted."""
    settings = _settings(tmp_path)
    engine = create_db_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    try:
        async with sessionmaker() as session:
            session.add(RateLimitCounter(key="acct:old", window_start=0, count=9, window_end=60))
            await session.commit()
        limiter = DatabaseRateLimiter(sessionmaker)
        assert (await limiter.hit("acct:a:live", 1)).allowed
        assert (await limiter.hit("acct:b:live", 1)).allowed
        assert not (await limiter.hit("acct:a:live", 1)).allowed
        async with sessionmaker() as session:
            old = await session.scalar(
                select(func.count()).where(RateLimitCounter.window_start == 0)
            )
        assert old == 0
    finally:
        await engine.dispose()


def test_storage_is_chosen_from_settings(tmp_path: Path) -> None:
    """Memory by default, the database when asked (serve --workers N without Redis)."""
    engine = create_db_engine(Settings(data_dir=tmp_path))
    sessionmaker = create_sessionmaker(engine)
    default = build_rate_limiter(Settings(data_dir=tmp_path, redis_url=None), sessionmaker)
    shared = build_rate_limiter(
        Settings(data_dir=tmp_path, redis_url=None, rate_limit_storage="database"), sessionmaker
    )
    assert isinstance(default, StorageRateLimiter)
    assert isinstance(shared, DatabaseRateLimiter)
