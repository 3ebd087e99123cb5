"""Accounts, plans, credits and monthly billing cycles.

Cycles renew monthly from the moment the account was created (same day of month, clamped to
the month's length: an account created on 31 January renews on 28/29 February, then 31 March).
Renewal is lazy: whoever first touches an account after its cycle ended moves it forward with a
conditional UPDATE, so concurrent requests cannot reset the credits twice.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast

import anyio
from pwdlib import PasswordHash
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from finetune.api.ids import new_id, utc_now
from finetune.config import Settings
from finetune.errors import CreditLimitExceeded, NotFound, ValidationError
from finetune.models import Account, Resume

Plan = Literal["free", "pro"]
PLANS: tuple[Plan, ...] = ("free", "pro")
DEFAULT_CREDITS: dict[str, int] = {"free": 10, "pro": 100}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
_PASSWORDS = PasswordHash.recommended()  # argon2id with the library's current parameters


def add_months(anchor: datetime, months: int) -> datetime:
    """``anchor`` moved ``months`` calendar months on, day clamped to the month's length."""
    month_index = anchor.month - 1 + months
    year, month = anchor.year + month_index // 12, month_index % 12 + 1
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return anchor.replace(year=year, month=month, day=day)


def cycle_containing(created_at: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The billing cycle (start, end) that contains ``now`` for an account created then."""
    months = max(0, (now.year - created_at.year) * 12 + now.month - created_at.month - 1)
    while add_months(created_at, months + 1) <= now:
        months += 1
    return add_months(created_at, months), add_months(created_at, months + 1)


def rate_limit_for(account: Account, settings: Settings) -> int:
    """Requests per minute: the account's override, else its plan's limit."""
    if account.rate_limit is not None:
        return account.rate_limit
    return settings.rate_limit_pro if account.plan == "pro" else settings.rate_limit_free


def normalize_email(email: str) -> str:
    """Lowercased and trimmed; raises ``ValidationError`` when it is not an address."""
    cleaned = email.strip().lower()
    if len(cleaned) > 320 or not _EMAIL.match(cleaned):
        raise ValidationError(f"not a valid email address: {email!r}")
    return cleaned


async def create_account(
    session: AsyncSession,
    email: str,
    plan: str = "free",
    credits: int | None = None,
    rate_limit: int | None = None,
) -> Account:
    """A new account with a fresh billing cycle; raises ``ValidationError`` on bad input."""
    address = normalize_email(email)
    if plan not in PLANS:
        raise ValidationError("plan must be one of 'free', 'pro'")
    if credits is not None and credits < 0:
        raise ValidationError("credits must be 0 or more")
    if rate_limit is not None and rate_limit < 1:
        raise ValidationError("rate_limit must be at least 1 request per minute")
    existing = await session.scalar(select(Account.id).where(Account.email == address))
    if existing is not None:
        raise ValidationError(f"an account with email {address} already exists")
    now = utc_now()
    account = Account(
        id=new_id("acct"),
        email=address,
        plan=plan,
        credits_total=DEFAULT_CREDITS[plan] if credits is None else credits,
        credits_used=0,
        rate_limit=rate_limit,
        cycle_start=now,
        cycle_end=add_months(now, 1),
        created_at=now,
    )
    session.add(account)
    await session.flush()
    return account


async def get_account(session: AsyncSession, account_id: str) -> Account:
    """The account, or ``NotFound``."""
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account with id {account_id}")
    return account


async def find_account_by_email(session: AsyncSession, email: str) -> Account | None:
    """The account with this address, if any."""
    return await session.scalar(select(Account).where(Account.email == normalize_email(email)))


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


async def ensure_current_cycle(session: AsyncSession, account_id: str) -> Account:
    """The account, its billing cycle moved forward (credits reset) if the old one ended."""
    account = await get_account(session, account_id)
    now = utc_now()
    if now < account.cycle_end:
        return account
    start, end = cycle_containing(account.created_at, now)
    await session.execute(
        update(Account)
        # Only the first renewer matches the old cycle_end; the others change nothing.
        .where(Account.id == account_id, Account.cycle_end == account.cycle_end)
        .values(credits_used=0, cycle_start=start, cycle_end=end)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(account)
    return account


def seconds_until(moment: datetime) -> int:
    """Whole seconds from now until ``moment`` (at least 1), for ``Retry-After``."""
    return max(1, math.ceil((moment - utc_now()).total_seconds()))


async def charge_credits(session: AsyncSession, account_id: str, amount: int) -> int:
    """Take ``amount`` credits atomically; returns the credits left.

    Raises ``CreditLimitExceeded`` (with ``Retry-After`` = seconds until the cycle ends) when
    the balance is too low; the balance never goes below zero, however many requests race.
    """
    if amount < 0:
        raise ValidationError("amount must be 0 or more")
    account = await ensure_current_cycle(session, account_id)
    result = await session.execute(
        update(Account)
        .where(
            Account.id == account_id,
            Account.credits_used + amount <= Account.credits_total,
        )
        .values(credits_used=Account.credits_used + amount)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(account)
    if _rowcount(result) == 0:
        remaining = max(0, account.credits_total - account.credits_used)
        raise CreditLimitExceeded(
            f"this needs {amount} credits and {remaining} remain in this billing cycle",
            headers={"Retry-After": str(seconds_until(account.cycle_end))},
        )
    return max(0, account.credits_total - account.credits_used)


async def credits_remaining(session: AsyncSession, account_id: str) -> int:
    """Credits left in the current billing cycle."""
    account = await ensure_current_cycle(session, account_id)
    return max(0, account.credits_total - account.credits_used)


@dataclass(frozen=True)
class UsageSummary:
    account: Account
    resumes_this_week: int


def start_of_week(now: datetime) -> datetime:
    """Monday 00:00 UTC of the week containing ``now``."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=now.weekday())


async def usage_summary(session: AsyncSession, account_id: str, livemode: bool) -> UsageSummary:
    """Credits and this week's resume count for one mode (deleted resumes still count)."""
    account = await ensure_current_cycle(session, account_id)
    count = await session.scalar(
        select(func.count())
        .select_from(Resume)
        .where(
            Resume.account_id == account_id,
            Resume.livemode == livemode,
            Resume.created_at >= start_of_week(utc_now()),
        )
    )
    return UsageSummary(account=account, resumes_this_week=int(count or 0))


def check_password_rules(password: str) -> None:
    """Raise ``ValidationError`` unless ``password`` is an acceptable new password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"password must be at most {MAX_PASSWORD_LENGTH} characters")


async def _hash_password(password: str) -> str:
    """The argon2id hash of an acceptable password, computed off the event loop."""
    check_password_rules(password)
    return await anyio.to_thread.run_sync(_PASSWORDS.hash, password)


async def set_password(session: AsyncSession, account_id: str, password: str) -> Account:
    """Give the account a new password."""
    password_hash = await _hash_password(password)
    account = await get_account(session, account_id)
    account.password_hash = password_hash
    await session.flush()
    return account


async def register_account(session: AsyncSession, email: str, password: str) -> Account | None:
    """Sign-up: a new free account with this password, or ``None`` when the email already has
    an account (which is left untouched). Callers answer both alike, so sign-up never tells
    whether an address has an account; both pay the one password hash that dominates the time.
    Raises ``ValidationError`` for a malformed email or an unacceptable password, either way.
    """
    address = normalize_email(email)
    password_hash = await _hash_password(password)
    if await find_account_by_email(session, address) is not None:
        return None
    try:
        account = await create_account(session, address)
    except ValidationError:  # a concurrent sign-up took the address since the line above
        return None
    account.password_hash = password_hash
    await session.flush()
    return account


@functools.cache
def _dummy_hash() -> str:
    # Verified against when no account matches, so a miss costs as much as a wrong password.
    return _PASSWORDS.hash("not the password of any account")


async def authenticate(session: AsyncSession, email: str, password: str) -> Account | None:
    """The account whose email and password these are, else ``None`` (also for accounts
    created without a password)."""
    try:
        account = await find_account_by_email(session, email)
    except ValidationError:
        account = None
    stored = account.password_hash if account is not None else None
    candidate = password[:MAX_PASSWORD_LENGTH]
    matches = await anyio.to_thread.run_sync(
        lambda: _PASSWORDS.verify(candidate, stored or _dummy_hash())
    )
    if account is None or stored is None or not matches:
        return None
    return account
