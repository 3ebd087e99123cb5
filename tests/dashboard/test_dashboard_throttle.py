"""The dashboard's throttle on its own: budgets per address, per account and address (a backoff
ladder) and per account for unknown browsers, in each counter store; failing closed.

Every store runs: process memory, the database (SQLite, or PostgreSQL on that leg) and, on the
PostgreSQL + Redis leg, Redis.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import backends
from finetune.config import Settings
from finetune.dashboard.throttle import Throttle, wait_text
from finetune.errors import RateLimitExceeded, ServiceUnavailable

MakeThrottle = Callable[..., Throttle]
# Midnight UTC: aligned to every window, so the database's fixed windows start here too.
MIDNIGHT = 20_834 * 86_400


@pytest.fixture(params=["memory", "database", "redis"])
def make_throttle(
    request: pytest.FixtureRequest, sessions: async_sessionmaker[AsyncSession]
) -> MakeThrottle:
    """``make_throttle(**settings)``: a throttle counting in this run's store."""
    store = request.param
    values: dict[str, object] = {
        "login_attempts_per_address": 1000,
        "login_attempts_per_email_and_address": 2,
        "login_attempts_per_email": 1000,
    }
    if store == "database":
        values["rate_limit_storage"] = "database"
    if store == "redis":
        if backends.ACTIVE is None:
            pytest.skip("Redis runs on the PostgreSQL + Redis leg (FINETUNE_TEST_BACKEND=postgres)")
        values["redis_url"] = backends.ACTIVE.redis_url
        values["redis_key_prefix"] = f"{backends.ACTIVE.key_prefix}:{uuid.uuid4().hex[:8]}"

    def make(**overrides: object) -> Throttle:
        return Throttle(Settings.model_validate({**values, **overrides}), sessions)

    make.store = store  # type: ignore[attr-defined]
    return make


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """``time.time`` frozen at midnight; move it with ``clock[0] += seconds``."""
    now = [float(MIDNIGHT)]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


async def _refused(call: object) -> RateLimitExceeded:
    with pytest.raises(RateLimitExceeded) as refused:
        await call  # type: ignore[misc]
    return refused.value


async def test_a_stranger_spends_only_their_own_address_budget(make_throttle: MakeThrottle) -> None:
    """Wrong guesses from one address throttle that address for the account; the account can
    still be signed in to from any other address, even from a browser it never used."""
    throttle = make_throttle()
    for _ in range(2):
        await throttle.check_sign_in("10.0.0.66", "Ann@Example.com", known_browser=False)
    refused = await _refused(
        throttle.check_sign_in("10.0.0.66", "ann@example.com ", known_browser=False)
    )
    assert "from your network" in refused.message
    assert 1 <= int(refused.headers["Retry-After"]) <= 300
    await throttle.check_sign_in("10.0.0.7", "ann@example.com", known_browser=False)
    await throttle.check_sign_in("10.0.0.66", "bob@example.com", known_browser=False)


async def test_the_right_password_clears_the_backoff(make_throttle: MakeThrottle) -> None:
    """After a success the address starts afresh for that account."""
    throttle = make_throttle()
    for _ in range(2):
        await throttle.check_sign_in("10.0.0.1", "ann@example.com", known_browser=True)
    await throttle.sign_in_succeeded("10.0.0.1", "ANN@example.com")
    for _ in range(2):
        await throttle.check_sign_in("10.0.0.1", "ann@example.com", known_browser=True)
    await _refused(throttle.check_sign_in("10.0.0.1", "ann@example.com", known_browser=True))


async def test_backoff_grows_from_minutes_to_a_day(
    make_throttle: MakeThrottle, clock: list[float]
) -> None:
    """N attempts per 5 minutes, 2N an hour, 4N a day, and attempts made while throttled count
    towards the longer windows: the waits grow as the guessing goes on."""
    if make_throttle.store == "redis":  # type: ignore[attr-defined]
        pytest.skip("Redis keeps its own clock: the ladder is checked on memory and database")
    throttle = make_throttle()

    async def attempts_until_refused() -> tuple[int, int]:
        allowed = 0
        while True:
            try:
                await throttle.check_sign_in("10.0.0.9", "ann@example.com", known_browser=True)
            except RateLimitExceeded as refused:
                return allowed, int(refused.headers["Retry-After"])
            allowed += 1

    allowed, wait = await attempts_until_refused()  # 3 counted towards the hour and day
    assert allowed == 2 and 0 < wait <= 300
    clock[0] += 301
    allowed, wait = await attempts_until_refused()  # the hour's 4 are spent; 5 for the day
    assert allowed == 1 and 300 < wait <= 3600
    clock[0] += 3601
    allowed, wait = await attempts_until_refused()  # 8 for the day
    assert allowed == 2 and 0 < wait <= 300
    clock[0] += 301
    allowed, wait = await attempts_until_refused()  # the day's 8 are spent
    assert allowed == 0 and 3600 < wait <= 86_400
    clock[0] += 86_401
    allowed, wait = await attempts_until_refused()
    assert allowed == 2 and 0 < wait <= 300


async def test_unknown_browsers_share_one_budget_per_account(make_throttle: MakeThrottle) -> None:
    """Guesses spread over many addresses spend the account's budget for browsers that never
    signed in to it; a browser that did still signs in, from any address."""
    throttle = make_throttle(login_attempts_per_email=3)
    for host in range(3):
        await throttle.check_sign_in(f"10.1.0.{host}", "ann@example.com", known_browser=False)
    refused = await _refused(
        throttle.check_sign_in("10.1.0.99", "ann@example.com", known_browser=False)
    )
    assert "browser you signed in with before" in refused.message
    assert int(refused.headers["Retry-After"]) <= 3600
    await throttle.check_sign_in("10.1.0.100", "ann@example.com", known_browser=True)
    await throttle.check_sign_in("10.1.0.101", "bob@example.com", known_browser=False)


async def test_address_budget_spans_emails_and_sign_ups(make_throttle: MakeThrottle) -> None:
    """One address cannot spread guesses over many emails (or sign-ups)."""
    throttle = make_throttle(login_attempts_per_address=4)
    await throttle.check_address("10.0.0.9")
    for index in range(3):
        await throttle.check_sign_in("10.0.0.9", f"user{index}@example.com", known_browser=False)
    refused = await _refused(throttle.check_address("10.0.0.9"))
    assert "your network" in refused.message
    await throttle.check_address("10.0.0.10")


async def test_generation_budget_is_per_account(make_throttle: MakeThrottle) -> None:
    """ "Try it" is limited per account to the given requests per minute."""
    throttle = make_throttle()
    await throttle.check_generation("acct_a", 1)
    await throttle.check_generation("acct_b", 1)
    with pytest.raises(RateLimitExceeded, match="1 resumes per minute"):
        await throttle.check_generation("acct_a", 1)


async def test_unreachable_redis_fails_closed(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Without its counters the throttle refuses (503) instead of letting guesses through."""
    throttle = Throttle(Settings(redis_url="redis://127.0.0.1:1/0"), sessions)
    with pytest.raises(ServiceUnavailable):
        await throttle.check_sign_in("10.0.0.1", "ann@example.com", known_browser=True)
    await throttle.sign_in_succeeded("10.0.0.1", "ann@example.com")  # nothing cleared, no error


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1, "1 second"), (59, "59 seconds"), (60, "1 minute"), (61, "2 minutes"), (3600, "1 hour")],
)
def test_waits_read_as_people_say_them(seconds: int, text: str) -> None:
    """Retry-After seconds in the page's message, rounded up to the unit."""
    assert wait_text(seconds) == text
