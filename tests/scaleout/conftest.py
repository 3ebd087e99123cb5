"""Scale-out fixtures: the session's PostgreSQL + Redis, and ``finetune serve`` processes on it.

These tests exist only on the PostgreSQL + Redis leg (``FINETUNE_TEST_BACKEND=postgres``); on the
SQLite leg they skip, since several processes sharing state is what they test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cluster import ServeProcess

import backends


@pytest.fixture
def backend() -> backends.ServiceBackend:
    """The session's database and Redis (skips on the SQLite leg)."""
    if backends.ACTIVE is None:
        pytest.skip(
            "scale-out tests run on the PostgreSQL + Redis leg: FINETUNE_TEST_BACKEND=postgres"
        )
    return backends.ACTIVE


@pytest.fixture
def serve(
    backend: backends.ServiceBackend, tmp_path: Path
) -> Iterator[Callable[..., ServeProcess]]:
    """``serve(workers=1, **env)`` starts a ``finetune serve`` on the shared database and Redis;
    every process still running is stopped when the test ends."""
    started: list[ServeProcess] = []

    def start(workers: int = 1, port: int | None = None, **env: str) -> ServeProcess:
        data_dir = tmp_path / f"proc-{len(started)}"
        data_dir.mkdir()
        process = ServeProcess(
            data_dir, {**backend.environment(), **env}, workers=workers, port=port
        )
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.stop()
