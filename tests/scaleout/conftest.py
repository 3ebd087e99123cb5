"""Scale-out fixtures: the session's PostgreSQL + Redis, and ``finetune serve`` processes on it.

Tests that use the ``backend`` fixture exist only on the PostgreSQL + Redis leg
(``FINETUNE_TEST_BACKEND=postgres``); on the SQLite leg they skip, since several processes sharing
state is what they test. Tests without it (crash recovery) run on whichever leg is active.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cluster import NEEDS_SERVICES, ServeProcess

import backends


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A mark rather than a skip inside the fixture, so the summary folds the skips per file.
    if backends.ACTIVE is None:
        for item in items:
            needs_services = "backend" in getattr(item, "fixturenames", ())
            if item.path.parent == Path(__file__).parent and needs_services:
                item.add_marker(pytest.mark.skip(reason=NEEDS_SERVICES))


@pytest.fixture(scope="module")
def backend() -> backends.ServiceBackend:
    """The session's database and Redis (skips on the SQLite leg)."""
    if backends.ACTIVE is None:
        pytest.skip(NEEDS_SERVICES)
    return backends.ACTIVE


@contextmanager
def _launcher(
    backend: backends.ServiceBackend, base_dir: Path
) -> Iterator[Callable[..., ServeProcess]]:
    started: list[ServeProcess] = []

    def start(workers: int = 1, port: int | None = None, **env: str) -> ServeProcess:
        data_dir = base_dir / f"proc-{len(started)}"
        data_dir.mkdir()
        process = ServeProcess(
            data_dir, {**backend.environment(), **env}, workers=workers, port=port
        )
        started.append(process)
        return process.start()

    try:
        yield start
    finally:
        for process in started:
            process.stop()


@pytest.fixture
def serve(
    backend: backends.ServiceBackend, tmp_path: Path
) -> Iterator[Callable[..., ServeProcess]]:
    """``serve(workers=1, port=None, **env)`` starts a ``finetune serve`` on the shared database
    and Redis; every process still running is stopped when the test ends."""
    with _launcher(backend, tmp_path) as start:
        yield start


@pytest.fixture(scope="module")
def server_pair(
    backend: backends.ServiceBackend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[ServeProcess]]:
    """Two servers for a whole module: one with two workers, one with one (Redis required)."""
    with _launcher(backend, tmp_path_factory.mktemp("pair")) as start:
        yield [start(workers=2), start()]
