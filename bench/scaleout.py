"""Scale-out benchmark: PostgreSQL + Redis with 1, 2 and 4 workers next to the embedded default.

Run from the repository root:  .venv/bin/python bench/scaleout.py [--duration 10]
Needs wrk, PostgreSQL (FINETUNE_BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/
postgres, a role allowed to create databases) and Redis (FINETUNE_BENCH_REDIS_URL, default
redis://127.0.0.1:6379/0), all on loopback.

What it measures, in one run, with bench/api_load.py's wrk tooling (same Lua script, warm-up
then a measured run, 32 connections):
1. Throughput: test-mode ``POST /api/v1/resumes/generate`` (no PDF) and ``GET /api/v1/resumes
   ?limit=20``: requests/s, p50, p99 and errors, for SQLite with 1 worker (the embedded default)
   and PostgreSQL + Redis with 1, 2 and 4 workers, plus the peak RSS of all the server's
   processes (the master and its workers) sampled during the load.
2. Keyset pagination at depth: one account holding 1,000 resumes and one holding 1,000,000
   (inserted directly with ``generate_series``), each listed at its newest page and at a cursor
   in the middle, by one sequential connection. Target: p50 with 1,000,000 no more than 1.5x
   the p50 with 1,000. Exits 1 if missed.

It creates its own database (``finetune_bench_<random>``) and drops it at the end, uses fresh
accounts (their rate-limit keys in Redis expire by themselves), stops every server it starts,
and every wrk run is bounded by ``--duration``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import api_load
import psycopg
import redis
from psycopg import sql

TARGET_GROWTH = 1.5
SMALL = 1_000
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
STARTUP_SECONDS = 240


@dataclass(frozen=True)
class Setup:
    name: str
    database_url: str | None  # None: SQLite in the data directory
    redis_url: str | None
    workers: int


@dataclass(frozen=True)
class Measured:
    setup: Setup
    results: dict[str, api_load.Result]
    peak_rss_mb: float


# --- processes and memory -------------------------------------------------------------------


def _session_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[3])


def _rss_of_session(session: int) -> int:
    """Resident memory (bytes) of every process in ``session``."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            if _session_of(int(entry.name)) != session:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


@contextlib.contextmanager
def _peak_rss(session: int) -> Iterator[list[int]]:
    """Sample the session's RSS every 250 ms while the block runs; the list holds the peak."""
    peak = [0]

    def sample() -> None:
        peak[0] = max(peak[0], _rss_of_session(session))

    with api_load.in_background(sample, 0.25):
        yield peak


# --- databases ------------------------------------------------------------------------------


def _database_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + name


@contextlib.contextmanager
def _temporary_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for this run, dropped afterwards."""
    name = f"finetune_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _database_url(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _insert_resumes(database_url: str, account_id: str, tag: str, count: int) -> None:
    """``count`` test-mode resumes for ``account_id`` in one statement, then ANALYZE.

    The heavy JSON columns hold small placeholders: a list reads only the light columns, and
    1,000,000 full resumes would be gigabytes of disk for nothing the list touches.
    """
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            """
            INSERT INTO resumes (id, account_id, livemode, company_name, position,
                finetune_level, job_description, ats_score, ats_score_before, resume_data,
                keywords, changes, warnings, usage, credits_charged, pdf_generated_at,
                created_at, deleted_at)
            SELECT 'res_' || %(tag)s || lpad(g::text, 23, '0'), %(account)s, false,
                'Company ' || (g %% 997), 'Software Engineer', 'good', NULL,
                50 + g %% 50, 40 + g %% 40, '{}', '{"matched": [], "missing": []}', '[]',
                '[]', '{}', 0, NULL,
                now() - interval '30 days' + g * interval '1 millisecond', NULL
            FROM generate_series(1, %(count)s) AS g
            """,
            {"tag": tag, "account": account_id, "count": count},
        )
        connection.execute("ANALYZE resumes")


def _middle_cursor(tag: str, count: int) -> str:
    """The id ``_insert_resumes`` gave the resume halfway down the account's list."""
    return f"res_{tag}{count // 2:023d}"


# --- servers --------------------------------------------------------------------------------


def _env(setup: Setup, data_dir: Path) -> dict[str, str]:
    env = api_load._clean_env(data_dir)
    if setup.database_url:
        env["FINETUNE_DATABASE_URL"] = setup.database_url
    if setup.redis_url:
        env["FINETUNE_REDIS_URL"] = setup.redis_url
    return env


def _create_account(env: dict[str, str], email: str) -> tuple[str, str]:
    """A pro account whose rate limit never interferes; returns its id and test key."""
    account = api_load.create_account(env, email)
    return account["id"], account["test_key"]


@contextlib.contextmanager
def _server(setup: Setup, env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """``finetune serve`` for ``setup`` in its own session; yields its base URL and session id.

    Like api_load's ``_serving``, with a longer start-up allowance: four workers importing the
    application at once on a busy 2-core machine take more than its 60 s.
    """
    port = api_load._free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(api_load.FINETUNE), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(setup.workers), "--no-access-log"]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            api_load._wait_until_up(f"{base}/healthz", process, timeout=STARTUP_SECONDS)
            yield base, process.pid  # a new session's id is its leader's pid
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _throughput(args: argparse.Namespace, setup: Setup, work: Path) -> Measured:
    env = _env(setup, work / "data")
    _account, key = _create_account(env, f"{setup.name.replace(' ', '-')}@bench.local")
    bodies = api_load._generate_bodies()
    bodies_file = work / "bodies.jsonl"
    bodies_file.write_text("\n".join(bodies) + "\n")
    results: dict[str, api_load.Result] = {}
    peak = 0
    with _server(setup, env, work / f"{setup.name}.log") as (base, session):
        api_load._prepare(base, key, bodies, args.resumes, work)
        for scenario in api_load.SCENARIOS:
            body_file = bodies_file if scenario.method == "POST" else None
            with _peak_rss(session) as sampled:
                results[scenario.name] = api_load._load(
                    args, base + scenario.path, scenario.method, key, body_file
                )
            peak = max(peak, sampled[0])
    return Measured(setup, results, peak / 2**20)


Timings = dict[tuple[int, str], api_load.Result]


def _list_scaling(
    args: argparse.Namespace, database_url: str, redis_url: str, work: Path
) -> Timings:
    """p50/p99 of the newest page and a middle page with SMALL and ``--large`` resumes."""
    setup = Setup("list scaling", database_url, redis_url, 1)
    env = _env(setup, work / "data")
    accounts = {}
    for tag, count in (("a", SMALL), ("b", args.large)):
        account_id, key = _create_account(env, f"scaling-{tag}@bench.local")
        started = time.monotonic()
        _insert_resumes(database_url, account_id, tag, count)
        print(f"inserted {count:,} resumes in {time.monotonic() - started:.1f} s", flush=True)
        accounts[count] = (key, _middle_cursor(tag, count))
    sequential = argparse.Namespace(**{**vars(args), "connections": 1, "threads": 1})
    timings: Timings = {}
    with _server(setup, env, work / "scaling.log") as (base, _session):
        for count, (key, cursor) in accounts.items():
            for page, query in (("newest", ""), ("middle", f"&after={cursor}")):
                url = f"{base}/api/v1/resumes?limit=20{query}"
                timings[count, page] = api_load._load(sequential, url, "GET", key, None)
    return timings


# --- report ---------------------------------------------------------------------------------


def _report_throughput(measured: list[Measured]) -> None:
    print("| setup | scenario | req/s | p50 ms | p99 ms | errors | peak RSS MB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for run in measured:
        for scenario in api_load.SCENARIOS:
            result = run.results[scenario.name]
            print(
                f"| {run.setup.name} | `{scenario.name}` | {result.rate:,.0f} | "
                f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} | "
                f"{run.peak_rss_mb:,.0f} |"
            )


def _report_scaling(timings: Timings, large_count: int) -> bool:
    small_label, large_label = f"{SMALL:,}", f"{large_count:,}"
    print(
        f"| page | p50 ms, {small_label} | p50 ms, {large_label} | growth | "
        f"p99 ms, {small_label} | p99 ms, {large_label} |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    met = True
    for page in ("newest", "middle"):
        small, large = timings[SMALL, page], timings[large_count, page]
        growth = large.p50_ms / small.p50_ms
        met = met and growth <= TARGET_GROWTH and not (small.errors or large.errors)
        print(
            f"| {page} | {small.p50_ms:.2f} | {large.p50_ms:.2f} | {growth:.2f}x | "
            f"{small.p99_ms:.2f} | {large.p99_ms:.2f} |"
        )
    return met


def run(args: argparse.Namespace) -> int:
    postgres = os.environ.get("FINETUNE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    redis_url = os.environ.get("FINETUNE_BENCH_REDIS_URL", DEFAULT_REDIS)
    redis.Redis.from_url(redis_url).ping()  # fail early and clearly when Redis is down
    with _temporary_database(postgres) as database_url:
        setups = [Setup("SQLite, 1 worker", None, None, 1)] + [
            Setup(f"PostgreSQL+Redis, {n} worker{'s' if n > 1 else ''}", database_url, redis_url, n)
            for n in args.workers
        ]
        measured = []
        for setup in setups:
            with tempfile.TemporaryDirectory(prefix="finetune-scaleout-") as temporary:
                print(f"measuring {setup.name}", flush=True)
                measured.append(_throughput(args, setup, Path(temporary)))
                _report_throughput(measured[-1:])  # kept even if a later setup fails
        with tempfile.TemporaryDirectory(prefix="finetune-scaleout-") as temporary:
            timings = _list_scaling(args, database_url, redis_url, Path(temporary))
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    print()
    print(
        f"{datetime.date.today().isoformat()}, {api_load._machine()}, {wrk_version.split(' [')[0]}"
    )
    print(
        f"throughput: {args.connections} connections, {args.threads} wrk thread(s), "
        f"{args.warmup} s warm-up + {args.duration} s per run, {args.resumes} stored resumes "
        "per account, access log off"
    )
    print()
    _report_throughput(measured)
    print()
    print(f"list latency: one sequential connection, {args.warmup} s warm-up + {args.duration} s")
    print()
    met = _report_scaling(timings, args.large)
    print()
    span = f"from {SMALL:,} to {args.large:,} stored resumes"
    if not met:
        print(f"MISSES the target: list p50 grows more than {TARGET_GROWTH}x {span}")
        return 1
    print(f"meets the target: list p50 grows at most {TARGET_GROWTH}x {span}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of discarded warm-up")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--resumes", type=int, default=200, help="resumes stored beforehand")
    parser.add_argument("--large", type=int, default=1_000_000, help="resumes in the big account")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2, 4], help="PostgreSQL worker counts"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: `apt-get install -y wrk`, then rerun", file=sys.stderr)
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
