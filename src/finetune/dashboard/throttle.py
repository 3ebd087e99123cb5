"""Sign-in throttling that a stranger cannot turn against the account's owner.

A hard lock per account (N wrong passwords from anywhere, then even the right one is refused)
lets anyone lock anyone out. Instead, attempts are counted per *client address*, per *account
and address* and, for browsers that never signed in to the account, per *account*:

- every address: ``FINETUNE_LOGIN_ATTEMPTS_PER_ADDRESS`` sign-in and sign-up attempts a minute;
- each (account, address) pair: ``FINETUNE_LOGIN_ATTEMPTS_PER_EMAIL_AND_ADDRESS`` (N) in
  5 minutes, 2N an hour, 4N a day — a backoff ladder (attempts made while throttled count
  towards the longer windows), cleared by a correct password;
- browsers that have not signed in to the account before: ``FINETUNE_LOGIN_ATTEMPTS_PER_EMAIL``
  an hour for the account, across all addresses, so a botnet gets that many guesses an hour.

A browser that signed in to the account before (it carries the signed ``finetune_known``
cookie, see :mod:`finetune.dashboard.sessions`) is exempt from the last budget: guessing from
other addresses never locks the owner out of the browsers they use, from any address.

Counters live where the API's rate limits do: Redis when configured (moving windows), else the
database when ``serve --workers N`` shares it (fixed windows), else process memory. Identifiers
are hashed, so neither store holds email addresses.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItemPerSecond
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.api.ratelimit import DatabaseRateLimiter, limits_storage
from finetune.config import Settings
from finetune.errors import RateLimitExceeded, ServiceUnavailable

STORE_ERRORS = (StorageError, SQLAlchemyError)


@dataclass(frozen=True)
class Budget:
    attempts: int
    seconds: int


class WindowCounter(Protocol):
    async def hit(self, key: str, budget: Budget) -> int | None:
        """Count one attempt: ``None`` when within budget, else seconds until it allows one."""
        ...

    async def clear(self, key: str, budget: Budget) -> None:
        """Forget the attempts counted for ``key`` under ``budget``."""
        ...


class MovingWindowCounter:
    """Moving windows in a ``limits`` storage (Redis, or process memory)."""

    def __init__(self, settings: Settings) -> None:
        self._limiter = MovingWindowRateLimiter(limits_storage(settings, "dashboard"))

    async def hit(self, key: str, budget: Budget) -> int | None:
        item = RateLimitItemPerSecond(budget.attempts, budget.seconds)
        if await self._limiter.hit(item, key):
            return None
        stats = await self._limiter.get_window_stats(item, key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def clear(self, key: str, budget: Budget) -> None:
        await self._limiter.clear(RateLimitItemPerSecond(budget.attempts, budget.seconds), key)


class DatabaseWindowCounter:
    """Fixed windows in the database (shared by the workers of ``serve --workers N``)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._counts = DatabaseRateLimiter(sessionmaker)

    async def hit(self, key: str, budget: Budget) -> int | None:
        count, window_end = await self._counts.count(f"{key}/{budget.seconds}", budget.seconds)
        return None if count <= budget.attempts else max(1, window_end - int(time.time()))

    async def clear(self, key: str, budget: Budget) -> None:
        await self._counts.clear(f"{key}/{budget.seconds}")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def email_key(email: str) -> str:
    """How an email is compared everywhere here: trimmed, lowercased."""
    return email.strip().lower()


def wait_text(seconds: int) -> str:
    """``Retry-After`` seconds as people read them: "2 minutes", "1 hour"."""
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = math.ceil(seconds / size)
            return f"{count} {unit}{'s' if count > 1 else ''}"
    return f"{seconds} second{'s' if seconds > 1 else ''}"


class Throttle:
    """The dashboard's attempt budgets: sign-in, sign-up and "Try it" generations."""

    def __init__(self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._counter: WindowCounter = (
            DatabaseWindowCounter(sessionmaker)
            if not settings.redis_url and settings.rate_limit_storage == "database"
            else MovingWindowCounter(settings)
        )
        self._per_address = Budget(settings.login_attempts_per_address, 60)
        base = settings.login_attempts_per_email_and_address
        # Longest first: an attempt refused by a short window still counts in the longer ones,
        # so guessing on while throttled earns the longer wait, and Retry-After names it.
        self._per_pair = (Budget(4 * base, 86400), Budget(2 * base, 3600), Budget(base, 300))
        self._per_account = Budget(settings.login_attempts_per_email, 3600)

    async def _hit(self, key: str, budget: Budget) -> int | None:
        try:
            return await self._counter.hit(key, budget)
        except STORE_ERRORS as exc:
            # Fail closed: without the counters, sign-in would be open to password guessing.
            raise ServiceUnavailable(
                "Sign-in is briefly unavailable. Try again in a few seconds.",
                headers={"Retry-After": "5"},
            ) from exc

    async def check_address(self, address: str) -> None:
        """Count one sign-in or sign-up attempt from ``address``."""
        wait = await self._hit("dash-addr:" + _digest(address), self._per_address)
        if wait is not None:
            raise _refused(wait, "Too many attempts from your network.")

    async def check_sign_in(self, address: str, email: str, *, known_browser: bool) -> None:
        """Count one sign-in attempt; raise ``RateLimitExceeded`` (with ``Retry-After``) when
        a budget is spent. Called before the password is checked, so a refusal says nothing
        about it."""
        await self.check_address(address)
        pair = "dash-pair:" + _digest(email_key(email), address)
        for budget in self._per_pair:
            wait = await self._hit(pair, budget)
            if wait is not None:
                raise _refused(wait, "Too many failed sign-ins to this account from your network.")
        if known_browser:
            return
        wait = await self._hit("dash-account:" + _digest(email_key(email)), self._per_account)
        if wait is not None:
            raise _refused(
                wait,
                "Too many failed sign-ins to this account from browsers it has not used "
                "before. A browser you signed in with before can still sign in.",
            )

    async def sign_in_succeeded(self, address: str, email: str) -> None:
        """The right password clears this address's backoff for the account (the account-wide
        budget of unknown browsers runs out on its own, so a guesser gains nothing from it)."""
        pair = "dash-pair:" + _digest(email_key(email), address)
        for budget in self._per_pair:
            with contextlib.suppress(*STORE_ERRORS):  # else the window runs out on its own
                await self._counter.clear(pair, budget)

    async def check_generation(self, account_id: str, per_minute: int) -> None:
        """Dashboard generations: at most the account's API rate limit per minute."""
        if await self._hit("dash-gen:" + account_id, Budget(per_minute, 60)) is not None:
            raise RateLimitExceeded(
                f"You can tailor {per_minute} resumes per minute. Wait a moment and try again."
            )


def _refused(wait: int, reason: str) -> RateLimitExceeded:
    return RateLimitExceeded(
        f"{reason} Try again in {wait_text(wait)}.", headers={"Retry-After": str(wait)}
    )
