"""Faults on a PostgreSQL + Redis deployment: a server killed mid-generation, Redis going away,
database connections dropped. Requests fail cleanly (503, retryable), nothing is charged twice
and the books still balance afterwards."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager

import httpx
import pytest
from cluster import (
    ServeProcess,
    assert_books_balance,
    concurrently,
    free_port,
    generate,
    llm_environment,
    make_account,
    sql_rows,
    terminate_connections,
    until_ok,
)

import backends
from fakes.llm_servers import openai_reply, running

Serve = Callable[..., ServeProcess]
LEASE_SECONDS = 8


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["name"] == "service_unavailable"
    assert int(response.headers["retry-after"]) >= 1


def test_killed_server_mid_generation_leaves_keys_retryable(
    backend: backends.ServiceBackend, serve: Serve
) -> None:
    """SIGKILL during slow LLM calls: nothing is charged, the keys stay held until their lease
    lapses, then a retry on another process runs once; the restarted process replays it."""
    with running(default=openai_reply({"changes": []}, delay=60)) as llm:
        env = {
            **llm_environment(llm.openai_base_url, timeout=90),
            "FINETUNE_IDEMPOTENCY_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        victim, survivor = serve(**env), serve(**env)
        account = make_account(backend.database_url, credits=20)
        keys = [f"crash-{n}" for n in range(4)]
        submitted_at = time.monotonic()  # every lease was taken after this, so lasts past it + 8 s
        with ThreadPoolExecutor(max_workers=len(keys)) as pool:
            in_flight = [
                pool.submit(generate, victim.base_url, account.live_key, idempotency_key=key)
                for key in keys
            ]
            deadline = time.monotonic() + 60
            while len(llm.requests) < len(keys):
                assert time.monotonic() < deadline, "generations never reached the LLM"
                time.sleep(0.1)
            victim.kill()
            wait(in_flight, timeout=30)
        for future in in_flight:
            assert isinstance(future.exception(), httpx.TransportError)
        assert assert_books_balance(backend.database_url, account.id).credits_used == 0
        # The dead process's reservations remain, to be taken over once their leases lapse.
        reserved = sql_rows(
            backend.database_url,
            "SELECT key FROM idempotency_records WHERE account_id = :id AND state = 'running'",
            id=account.id,
        )
        assert sorted(key for (key,) in reserved) == keys

        llm.default = openai_reply({"changes": []})  # the provider answers quickly again
        early = generate(survivor.base_url, account.live_key, idempotency_key=keys[0])
        if time.monotonic() - submitted_at < LEASE_SECONDS - 1:
            assert early.status_code == 409, early.text
            assert early.json()["name"] == "idempotency_key_in_use"
        retried = {
            key: until_ok(
                lambda key=key: generate(survivor.base_url, account.live_key, idempotency_key=key),
                seconds=LEASE_SECONDS * 4,
            )
            for key in keys
        }
        for response in retried.values():
            assert response.status_code == 200, response.text

        restarted = serve(port=victim.port, **env)
        for key, first in retried.items():
            replay = generate(restarted.base_url, account.live_key, idempotency_key=key)
            assert replay.headers.get("idempotent-replayed") == "true"
            assert replay.json()["id"] == first.json()["id"]
    books = assert_books_balance(backend.database_url, account.id)
    assert (books.live_resumes, books.credits_used) == (len(keys), len(keys))  # basic: 1 each


@contextmanager
def private_redis(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A throwaway redis-server on ``port`` (never the machine's shared one), no persistence."""
    options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        ["redis-server", *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = backends.redis_client(f"redis://127.0.0.1:{port}/0")
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except Exception:
                assert time.monotonic() < deadline, "private redis-server did not start"
                time.sleep(0.1)
        client.close()
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_redis_outage_fails_closed_and_recovers(
    backend: backends.ServiceBackend, serve: Serve
) -> None:
    """Redis down: every API request is a 503 with Retry-After and nothing is charged; once
    Redis is back the same requests succeed, each idempotency key charged once."""
    if shutil.which("redis-server") is None:
        if backends.services_required():
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    with private_redis(port):
        servers = [serve(FINETUNE_REDIS_URL=redis_url), serve(FINETUNE_REDIS_URL=redis_url)]
        account = make_account(backend.database_url, credits=10)
        first = generate(servers[0].base_url, account.live_key, idempotency_key="before")
        assert first.status_code == 200, first.text
    # Redis is gone: fail closed, on every process, for keys and anonymous callers alike.
    for server in servers:
        outage = generate(server.base_url, account.live_key, idempotency_key="during")
        _assert_unavailable(outage)
        assert outage.headers["ratelimit-remaining"] == "0"
        _assert_unavailable(httpx.get(f"{server.base_url}/api/v1/usage", timeout=30))
    assert assert_books_balance(backend.database_url, account.id).credits_used == 1

    with private_redis(port):
        for server in servers:
            during = until_ok(
                lambda server=server: generate(
                    server.base_url, account.live_key, idempotency_key="during"
                )
            )
            assert during.status_code == 200, during.text
        replay = generate(servers[1].base_url, account.live_key, idempotency_key="before")
        assert replay.headers.get("idempotent-replayed") == "true"
    books = assert_books_balance(backend.database_url, account.id)
    assert (books.live_resumes, books.credits_used) == (2, 2)


def test_dropped_database_connections_are_503_and_recover_without_restart(
    backend: backends.ServiceBackend, serve: Serve
) -> None:
    """While every database connection keeps being terminated, requests answer 200 or a clean
    503; afterwards the same processes serve normally and the books balance."""
    env = {"FINETUNE_IDEMPOTENCY_LEASE_SECONDS": str(LEASE_SECONDS)}
    servers = [serve(**env), serve(**env)]
    account = make_account(backend.database_url, credits=1000)
    for server in servers:
        assert generate(server.base_url, account.live_key).status_code == 200

    stop = threading.Event()
    terminated = 0

    def storm() -> None:
        nonlocal terminated
        while not stop.is_set():
            terminated += terminate_connections(backend.database_url)
            time.sleep(0.05)

    def call(index: int) -> httpx.Response:
        base_url = servers[index % 2].base_url
        if index % 3 == 2:
            return httpx.get(
                f"{base_url}/api/v1/resumes", headers={"X-API-Key": account.live_key}, timeout=60
            )
        return generate(base_url, account.live_key, idempotency_key=f"storm-{index}")

    killer = threading.Thread(target=storm, daemon=True)
    killer.start()
    try:
        during = concurrently([lambda i=i: call(i) for i in range(30)], threads=8)
    finally:
        stop.set()
        killer.join(timeout=10)
    assert terminated > 0
    for response in during:
        if response.status_code != 200:
            _assert_unavailable(response)

    # No restart: the pools replace dead connections and every request succeeds.
    after = [until_ok(lambda i=i: call(i), seconds=LEASE_SECONDS * 4) for i in range(30)]
    assert [response.status_code for response in after] == [200] * 30
    books = assert_books_balance(backend.database_url, account.id)
    assert books.live_resumes == 2 + 20  # the warm-up pair and one per storm key
