"""Does sign-up take as long for an email that has an account as for a new one?

Run from the repository root:  .venv/bin/python bench/signup_timing.py [--pairs 60]
Target (issue 11): within each interleaved pair, a taken email's sign-up and a new email's take
the same time: the median of the pairs' differences is under 5 ms, against answers of 100 ms and
more (both pay one argon2id hash), so timing does not tell whether an address has an account.
Exits 1 if missed. Pairing cancels the load drift a shared machine adds to both.

What it does: serves the app with uvicorn in a background thread on a free loopback port, in a
temporary FINETUNE_DATA_DIR on embedded defaults (SQLite), signs one account up, then sends
``--pairs`` pairs of sign-ups through HTTP, interleaved so load on the machine hits both alike:
one with the taken email, one with a fresh email (each creates an account). The first five
pairs are a warm-up. Each request is bounded by a 30 s timeout.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import re
import socket
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn

from finetune.app import create_app
from finetune.config import Settings

TARGET_MS = 5.0
WARMUP_PAIRS = 5
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _sign_up(client: httpx.Client, token: str, email: str) -> float:
    """One sign-up; its answer time in milliseconds."""
    data = {"email": email, "password": PASSWORD, "password_confirm": PASSWORD, "csrf_token": token}
    started = time.perf_counter()
    answer = client.post("/signup", data=data)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 303:
        raise RuntimeError(f"sign-up answered {answer.status_code}: {answer.text[:200]}")
    return elapsed


def measure(base_url: str, pairs: int) -> tuple[list[float], list[float]]:
    """(taken, fresh) answer times in milliseconds, warm-up excluded."""
    taken: list[float] = []
    fresh: list[float] = []
    with httpx.Client(base_url=base_url, timeout=30, follow_redirects=False) as client:
        match = _CSRF.search(client.get("/signup").text)
        if match is None:
            raise RuntimeError("the sign-up page has no CSRF token")
        token = match.group(1)
        owner = f"owner-{uuid.uuid4().hex[:8]}@example.com"
        _sign_up(client, token, owner)
        for index in range(pairs + WARMUP_PAIRS):
            taken_ms = _sign_up(client, token, owner)
            fresh_ms = _sign_up(client, token, f"new-{uuid.uuid4().hex[:12]}@example.com")
            if index >= WARMUP_PAIRS:
                taken.append(taken_ms)
                fresh.append(fresh_ms)
    return taken, fresh


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        settings = Settings(
            data_dir=Path(tmp),
            database_url=None,
            redis_url=None,
            public_url=f"http://127.0.0.1:{port}",
            login_attempts_per_address=1_000_000,
        )
        server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        try:
            taken, fresh = measure(f"http://127.0.0.1:{port}", args.pairs)
        finally:
            server.should_exit = True
            thread.join(timeout=15)

    print(f"sign-up answer times, {args.pairs} interleaved pairs over HTTP (SQLite)")
    print(f"recorded {datetime.date.today()}, {platform.processor() or platform.machine()}")
    print(f"{'email':<8} {'p10 ms':>8} {'p50 ms':>8} {'p90 ms':>8}")
    for label, values in (("taken", taken), ("new", fresh)):
        deciles = statistics.quantiles(values, n=10)
        print(
            f"{label:<8} {deciles[0]:>8.1f} {statistics.median(values):>8.1f} {deciles[-1]:>8.1f}"
        )
    gap = statistics.median(t - f for t, f in zip(taken, fresh, strict=True))
    verdict = "meets" if abs(gap) < TARGET_MS else "MISSES"
    print(f"median of pair differences (taken - new) {gap:+.1f} ms: {verdict} the target")
    return 0 if abs(gap) < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
