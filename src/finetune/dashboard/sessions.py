"""Dashboard sessions: a signed cookie (itsdangerous) naming a server-side session record, plus
the CSRF token; and a second cookie remembering which accounts this browser signed in to.

The session record (``dashboard_sessions``) is the authority, so every worker agrees at once:
signing out deletes it, and a copy of the cookie is worthless afterwards. The cookie carries a
random token; the table holds only its SHA-256. A record also keeps a fingerprint of the account's
password hash from sign-in: setting a new password signs out every existing session.

The signing key lives in the ``server_secrets`` table, so every worker accepts every other
worker's cookies.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finetune.api.ids import utc_now
from finetune.config import Settings
from finetune.dashboard.throttle import email_key
from finetune.files.service import shared_secret
from finetune.models import Account, DashboardSessionRecord

COOKIE_NAME = "finetune_session"
KNOWN_COOKIE_NAME = "finetune_known"
SESSION_LIFETIME = timedelta(days=14)
KNOWN_LIFETIME = timedelta(days=365)
MAX_KNOWN_ACCOUNTS = 10
SECRET_NAME = "dashboard_session_key"
_SALT = "finetune.dashboard.session"
_KNOWN_SALT = "finetune.dashboard.known"


def password_fingerprint(account: Account) -> str:
    """A short digest of the password hash: it changes whenever the password does."""
    return hashlib.sha256((account.password_hash or "").encode()).hexdigest()[:16]


def _record_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account_mark(email: str) -> str:
    """How the known-browser cookie names an account: a digest, not the address."""
    return hashlib.sha256(email_key(email).encode("utf-8", "surrogatepass")).hexdigest()[:24]


async def start_session(db: AsyncSession, account: Account) -> str:
    """Record a new session for ``account``; returns the token for the cookie."""
    now = utc_now()
    # Expired records are never read again; sign-ins are rare enough to sweep them here.
    await db.execute(delete(DashboardSessionRecord).where(DashboardSessionRecord.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.add(
        DashboardSessionRecord(
            id=_record_id(token),
            account_id=account.id,
            password_fingerprint=password_fingerprint(account),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    await db.flush()
    return token


async def session_account(db: AsyncSession, token: str) -> Account | None:
    """The account of a live session (not signed out, not expired, same password), else None."""
    row = (
        await db.execute(
            select(Account, DashboardSessionRecord.password_fingerprint)
            .join(DashboardSessionRecord, DashboardSessionRecord.account_id == Account.id)
            .where(
                DashboardSessionRecord.id == _record_id(token),
                DashboardSessionRecord.expires_at > utc_now(),
            )
        )
    ).one_or_none()
    if row is None or row[1] != password_fingerprint(row[0]):
        return None
    account: Account = row[0]
    return account


async def end_session(db: AsyncSession, token: str) -> None:
    """Sign this session out, for every worker."""
    await db.execute(
        delete(DashboardSessionRecord).where(DashboardSessionRecord.id == _record_id(token))
    )


async def end_all_sessions(db: AsyncSession, account_id: str) -> None:
    """Sign every session of the account out ("sign out everywhere")."""
    await db.execute(
        delete(DashboardSessionRecord).where(DashboardSessionRecord.account_id == account_id)
    )


class DashboardSession:
    """The decoded cookies; any change marks them for re-sending."""

    def __init__(self, data: dict[str, Any], known: list[Any]) -> None:
        self._data = {k: v for k, v in data.items() if isinstance(v, str)}
        self._known = [mark for mark in known if isinstance(mark, str)]
        self.modified = False
        self.known_modified = False

    @property
    def token(self) -> str | None:
        """The session record's token, when signed in."""
        return self._data.get("sid")

    @property
    def csrf_token(self) -> str:
        """This session's CSRF token, created on first use (also for signed-out visitors)."""
        token = self._data.get("csrf")
        if token is None:
            token = secrets.token_urlsafe(32)
            self._data["csrf"] = token
            self.modified = True
        return token

    @property
    def has_csrf_token(self) -> bool:
        return "csrf" in self._data

    def log_in(self, token: str) -> None:
        """Carry the new session's token with a fresh CSRF token (no fixation)."""
        self._data = {"sid": token, "csrf": secrets.token_urlsafe(32)}
        self.modified = True

    def clear(self) -> None:
        self._data = {}
        self.modified = True

    def knows(self, email: str) -> bool:
        """Whether this browser signed in to the account with this email before."""
        return _account_mark(email) in self._known

    def remember(self, email: str) -> None:
        """Mark the account as signed in from this browser (most recent first)."""
        mark = _account_mark(email)
        self._known = [mark, *(m for m in self._known if m != mark)][:MAX_KNOWN_ACCOUNTS]
        self.known_modified = True

    def to_dict(self) -> dict[str, str]:
        return dict(self._data)

    def known(self) -> list[str]:
        return list(self._known)


def session_of(connection: HTTPConnection) -> DashboardSession:
    """The session the middleware attached to this request."""
    session = getattr(connection.state, "dashboard_session", None)
    if not isinstance(session, DashboardSession):
        raise RuntimeError("the dashboard session middleware is not installed")
    return session


class SessionCookies:
    """ASGI middleware: decode the cookies before the app runs, re-sign them if they changed."""

    def __init__(
        self, app: ASGIApp, *, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
    ) -> None:
        self.app = app
        self.sessionmaker = sessionmaker
        self.secure = settings.public_url.lower().startswith("https://")
        self._serializers: tuple[URLSafeTimedSerializer, URLSafeTimedSerializer] | None = None

    async def serializers(self) -> tuple[URLSafeTimedSerializer, URLSafeTimedSerializer]:
        if self._serializers is None:
            secret = await shared_secret(self.sessionmaker, SECRET_NAME)
            self._serializers = (
                URLSafeTimedSerializer(secret, salt=_SALT),
                URLSafeTimedSerializer(secret, salt=_KNOWN_SALT),
            )
        return self._serializers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sessions, known = await self.serializers()
        cookies = HTTPConnection(scope).cookies
        data = _decode(sessions, cookies.get(COOKIE_NAME), SESSION_LIFETIME)
        marks = _decode(known, cookies.get(KNOWN_COOKIE_NAME), KNOWN_LIFETIME)
        session = DashboardSession(
            data if isinstance(data, dict) else {}, marks if isinstance(marks, list) else []
        )
        scope.setdefault("state", {})["dashboard_session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if session.modified:
                    value = sessions.dumps(session.to_dict()) if session.to_dict() else ""
                    headers.append("set-cookie", self._cookie(COOKIE_NAME, value, SESSION_LIFETIME))
                if session.known_modified:
                    value = known.dumps(session.known())
                    headers.append(
                        "set-cookie", self._cookie(KNOWN_COOKIE_NAME, value, KNOWN_LIFETIME)
                    )
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, name: str, value: str, lifetime: timedelta) -> str:
        cookie: SimpleCookie = SimpleCookie()
        cookie[name] = value
        morsel = cookie[name]
        morsel["path"] = "/"
        morsel["httponly"] = True
        morsel["samesite"] = "Lax"
        morsel["max-age"] = int(lifetime.total_seconds()) if value else 0
        if self.secure:
            morsel["secure"] = True
        return morsel.OutputString()


def _decode(serializer: URLSafeTimedSerializer, raw: str | None, lifetime: timedelta) -> Any:
    if not raw:
        return None
    try:
        return serializer.loads(raw, max_age=int(lifetime.total_seconds()))
    except BadSignature:  # also covers expired cookies
        return None
