"""Accounts: plans, billing cycles and race-free credit charging."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.accounts.service import (
    add_months,
    charge_credits,
    create_account,
    credits_remaining,
    cycle_containing,
    ensure_current_cycle,
    start_of_week,
)
from finetune.errors import CreditLimitExceeded, ValidationError
from finetune.models import Account

Sessions = async_sessionmaker[AsyncSession]


def test_add_months_clamps_to_month_length() -> None:
    """31 January renews on 28 February, then back on 31 March."""
    anchor = datetime(2026, 1, 31, 9, 15, tzinfo=UTC)
    assert add_months(anchor, 1) == datetime(2026, 2, 28, 9, 15, tzinfo=UTC)
    assert add_months(anchor, 2) == datetime(2026, 3, 31, 9, 15, tzinfo=UTC)
    assert add_months(anchor, 13) == datetime(2027, 2, 28, 9, 15, tzinfo=UTC)


def test_cycle_containing_finds_the_current_month() -> None:
    """The cycle holding 'now' starts on or before it and ends after it."""
    created = datetime(2025, 11, 30, 12, 0, tzinfo=UTC)
    now = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    start, end = cycle_containing(created, now)
    assert start == datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 30, 12, 0, tzinfo=UTC)
    assert cycle_containing(created, end) == (end, datetime(2026, 4, 30, 12, 0, tzinfo=UTC))


def test_start_of_week_is_monday_midnight_utc() -> None:
    """Sunday evening belongs to the week that started the Monday before."""
    sunday = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)
    assert start_of_week(sunday) == datetime(2026, 2, 23, tzinfo=UTC)
    monday = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert start_of_week(monday) == monday


async def test_default_credits_per_plan(sessions: Sessions) -> None:
    """free starts with 10 credits, pro with 100, unless overridden."""
    async with sessions() as session:
        free = await create_account(session, "Free@Example.com", "free")
        pro = await create_account(session, "pro@example.com", "pro")
        custom = await create_account(session, "c@example.com", "pro", credits=7, rate_limit=5)
        await session.commit()
    assert (free.email, free.credits_total, pro.credits_total) == ("free@example.com", 10, 100)
    assert (custom.credits_total, custom.rate_limit) == (7, 5)
    assert pro.cycle_end == add_months(pro.created_at, 1)


@pytest.mark.parametrize(
    ("email", "plan", "credits", "rate_limit"),
    [
        ("not-an-email", "free", None, None),
        ("a@example.com", "gold", None, None),
        ("a@example.com", "free", -1, None),
        ("a@example.com", "free", None, 0),
    ],
)
async def test_create_account_rejects_bad_input(
    sessions: Sessions, email: str, plan: str, credits: int | None, rate_limit: int | None
) -> None:
    """Bad emails, unknown plans and negative numbers are validation errors."""
    async with sessions() as session:
        with pytest.raises(ValidationError):
            await create_account(session, email, plan, credits, rate_limit)


async def test_duplicate_email_is_refused(sessions: Sessions) -> None:
    """Emails are unique regardless of case."""
    async with sessions() as session:
        await create_account(session, "dup@example.com")
        with pytest.raises(ValidationError, match="already exists"):
            await create_account(session, "DUP@example.com ")


async def test_charge_stops_at_zero(sessions: Sessions) -> None:
    """Charges succeed while credits last, then fail with Retry-After; nothing goes negative."""
    async with sessions() as session:
        account = await create_account(session, "c@example.com", "free", credits=5)
        assert await charge_credits(session, account.id, 2) == 3
        assert await charge_credits(session, account.id, 3) == 0
        with pytest.raises(CreditLimitExceeded) as raised:
            await charge_credits(session, account.id, 1)
        retry_after = int(raised.value.headers["Retry-After"])
        assert 0 < retry_after <= 31 * 24 * 3600
        assert await credits_remaining(session, account.id) == 0


async def test_concurrent_charges_never_overspend(sessions: Sessions) -> None:
    """Ten concurrent 2-credit charges against 5 credits: exactly two succeed."""
    async with sessions() as session:
        account = await create_account(session, "race@example.com", "free", credits=5)
        await session.commit()

    async def charge() -> bool:
        async with sessions() as session:
            try:
                await charge_credits(session, account.id, 2)
            except CreditLimitExceeded:
                await session.rollback()
                return False
            await session.commit()
            return True

    results = await asyncio.gather(*(charge() for _ in range(10)))
    assert results.count(True) == 2
    async with sessions() as session:
        assert await credits_remaining(session, account.id) == 1


async def test_expired_cycle_renews_once(sessions: Sessions) -> None:
    """After the cycle ends, the next touch resets credits_used and moves the cycle forward."""
    async with sessions() as session:
        account = await create_account(session, "renew@example.com", "free", credits=3)
        await charge_credits(session, account.id, 3)
        past = account.created_at - timedelta(days=65)
        await session.execute(
            update(Account)
            .where(Account.id == account.id)
            .values(created_at=past, cycle_start=past, cycle_end=add_months(past, 1))
        )
        await session.commit()
    async with sessions() as session:
        renewed = await ensure_current_cycle(session, account.id)
        now = datetime.now(UTC)
        assert renewed.credits_used == 0
        assert renewed.cycle_start <= now < renewed.cycle_end
        assert renewed.cycle_end == add_months(renewed.cycle_start, 1)
        assert await charge_credits(session, account.id, 1) == 2
        again = await ensure_current_cycle(session, account.id)
        assert again.credits_used == 1
