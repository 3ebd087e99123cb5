"""Invariants that must hold when several ``finetune serve`` processes share PostgreSQL + Redis,
driven by concurrent clients: exact rate limits, one execution and one charge per idempotency
key, and credits that always match the stored resumes."""

from __future__ import annotations

from collections import Counter

import httpx
from cluster import (
    ServeProcess,
    assert_books_balance,
    concurrently,
    generate,
    make_account,
    sql_rows,
)

import backends


def test_rate_limit_is_exact_across_processes_and_workers(
    backend: backends.ServiceBackend, server_pair: list[ServeProcess]
) -> None:
    """A 2-worker server and a 1-worker server together let exactly `limit` requests through."""
    servers = server_pair
    account = make_account(backend.database_url, rate_limit=25)

    def usage(index: int) -> int:
        response = httpx.get(
            f"{servers[index % 2].base_url}/api/v1/usage",
            headers={"X-API-Key": account.live_key},
            timeout=60,
        )
        assert int(response.headers["ratelimit-remaining"]) >= 0
        return response.status_code

    statuses = Counter(concurrently([lambda i=i: usage(i) for i in range(60)]))
    assert statuses == {200: 25, 429: 35}


def test_one_execution_and_one_charge_per_idempotency_key(
    backend: backends.ServiceBackend, server_pair: list[ServeProcess]
) -> None:
    """Concurrent duplicates on two processes: one resume, one charge, the rest 409 or replays."""
    servers = server_pair
    account = make_account(backend.database_url, credits=50)
    keys = [f"order-{n}" for n in range(3)]

    def attempt(index: int) -> httpx.Response:
        return generate(
            servers[index % 2].base_url,
            account.live_key,
            idempotency_key=keys[index % len(keys)],
            level="good",
        )

    responses = concurrently([lambda i=i: attempt(i) for i in range(18)])
    outcomes = Counter(
        (r.status_code, r.headers.get("idempotent-replayed") == "true") for r in responses
    )
    assert set(outcomes) <= {(200, False), (200, True), (409, False)}, outcomes
    assert outcomes[(200, False)] == len(keys)
    for response in responses:
        if response.status_code == 409:
            assert response.json()["name"] == "idempotency_key_in_use"
            assert int(response.headers["retry-after"]) >= 1

    # Every key answers with its one resume from now on, on either process.
    ids = {}
    for key in keys:
        for server in servers:
            replay = generate(server.base_url, account.live_key, idempotency_key=key, level="good")
            assert replay.status_code == 200 and replay.headers["idempotent-replayed"] == "true"
            ids.setdefault(key, replay.json()["id"])
            assert replay.json()["id"] == ids[key]
    books = assert_books_balance(backend.database_url, account.id)
    assert (books.live_resumes, books.credits_used) == (len(keys), 2 * len(keys))


def test_credits_never_overdraw_under_concurrent_generations(
    backend: backends.ServiceBackend, server_pair: list[ServeProcess]
) -> None:
    """Racing live generations on two processes spend at most the balance, and every charge
    belongs to a stored resume reported to its client."""
    servers = server_pair
    account = make_account(backend.database_url, credits=9)
    levels = ["basic", "good", "super"] * 6

    def attempt(index: int) -> httpx.Response:
        return generate(servers[index % 2].base_url, account.live_key, level=levels[index])

    responses = concurrently([lambda i=i: attempt(i) for i in range(len(levels))])
    for response in responses:
        assert response.status_code in (200, 429), response.text
        if response.status_code == 429:
            assert response.json()["name"] == "credit_limit_exceeded"
    succeeded = [r.json() for r in responses if r.status_code == 200]
    assert succeeded
    books = assert_books_balance(backend.database_url, account.id)
    assert books.live_resumes == len(succeeded)
    stored = dict(
        sql_rows(
            backend.database_url,
            "SELECT id, credits_charged FROM resumes WHERE account_id = :id AND livemode",
            id=account.id,
        )
    )
    level_cost = {"basic": 1, "good": 2, "super": 3}
    assert stored == {body["id"]: level_cost[body["finetune_level"]] for body in succeeded}
    # Test mode is free and never touches the live balance.
    test_run = generate(servers[0].base_url, account.test_key, level="super")
    assert test_run.status_code == 200
    assert assert_books_balance(backend.database_url, account.id) == books
