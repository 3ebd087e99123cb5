"""GET /usage: the document's exact shape, credits, plan, and per-mode weekly counts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import httpx
from apiserver import AccountKeys, RunningServer

from finetune.accounts.service import start_of_week
from finetune.api.ids import format_time, new_id, utc_now
from finetune.db import create_db_engine, create_sessionmaker
from finetune.models import Account, Resume

MakeAccount = Callable[..., AccountKeys]


def _store_resumes(server: RunningServer, account_id: str, rows: list[dict[str, object]]) -> None:
    async def run() -> None:
        engine = create_db_engine(server.settings)
        try:
            async with create_sessionmaker(engine)() as session:
                for row in rows:
                    session.add(
                        Resume(
                            id=new_id("res"),
                            account_id=account_id,
                            company_name="Acme",
                            position="Engineer",
                            finetune_level="good",
                            credits_charged=0,
                            **row,
                        )
                    )
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def _cycle_end(server: RunningServer, account_id: str) -> str:
    async def run() -> str:
        engine = create_db_engine(server.settings)
        try:
            async with create_sessionmaker(engine)() as session:
                account = await session.get(Account, account_id)
                assert account is not None
                return format_time(account.cycle_end)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_usage_has_the_documented_shape(
    api: httpx.Client, server: RunningServer, make_account: MakeAccount
) -> None:
    """Exactly the document's fields, with our defaults for a pro account."""
    account = make_account(plan="pro", credits=100, rate_limit=60)
    response = api.get("/api/v1/usage", headers={"X-API-Key": account.live_key})
    assert response.status_code == 200
    assert response.json() == {
        "object": "usage",
        "credits_total": 100,
        "credits_used": 0,
        "credits_remaining": 100,
        "resumes_generated_this_week": 0,
        "plan": "pro",
        "rate_limit": {"requests_per_minute": 60, "remaining": 59},
        "billing_cycle_end": _cycle_end(server, account.id),
    }


def test_free_plan_defaults(api: httpx.Client, make_account: MakeAccount) -> None:
    """A free account without overrides has 10 credits and the free rate limit."""
    account = make_account(plan="free", credits=None, rate_limit=None)
    body = api.get("/api/v1/usage", headers={"X-API-Key": account.test_key}).json()
    assert (body["plan"], body["credits_total"], body["credits_remaining"]) == ("free", 10, 10)
    assert body["rate_limit"]["requests_per_minute"] == 10
    assert body["billing_cycle_end"].endswith("Z")


def test_weekly_count_is_per_mode_and_includes_deleted(
    api: httpx.Client, server: RunningServer, make_account: MakeAccount
) -> None:
    """Each key sees its own mode's resumes since Monday 00:00 UTC, deleted ones included."""
    account = make_account()
    now = utc_now()
    monday = start_of_week(now)
    _store_resumes(
        server,
        account.id,
        [
            {"livemode": True, "created_at": now},
            {"livemode": True, "created_at": monday},
            {"livemode": True, "created_at": now, "deleted_at": now},
            {"livemode": True, "created_at": monday - timedelta(microseconds=1)},
            {"livemode": False, "created_at": now},
        ],
    )
    live = api.get("/api/v1/usage", headers={"X-API-Key": account.live_key}).json()
    test = api.get("/api/v1/usage", headers={"X-API-Key": account.test_key}).json()
    assert live["resumes_generated_this_week"] == 3
    assert test["resumes_generated_this_week"] == 1


def test_other_accounts_do_not_count(
    api: httpx.Client, server: RunningServer, make_account: MakeAccount
) -> None:
    """Another account's resumes never show in this account's usage."""
    mine, theirs = make_account(), make_account()
    _store_resumes(server, theirs.id, [{"livemode": True, "created_at": utc_now()}])
    body = api.get("/api/v1/usage", headers={"X-API-Key": mine.live_key}).json()
    assert body["resumes_generated_this_week"] == 0
