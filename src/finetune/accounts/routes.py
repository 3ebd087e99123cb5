"""``GET /api/v1/usage``: credits, plan, resumes this week and the rate limit, per key mode."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from finetune.accounts.service import usage_summary
from finetune.api.auth import Auth
from finetune.api.deps import DbSession
from finetune.api.errors import RATE_LIMIT_HEADERS, error_responses
from finetune.api.ids import format_time

router = APIRouter(tags=["usage"])


class RateLimitInfo(BaseModel):
    requests_per_minute: int
    remaining: int


class Usage(BaseModel):
    object: Literal["usage"] = "usage"
    credits_total: int
    credits_used: int
    credits_remaining: int
    resumes_generated_this_week: int
    plan: Literal["free", "pro"]
    rate_limit: RateLimitInfo
    billing_cycle_end: str


@router.get(
    "/usage",
    response_model=Usage,
    summary="Current usage and credit balance",
    responses={200: {"headers": RATE_LIMIT_HEADERS}, **error_responses()},
)
async def get_usage(auth: Auth, session: DbSession) -> Usage:
    """Credits of the current billing cycle; ``resumes_generated_this_week`` counts the key's
    mode since Monday 00:00 UTC (deleted resumes included: they were generated)."""
    summary = await usage_summary(session, auth.account_id, auth.livemode)
    account = summary.account
    return Usage(
        credits_total=account.credits_total,
        credits_used=account.credits_used,
        credits_remaining=max(0, account.credits_total - account.credits_used),
        resumes_generated_this_week=summary.resumes_this_week,
        plan="pro" if account.plan == "pro" else "free",
        rate_limit=RateLimitInfo(
            requests_per_minute=auth.rate_limit, remaining=auth.rate_limit_remaining
        ),
        billing_cycle_end=format_time(account.cycle_end),
    )
