"""The dashboard's throttle on its own: budgets per address and email, failing closed."""

from __future__ import annotations

import pytest

from finetune.config import Settings
from finetune.dashboard.auth import Throttle
from finetune.errors import RateLimitExceeded, ServiceUnavailable


def _settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"login_attempts_per_email": 2, "login_attempts_per_address": 4}
    values.update(overrides)
    return Settings.model_validate(values)


async def test_email_budget_resets_on_success() -> None:
    """A correct password clears the email's count; emails are compared case-insensitively."""
    throttle = Throttle(_settings())
    await throttle.check_login("10.0.0.1", "Ann@Example.com")
    await throttle.check_login("10.0.0.2", "ann@example.com ")
    with pytest.raises(RateLimitExceeded, match="this account"):
        await throttle.check_login("10.0.0.3", "ANN@example.com")
    await throttle.login_succeeded("ann@example.com")
    await throttle.check_login("10.0.0.4", "ann@example.com")


async def test_address_budget_spans_emails() -> None:
    """One address cannot spread guesses over many emails (or sign-ups)."""
    throttle = Throttle(_settings())
    for index in range(4):
        await throttle.check_login("10.0.0.9", f"user{index}@example.com" if index else None)
    with pytest.raises(RateLimitExceeded, match="your network"):
        await throttle.check_login("10.0.0.9", "fresh@example.com")


async def test_generation_budget_is_per_account() -> None:
    """ "Try it" is limited per account to the given requests per minute."""
    throttle = Throttle(_settings())
    await throttle.check_generation("acct_a", 1)
    await throttle.check_generation("acct_b", 1)
    with pytest.raises(RateLimitExceeded, match="1 resumes per minute"):
        await throttle.check_generation("acct_a", 1)


async def test_unreachable_redis_fails_closed() -> None:
    """Without its counters the throttle refuses (503) instead of letting guesses through."""
    throttle = Throttle(_settings(redis_url="redis://127.0.0.1:1/0"))
    with pytest.raises(ServiceUnavailable):
        await throttle.check_login("10.0.0.1", "ann@example.com")
    await throttle.login_succeeded("ann@example.com")  # nothing to clear: no error either
