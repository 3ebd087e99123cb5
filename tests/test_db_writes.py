"""SQLite sessions of one process take turns to write (finetune.db_writes)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db_support import migrated_engine
from finetune.config import Settings
from finetune.db import create_sessionmaker
from finetune.db_writes import SerializedWriteSession
from finetune.models import ServerSecret


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    settings = Settings(data_dir=tmp_path, database_url=None)
    async with migrated_engine(settings) as engine:
        yield create_sessionmaker(engine)


async def test_sqlite_sessions_serialize_writes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A second writer waits in asyncio, its UPDATE not yet sent to SQLite, until the first
    commits; then both writes are stored."""
    events: list[str] = []
    first_wrote = asyncio.Event()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("UPDATE"):
            events.append("UPDATE sent")

    event.listen(sessions.kw["bind"].sync_engine, "before_cursor_execute", record)

    async def first() -> None:
        async with sessions() as session, session.begin():
            assert isinstance(session, SerializedWriteSession)
            session.add(ServerSecret(name="a", value="1"))
            await session.flush()
            first_wrote.set()
            await asyncio.sleep(0.2)  # hold the write lock across an await
            events.append("first commits")

    async def second() -> None:
        await first_wrote.wait()
        async with sessions() as session, session.begin():
            await session.execute(update(ServerSecret).values(value="2"))

    await asyncio.wait_for(asyncio.gather(first(), second()), timeout=20)
    assert events == ["first commits", "UPDATE sent"]
    async with sessions() as session:
        assert (await session.scalars(select(ServerSecret.value))).all() == ["2"]


async def test_lock_is_handed_on_after_rollback_and_failed_statements(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Rollbacks and writes that fail leave no lock behind: the next writer goes straight on."""
    async with sessions() as session:
        session.add(ServerSecret(name="a", value="1"))
        await session.flush()
        await session.rollback()
    async with sessions() as session, session.begin():
        session.add(ServerSecret(name="a", value="1"))
    with pytest.raises(Exception, match="UNIQUE"):
        async with sessions() as session, session.begin():
            session.add(ServerSecret(name="a", value="again"))
            await session.flush()

    async def write() -> None:
        async with sessions() as session, session.begin():
            await session.execute(update(ServerSecret).values(value="3"))

    await asyncio.wait_for(write(), timeout=2)  # a leaked lock would stall it for 10 s
