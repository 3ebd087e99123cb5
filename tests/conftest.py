"""Shared pytest configuration: the test data directory and the storage backend of this run.

``FINETUNE_TEST_BACKEND=postgres`` runs the API/database tests on PostgreSQL + Redis (see
``backends.py``): the session's database is created here at start and dropped at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import backends
from db_support import fresh_sessions

DATA_DIR = Path(__file__).parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    if not backends.services_requested() or backends.ACTIVE is not None:
        return
    try:
        backends.ACTIVE = backends.start()
    except backends.ServicesUnreachable as exc:
        if backends.services_required():
            raise pytest.UsageError(
                f"FINETUNE_REQUIRE_SERVICES=1 but the PostgreSQL + Redis leg cannot run: {exc}"
            ) from exc
        backends.SKIP_REASON = f"PostgreSQL + Redis leg skipped, services unreachable: {exc}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if backends.ACTIVE is not None:
        backends.stop(backends.ACTIVE)
        backends.ACTIVE = None


def pytest_report_header(config: pytest.Config) -> str:
    if backends.ACTIVE is not None:
        return (
            f"backend: PostgreSQL database {backends.ACTIVE.database_name}, "
            f"Redis prefix {backends.ACTIVE.key_prefix}"
        )
    return "backend: " + (backends.SKIP_REASON or "SQLite + in-memory stores")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Services down and not required: run nothing, and say why once (pytest_terminal_summary).
    if backends.SKIP_REASON and items:
        config.hook.pytest_deselected(items=list(items))
        items.clear()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if backends.SKIP_REASON:
        terminalreporter.write_line(backends.SKIP_REASON, yellow=True, bold=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # The skipped leg is not a failure ("no tests ran" would be exit status 5).
    if backends.SKIP_REASON and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK


@pytest.fixture
def data_dir() -> Path:
    """The directory of test data files (``tests/data``)."""
    return DATA_DIR


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a freshly migrated database (SQLite, or PostgreSQL on that leg), for
    service-level tests."""
    async with fresh_sessions(tmp_path) as made:
        yield made


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database (skipped when none is reachable, unless required)."""
    name = f"finetune_test_{uuid.uuid4().hex[:10]}"
    try:
        url = backends.create_database(name)
    except backends.ServicesUnreachable as exc:
        if backends.services_required():
            raise
        pytest.skip(str(exc))
    try:
        yield url
    finally:
        backends.drop_database(name)
