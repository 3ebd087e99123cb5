"""Dashboard sessions: a signed cookie (itsdangerous) holding the account id and a CSRF token.

The signing key lives in the ``server_secrets`` table, so every worker accepts every other
worker's cookies. The cookie also carries a fingerprint of the account's password hash: setting
a new password signs out every existing session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finetune.config import Settings
from finetune.files.service import shared_secret
from finetune.models import Account

COOKIE_NAME = "finetune_session"
SESSION_LIFETIME = timedelta(days=14)
SECRET_NAME = "dashboard_session_key"
_SALT = "finetune.dashboard.session"


def password_fingerprint(account: Account) -> str:
    """A short digest of the password hash: it changes whenever the password does."""
    return hashlib.sha256((account.password_hash or "").encode()).hexdigest()[:16]


class DashboardSession:
    """The decoded cookie; any change marks it for re-sending."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = {k: v for k, v in data.items() if isinstance(v, str)}
        self.modified = False

    @property
    def account_id(self) -> str | None:
        return self._data.get("account")

    @property
    def password_fingerprint(self) -> str | None:
        return self._data.get("pw")

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

    def log_in(self, account: Account) -> None:
        """Bind the session to ``account`` with a fresh CSRF token."""
        self._data = {
            "account": account.id,
            "pw": password_fingerprint(account),
            "csrf": secrets.token_urlsafe(32),
        }
        self.modified = True

    def clear(self) -> None:
        self._data = {}
        self.modified = True

    def to_dict(self) -> dict[str, str]:
        return dict(self._data)


def session_of(connection: HTTPConnection) -> DashboardSession:
    """The session the middleware attached to this request."""
    session = getattr(connection.state, "dashboard_session", None)
    if not isinstance(session, DashboardSession):
        raise RuntimeError("the dashboard session middleware is not installed")
    return session


class SessionCookies:
    """ASGI middleware: decode the cookie before the app runs, re-sign it if it changed."""

    def __init__(
        self, app: ASGIApp, *, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
    ) -> None:
        self.app = app
        self.sessionmaker = sessionmaker
        self.secure = settings.public_url.lower().startswith("https://")
        self._serializer: URLSafeTimedSerializer | None = None

    async def serializer(self) -> URLSafeTimedSerializer:
        if self._serializer is None:
            secret = await shared_secret(self.sessionmaker, SECRET_NAME)
            self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)
        return self._serializer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        serializer = await self.serializer()
        raw = HTTPConnection(scope).cookies.get(COOKIE_NAME)
        session = DashboardSession(self._decode(serializer, raw))
        scope.setdefault("state", {})["dashboard_session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session.modified:
                value = serializer.dumps(session.to_dict()) if session.to_dict() else ""
                MutableHeaders(scope=message).append("set-cookie", self._cookie(value))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    @staticmethod
    def _decode(serializer: URLSafeTimedSerializer, raw: str | None) -> dict[str, Any]:
        if not raw:
            return {}
        try:
            data = serializer.loads(raw, max_age=int(SESSION_LIFETIME.total_seconds()))
        except BadSignature:  # also covers expired cookies
            return {}
        return data if isinstance(data, dict) else {}

    def _cookie(self, value: str) -> str:
        cookie: SimpleCookie = SimpleCookie()
        cookie[COOKIE_NAME] = value
        morsel = cookie[COOKIE_NAME]
        morsel["path"] = "/"
        morsel["httponly"] = True
        morsel["samesite"] = "Lax"
        morsel["max-age"] = int(SESSION_LIFETIME.total_seconds()) if value else 0
        if self.secure:
            morsel["secure"] = True
        return morsel.OutputString()
