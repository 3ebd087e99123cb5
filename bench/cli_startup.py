"""Benchmark `finetune` commands as whole processes, against a bare Typst render process.

Run from the repository root:  .venv/bin/python bench/cli_startup.py [--rounds 20]
Targets (issue 11): `finetune --help` under 300 ms; `finetune render` at most 1.5 times a bare
Typst render process (`python -c 'import typst; typst.compile(...)'` of the very layout
`render` builds, with our template and fonts). Each round runs every command once, in turn, so
the machine's load changes touch all of them alike; medians are compared. Exits 1 if a target
is missed. Results are recorded in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from finetune.documents.loading import load_resume_file
from finetune.documents.pdf import FONTS_DIR, TEMPLATE_PATH, build_layout

HELP_TARGET_MS = 300.0
RENDER_TARGET_RATIO = 1.5
PAIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "pairs" / "software-engineer"
FINETUNE = str(Path(sys.executable).parent / "finetune")

# The least a process that renders our resume with Typst must do: no CLI, no validation.
BARE_TYPST = """
import sys, typst
document = open(sys.argv[1], encoding="utf-8").read()
pdf = typst.compile(sys.argv[2], root=sys.argv[3], font_paths=[sys.argv[4]],
                    ignore_system_fonts=True, sys_inputs={"document": document})
open(sys.argv[5], "wb").write(pdf)
"""
# The floor of any Typer command with an option: Typer validates parameters with Pydantic.
EMPTY_TYPER_COMMAND = """
from pathlib import Path
import typer
app = typer.Typer()
@app.command()
def main(resume: Path = typer.Option(...)) -> None:
    pass
app()
"""


def commands(work: Path) -> dict[str, list[str]]:
    """Name → argv of every process measured."""
    resume, job = str(PAIR / "resume.json"), str(PAIR / "job.txt")
    layout = build_layout(
        load_resume_file(PAIR / "resume.json"), paper="us-letter", test_mode=False
    )
    layout_file = work / "layout.json"
    layout_file.write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    bare = [str(layout_file), str(TEMPLATE_PATH), str(TEMPLATE_PATH.parent), str(FONTS_DIR)]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "bare typst render": [sys.executable, "-c", BARE_TYPST, *bare, str(work / "bare.pdf")],
        "empty typer command": [sys.executable, "-c", EMPTY_TYPER_COMMAND, "--resume", resume],
        "finetune --help": [FINETUNE, "--help"],
        "finetune render": [FINETUNE, "render", "--resume", resume, "-o", str(work / "cli.pdf")],
        "finetune score --json": [FINETUNE, "score", "--resume", resume, "--job", job, "--json"],
        "finetune tailor --json": [FINETUNE, "tailor", "--resume", resume, "--job", job, "--json"],
        "finetune admin --help": [FINETUNE, "admin", "--help"],
    }


def run_once(argv: list[str], env: dict[str, str]) -> float:
    """Wall milliseconds of one process, which must succeed."""
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return (time.perf_counter() - started) * 1000


def measure(rounds: int, no_bytecode: bool) -> dict[str, list[float]]:
    """Every command ``rounds`` times, interleaved, after one untimed warm-up round."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        env = dict(os.environ)
        if no_bytecode:
            # An empty cache prefix and no writing: every import compiles from source, as when
            # PYTHONDONTWRITEBYTECODE is set and nothing was compiled at install.
            env.update(PYTHONPYCACHEPREFIX=str(work / "pycache"), PYTHONDONTWRITEBYTECODE="1")
        argvs = commands(work)
        times: dict[str, list[float]] = {name: [] for name in argvs}
        for round_number in range(rounds + 1):
            for name, argv in argvs.items():
                elapsed = run_once(argv, env)
                if round_number:
                    times[name].append(elapsed)
        return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--no-bytecode", action="store_true", help="compile every import (no .pyc) to compare"
    )
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    times = measure(args.rounds, args.no_bytecode)
    print(f"{args.rounds} rounds, bytecode {'off' if args.no_bytecode else 'cached'}")
    print(f"{'process':<24} {'p50 ms':>8} {'p90 ms':>8} {'min ms':>8}")
    p50 = {}
    for name, samples in times.items():
        p50[name] = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) > 1 else samples[0]
        print(f"{name:<24} {p50[name]:8.1f} {p90:8.1f} {min(samples):8.1f}")
    load_after = os.getloadavg()[0]
    print(f"load average {load_before:.1f} before, {load_after:.1f} after, {os.cpu_count()} cores")
    ratio = p50["finetune render"] / p50["bare typst render"]
    help_ok = p50["finetune --help"] < HELP_TARGET_MS
    render_ok = ratio <= RENDER_TARGET_RATIO
    print(f"finetune --help p50 {p50['finetune --help']:.0f} ms: "
          f"{'meets' if help_ok else 'misses'} the {HELP_TARGET_MS:.0f} ms target")  # fmt: skip
    print(f"finetune render / bare typst render = {ratio:.2f}: "
          f"{'meets' if render_ok else 'misses'} the {RENDER_TARGET_RATIO} target")  # fmt: skip
    return 0 if help_ok and render_ok else 1


if __name__ == "__main__":
    sys.exit(main())
