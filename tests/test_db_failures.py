"""Which database errors mean "unavailable, retry" (503) rather than a bug (500)."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from finetune.db import DatabaseUnavailable, is_connection_failure


def test_lost_or_refused_connections_are_failures() -> None:
    """Operational and interface errors, and anything that invalidated its connection, count."""
    assert is_connection_failure(OperationalError("SELECT 1", {}, Exception("terminated")))
    assert is_connection_failure(InterfaceError("SELECT 1", {}, Exception("closed")))
    invalidated = DBAPIError("SELECT 1", {}, Exception("reset"), connection_invalidated=True)
    assert is_connection_failure(invalidated)


def test_bugs_and_bad_data_are_not() -> None:
    """Constraint violations and ordinary exceptions stay internal errors."""
    assert not is_connection_failure(IntegrityError("INSERT", {}, Exception("duplicate")))
    assert not is_connection_failure(DBAPIError("SELECT", {}, Exception("syntax")))
    assert not is_connection_failure(ValueError("nope"))


def test_unavailable_error_is_a_retryable_503() -> None:
    """The error clients see says service_unavailable and when to retry."""
    error = DatabaseUnavailable()
    assert (error.status, error.name) == (503, "service_unavailable")
    assert int(error.headers["Retry-After"]) >= 1
