"""Idempotency-Key on POSTs: replay, conflict, concurrency, release on 429, expiry, takeover."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from resume_support import (
    assert_error,
    auth,
    credits_left,
    execute_sql,
    generate,
    generate_concurrently,
    generation_body,
    upload_base_resume,
)
from sqlalchemy import update

from finetune.api.ids import utc_now
from finetune.models import Account, IdempotencyRecord

MakeAccount = Callable[..., Any]


def _keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def test_replay_returns_the_original_response_without_a_new_charge(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """The same key and body answer the stored bytes, marked replayed, charging once."""
    account = make_account(credits=10)
    upload_base_resume(api, account.live_key)
    first = generate(api, account.live_key, headers=_keyed("order-1"))
    second = generate(api, account.live_key, headers=_keyed("order-1"))
    assert first.status_code == second.status_code == 200
    assert "idempotent-replayed" not in first.headers
    assert second.headers["idempotent-replayed"] == "true"
    assert second.content == first.content
    assert credits_left(api, account.live_key) == 8
    listing = api.get("/api/v1/resumes", headers=auth(account.live_key)).json()
    assert len(listing["data"]) == 1


def test_key_order_and_whitespace_do_not_change_the_fingerprint(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """A semantically equal JSON body (other key order, spacing) is a replay, not a conflict."""
    account = make_account()
    body = generation_body()
    first = generate(api, account.test_key, headers=_keyed("reorder"))
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    second = api.post(
        "/api/v1/resumes/generate",
        content=reordered,
        headers=auth(account.test_key, **_keyed("reorder"), **{"Content-Type": "application/json"}),
    )
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]


def test_same_key_with_another_body_is_an_idempotency_error(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """Reusing a key for a different request is refused with idempotency_error."""
    account = make_account()
    assert generate(api, account.test_key, headers=_keyed("k")).status_code == 200
    other = generate(api, account.test_key, headers=_keyed("k"), company_name="Other")
    assert_error(other, 400, "idempotency_error")
    other_path = api.post(
        f"/api/v1/resumes/{'res_x'}/pdf", headers=auth(account.test_key, **_keyed("k"))
    )
    assert_error(other_path, 400, "idempotency_error")


def test_keys_are_scoped_to_account_and_mode(api: httpx.Client, make_account: MakeAccount) -> None:
    """The same key in another mode or another account is a separate request."""
    account, other = make_account(), make_account()
    upload_base_resume(api, account.live_key)
    responses = [
        generate(api, key, headers=_keyed("shared"))
        for key in (account.test_key, account.live_key, other.test_key)
    ]
    assert all(r.status_code == 200 for r in responses)
    assert all("idempotent-replayed" not in r.headers for r in responses)
    assert len({r.json()["id"] for r in responses}) == 3


@pytest.mark.parametrize("key", ["", "x" * 257, "clé", "tab\there"])
def test_malformed_keys_are_validation_errors(
    api: httpx.Client, make_account: MakeAccount, key: str
) -> None:
    """A key that is not 1-256 printable ASCII characters is refused before any work."""
    account = make_account()
    response = api.post(
        "/api/v1/resumes/generate",
        json=generation_body(),
        headers={"X-API-Key": account.test_key, "Idempotency-Key": key.encode("utf-8")},
    )
    assert "Idempotency-Key" in assert_error(response, 400, "validation_error")["message"]
    listing = api.get("/api/v1/resumes", headers=auth(account.test_key)).json()
    assert listing["data"] == []


def test_concurrent_duplicates_execute_exactly_once(
    api: httpx.Client, make_account: MakeAccount, server: Any
) -> None:
    """Requests racing with one key: one executes; the rest are 409 (Retry-After) or replays."""
    account = make_account(credits=100)
    upload_base_resume(api, account.live_key)
    responses = generate_concurrently(server, account.live_key, 8, headers=_keyed("race"))
    executed = [
        r for r in responses if r.status_code == 200 and "idempotent-replayed" not in r.headers
    ]
    assert len(executed) == 1
    for response in responses:
        if response.status_code == 409:
            assert_error(response, 409, "idempotency_key_in_use")
            assert int(response.headers["Retry-After"]) >= 1
        else:
            assert response.status_code == 200
            assert response.json()["id"] == executed[0].json()["id"]
    assert credits_left(api, account.live_key) == 98


def test_429_is_not_stored_so_a_retry_runs_again(
    api: httpx.Client, make_account: MakeAccount, server: Any
) -> None:
    """credit_limit_exceeded releases the key: after a top-up the same request executes."""
    account = make_account(credits=1)
    upload_base_resume(api, account.live_key)
    refused = generate(api, account.live_key, headers=_keyed("retry-me"))
    assert_error(refused, 429, "credit_limit_exceeded")
    execute_sql(server, update(Account).where(Account.id == account.id).values(credits_total=5))
    retried = generate(api, account.live_key, headers=_keyed("retry-me"))
    assert retried.status_code == 200, retried.text
    assert "idempotent-replayed" not in retried.headers
    assert retried.json()["credits_remaining"] == 3


def test_a_4xx_answer_is_stored_and_replayed(api: httpx.Client, make_account: MakeAccount) -> None:
    """A request that ended in a 4xx (no base resume) replays that answer for its key."""
    account = make_account()
    first = generate(api, account.live_key, headers=_keyed("no-base"))
    assert_error(first, 400, "validation_error")
    upload_base_resume(api, account.live_key)
    again = generate(api, account.live_key, headers=_keyed("no-base"))
    assert_error(again, 400, "validation_error")
    assert again.headers["idempotent-replayed"] == "true"
    assert generate(api, account.live_key, headers=_keyed("fresh")).status_code == 200


def test_records_expire_after_24_hours(
    api: httpx.Client, make_account: MakeAccount, server: Any
) -> None:
    """Once a record is past its expiry, its key may be used for a new request."""
    account = make_account()
    generate(api, account.test_key, headers=_keyed("old"))
    execute_sql(
        server,
        update(IdempotencyRecord)
        .where(IdempotencyRecord.account_id == account.id)
        .values(expires_at=utc_now() - timedelta(seconds=1)),
    )
    reused = generate(api, account.test_key, headers=_keyed("old"), company_name="New Co")
    assert reused.status_code == 200, reused.text
    assert reused.json()["company_name"] == "New Co"


def test_abandoned_running_record_is_taken_over(
    api: httpx.Client, make_account: MakeAccount, server: Any
) -> None:
    """A running record whose lock lapsed (its process died) no longer blocks its key."""
    account = make_account()
    generate(api, account.test_key, headers=_keyed("crashed"))
    stale = {"state": "running", "response_status": None, "response_body": None}
    aged = update(IdempotencyRecord).where(IdempotencyRecord.account_id == account.id)
    execute_sql(server, aged.values(**stale, leased_until=utc_now() + timedelta(minutes=5)))
    assert_error(
        generate(api, account.test_key, headers=_keyed("crashed")), 409, "idempotency_key_in_use"
    )
    execute_sql(server, aged.values(leased_until=utc_now() - timedelta(seconds=1)))
    taken_over = generate(api, account.test_key, headers=_keyed("crashed"))
    assert taken_over.status_code == 200, taken_over.text
    assert "idempotent-replayed" not in taken_over.headers


def test_pdf_rendering_is_idempotent_too(api: httpx.Client, make_account: MakeAccount) -> None:
    """POST /pdf with a key replays its first answer."""
    account = make_account()
    resume_id = generate(api, account.test_key).json()["id"]
    url = f"/api/v1/resumes/{resume_id}/pdf"
    first = api.post(url, headers=auth(account.test_key, **_keyed("pdf")))
    second = api.post(url, headers=auth(account.test_key, **_keyed("pdf")))
    assert second.headers["idempotent-replayed"] == "true"
    assert second.content == first.content


def test_deleting_a_resume_withdraws_its_stored_answers(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """After DELETE, a retry of the generate (or pdf) key that made it answers a replayed 404
    not_found naming the deletion, never the deleted content; nothing runs or is charged again,
    and a new key generates as usual."""
    account = make_account(credits=10)
    upload_base_resume(api, account.live_key)
    made = generate(api, account.live_key, headers=_keyed("made-then-deleted"))
    assert made.status_code == 200, made.text
    resume_id = made.json()["id"]
    pdf_url = f"/api/v1/resumes/{resume_id}/pdf"
    rendered = api.post(pdf_url, headers=auth(account.live_key, **_keyed("pdf-then-deleted")))
    assert rendered.status_code == 200, rendered.text
    deleted = api.delete(f"/api/v1/resumes/{resume_id}", headers=auth(account.live_key))
    assert deleted.status_code == 200, deleted.text

    retried = generate(api, account.live_key, headers=_keyed("made-then-deleted"))
    message = assert_error(retried, 404, "not_found")["message"]
    assert resume_id in message and "deleted" in message and "new key" in message
    assert retried.headers["idempotent-replayed"] == "true"
    assert "Senior Software Engineer" not in retried.text  # nothing of the resume remains
    pdf_retry = api.post(pdf_url, headers=auth(account.live_key, **_keyed("pdf-then-deleted")))
    assert_error(pdf_retry, 404, "not_found")
    assert pdf_retry.headers["idempotent-replayed"] == "true"
    assert credits_left(api, account.live_key) == 8
    assert api.get("/api/v1/resumes", headers=auth(account.live_key)).json()["data"] == []
    # The key still belongs to its first request: another body is still a conflict.
    other = generate(api, account.live_key, headers=_keyed("made-then-deleted"), company_name="X")
    assert_error(other, 400, "idempotency_error")
    fresh = generate(api, account.live_key, headers=_keyed("after-delete"))
    assert fresh.status_code == 200 and fresh.json()["id"] != resume_id
