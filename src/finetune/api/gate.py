"""The ASGI gate in front of ``/api/v1`` and ``/files``: auth, rate limits, body limits.

It runs before routing, so unknown routes and wrong methods are authenticated and counted too,
and it stamps the ``ratelimit-*`` headers on every response under those prefixes, errors
included.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finetune.accounts.service import rate_limit_for
from finetune.api.auth import AuthContext
from finetune.api.errors import error_response
from finetune.api.ids import utc_now
from finetune.api.limits import (
    body_limit,
    check_declared_length,
    check_json_text,
    is_json_content,
    read_body,
)
from finetune.api.ratelimit import LimiterUnavailable, RateLimiter, RateLimitResult
from finetune.config import Settings
from finetune.db import DatabaseUnavailable, is_connection_failure
from finetune.errors import FinetuneError, InvalidApiKey, MissingApiKey, RateLimitExceeded
from finetune.keys.service import LAST_USED_RESOLUTION, find_active_key, record_key_use

logger = logging.getLogger("finetune.api")

GATED_PREFIXES = ("/api/v1", "/files/")
# One message for every bad key, so answers do not reveal which keys exist.
INVALID_KEY_MESSAGE = "invalid API key"


def is_gated(path: str) -> bool:
    """True for paths the gate authenticates and rate-limits."""
    return path == "/api/v1" or path.startswith(("/api/v1/", "/files/"))


class Rejection(Exception):
    """A request refused by the gate, with the rate-limit state to report."""

    def __init__(self, error: FinetuneError, rate: RateLimitResult | None) -> None:
        super().__init__(error.message)
        self.error = error
        self.rate = rate


class ApiGate:
    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        limiter: RateLimiter,
    ) -> None:
        self.app = app
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.limiter = limiter
        self._last_touched: dict[str, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_gated(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        rate: RateLimitResult | None = None
        try:
            auth, rate = await self._authenticate(scope, headers)
            content_type = headers.get("content-type", "")
            limit = body_limit(content_type)
            check_declared_length(headers.get("content-length"), limit)
            body, disconnected = await read_body(receive, limit)
            if is_json_content(content_type):
                check_json_text(body)
        except Rejection as rejection:
            await _send_error(send, rejection.error, rejection.rate)
            return
        except LimiterUnavailable as error:
            await _send_error(send, error, error.rate)
            return
        except FinetuneError as error:
            await _send_error(send, error, rate)
            return
        except Exception as exc:
            if not is_connection_failure(exc):
                raise
            logger.warning("database unavailable on %s: %s", scope["path"], exc)
            await _send_error(send, DatabaseUnavailable(), rate)
            return
        if auth is not None:
            scope.setdefault("state", {})["auth"] = auth
        await self._forward(scope, _replay(body, disconnected, receive), send, rate)

    async def _forward(
        self, scope: Scope, receive: Receive, send: Send, rate: RateLimitResult
    ) -> None:
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                response_headers = MutableHeaders(scope=message)
                for name, value in rate.headers().items():
                    response_headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started:
                logger.exception("error after the response started on %s", scope["path"])
                raise
            error: FinetuneError
            if is_connection_failure(exc):
                logger.warning("database unavailable on %s: %s", scope["path"], exc)
                error = DatabaseUnavailable()
            else:
                logger.exception("unhandled error on %s %s", scope.get("method"), scope["path"])
                error = FinetuneError("internal server error")
            await _send_error(send, error, rate)

    async def _hit_anonymous(self, scope: Scope) -> RateLimitResult:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        rate = await self.limiter.hit(f"anon:{address}", self.settings.rate_limit_anonymous)
        if not rate.allowed:
            raise Rejection(_too_many(rate), rate)
        return rate

    async def _authenticate(
        self, scope: Scope, headers: Headers
    ) -> tuple[AuthContext | None, RateLimitResult]:
        secret = headers.get("x-api-key", "").strip()
        if not secret:
            rate = await self._hit_anonymous(scope)
            if scope["path"].startswith("/files/"):
                return None, rate  # file links carry their own signature
            raise Rejection(MissingApiKey("an X-API-Key header is required"), rate)
        async with self.sessionmaker() as session:
            found = await find_active_key(session, secret)
        if found is None:
            rate = await self._hit_anonymous(scope)
            raise Rejection(InvalidApiKey(INVALID_KEY_MESSAGE), rate)
        key, account = found
        per_minute = rate_limit_for(account, self.settings)
        rate = await self.limiter.hit(f"acct:{account.id}:{key.mode}", per_minute)
        if not rate.allowed:
            raise Rejection(_too_many(rate), rate)
        await self._touch(key.id)
        auth = AuthContext(
            account_id=account.id,
            key_id=key.id,
            livemode=key.mode == "live",
            plan=account.plan,
            rate_limit=per_minute,
            rate_limit_remaining=rate.remaining,
            rate_limit_reset=rate.reset,
        )
        return auth, rate

    async def _touch(self, key_id: str) -> None:
        # Remembered per process so a busy key costs one write a minute, not one per request.
        now = time.monotonic()
        last = self._last_touched.get(key_id)
        if last is not None and now - last < LAST_USED_RESOLUTION.total_seconds():
            return
        self._last_touched[key_id] = now
        async with self.sessionmaker() as session:
            await record_key_use(session, key_id, utc_now())
            await session.commit()


def _too_many(rate: RateLimitResult) -> RateLimitExceeded:
    retry_after = rate.retry_after(time.time())
    return RateLimitExceeded(
        f"rate limit of {rate.limit} requests per minute exceeded; retry in {retry_after} seconds",
        headers={"Retry-After": str(retry_after)},
    )


def _replay(body: bytes, disconnected: bool, receive: Receive) -> Receive:
    """A ``receive`` that hands the already-read body over, then defers to the real one."""
    pending: list[MutableMapping[str, Any]] = [
        {"type": "http.request", "body": body, "more_body": False}
    ]
    if disconnected:
        pending.append({"type": "http.disconnect"})

    async def replay() -> MutableMapping[str, Any]:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


async def _send_error(
    send: Callable[[Message], Awaitable[None]],
    error: FinetuneError,
    rate: RateLimitResult | None,
) -> None:
    response = error_response(error)
    if rate is not None:
        for name, value in rate.headers().items():
            response.headers[name] = value
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": response.raw_headers,
        }
    )
    await send({"type": "http.response.body", "body": response.body})
