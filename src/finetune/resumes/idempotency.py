"""Idempotent POSTs (CONTRACT.md "Idempotency"), recorded in the database.

A request that carries ``Idempotency-Key`` first *reserves* its key (a ``running`` record,
committed at once so every worker sees it), then does its work, and *completes* the record with
its final response inside the same transaction that stores the work, so a charge can never exist
without its replayable response.

Ownership is a short *lease* (``FINETUNE_IDEMPOTENCY_LEASE_SECONDS``, 15 s by default) that the
owner renews every third of it while it works (:meth:`SqlIdempotencyStore.kept_alive`), however
long an LLM takes. A process that dies stops renewing, so its keys become retryable within one
lease; a fixed lock would have to outlast the slowest possible request instead (minutes). Every
write names the owner's random ``lease_token``, and a takeover also requires the lease to have
lapsed, so exactly one request owns a key at any moment. The database is the one source of truth
for every worker on every machine; nothing about keys is kept in Redis. Machines compare lease
times on their own clocks, which NTP keeps far closer than the lease's slack (two renewals).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, CursorResult, and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.api.ids import utc_now
from finetune.config import Settings
from finetune.errors import (
    FinetuneError,
    IdempotencyError,
    IdempotencyKeyInUse,
    NotFound,
    ValidationError,
)
from finetune.models import IdempotencyRecord

logger = logging.getLogger("finetune.idempotency")

RECORD_LIFETIME = timedelta(hours=24)
RENEWALS_PER_LEASE = 3
RETRY_AFTER_SECONDS = 2
MAX_KEY_LENGTH = 256


def lease_duration(settings: Settings) -> timedelta:
    """How long a request owns its key without renewing: ``FINETUNE_IDEMPOTENCY_LEASE_SECONDS``."""
    return timedelta(seconds=settings.idempotency_lease_seconds)


def validate_key(raw: str) -> str:
    """The header value if it is 1–256 printable ASCII characters, else a ``ValidationError``."""
    if not 1 <= len(raw) <= MAX_KEY_LENGTH or not all(" " <= ch <= "~" for ch in raw):
        raise ValidationError("Idempotency-Key must be 1-256 printable ASCII characters")
    return raw


def fingerprint(method: str, path: str, body: bytes) -> str:
    """A digest of what the request asks for: key order and whitespace in JSON do not matter."""
    try:
        canonical = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8", "surrogatepass")
    except ValueError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def encode_json(body: dict[str, Any]) -> bytes:
    """A response body as the API sends (and stores) it: compact UTF-8 JSON."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Scope:
    account_id: str
    livemode: bool
    key: str


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: bytes
    headers: dict[str, str]


def stored_error(error: FinetuneError) -> StoredResponse:
    """An error answer in the documented shape, as it is stored and replayed."""
    return StoredResponse(error.status, encode_json(error.to_dict()), dict(error.headers))


@dataclass(frozen=True)
class Reservation:
    """Proof that this request owns its key: the lease token every later write names."""

    scope: Scope
    token: str


class IdempotencyStore(Protocol):
    async def reserve(self, scope: Scope, request_fingerprint: str) -> Reservation | StoredResponse:
        """Own the key (returns a reservation) or get the finished response to replay.

        Raises ``IdempotencyError`` for another request under the same key and
        ``IdempotencyKeyInUse`` while another request still owns it.
        """
        ...

    def kept_alive(self, reservation: Reservation) -> AbstractAsyncContextManager[None]:
        """An async context that renews the reservation's lease while the work runs."""
        ...

    async def complete(
        self,
        session: AsyncSession,
        reservation: Reservation,
        response: StoredResponse,
        resume_id: str | None = None,
    ) -> None:
        """Record the final response in the caller's transaction (raises if ownership was lost);
        ``resume_id`` names the resume the response shows, so deleting it withdraws the answer."""
        ...

    async def release(self, reservation: Reservation) -> None:
        """Forget the key so a retry runs again (after a 5xx or a 429)."""
        ...


def _rowcount(result: Any) -> int:
    """Rows an UPDATE/DELETE touched (``execute`` is typed as returning a plain ``Result``)."""
    return cast(CursorResult[Any], result).rowcount


def _scope_filter(scope: Scope) -> tuple[ColumnElement[bool], ...]:
    return (
        IdempotencyRecord.account_id == scope.account_id,
        IdempotencyRecord.livemode == scope.livemode,
        IdempotencyRecord.key == scope.key,
    )


def _owned(reservation: Reservation) -> tuple[ColumnElement[bool], ...]:
    """Rows this reservation still owns: its key, running, under its lease token."""
    return (
        *_scope_filter(reservation.scope),
        IdempotencyRecord.state == "running",
        IdempotencyRecord.lease_token == reservation.token,
    )


def _in_use() -> IdempotencyKeyInUse:
    return IdempotencyKeyInUse(
        "a request with this Idempotency-Key is still being processed; retry later",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class SqlIdempotencyStore:
    """:class:`IdempotencyStore` on the application database (shared by every worker)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], lease: timedelta) -> None:
        self._sessions = sessions
        self._lease = lease

    async def reserve(self, scope: Scope, request_fingerprint: str) -> Reservation | StoredResponse:
        # Two attempts: a concurrent insert or takeover can win the race between our read
        # and our write, after which the record it left decides the answer.
        for _ in range(2):
            outcome = await self._try_reserve(scope, request_fingerprint)
            if outcome is not None:
                return outcome
        raise _in_use()

    async def _try_reserve(
        self, scope: Scope, request_fingerprint: str
    ) -> Reservation | StoredResponse | None:
        now = utc_now()
        token = secrets.token_hex(16)
        fresh = {
            "fingerprint": request_fingerprint,
            "state": "running",
            "response_status": None,
            "response_body": None,
            "response_headers": None,
            "created_at": now,
            "expires_at": now + RECORD_LIFETIME,
            "lease_token": token,
            "leased_until": now + self._lease,
            "resume_id": None,
        }
        async with self._sessions() as session:
            try:
                async with session.begin():
                    session.add(
                        IdempotencyRecord(
                            account_id=scope.account_id,
                            livemode=scope.livemode,
                            key=scope.key,
                            **fresh,
                        )
                    )
                return Reservation(scope, token)
            except IntegrityError:
                pass
            async with session.begin():
                record = (
                    await session.execute(select(IdempotencyRecord).where(*_scope_filter(scope)))
                ).scalar_one_or_none()
                if record is None:
                    return None  # released meanwhile: try inserting again
                expired = record.expires_at <= now
                abandoned = record.state == "running" and record.leased_until <= now
                if expired or abandoned:
                    taken = await session.execute(
                        update(IdempotencyRecord)
                        .where(
                            IdempotencyRecord.id == record.id,
                            IdempotencyRecord.lease_token == record.lease_token,
                            IdempotencyRecord.state == record.state,
                            # Checked again in the write: a renewal since our read wins.
                            or_(
                                IdempotencyRecord.expires_at <= now,
                                and_(
                                    IdempotencyRecord.state == "running",
                                    IdempotencyRecord.leased_until <= now,
                                ),
                            ),
                        )
                        .values(**fresh)
                    )
                    return Reservation(scope, token) if _rowcount(taken) == 1 else None
                if record.fingerprint != request_fingerprint:
                    raise IdempotencyError(
                        "this Idempotency-Key was already used with a different request; "
                        "use a new key for a new request"
                    )
                if record.state == "running":
                    raise _in_use()
                return StoredResponse(
                    status=record.response_status or 200,
                    body=(record.response_body or "").encode(),
                    headers=dict(record.response_headers or {}),
                )

    async def renew(self, reservation: Reservation) -> bool:
        """Extend the lease by a full term from now; False once the key is no longer ours."""
        async with self._sessions() as session, session.begin():
            renewed = await session.execute(
                update(IdempotencyRecord)
                .where(*_owned(reservation))
                .values(leased_until=utc_now() + self._lease)
            )
        return _rowcount(renewed) == 1

    async def _heartbeat(self, reservation: Reservation) -> None:
        interval = self._lease.total_seconds() / RENEWALS_PER_LEASE
        while True:
            await asyncio.sleep(interval)
            try:
                if not await self.renew(reservation):
                    # Only after missing every renewal of a lease: complete() will refuse.
                    logger.warning("idempotency lease lost to a takeover; the work will not count")
                    return
            except SQLAlchemyError:
                # A dropped connection or a busy database: the next beat tries again, and the
                # lease still has the rest of its term.
                logger.warning("idempotency lease renewal failed; retrying", exc_info=True)

    @asynccontextmanager
    async def kept_alive(self, reservation: Reservation) -> AsyncIterator[None]:
        """Renew the lease every third of its term until the block ends."""
        beat = asyncio.create_task(self._heartbeat(reservation))
        try:
            yield
        finally:
            beat.cancel()
            await asyncio.gather(beat, return_exceptions=True)

    async def complete(
        self,
        session: AsyncSession,
        reservation: Reservation,
        response: StoredResponse,
        resume_id: str | None = None,
    ) -> None:
        done = await session.execute(
            update(IdempotencyRecord)
            .where(*_owned(reservation))
            .values(
                state="done",
                response_status=response.status,
                response_body=response.body.decode(),
                response_headers=response.headers,
                leased_until=utc_now(),
                resume_id=resume_id,
            )
        )
        if _rowcount(done) != 1:
            # Our lease lapsed and another request took the key over: it does the work, not us.
            raise _in_use()

    async def release(self, reservation: Reservation) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(delete(IdempotencyRecord).where(*_owned(reservation)))


async def withdraw_answers(session: AsyncSession, resume_id: str) -> None:
    """Replace every stored answer that shows ``resume_id`` by a ``not_found`` (in the caller's
    transaction, the one deleting the resume): a retry with those keys is answered, replayed and
    uncharged as before, but never with the deleted resume's content."""
    gone = stored_error(
        NotFound(
            f"resume {resume_id} was deleted after this Idempotency-Key's request; "
            "its answer is no longer available. Use a new key to make a new request"
        )
    )
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.resume_id == resume_id)
        .values(
            response_status=gone.status,
            response_body=gone.body.decode(),
            response_headers=gone.headers,
        )
    )
