"""`finetune serve`: the demo account and keys it prints, and exact limits across workers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from finetune.cli.admin import in_session
from finetune.cli.server import DEMO_EMAIL, prepare_demo
from finetune.config import Settings
from ports import free_port

FINETUNE = Path(sys.executable).parent / "finetune"


def wait_healthy(base_url: str, process: subprocess.Popen[Any], seconds: float) -> None:
    """Until ``/healthz`` answers 200; raises if the server exits or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base_url}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """``finetune serve --demo`` in a subprocess: (base URL, its printed output, data dir)."""
    tmp_path = tmp_path_factory.mktemp("serve-demo")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("FINETUNE_")}
    env.update({"FINETUNE_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"})
    process = subprocess.Popen(
        [str(FINETUNE), "serve", "--port", str(port), "--demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not any("# Interactive documentation" in line for line in lines):
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("serve exited early:\n" + "".join(lines))
            lines.append(line)
        wait_healthy(base_url, process, 30)
        yield base_url, "".join(lines), tmp_path
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_demo_prints_keys_that_work(demo_server: tuple[str, str, Path]) -> None:
    """The printed keys authenticate; the demo account is pro with the sample persona."""
    base_url, output, _ = demo_server
    test_key = re.search(r"test key: (ft_test_\w+)", output)
    live_key = re.search(r"live key: (ft_live_\w+)", output)
    assert test_key and live_key
    assert f"curl {base_url}/api/v1/usage" in output
    for key in (test_key.group(1), live_key.group(1)):
        usage = httpx.get(f"{base_url}/api/v1/usage", headers={"X-API-Key": key})
        assert usage.status_code == 200 and usage.json()["plan"] == "pro"
    base = httpx.get(f"{base_url}/api/v1/base-resume", headers={"X-API-Key": test_key.group(1)})
    assert base.json()["resume_data"]["basics"]["name"] == "Jordan Ellery"


def test_demo_reuses_the_account_and_mints_new_keys(demo_server: tuple[str, str, Path]) -> None:
    """Preparing the demo again keeps the account and base resume, with fresh keys."""
    base_url, output, data_dir = demo_server
    first_test_key = re.search(r"test key: (ft_test_\w+)", output)
    assert first_test_key
    settings = Settings(data_dir=data_dir, database_url=None)
    again = in_session(settings, prepare_demo)
    assert again.account_id in output
    assert again.test_key != first_test_key.group(1)
    usage = httpx.get(f"{base_url}/api/v1/usage", headers={"X-API-Key": again.test_key})
    assert usage.status_code == 200
    keys = httpx.get(f"{base_url}/api/v1/api-keys", headers={"X-API-Key": again.test_key})
    assert len(keys.json()["data"]) == 4
    assert DEMO_EMAIL in output


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.services)]
)
def test_serve_and_admin_at_once_on_a_fresh_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """`serve` and `admin create-account` started together on a new database both succeed
    (they migrate in turn), and the key admin printed works against that server. Whether the
    two really overlap depends on timing; tests/test_db.py forces migrators to overlap."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FINETUNE_")}
    env["FINETUNE_DATA_DIR"] = str(tmp_path)
    if backend == "postgresql":
        env["FINETUNE_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    port = free_port()
    server = subprocess.Popen(
        [str(FINETUNE), "serve", "--port", str(port), "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        admin = subprocess.run(
            [str(FINETUNE), "admin", "create-account", "--email", "both@example.com", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert admin.returncode == 0, admin.stderr
        base_url = f"http://127.0.0.1:{port}"
        wait_healthy(base_url, server, 120)
        key = json.loads(admin.stdout)["test_key"]
        usage = httpx.get(f"{base_url}/api/v1/usage", headers={"X-API-Key": key})
        assert usage.status_code == 200
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert "already exists" not in stderr


def test_several_workers_without_redis_count_exactly(tmp_path: Path) -> None:
    """`serve --workers 2` without Redis shares one exact count: 5 of 12 concurrent succeed."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FINETUNE_")}
    env.update({"FINETUNE_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"})
    created = subprocess.run(
        [
            *(str(FINETUNE), "admin", "create-account", "--email", "w@example.com"),
            *("--rate-limit", "5", "--json"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    key = json.loads(created.stdout)["test_key"]
    port = free_port()
    process = subprocess.Popen(
        [str(FINETUNE), "serve", "--port", str(port), "--workers", "2", "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base_url, process, 120)

        def usage(_: int) -> int:
            # A fresh connection each, so the requests spread over both workers.
            response = httpx.get(f"{base_url}/api/v1/usage", headers={"X-API-Key": key})
            return response.status_code

        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(usage, range(12)))
        assert sorted(statuses) == [200] * 5 + [429] * 7
    finally:
        process.terminate()
        process.wait(timeout=30)
