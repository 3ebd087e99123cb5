"""Helpers for the scale-out tests: ``finetune serve`` processes sharing a database (and Redis),
accounts made through the services, and the accounting invariants read straight from SQL.

Test modules import from here (``from cluster import ServeProcess``); pytest puts this
directory on ``sys.path``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import create_engine, text

from finetune.accounts.service import create_account
from finetune.base_resume.service import put_base_resume
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker, sync_database_url
from finetune.keys.service import create_key
from finetune.resumes.service import sample_persona
from ports import free_port

FINETUNE = Path(sys.executable).parent / "finetune"
JOB_DESCRIPTION = (
    "We are looking for a Senior Software Engineer to join our Cloud Platform team. You will "
    "design and build distributed systems in Python and Go, run services on Kubernetes and AWS. "
    "Requirements: 5+ years of backend development, PostgreSQL, REST APIs and CI/CD."
)
NEEDS_SERVICES = "scale-out tests need the PostgreSQL + Redis leg (FINETUNE_TEST_BACKEND=postgres)"
# A loaded 2-core machine starts a server slowly (imports, migrations): be patient.
START_TIMEOUT = 120.0

T = TypeVar("T")


class ServeProcess:
    """``finetune serve`` in its own process group, configured through ``FINETUNE_*``."""

    def __init__(
        self, data_dir: Path, env: dict[str, str], *, workers: int = 1, port: int | None = None
    ) -> None:
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log_path = data_dir / f"serve-{self.port}-{uuid.uuid4().hex[:6]}.log"
        self._env = {k: v for k, v in os.environ.items() if not k.startswith("FINETUNE_")}
        self._env.update(
            {"FINETUNE_DATA_DIR": str(data_dir), "FINETUNE_PUBLIC_URL": self.base_url, **env}
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServeProcess:
        command = [str(FINETUNE), "serve", "--port", str(self.port), "--no-access-log"]
        command += ["--workers", str(self.workers)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self._env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown, no cleanup, like a crashed machine."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """Graceful shutdown (SIGTERM), escalating to SIGKILL."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass(frozen=True)
class Account:
    id: str
    live_key: str
    test_key: str


def make_account(
    database_url: str, *, credits: int = 100, rate_limit: int = 100_000, base_resume: bool = True
) -> Account:
    """A pro account with one live and one test key (and the sample base resume)."""

    async def create() -> Account:
        engine = create_db_engine(Settings(database_url=database_url))
        try:
            async with create_sessionmaker(engine)() as session:
                email = f"scale-{uuid.uuid4().hex[:12]}@example.com"
                account = await create_account(session, email, "pro", credits, rate_limit)
                live = await create_key(session, account.id, "live", "scale-out live")
                test = await create_key(session, account.id, "test", "scale-out test")
                if base_resume:
                    await put_base_resume(session, account.id, sample_persona())
                await session.commit()
                return Account(account.id, live.secret, test.secret)
        finally:
            await engine.dispose()

    return asyncio.run(create())


def generation_body(level: str = "basic", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "job_description": JOB_DESCRIPTION,
        "company_name": "Acme",
        "position": "Senior Software Engineer",
        "finetune_level": level,
        "include_pdf": False,
    }
    body.update(overrides)
    return body


def generate(
    base_url: str,
    key: str,
    *,
    idempotency_key: str | None = None,
    timeout: float = 120,
    **body: Any,
) -> httpx.Response:
    headers = {"X-API-Key": key}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return httpx.post(
        f"{base_url}/api/v1/resumes/generate",
        json=generation_body(**body),
        headers=headers,
        timeout=timeout,
    )


def llm_environment(openai_base_url: str, timeout: float) -> dict[str, str]:
    """``FINETUNE_*`` settings pointing a server's live generations at a fake OpenAI server."""
    return {
        "FINETUNE_LLM_PROVIDER": "openai",
        "FINETUNE_LLM_MODEL": "fake-model",
        "FINETUNE_LLM_BASE_URL": openai_base_url,
        "FINETUNE_LLM_API_KEY": "sk-fake",
        "FINETUNE_LLM_TIMEOUT": str(timeout),
    }


def until_ok(call: Callable[[], httpx.Response], seconds: float = 30) -> httpx.Response:
    """Retry ``call`` while it answers 409 (key still held) or 503, as a client would, waiting
    as ``Retry-After`` says (at most 2 s); the last answer once ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        response = call()
        if response.status_code not in (409, 503) or time.monotonic() > deadline:
            return response
        time.sleep(min(2.0, float(response.headers.get("retry-after", "1"))))


def concurrently(calls: Iterable[Callable[[], T]], threads: int = 16) -> list[T]:
    """Run the calls at once from a thread pool; results in call order."""
    tasks = list(calls)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(call) for call in tasks]
        return [future.result() for future in futures]


def sql_rows(database_url: str, query: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of ``query`` (``:name`` parameters) on the servers' database, SQLite or
    PostgreSQL, read outside the servers."""
    engine = create_engine(sync_database_url(Settings(database_url=database_url)))
    try:
        with engine.begin() as connection:
            return [tuple(row) for row in connection.execute(text(query), params)]
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Ledger:
    credits_total: int
    credits_used: int
    live_charges: int
    live_resumes: int
    uncharged_live_resumes: int


def ledger(database_url: str, account_id: str) -> Ledger:
    """The account's credits next to what its stored resumes were charged."""
    [(total, used)] = sql_rows(
        database_url,
        "SELECT credits_total, credits_used FROM accounts WHERE id = :id",
        id=account_id,
    )
    [(charges, count, uncharged)] = sql_rows(
        database_url,
        "SELECT COALESCE(SUM(credits_charged), 0), COUNT(*),"
        " COUNT(*) FILTER (WHERE credits_charged <= 0)"
        " FROM resumes WHERE account_id = :id AND livemode",
        id=account_id,
    )
    return Ledger(total, used, int(charges), int(count), int(uncharged))


def assert_books_balance(database_url: str, account_id: str) -> Ledger:
    """Credits never negative; every charge has its resume and every live resume its charge."""
    books = ledger(database_url, account_id)
    assert books.credits_used >= 0
    assert books.credits_used <= books.credits_total
    assert books.credits_used == books.live_charges, books
    assert books.uncharged_live_resumes == 0, books
    return books


def terminate_connections(database_url: str) -> int:
    """``pg_terminate_backend`` every other connection to the test database; returns how many."""
    name = database_url.rsplit("/", 1)[1]
    rows = sql_rows(
        database_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = :name AND pid <> pg_backend_pid()",
        name=name,
    )
    return sum(1 for (terminated,) in rows if terminated)
