"""Run every benchmark in bench/ in turn, with short iteration counts (``make bench``).

Run from the repository root:  .venv/bin/python bench/run_all.py [--only NAME ...]
Every ``bench/*.py`` except this runner and the helpers it lists is a benchmark script and runs
in its own process; each prints its numbers and verdict. The recorded results, the full-length
rerun commands and the targets are in bench/README.md. Exits 1 if any benchmark failed or missed
its target.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# Not benchmarks: this runner, and the bare FastAPI app api_load.py starts as its baseline.
HELPERS = {"run_all.py", "bare_app.py"}
# Shorter than each script's defaults (those are what bench/README.md records), so that a full
# `make bench` takes a few minutes; scripts not listed run with their own defaults.
SHORT_ARGUMENTS = {
    "pdf_render.py": ["--iterations", "60"],
    "tailor_score.py": ["--iterations", "100", "--warmup", "10"],
    "import_docs.py": ["--iterations", "10"],
    "api_load.py": ["--duration", "10", "--warmup", "2"],
    "hostile_uploads.py": ["--repeats", "2", "--overhead-runs", "10"],
    "cli_startup.py": ["--rounds", "5"],
}
TIMEOUT_SECONDS = 15 * 60


def benchmark_scripts() -> list[Path]:
    """The benchmark scripts in bench/, in name order."""
    return sorted(path for path in BENCH_DIR.glob("*.py") if path.name not in HELPERS)


def run_one(script: Path) -> tuple[int, float]:
    """Run ``script`` with its short arguments, streaming its output; (exit code, seconds)."""
    command = [sys.executable, str(script), *SHORT_ARGUMENTS.get(script.name, [])]
    print(f"\n=== {script.name}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    try:
        code = subprocess.run(command, cwd=BENCH_DIR.parent, timeout=TIMEOUT_SECONDS).returncode
    except subprocess.TimeoutExpired:
        print(f"{script.name} exceeded {TIMEOUT_SECONDS} s and was stopped", flush=True)
        code = -1
    return code, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="script names to run, e.g. api_load.py"
    )
    args = parser.parse_args()
    scripts = benchmark_scripts()
    if args.only:
        unknown = set(args.only) - {script.name for script in scripts}
        if unknown:
            parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
        scripts = [script for script in scripts if script.name in args.only]
    outcomes = {script.name: run_one(script) for script in scripts}
    print("\n=== summary (exit 0 = ran and met its target)")
    for name, (code, seconds) in outcomes.items():
        verdict = "ok" if code == 0 else f"exit {code}"
        print(f"{name:<20} {verdict:<8} {seconds:6.1f} s")
    print(f"Recorded results, targets and full-length commands: {BENCH_DIR / 'README.md'}")
    return 0 if all(code == 0 for code, _ in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
