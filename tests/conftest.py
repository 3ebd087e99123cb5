"""Shared pytest configuration: the test data directory and the storage backend of this run.

``FINETUNE_TEST_BACKEND=postgres`` runs the API/database tests on PostgreSQL + Redis (see
``backends.py``): the session's database is created here at start and dropped at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import backends

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


@pytest.fixture(autouse=True, scope="session")
def _services_leg() -> None:
    """Skip everything (one folded line in the summary) when this leg's services are down."""
    if backends.SKIP_REASON:
        pytest.skip(backends.SKIP_REASON)


@pytest.fixture
def data_dir() -> Path:
    """The directory of test data files (``tests/data``)."""
    return DATA_DIR
