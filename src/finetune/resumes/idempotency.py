"""Idempotent POSTs (CONTRACT.md "Idempotency"), recorded in the database.

A request that carries ``Idempotency-Key`` first *reserves* its key (a ``running`` record,
committed at once so every worker sees it), then does its work, and *completes* the record with
its final response inside the same transaction that stores the work, so a charge can never exist
without its replayable response. A running record whose ``locked_until`` has passed belongs to a
process that died; the next request with the same key takes it over. Compare-and-set on
``locked_until`` makes sure exactly one request owns a key at any moment. The database is the
one source of truth for every worker on every machine; nothing about keys is kept in Redis.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, CursorResult, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.api.ids import utc_now
from finetune.config import Settings
from finetune.errors import IdempotencyError, IdempotencyKeyInUse, ValidationError
from finetune.llm.retry import RetryPolicy
from finetune.models import IdempotencyRecord

RECORD_LIFETIME = timedelta(hours=24)
# Beyond the LLM's worst case: PDF rendering, database writes and scheduling delays.
LOCK_MARGIN = timedelta(seconds=60)
RETRY_AFTER_SECONDS = 2
MAX_KEY_LENGTH = 256


def lock_lifetime(settings: Settings) -> timedelta:
    """How long a request owns its key: ``FINETUNE_IDEMPOTENCY_LOCK_SECONDS``, else longer than
    the slowest generation (every LLM attempt timing out, the waits between them, a PDF).

    A lock that lapses under a request still running is safe (the takeover's owner does the
    work; the first request's compare-and-set fails and its transaction, charge included, rolls
    back), but it wastes work, so the default errs long.
    """
    if settings.idempotency_lock_seconds is not None:
        return timedelta(seconds=settings.idempotency_lock_seconds)
    policy = RetryPolicy()
    llm_worst_case = policy.attempts * settings.llm_timeout + (
        (policy.attempts - 1) * policy.retry_after_cap
    )
    return timedelta(seconds=llm_worst_case) + LOCK_MARGIN


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


@dataclass(frozen=True)
class Reservation:
    """Proof that this request owns its key; ``locked_until`` is the compare-and-set token."""

    scope: Scope
    locked_until: datetime


class IdempotencyStore(Protocol):
    async def reserve(self, scope: Scope, request_fingerprint: str) -> Reservation | StoredResponse:
        """Own the key (returns a reservation) or get the finished response to replay.

        Raises ``IdempotencyError`` for another request under the same key and
        ``IdempotencyKeyInUse`` while another request still owns it.
        """
        ...

    async def complete(
        self, session: AsyncSession, reservation: Reservation, response: StoredResponse
    ) -> None:
        """Record the final response in the caller's transaction (raises if ownership was lost)."""
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


class SqlIdempotencyStore:
    """:class:`IdempotencyStore` on the application database (shared by every worker)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], lock_for: timedelta) -> None:
        self._sessions = sessions
        self._lock_for = lock_for

    async def reserve(self, scope: Scope, request_fingerprint: str) -> Reservation | StoredResponse:
        # Two attempts: a concurrent insert or takeover can win the race between our read
        # and our write, after which the record it left decides the answer.
        for _ in range(2):
            outcome = await self._try_reserve(scope, request_fingerprint)
            if outcome is not None:
                return outcome
        raise IdempotencyKeyInUse(
            "a request with this Idempotency-Key is still being processed; retry later",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    async def _try_reserve(
        self, scope: Scope, request_fingerprint: str
    ) -> Reservation | StoredResponse | None:
        now = utc_now()
        locked_until = now + self._lock_for
        fresh = {
            "fingerprint": request_fingerprint,
            "state": "running",
            "response_status": None,
            "response_body": None,
            "response_headers": None,
            "created_at": now,
            "expires_at": now + RECORD_LIFETIME,
            "locked_until": locked_until,
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
                return Reservation(scope, locked_until)
            except IntegrityError:
                pass
            async with session.begin():
                record = (
                    await session.execute(select(IdempotencyRecord).where(*_scope_filter(scope)))
                ).scalar_one_or_none()
                if record is None:
                    return None  # released meanwhile: try inserting again
                expired = record.expires_at <= now
                abandoned = record.state == "running" and record.locked_until <= now
                if expired or abandoned:
                    taken = await session.execute(
                        update(IdempotencyRecord)
                        .where(
                            IdempotencyRecord.id == record.id,
                            IdempotencyRecord.locked_until == record.locked_until,
                            IdempotencyRecord.state == record.state,
                        )
                        .values(**fresh)
                    )
                    return Reservation(scope, locked_until) if _rowcount(taken) == 1 else None
                if record.fingerprint != request_fingerprint:
                    raise IdempotencyError(
                        "this Idempotency-Key was already used with a different request; "
                        "use a new key for a new request"
                    )
                if record.state == "running":
                    raise IdempotencyKeyInUse(
                        "a request with this Idempotency-Key is still being processed; retry later",
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                    )
                return StoredResponse(
                    status=record.response_status or 200,
                    body=(record.response_body or "").encode(),
                    headers=dict(record.response_headers or {}),
                )

    async def complete(
        self, session: AsyncSession, reservation: Reservation, response: StoredResponse
    ) -> None:
        done = await session.execute(
            update(IdempotencyRecord)
            .where(
                *_scope_filter(reservation.scope),
                IdempotencyRecord.state == "running",
                IdempotencyRecord.locked_until == reservation.locked_until,
            )
            .values(
                state="done",
                response_status=response.status,
                response_body=response.body.decode(),
                response_headers=response.headers,
                locked_until=utc_now(),
            )
        )
        if _rowcount(done) != 1:
            # Our lock lapsed and another request took the key over: it does the work, not us.
            raise IdempotencyKeyInUse(
                "a request with this Idempotency-Key is still being processed; retry later",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )

    async def release(self, reservation: Reservation) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(IdempotencyRecord).where(
                    *_scope_filter(reservation.scope),
                    IdempotencyRecord.state == "running",
                    IdempotencyRecord.locked_until == reservation.locked_until,
                )
            )
