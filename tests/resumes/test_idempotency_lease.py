"""The idempotency store's lease: renewed while its request runs, lapsing soon after its process
dies, so a crashed request's key is retryable within one lease and a live one never loses it.

Runs on SQLite, and on PostgreSQL on that leg of the test matrix (the ``sessions`` fixture).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from pydantic import ValidationError as SettingsError
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.accounts.service import create_account
from finetune.config import Settings
from finetune.errors import IdempotencyKeyInUse
from finetune.resumes.idempotency import (
    Reservation,
    Scope,
    SqlIdempotencyStore,
    StoredResponse,
    lease_duration,
)

Sessions = async_sessionmaker[AsyncSession]
FINGERPRINT = "f" * 64
ANSWER = StoredResponse(200, b'{"ok":true}', {})
# Short enough for quick tests, long enough that a loaded machine renews in time (every 0.67 s).
LEASE = timedelta(seconds=2)


async def _scope(sessions: Sessions) -> Scope:
    async with sessions() as session, session.begin():
        account = await create_account(session, f"lease-{uuid.uuid4().hex[:10]}@example.com")
    return Scope(account.id, True, "order-1")


async def _reserve(store: SqlIdempotencyStore, scope: Scope) -> Reservation:
    outcome = await store.reserve(scope, FINGERPRINT)
    assert isinstance(outcome, Reservation)
    return outcome


async def _complete(sessions: Sessions, store: SqlIdempotencyStore, held: Reservation) -> None:
    async with sessions() as session, session.begin():
        await store.complete(session, held, ANSWER)


def test_default_lease_is_15_seconds_and_configurable() -> None:
    """The lease no longer derives from the LLM timeout: 15 s unless configured."""
    assert lease_duration(Settings(llm_timeout=600)) == timedelta(seconds=15)
    assert lease_duration(Settings(idempotency_lease_seconds=4.5)) == timedelta(seconds=4.5)


@pytest.mark.parametrize("seconds", [0, -1, 0.5])
def test_lease_under_a_second_is_refused(seconds: float) -> None:
    """A lease the heartbeat could not keep is refused when the settings load."""
    with pytest.raises(SettingsError, match="idempotency_lease_seconds"):
        Settings(idempotency_lease_seconds=seconds)


async def test_live_holder_keeps_its_key_for_many_leases(sessions: Sessions) -> None:
    """While the work runs (here three leases long), every retry is 409; then it completes and
    retries replay its answer."""
    store = SqlIdempotencyStore(sessions, LEASE)
    scope = await _scope(sessions)
    held = await _reserve(store, scope)
    async with store.kept_alive(held):
        for _ in range(6):
            await asyncio.sleep(LEASE.total_seconds() / 2)
            with pytest.raises(IdempotencyKeyInUse):
                await store.reserve(scope, FINGERPRINT)
    await _complete(sessions, store, held)
    assert await store.reserve(scope, FINGERPRINT) == ANSWER


async def test_dead_holder_key_is_taken_over_after_one_lease(sessions: Sessions) -> None:
    """A holder that stops renewing (its process died) blocks the key for one lease only; the
    new owner does the work, and the old one can neither renew, complete nor release it."""
    store = SqlIdempotencyStore(sessions, LEASE)
    scope = await _scope(sessions)
    dead = await _reserve(store, scope)
    with pytest.raises(IdempotencyKeyInUse):
        await store.reserve(scope, FINGERPRINT)
    await asyncio.sleep(LEASE.total_seconds() + 0.2)
    heir = await _reserve(store, scope)
    assert heir.token != dead.token
    assert not await store.renew(dead)
    with pytest.raises(IdempotencyKeyInUse):
        await _complete(sessions, store, dead)
    await store.release(dead)  # a no-op: the key is the heir's
    with pytest.raises(IdempotencyKeyInUse):
        await store.reserve(scope, FINGERPRINT)
    await _complete(sessions, store, heir)
    assert await store.reserve(scope, FINGERPRINT) == ANSWER


async def test_a_late_renewal_before_any_takeover_keeps_the_key(sessions: Sessions) -> None:
    """A takeover checks the lease as it writes: a holder that renews after its lease lapsed,
    before anyone took over, still owns the key."""
    store = SqlIdempotencyStore(sessions, LEASE)
    scope = await _scope(sessions)
    held = await _reserve(store, scope)
    await asyncio.sleep(LEASE.total_seconds() + 0.2)
    assert await store.renew(held)
    with pytest.raises(IdempotencyKeyInUse):
        await store.reserve(scope, FINGERPRINT)
    await _complete(sessions, store, held)


async def test_a_failed_renewal_is_retried_at_the_next_beat(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dropped connection during one renewal does not end the heartbeat: the next beat
    renews, and the key outlives several leases."""
    store = SqlIdempotencyStore(sessions, LEASE)
    scope = await _scope(sessions)
    held = await _reserve(store, scope)
    renew = store.renew
    calls: list[int] = []

    async def flaky_renew(reservation: Reservation) -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE", {}, Exception("connection dropped"))
        return await renew(reservation)

    monkeypatch.setattr(store, "renew", flaky_renew)
    async with store.kept_alive(held):
        await asyncio.sleep(LEASE.total_seconds() * 2.5)
        with pytest.raises(IdempotencyKeyInUse):
            await store.reserve(scope, FINGERPRINT)
    assert len(calls) >= 3
    await _complete(sessions, store, held)


async def test_the_heartbeat_stops_with_its_block(sessions: Sessions) -> None:
    """Leaving kept_alive (the work failed and the process stays up) stops the renewals, so
    an unreleased key lapses after one lease like a crashed one."""
    store = SqlIdempotencyStore(sessions, LEASE)
    scope = await _scope(sessions)
    held = await _reserve(store, scope)
    with pytest.raises(RuntimeError):
        async with store.kept_alive(held):
            await asyncio.sleep(LEASE.total_seconds() / 2)
            raise RuntimeError("the work failed")
    await asyncio.sleep(LEASE.total_seconds() + 0.2)
    assert isinstance(await store.reserve(scope, FINGERPRINT), Reservation)
