"""Secrets are never stored in clear and never logged.

A real ``finetune serve`` (access log on, default log level) gets keys made every way there is
(the admin CLI, the keys service, the dashboard) and a dashboard password (sign-up and
``admin set-password``); every key is used, one is revoked and used again, one is sent in the
query string by mistake, and the dashboard is signed into. Then the SQLite database (every
table, dumped, plus the raw files) and everything the server printed are searched for every
secret: none may appear.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from security_support import PAIR_DIR, job_body

from finetune.accounts.service import create_account
from finetune.config import Settings
from finetune.db import create_db_engine, create_sessionmaker
from finetune.keys.service import MODES, create_key
from ports import free_port

sys.path.insert(0, str(Path(__file__).parent.parent / "dashboard"))

from visitor import Visitor, new_key_secret

FINETUNE = Path(sys.executable).with_name("finetune")
PASSWORD_CLI = "cli-password-Tr0ub4dor&3-not-logged"
PASSWORD_SIGNUP = "signup-password-correct-horse-battery"


@dataclass
class LiveServer:
    base_url: str
    data_dir: Path
    log: Path
    env: dict[str, str]


def _admin(env: dict[str, str], *args: str) -> dict[str, object]:
    completed = subprocess.run(
        [str(FINETUNE), "admin", *args, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(completed.stdout)
    return result


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """``finetune serve`` in a subprocess, its output captured to a file."""
    data_dir = tmp_path / "data"
    env = {name: value for name, value in os.environ.items() if not name.startswith("FINETUNE_")}
    env.update(FINETUNE_DATA_DIR=str(data_dir), FINETUNE_RATE_LIMIT_ANONYMOUS="100000")
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(FINETUNE), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        yield LiveServer(base_url, data_dir, log, env)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _service_keys(data_dir: Path) -> list[str]:
    """An account and two keys made through the services, as the dashboard does."""
    settings = Settings(data_dir=data_dir, database_url=None)
    engine = create_db_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            account = await create_account(session, "secrets-service@example.com", "free")
            keys = [await create_key(session, account.id, mode, "Service key") for mode in MODES]
            await session.commit()
    finally:
        await engine.dispose()
    return [key.secret for key in keys]


def _keys_from_every_source(server: LiveServer) -> tuple[str, list[str]]:
    """Keys from the admin CLI and the keys service (one revoked), a password set by the CLI;
    returns the CLI account's email and the secrets."""
    email = "secrets-cli@example.com"
    created = _admin(server.env, "create-account", "--email", email, "--plan", "pro")
    extra = _admin(server.env, "create-key", "--account", str(created["id"]), "--mode", "live")
    secrets = [str(created["live_key"]), str(created["test_key"]), str(extra["secret"])]
    service_keys = asyncio.run(_service_keys(server.data_dir))
    secrets += service_keys
    revoked = _admin(server.env, "create-key", "--account", str(created["id"]), "--mode", "test")
    _admin(server.env, "revoke-key", str(revoked["id"]))
    secrets.append(str(revoked["secret"]))
    subprocess.run(
        [str(FINETUNE), "admin", "set-password", "--email", email],
        env={**server.env, "FINETUNE_NEW_PASSWORD": PASSWORD_CLI},
        capture_output=True,
        timeout=120,
        check=True,
    )
    return email, secrets


def _use_every_key(server: LiveServer, secrets: list[str]) -> None:
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        for secret in secrets:
            headers = {"X-API-Key": secret}
            client.put(
                "/api/v1/base-resume",
                headers={**headers, "Content-Type": "application/json"},
                content=(PAIR_DIR / "resume.json").read_bytes(),
            )
            client.get("/api/v1/usage", headers=headers)
            client.get("/api/v1/api-keys", headers=headers)
            client.post("/api/v1/resumes/generate", headers=headers, json=job_body())
            client.get("/api/v1/nowhere", headers=headers)  # a 404 path logs too
            # A client's mistake: the key in the query string (ignored, 401) and a near-miss.
            client.get("/api/v1/usage", params={"api_key": secret})
            client.get("/api/v1/usage", headers={"X-API-Key": secret[:-1] + "x"})


def _use_the_dashboard(server: LiveServer, cli_email: str) -> list[str]:
    with Visitor(server.base_url) as visitor:
        visitor.sign_up("secrets-dashboard@example.com", PASSWORD_SIGNUP)
        page = visitor.submit("/keys", "/keys", {"name": "Dashboard key", "mode": "live"})
        if page.status_code == 303:
            page = visitor.get(page.headers["location"])
        dashboard_key = new_key_secret(page.text)
    with Visitor(server.base_url) as visitor:
        visitor.log_in(cli_email, "a wrong password, also not logged")
        visitor.log_in(cli_email, PASSWORD_CLI)
    return [dashboard_key]


def _database_text(data_dir: Path) -> str:
    connection = sqlite3.connect(data_dir / "finetune.db")
    try:
        dump = "\n".join(connection.iterdump())
    finally:
        connection.close()
    raw = b"".join(path.read_bytes() for path in data_dir.glob("finetune.db*"))
    return dump + "\n" + raw.decode("latin-1")


def test_no_secret_is_stored_in_clear_or_logged(live_server: LiveServer) -> None:
    """Full key secrets and passwords appear neither in the database nor in the server output."""
    cli_email, secrets = _keys_from_every_source(live_server)
    _use_every_key(live_server, secrets)
    secrets += _use_the_dashboard(live_server, cli_email)
    _use_every_key(live_server, secrets[-1:])
    time.sleep(0.5)  # let the access log flush the last lines
    database = _database_text(live_server.data_dir)
    log = live_server.log.read_text(errors="replace")
    assert "GET /api/v1/usage" in log, "the access log was not captured"
    assert "key_" in database and "argon2" in database, "the database dump is empty"
    for secret in [*secrets, PASSWORD_CLI, PASSWORD_SIGNUP]:
        body = secret.split("_", 2)[-1]  # the random part, in case a prefix were stripped
        assert body not in database, f"a secret is stored in clear: {secret[:12]}…"
        assert body not in log, f"a secret is in the server output: {secret[:12]}…"
