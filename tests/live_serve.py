"""A real ``finetune serve`` in a subprocess, and accounts made with ``finetune admin``.

For the tests of the clients (SDK, CLI client, MCP server): they talk to the server exactly as a
user would, over a socket, through the operator interface the README documents.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

import backends
from ports import free_port

FINETUNE = Path(sys.executable).parent / "finetune"


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    data_dir: Path

    def env(self) -> dict[str, str]:
        """The environment of this server's processes: its data directory and, on the
        PostgreSQL + Redis leg, the session's database and Redis; nothing else of ours."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("FINETUNE_")}
        env["FINETUNE_DATA_DIR"] = str(self.data_dir)
        if backends.ACTIVE is not None:
            env.update(backends.ACTIVE.environment())
        return env


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    live_key: str
    test_key: str


def wait_until_answering(
    url: str, process: subprocess.Popen[bytes], *, timeout: float = 60, status: int | None = None
) -> None:
    """Poll ``url`` until it answers (with ``status``, if given); fail if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the process serving {url} exited with {process.returncode}")
        try:
            answer = httpx.get(url, timeout=2)
            if status is None or answer.status_code == status:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in {timeout} s")
        time.sleep(0.1)


@contextmanager
def serve(data_dir: Path, *extra_args: str) -> Iterator[LiveServer]:
    """``finetune serve`` on a free loopback port with its own data directory."""
    port = free_port()
    server = LiveServer(f"http://127.0.0.1:{port}", data_dir)
    process = subprocess.Popen(
        [str(FINETUNE), "serve", "--port", str(port), "--no-access-log", *extra_args],
        env=server.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_answering(f"{server.base_url}/healthz", process, status=200)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def create_account(
    server: LiveServer, *, plan: str = "pro", credits: int | None = None, rate_limit: int = 1000
) -> Account:
    """``finetune admin create-account --json`` against the server's data directory."""
    email = f"client-{uuid.uuid4().hex[:12]}@example.com"
    args = ["admin", "create-account", "--email", email, "--plan", plan, "--json"]
    args += ["--rate-limit", str(rate_limit)]
    if credits is not None:
        args += ["--credits", str(credits)]
    done = subprocess.run(
        [str(FINETUNE), *args], env=server.env(), capture_output=True, text=True, check=True
    )
    created = json.loads(done.stdout)
    return Account(created["id"], created["email"], created["live_key"], created["test_key"])


PAIR_DIR = Path(__file__).parent / "data" / "pairs" / "software-engineer"
JOB_FILE = PAIR_DIR / "job.txt"
RESUME_FILE = PAIR_DIR / "resume.json"


def resume_document() -> dict[str, Any]:
    """The software engineer's resume (our resume_data), for base-resume uploads."""
    loaded: dict[str, Any] = json.loads(RESUME_FILE.read_text())
    return loaded


_shared: list[LiveServer] = []


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One ``finetune serve`` for the session. Each test directory imports this fixture in its
    conftest (so pytest makes one fixture per directory); the first starts the server and stops
    it at the end of the session, the others reuse it."""
    if _shared:
        yield _shared[0]
        return
    with serve(tmp_path_factory.mktemp("live-server")) as server:
        _shared.append(server)
        try:
            yield server
        finally:
            _shared.clear()
