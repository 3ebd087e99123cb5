"""A server killed with SIGKILL in the middle of a generation: once it is restarted, a client
retrying its Idempotency-Key succeeds within 20 s, because the dead process stopped renewing the
key's 15-second lease (the former fixed lock kept such keys for 8 minutes).

Runs on the active leg of the test matrix: SQLite in a shared data directory, or PostgreSQL.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from cluster import (
    ServeProcess,
    assert_books_balance,
    generate,
    llm_environment,
    make_account,
    sql_rows,
    until_ok,
)

import backends
from fakes.llm_servers import openai_reply, running

KEY = "crash-then-retry"
RESTART_DEADLINE_SECONDS = 20


def _database(data_dir: Path) -> tuple[str, dict[str, str]]:
    """The database URL the servers use and the environment that points them at it."""
    if backends.ACTIVE is not None:
        return backends.ACTIVE.database_url, backends.ACTIVE.environment()
    return f"sqlite:///{(data_dir / 'finetune.db').resolve()}", {}


def test_retry_succeeds_within_20_s_of_restart_after_kill_9(tmp_path: Path) -> None:
    """A live generation holds its key (a retry is 409) while the LLM is slow; SIGKILL; after a
    restart with the default lease, retrying the same key succeeds within 20 s, runs once,
    charges once, and replays afterwards."""
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    database_url, environment = _database(data_dir)
    with running(default=openai_reply({"changes": []}, delay=300)) as llm:
        env = {**environment, **llm_environment(llm.openai_base_url, timeout=400)}
        victim = ServeProcess(data_dir, env).start()
        try:
            account = make_account(database_url, credits=5)
            with ThreadPoolExecutor(max_workers=1) as pool:
                doomed = pool.submit(
                    generate, victim.base_url, account.live_key, idempotency_key=KEY
                )
                deadline = time.monotonic() + 60
                while not llm.requests:
                    assert time.monotonic() < deadline, "the generation never reached the LLM"
                    time.sleep(0.1)
                held = generate(victim.base_url, account.live_key, idempotency_key=KEY)
                assert held.status_code == 409, held.text
                assert held.json()["name"] == "idempotency_key_in_use"
                victim.kill()
                assert isinstance(doomed.exception(timeout=30), httpx.TransportError)
        finally:
            victim.kill()
        reserved = sql_rows(
            database_url,
            "SELECT key, state FROM idempotency_records WHERE account_id = :id",
            id=account.id,
        )
        assert reserved == [(KEY, "running")]  # the dead process's reservation is still there

        llm.default = openai_reply({"changes": []})  # the provider answers quickly again
        restarted = ServeProcess(data_dir, env, port=victim.port).start()
        try:
            ready_at = time.monotonic()
            retried = until_ok(
                lambda: generate(restarted.base_url, account.live_key, idempotency_key=KEY),
                seconds=RESTART_DEADLINE_SECONDS + 10,
            )
            elapsed = time.monotonic() - ready_at
            assert retried.status_code == 200, retried.text
            assert elapsed <= RESTART_DEADLINE_SECONDS, (
                f"retry succeeded only after {elapsed:.1f} s"
            )
            assert "idempotent-replayed" not in retried.headers
            replay = generate(restarted.base_url, account.live_key, idempotency_key=KEY)
            assert replay.headers.get("idempotent-replayed") == "true"
            assert replay.json()["id"] == retried.json()["id"]
        finally:
            restarted.stop()
    books = assert_books_balance(database_url, account.id)
    assert (books.live_resumes, books.credits_used) == (1, 1)  # basic: 1 credit, charged once
