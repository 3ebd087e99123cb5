"""Keyset pagination: ties broken by id, and a cursor is a range on the listing index."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from db_support import migrated_engine
from finetune.accounts.service import create_account
from finetune.config import Settings
from finetune.db import create_sessionmaker
from finetune.models import Resume
from finetune.resumes.pagination import PageRequest, fetch_page

MOMENT = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A freshly migrated SQLite database."""
    settings = Settings(data_dir=tmp_path, database_url=None)
    async with migrated_engine(settings) as engine:
        yield engine


def _resume(account_id: str, resume_id: str, created_at: datetime) -> Resume:
    return Resume(
        id=resume_id,
        account_id=account_id,
        livemode=False,
        company_name="Acme",
        position="Engineer",
        finetune_level="good",
        ats_score=50,
        ats_score_before=40,
        credits_charged=0,
        created_at=created_at,
    )


async def _account_with_resumes(session: AsyncSession) -> str:
    account = await create_account(session, "pages@example.com", "pro", 100, None)
    # Three share one timestamp: only the id orders them.
    session.add_all(
        [
            _resume(account.id, "res_old", MOMENT - timedelta(seconds=1)),
            _resume(account.id, "res_tie1", MOMENT),
            _resume(account.id, "res_tie2", MOMENT),
            _resume(account.id, "res_tie3", MOMENT),
            _resume(account.id, "res_new", MOMENT + timedelta(seconds=1)),
        ]
    )
    await session.commit()
    return account.id


async def _ids(session: AsyncSession, account_id: str, request: PageRequest) -> list[str]:
    page = await fetch_page(session, account_id, False, request)
    return [resume.id for resume in page.items]


async def test_cursors_break_timestamp_ties_by_id(engine: AsyncEngine) -> None:
    """Resumes created in the same microsecond are neither skipped nor repeated across pages."""
    async with create_sessionmaker(engine)() as session:
        account_id = await _account_with_resumes(session)
        assert await _ids(session, account_id, PageRequest(limit=2, after="res_tie3")) == [
            "res_tie2",
            "res_tie1",
        ]
        assert await _ids(session, account_id, PageRequest(limit=2, after="res_tie1")) == [
            "res_old"
        ]
        assert await _ids(session, account_id, PageRequest(limit=2, before="res_tie1")) == [
            "res_tie3",
            "res_tie2",
        ]
        assert await _ids(session, account_id, PageRequest(limit=5, before="res_tie3")) == [
            "res_new"
        ]


async def test_a_cursor_page_is_a_range_on_the_listing_index(engine: AsyncEngine) -> None:
    """The database seeks to the cursor in the index instead of scanning the newer rows."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    async with create_sessionmaker(engine)() as session:
        account_id = await _account_with_resumes(session)
        event.listen(engine.sync_engine, "before_cursor_execute", capture)
        try:
            await fetch_page(session, account_id, False, PageRequest(limit=2, after="res_tie2"))
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", capture)
        statement, parameters = next(
            (sql, params) for sql, params in statements if "ORDER BY" in sql
        )
        connection = await session.connection()
        plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        details = " ".join(str(row[-1]) for row in plan)
    assert "USING INDEX ix_resumes_listing" in details, details
    assert "(created_at,id)<(?,?)" in details, details
