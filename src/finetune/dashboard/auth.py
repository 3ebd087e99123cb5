"""Who is signed in, CSRF protection for every unsafe request, and login throttling."""

from __future__ import annotations

import contextlib
import secrets
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.accounts.service import get_account
from finetune.api.ratelimit import limits_storage
from finetune.config import Settings
from finetune.dashboard.sessions import password_fingerprint, session_of
from finetune.errors import FinetuneError, NotFound, RateLimitExceeded, ServiceUnavailable
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
    """The signed-in account, or :class:`LoginRequired` (also when its password changed)."""
    session = session_of(request)
    account_id = session.account_id
    if account_id is not None:
        async with db_sessions(request)() as db:
            try:
                account = await get_account(db, account_id)
            except NotFound:
                account = None
        if account is not None and session.password_fingerprint == password_fingerprint(account):
            request.state.account = account
            return account
        session.clear()
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    raise LoginRequired(target if request.method == "GET" else "/")


SignedIn = Annotated[Account, Depends(current_account)]


class Throttle:
    """Counts sign-in attempts and dashboard generations in moving windows (in memory, or in
    Redis shared by every worker when configured)."""

    def __init__(self, settings: Settings) -> None:
        self._limiter = MovingWindowRateLimiter(limits_storage(settings, "dashboard"))
        self._per_email = RateLimitItemPerHour(settings.login_attempts_per_email)
        self._per_address = RateLimitItemPerMinute(settings.login_attempts_per_address)

    async def _hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        try:
            return bool(await self._limiter.hit(item, *identifiers))
        except StorageError as exc:
            # Fail closed: without the counters, sign-in would be open to password guessing.
            raise ServiceUnavailable(
                "Sign-in is briefly unavailable. Try again in a few seconds.",
                headers={"Retry-After": "5"},
            ) from exc

    async def check_login(self, address: str, email: str | None) -> None:
        """Count one attempt; raise ``RateLimitExceeded`` once either budget is spent."""
        if not await self._hit(self._per_address, "dash-addr", address):
            raise RateLimitExceeded(
                "Too many attempts from your network. Wait a minute and try again."
            )
        email_key = email.strip().lower() if email else None
        if email_key and not await self._hit(self._per_email, "dash-email", email_key):
            raise RateLimitExceeded(
                "Too many sign-in attempts for this account. Try again in an hour."
            )

    async def login_succeeded(self, email: str) -> None:
        """A correct password resets that email's budget."""
        with contextlib.suppress(StorageError):  # the budget simply runs out on its own
            await self._limiter.clear(self._per_email, "dash-email", email.strip().lower())

    async def check_generation(self, account_id: str, per_minute: int) -> None:
        """Dashboard generations: at most the account's API rate limit per minute."""
        if not await self._hit(RateLimitItemPerMinute(per_minute), "dash-gen", account_id):
            raise RateLimitExceeded(
                f"You can tailor {per_minute} resumes per minute. Wait a moment and try again."
            )


def client_address(request: Request) -> str:
    """The peer address (uvicorn resolves proxy headers when told to trust them)."""
    return request.client.host if request.client else "unknown"
