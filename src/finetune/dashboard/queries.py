"""Dashboard-only reads: the dashboard shows both modes at once, where the API sees one.

Every query is scoped to the signed-in account, so another account's ids are ``NotFound``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finetune.accounts.service import rate_limit_for
from finetune.api.auth import AuthContext
from finetune.config import Settings
from finetune.errors import NotFound
from finetune.models import Account, ApiKey, Resume

ModeFilter = Literal["all", "live", "test"]
MODE_FILTERS: tuple[ModeFilter, ...] = ("all", "live", "test")
PAGE_SIZE = 20


@dataclass(frozen=True)
class ResumePage:
    items: Sequence[Resume]
    page: int
    has_next: bool


def parse_mode_filter(value: str | None) -> ModeFilter:
    """``all`` unless the query names a known mode."""
    for mode in MODE_FILTERS:
        if value == mode:
            return mode
    return "all"


async def list_resumes(
    session: AsyncSession, account_id: str, mode: ModeFilter, page: int
) -> ResumePage:
    """One page of the account's resumes, newest first (same order as the API)."""
    page = max(1, page)
    query = select(Resume).where(Resume.account_id == account_id, Resume.deleted_at.is_(None))
    if mode != "all":
        query = query.where(Resume.livemode == (mode == "live"))
    query = (
        query.order_by(Resume.created_at.desc(), Resume.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    rows = list((await session.execute(query)).scalars())
    return ResumePage(items=rows[:PAGE_SIZE], page=page, has_next=len(rows) > PAGE_SIZE)


async def find_resume(session: AsyncSession, account_id: str, resume_id: str) -> Resume:
    """The account's resume in either mode, or ``NotFound``."""
    resume = await session.scalar(
        select(Resume).where(
            Resume.id == resume_id,
            Resume.account_id == account_id,
            Resume.deleted_at.is_(None),
        )
    )
    if resume is None:
        raise NotFound(f"no resume with id {resume_id}")
    return resume


async def find_key(session: AsyncSession, account_id: str, key_id: str) -> ApiKey:
    """The account's API key, or ``NotFound``."""
    key = await session.scalar(
        select(ApiKey).where(ApiKey.id == key_id, ApiKey.account_id == account_id)
    )
    if key is None:
        raise NotFound(f"no API key with id {key_id}")
    return key


def acting_as(account: Account, settings: Settings, *, livemode: bool) -> AuthContext:
    """The identity the resumes service expects, for a signed-in dashboard user.

    There is no key behind a dashboard session, and the gate's per-minute window does not
    apply (the dashboard throttles generation itself), so those fields say so.
    """
    per_minute = rate_limit_for(account, settings)
    return AuthContext(
        account_id=account.id,
        key_id="",
        livemode=livemode,
        plan=account.plan,
        rate_limit=per_minute,
        rate_limit_remaining=per_minute,
        rate_limit_reset=0,
    )
