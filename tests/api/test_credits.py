"""Credits: charged atomically with the stored resume, never negative under concurrency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from resume_support import (
    assert_error,
    auth,
    credits_left,
    generate,
    generate_concurrently,
    upload_base_resume,
)

MakeAccount = Callable[..., Any]


def test_concurrent_generations_never_overdraw(
    api: httpx.Client, make_account: MakeAccount, server: Any
) -> None:
    """3 credits and 10 concurrent `good` (2-credit) requests: exactly one succeeds."""
    account = make_account(credits=3)
    upload_base_resume(api, account.live_key)
    responses = generate_concurrently(server, account.live_key, 10, finetune_level="good")
    succeeded = [r for r in responses if r.status_code == 200]
    assert len(succeeded) == 1
    assert succeeded[0].json()["credits_remaining"] == 1
    for response in responses:
        if response.status_code != 200:
            assert_error(response, 429, "credit_limit_exceeded")
            assert int(response.headers["Retry-After"]) > 0
    assert credits_left(api, account.live_key) == 1
    listing = api.get("/api/v1/resumes", headers=auth(account.live_key)).json()
    assert len(listing["data"]) == 1


def test_credit_limit_exceeded_waits_for_the_cycle_end(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """Too few credits: 429 credit_limit_exceeded, Retry-After up to the cycle end, no charge."""
    account = make_account(credits=2)
    upload_base_resume(api, account.live_key)
    refused = generate(api, account.live_key, finetune_level="super")
    assert_error(refused, 429, "credit_limit_exceeded")
    assert 0 < int(refused.headers["Retry-After"]) <= 31 * 24 * 3600
    assert credits_left(api, account.live_key) == 2
    assert generate(api, account.live_key, finetune_level="good").status_code == 200
    assert credits_left(api, account.live_key) == 0


def test_test_mode_never_charges_nor_runs_out(api: httpx.Client, make_account: MakeAccount) -> None:
    """With zero credits a test key still generates, and the balance stays untouched."""
    account = make_account(credits=0)
    for level in ("basic", "good", "super"):
        response = generate(api, account.test_key, finetune_level=level)
        assert response.status_code == 200, response.text
        assert response.json()["credits_remaining"] == 0
    assert credits_left(api, account.live_key) == 0


def test_failed_requests_charge_nothing(api: httpx.Client, make_account: MakeAccount) -> None:
    """A generation refused for bad input leaves the balance as it was."""
    account = make_account(credits=5)
    upload_base_resume(api, account.live_key)
    assert_error(generate(api, account.live_key, job_description="short"), 400, "validation_error")
    assert credits_left(api, account.live_key) == 5
