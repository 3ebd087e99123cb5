"""Prefixed random ids and the API's time format."""

from __future__ import annotations

import secrets
import string
from datetime import UTC, datetime

_BASE36 = string.ascii_lowercase + string.digits
# 24 base36 characters carry log2(36) * 24 ≈ 124 bits, above the 96 the contract asks for.
_ID_LENGTH = 24


def new_id(prefix: str) -> str:
    """A fresh id such as ``res_k3v9…``: the prefix, an underscore, 24 random base36 chars."""
    return f"{prefix}_" + "".join(secrets.choice(_BASE36) for _ in range(_ID_LENGTH))


def utc_now() -> datetime:
    """The current time, timezone-aware UTC, microsecond precision."""
    return datetime.now(UTC)


def format_time(moment: datetime) -> str:
    """RFC 3339 UTC with ``Z`` at seconds precision, e.g. ``2026-02-21T10:30:00Z``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime cannot be formatted as UTC")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_optional_time(moment: datetime | None) -> str | None:
    """:func:`format_time`, passing ``None`` through."""
    return None if moment is None else format_time(moment)
