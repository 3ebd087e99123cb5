"""Load benchmark of the API against a bare FastAPI route, with wrk, on loopback.

Run from the repository root:  .venv/bin/python bench/api_load.py [--duration 15]
Needs wrk (Debian/Ubuntu: ``apt-get install -y wrk``; macOS: ``brew install wrk``).
Target (issue 3): at 32 concurrent clients, test-mode ``POST /api/v1/resumes/generate`` (no PDF)
and ``GET /api/v1/resumes?limit=20`` each reach at least half the throughput of a bare FastAPI
route answering a same-size static JSON under the same server settings. Exits 1 if missed.

What it does, all in a temporary FINETUNE_DATA_DIR on embedded defaults (SQLite, in-process
rate limits): ``finetune admin create-account --plan pro --rate-limit 1000000`` (so the limit
never interferes), ``finetune serve --no-access-log`` on a free loopback port, a base resume,
``--resumes`` pre-generated resumes, then per scenario a wrk warm-up and a measured run. Then
bench/bare_app.py serves two of our real responses as static bytes under the same uvicorn
settings and gets the same load. Generate requests carry no Idempotency-Key, so each one
tailors, scores and stores. Every server is stopped at the end; every wrk run is bounded by
``--duration``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = ROOT / "bench" / "wrk" / "load.lua"
PAIR_DIR = ROOT / "tests" / "data" / "pairs" / "software-engineer"
FINETUNE = Path(sys.executable).parent / "finetune"
TARGET_RATIO = 0.5
LEVELS = ("basic", "good", "super")


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    bare_path: str


SCENARIOS = (
    Scenario("POST /api/v1/resumes/generate", "POST", "/api/v1/resumes/generate", "/bare/generate"),
    Scenario("GET /api/v1/resumes?limit=20", "GET", "/api/v1/resumes?limit=20", "/bare/list"),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


@contextlib.contextmanager
def _serving(
    command: list[str], env: dict[str, str], probe_url: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group until the block ends, then stop it."""
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_until_up(probe_url, process)
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _wrk(args: argparse.Namespace, url: str, method: str, key: str, bodies: Path | None) -> Result:
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={args.duration}s",
        "--timeout=10s",
        f"--script={LUA_SCRIPT}",
        url,
        "--",
        method,
        key,
    ]
    if bodies is not None:
        command.append(str(bodies))
    # wrk stops after --duration; the timeout only guards against a hung load generator.
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=args.duration + 60, check=True
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")
    raw = json.loads(lines[-1].removeprefix("RESULT "))
    errors = sum(
        raw[name]
        for name in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return Result(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        errors=errors,
    )


def _load(args: argparse.Namespace, url: str, method: str, key: str, bodies: Path | None) -> Result:
    """A warm-up run (discarded), then the measured run."""
    warm = argparse.Namespace(**{**vars(args), "duration": args.warmup})
    _wrk(warm, url, method, key, bodies)
    return _wrk(args, url, method, key, bodies)


def _generate_bodies() -> list[str]:
    meta = json.loads((PAIR_DIR / "meta.json").read_text())
    job = (PAIR_DIR / "job.txt").read_text()
    return [
        json.dumps(
            {
                "job_description": job,
                "company_name": meta["company_name"],
                "position": meta["position"],
                "finetune_level": level,
                "include_pdf": False,
            }
        )
        for level in LEVELS
    ]


def _prepare(base_url: str, key: str, bodies: list[str], count: int, work: Path) -> None:
    """Base resume, ``count`` stored resumes, and one real response per scenario for bare_app."""
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        client.put("/api/v1/base-resume", content=(PAIR_DIR / "resume.json").read_bytes())
        generated = b""
        for index in range(count):
            response = client.post("/api/v1/resumes/generate", content=bodies[index % len(bodies)])
            response.raise_for_status()
            generated = response.content
        listed = client.get("/api/v1/resumes?limit=20")
        listed.raise_for_status()
    (work / "generate.json").write_bytes(generated)
    (work / "list.json").write_bytes(listed.content)


def create_account(env: dict[str, str], email: str) -> dict[str, str]:
    """``finetune admin create-account`` of a pro account whose rate limit never interferes;
    its JSON (``id``, ``live_key``, ``test_key`` …)."""
    command = [str(FINETUNE), "admin", "create-account", "--email", email]
    command += ["--plan", "pro", "--rate-limit", "1000000", "--json"]
    created = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    account: dict[str, str] = json.loads(created.stdout)
    return account


@contextlib.contextmanager
def in_background(step: Callable[[], None], pause: float = 0.0) -> Iterator[None]:
    """Call ``step`` again and again (``pause`` seconds apart) in a thread while the block runs."""
    stop = threading.Event()

    def repeat() -> None:
        while not stop.is_set():
            step()
            stop.wait(pause)

    thread = threading.Thread(target=repeat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _clean_env(data_dir: Path) -> dict[str, str]:
    # Embedded defaults only: whatever database, Redis or LLM the shell points at is ignored.
    env = {name: value for name, value in os.environ.items() if not name.startswith("FINETUNE_")}
    env["FINETUNE_DATA_DIR"] = str(data_dir)
    return env


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="finetune-bench-") as temporary:
        work = Path(temporary)
        env = _clean_env(work / "data")
        key = create_account(env, "bench@finetune.local")["test_key"]
        bodies = _generate_bodies()
        bodies_file = work / "bodies.jsonl"
        bodies_file.write_text("\n".join(bodies) + "\n")

        ours: dict[str, Result] = {}
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [str(FINETUNE), "serve", "--host", "127.0.0.1", "--port", str(port)]
        with _serving([*serve, "--no-access-log"], env, f"{base}/healthz", work / "serve.log"):
            _prepare(base, key, bodies, args.resumes, work)
            for scenario in SCENARIOS:
                body_file = bodies_file if scenario.method == "POST" else None
                ours[scenario.name] = _load(
                    args, base + scenario.path, scenario.method, key, body_file
                )

        bare: dict[str, Result] = {}
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        bare_command = [sys.executable, str(ROOT / "bench" / "bare_app.py"), "--port", str(port)]
        bare_command += ["--generate-body", str(work / "generate.json")]
        bare_command += ["--list-body", str(work / "list.json")]
        with _serving(bare_command, env, f"{base}/bare/list", work / "bare.log"):
            for scenario in SCENARIOS:
                body_file = bodies_file if scenario.method == "POST" else None
                bare[scenario.name] = _load(
                    args, base + scenario.bare_path, scenario.method, key, body_file
                )
        sizes = {
            SCENARIOS[0].name: (work / "generate.json").stat().st_size,
            SCENARIOS[1].name: (work / "list.json").stat().st_size,
        }
    return _report(args, ours, bare, sizes)


def _report(
    args: argparse.Namespace,
    ours: dict[str, Result],
    bare: dict[str, Result],
    sizes: dict[str, int],
) -> int:
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    print(f"{datetime.date.today().isoformat()}, {_machine()}, {wrk_version.split(' [')[0]}")
    print(
        f"{args.connections} connections, {args.threads} wrk thread(s), {args.warmup} s warm-up "
        f"+ {args.duration} s per run, {args.resumes} stored resumes, one uvicorn worker, "
        "access log off"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average at the end (1, 5, 15 min): {load}; the machine may be shared")
    print()
    print("| scenario | body bytes | req/s | p50 ms | p99 ms | errors | bare req/s | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    missed = []
    for scenario in SCENARIOS:
        mine, base = ours[scenario.name], bare[scenario.name]
        ratio = mine.rate / base.rate
        if ratio < TARGET_RATIO or mine.errors:
            missed.append(scenario.name)
        print(
            f"| `{scenario.name}` | {sizes[scenario.name]:,} | {mine.rate:,.0f} | "
            f"{mine.p50_ms:.1f} | {mine.p99_ms:.1f} | {mine.errors} | {base.rate:,.0f} | "
            f"{ratio:.2f} |"
        )
    for scenario in SCENARIOS:
        base = bare[scenario.name]
        print(
            f"| bare `{scenario.method} {scenario.bare_path}` | {sizes[scenario.name]:,} | "
            f"{base.rate:,.0f} | {base.p50_ms:.1f} | {base.p99_ms:.1f} | {base.errors} | | |"
        )
    print()
    if missed:
        print(f"MISSES the target (>= {TARGET_RATIO:.0%} of bare, no errors): {', '.join(missed)}")
        return 1
    print(f"meets the target: every scenario >= {TARGET_RATIO:.0%} of the bare route, no errors")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of discarded warm-up")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--resumes", type=int, default=200, help="resumes stored beforehand")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu) or "
            "`brew install wrk` (macOS), then rerun",
            file=sys.stderr,
        )
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
