"""Schemathesis against our own /openapi.json: no server errors, no schema violations.

The CLI runs in a subprocess against a real server (uvicorn in this process's thread) with a
valid test key: coverage, fuzzing and stateful phases, every check but ``ignored_auth`` (see
``schemathesis.toml`` beside this file). It is bounded by examples per operation so it fits in
``make test`` (one to two minutes); ``--max-time`` would instead repeat until its budget is
spent. A fixed seed makes a failure reproducible; set ``FINETUNE_SCHEMATHESIS_SEED`` to explore
other inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from apiserver import RunningServer, new_account
from security_support import upload_base_resume

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = 100
TIMEOUT_SECONDS = 300
DEFAULT_SEED = "20261128"


def test_openapi_fuzzing_finds_no_server_error_or_schema_violation(
    secure_server: RunningServer, tmp_path: Path
) -> None:
    """Every operation, fuzzed and chained statefully, answers as /openapi.json documents."""
    account = new_account(secure_server, "pro", 100, 1_000_000)
    upload_base_resume(secure_server.base_url, account.test_key)
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(CONFIG),
        "run",
        f"{secure_server.base_url}/openapi.json",
        "--header",
        f"X-API-Key: {account.test_key}",
        "--checks",
        "all",
        "--exclude-checks",
        "ignored_auth",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        os.environ.get("FINETUNE_SCHEMATHESIS_SEED", DEFAULT_SEED),
        "--continue-on-failure",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",  # no example cache in the working tree; the seed reproduces a run
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    # The timeout only guards against a hung run; the example count bounds a normal one.
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        cwd=tmp_path,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "passed" in output and "failed" not in output, output
