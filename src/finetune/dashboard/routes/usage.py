"""Usage: credits, plan, billing cycle, resumes this week (per mode) and the rate limit."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from finetune.accounts.service import rate_limit_for, usage_summary
from finetune.dashboard.auth import SignedIn, db_sessions
from finetune.dashboard.rendering import render

router = APIRouter()


@router.get("/usage")
async def usage_page(request: Request, account: SignedIn) -> Response:
    async with db_sessions(request)() as session, session.begin():
        live = await usage_summary(session, account.id, livemode=True)
        test = await usage_summary(session, account.id, livemode=False)
    current = live.account  # its billing cycle moved forward if the old one ended
    context = {
        "plan": current.plan,
        "credits_total": current.credits_total,
        "credits_used": current.credits_used,
        "credits_remaining": max(0, current.credits_total - current.credits_used),
        "cycle_start": current.cycle_start,
        "cycle_end": current.cycle_end,
        "live_this_week": live.resumes_this_week,
        "test_this_week": test.resumes_this_week,
        "rate_limit": rate_limit_for(current, request.app.state.settings),
    }
    return render(request, "usage.html", context)
