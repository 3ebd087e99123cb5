"""One SQLite writer at a time per process, queued in asyncio instead of in SQLite's busy handler.

SQLite lets one connection write at a time. A connection that finds the write lock taken sleeps
in SQLite's busy handler, in steps growing to 100 ms, whatever happens to the lock meanwhile.
Under concurrent writes (e.g. 32 clients generating resumes) the sleepers pile up: the lock
falls free while every waiter is still asleep, and throughput collapses while the CPU idles.
:class:`SerializedWriteSession` makes the sessions of one process take turns on an asyncio lock
before their first write, and hands the lock on the moment a transaction ends, so the busy
handler is only left to arbitrate between processes.

The lock is an optimisation, never a correctness device: a write it does not see (one flushed by
the commit itself) simply falls back to SQLite's own locking, and a waiter that does not get the
lock within the busy timeout proceeds anyway, to meet SQLite's usual answer.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import UpdateBase

# As long as the connection's own busy_timeout: past it, SQLite would have failed the write.
LOCK_WAIT_SECONDS = 10.0
_HELD = "finetune.write_lock"  # Session.info key: the lock this session holds


class WriteLocks:
    """One asyncio lock per event loop (an engine may outlive a loop, e.g. in tests)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def for_running_loop(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock


class _WriteTrackingSession(Session):
    """The sync session under :class:`SerializedWriteSession`; releases the lock at the end of
    each outermost transaction (commit, rollback or close)."""


@event.listens_for(_WriteTrackingSession, "after_transaction_end")
def _release_write_lock(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    lock: asyncio.Lock | None = session.info.pop(_HELD, None)
    if lock is not None:
        lock.release()


class SerializedWriteSession(AsyncSession):
    """An AsyncSession that takes the process's SQLite write lock before its first write."""

    sync_session_class = _WriteTrackingSession

    def __init__(self, *args: Any, write_locks: WriteLocks, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_locks = write_locks

    def _has_pending_writes(self) -> bool:
        sync = self.sync_session
        return bool(sync.new or sync.deleted or sync.dirty)

    async def _before_write(self) -> None:
        if _HELD in self.sync_session.info:
            return
        lock = self._write_locks.for_running_loop()
        try:
            await asyncio.wait_for(lock.acquire(), LOCK_WAIT_SECONDS)
        except TimeoutError:
            return  # let SQLite's busy handler decide, as without this lock
        self.sync_session.info[_HELD] = lock

    async def execute(self, statement: Executable, *args: Any, **kwargs: Any) -> Result[Any]:
        # DML writes; any statement may autoflush pending objects first.
        if isinstance(statement, UpdateBase) or self._has_pending_writes():
            await self._before_write()
        return await super().execute(statement, *args, **kwargs)

    async def flush(self, objects: Sequence[Any] | None = None) -> None:
        if self._has_pending_writes():
            await self._before_write()
        await super().flush(objects)

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        if self._has_pending_writes():
            await self._before_write()
        return await super().get(*args, **kwargs)

    async def scalar(self, statement: Executable, *args: Any, **kwargs: Any) -> Any:
        if isinstance(statement, UpdateBase) or self._has_pending_writes():
            await self._before_write()
        return await super().scalar(statement, *args, **kwargs)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            # Taken but no transaction began (the statement failed first): hand it on anyway.
            lock: asyncio.Lock | None = self.sync_session.info.pop(_HELD, None)
            if lock is not None:
                lock.release()
