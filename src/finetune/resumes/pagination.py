"""Cursor pagination over an account's resumes in one mode, newest first by (created_at, id).

``after`` walks to older resumes, ``before`` to newer ones; both pages are returned newest first
and ``has_more`` looks in the direction of travel. A cursor may name a deleted resume: its
tombstone keeps its place in the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from finetune.errors import ValidationError
from finetune.models import Resume

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

# Columns a list item shows; the heavy JSON stays in the database.
_LIST_COLUMNS = (
    Resume.id,
    Resume.livemode,
    Resume.company_name,
    Resume.position,
    Resume.finetune_level,
    Resume.ats_score,
    Resume.ats_score_before,
    Resume.pdf_generated_at,
    Resume.created_at,
)


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    after: str | None = None
    before: str | None = None


@dataclass(frozen=True)
class Page:
    items: Sequence[Resume]
    has_more: bool


def page_request(limit: int, after: str | None, before: str | None) -> PageRequest:
    """Check the query parameters together (each alone is checked by its declaration)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}")
    if after is not None and before is not None:
        raise ValidationError("after and before cannot be used together")
    for name, cursor in (("after", after), ("before", before)):
        if cursor is not None and not cursor:
            raise ValidationError(f"{name} must be a resume id")
    return PageRequest(limit=limit, after=after, before=before)


async def fetch_page(
    session: AsyncSession, account_id: str, livemode: bool, request: PageRequest
) -> Page:
    """One page of live (not deleted) resumes of ``account_id`` in ``livemode``."""
    mine = (Resume.account_id == account_id, Resume.livemode == livemode)
    query = select(Resume).options(load_only(*_LIST_COLUMNS)).where(*mine)
    query = query.where(Resume.deleted_at.is_(None))
    cursor_id = request.after or request.before
    if cursor_id is not None:
        name = "after" if request.after else "before"
        cursor = (
            await session.execute(
                select(Resume.created_at, Resume.id).where(*mine, Resume.id == cursor_id)
            )
        ).one_or_none()
        if cursor is None:
            raise ValidationError(f"{name} names no resume of yours: {cursor_id}")
        # A row-value comparison, not "a < x OR (a = x AND b < y)": PostgreSQL and SQLite
        # turn it into a range on the listing index, so a deep cursor costs what page one
        # does; the OR form scanned every newer row first (measured in bench/scaleout.py).
        position = tuple_(Resume.created_at, Resume.id)
        created_at, resume_id = cursor
        cursor_position = tuple_(
            literal(created_at, Resume.created_at.type), literal(resume_id, Resume.id.type)
        )
        query = query.where(
            position < cursor_position if request.after else position > cursor_position
        )
    if request.before:
        # Walk upwards from the cursor, then show the page newest first.
        query = query.order_by(Resume.created_at.asc(), Resume.id.asc())
    else:
        query = query.order_by(Resume.created_at.desc(), Resume.id.desc())
    rows = list((await session.execute(query.limit(request.limit + 1))).scalars())
    has_more = len(rows) > request.limit
    rows = rows[: request.limit]
    if request.before:
        rows.reverse()
    return Page(items=rows, has_more=has_more)
