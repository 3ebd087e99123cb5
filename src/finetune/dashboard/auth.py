"""Who is signed in, and CSRF protection for every unsafe request."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.dashboard.sessions import session_account, session_of
from finetune.errors import FinetuneError
from finetune.models import Account

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
# Forms are small except the base-resume editor (a few fields per entry) and uploads.
MAX_FORM_FIELDS = 5000
MAX_FORM_FILES = 1
UPLOAD_LIMIT = 5_000_000


class CsrfRejected(FinetuneError):
    name = "csrf_failed"
    status = 403


class LoginRequired(Exception):
    """Raised by :func:`current_account` for anonymous visitors; answered with a redirect."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


async def read_form(request: Request) -> dict[str, object]:
    """The request's form (parsed once, cached by Starlette) as a plain dict, last value wins."""
    form = await request.form(
        max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS, max_part_size=UPLOAD_LIMIT
    )
    return dict(form.items())


async def require_csrf(request: Request) -> None:
    """Refuse unsafe requests without this session's CSRF token (form field or header)."""
    if request.method in SAFE_METHODS:
        return
    session = session_of(request)
    token = request.headers.get(CSRF_HEADER)
    if token is None:
        value = (await read_form(request)).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    if not token or not session.has_csrf_token:
        raise CsrfRejected(
            "This form has expired or was sent from another site. Reload the page and try again."
        )
    if not secrets.compare_digest(token.encode(), session.csrf_token.encode()):
        raise CsrfRejected(
            "This form's security token does not match your session. Reload the page and try again."
        )


def form_text(form: dict[str, object], name: str) -> str:
    """A text field of a form read by :func:`read_form` ("" when absent or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def db_sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    """The database sessions the dashboard shares with the API."""
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return sessions


async def current_account(request: Request) -> Account:
    """The signed-in account, or :class:`LoginRequired` (also once the session was signed out,
    expired, or the password changed)."""
    session = session_of(request)
    if session.token is not None:
        async with db_sessions(request)() as db:
            account = await session_account(db, session.token)
        if account is not None:
            request.state.account = account
            return account
        session.clear()
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    raise LoginRequired(target if request.method == "GET" else "/")


SignedIn = Annotated[Account, Depends(current_account)]


def client_address(request: Request) -> str:
    """The peer address (uvicorn resolves proxy headers when told to trust them)."""
    return request.client.host if request.client else "unknown"
