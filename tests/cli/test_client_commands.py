"""`finetune generate`, `resumes`, `usage` and `base-resume` against a live server: what they
print, what they write, and the documented exit code of every class of failure."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from finetune.cli import app
from finetune.cli.client import exit_code
from finetune.client import Finetune
from finetune.client.errors import (
    APIConnectionError,
    APIError,
    CreditLimitExceeded,
    IdempotencyKeyInUse,
    InternalServerError,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    UnexpectedResponse,
    ValidationError,
)
from live_serve import (
    JOB_FILE,
    RESUME_FILE,
    Account,
    LiveServer,
    create_account,
    resume_document,
)
from live_serve import live_server as live_server
from ports import free_port

Run = Callable[..., Result]
NORTHWIND = ["--company", "Northwind Ledger", "--position", "Senior Backend Engineer"]


@pytest.fixture(scope="module")
def account(live_server: LiveServer) -> Account:
    made = create_account(live_server)
    with Finetune(made.test_key, live_server.base_url) as client:
        client.base_resume.put(resume_document())
    return made


@pytest.fixture
def run(live_server: LiveServer, account: Account) -> Run:
    """Run ``finetune …`` in process with FINETUNE_API_KEY and FINETUNE_BASE_URL set."""
    runner = CliRunner()
    env = {"FINETUNE_API_KEY": account.test_key, "FINETUNE_BASE_URL": live_server.base_url}

    def invoke(*args: str, input: str | None = None, **overrides: str) -> Result:
        return runner.invoke(app, list(args), input=input, env={**env, **overrides})

    return invoke


def _error_line(result: Result) -> str:
    """A failure is exactly one line on stderr, nothing on stdout, never a traceback."""
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("finetune: error: "), result.stderr
    return lines[0]


def test_generate_prints_a_summary_and_downloads_the_pdf(run: Run, tmp_path: Path) -> None:
    """-o out.pdf: the summary names the score change, keywords, changes and the PDF file."""
    out = tmp_path / "out.pdf"
    result = run("generate", "--job", str(JOB_FILE), *NORTHWIND, "--level", "super", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("res_") and "(super, test mode)" in lines[0]
    assert any(line.startswith("ATS score ") and " → " in line for line in lines)
    assert any(line.startswith("Matched: ") and "Python" in line for line in lines)
    assert f"PDF: {out}" in lines and out.read_bytes().startswith(b"%PDF-")


def test_generate_json_from_stdin_with_an_idempotency_key(run: Run) -> None:
    """--job - reads stdin; --json prints the resume object; a repeated key replays it."""
    args = ["generate", "--job", "-", *NORTHWIND, "--json", "--idempotency-key", "cli-key-1"]
    first = run(*args, input=JOB_FILE.read_text())
    second = run(*args, input=JOB_FILE.read_text())
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr
    resume = json.loads(first.stdout)
    assert resume["object"] == "resume" and resume["company_name"] == "Northwind Ledger"
    assert resume["created_at"].endswith("Z")
    assert json.loads(second.stdout)["id"] == resume["id"]


def test_generate_takes_company_and_title_from_a_json_job_document(
    run: Run, data_dir: Path
) -> None:
    """A JSON Resume job document supplies --company and --position, as for `tailor`."""
    result = run("generate", "--job", str(data_dir / "jobs" / "sample.job.json"), "--json")
    assert result.exit_code == 0, result.stderr
    resume = json.loads(result.stdout)
    assert (resume["company_name"], resume["position"]) == ("Microsoft", "Web Developer")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--job", str(JOB_FILE), "--position", "P"], "--company is required"),
        (["--job", "/no/such/job.txt", *NORTHWIND], "job file /no/such/job.txt"),
        (["--job", str(RESUME_FILE.parent), *NORTHWIND], "job file"),
    ],
    ids=["no-company", "missing-file", "directory"],
)
def test_bad_input_exits_2(run: Run, args: list[str], message: str) -> None:
    """Local mistakes are caught before any request: one line, exit code 2."""
    result = run("generate", *args)
    assert result.exit_code == 2 and message in _error_line(result)


def test_resumes_list_get_pdf_export_delete(run: Run, tmp_path: Path) -> None:
    """The resumes group, end to end, then not_found (exit 4) once deleted."""
    made = json.loads(run("generate", "--job", str(JOB_FILE), *NORTHWIND, "--json").stdout)
    listed = run("resumes", "list", "--limit", "1")
    assert listed.exit_code == 0 and listed.stdout.startswith(made["id"])
    assert "More: finetune resumes list --after" in listed.stdout
    every = json.loads(run("resumes", "list", "--all", "--limit", "1", "--json").stdout)
    assert every["has_more"] is False and made["id"] in [item["id"] for item in every["data"]]
    shown = run("resumes", "get", made["id"])
    assert f"ATS score {made['ats_score_before']} → {made['ats_score']}" in shown.stdout
    assert json.loads(run("resumes", "get", made["id"], "--json").stdout)["id"] == made["id"]
    pdf = run("resumes", "pdf", made["id"], "-o", str(tmp_path / "r.pdf"))
    assert pdf.exit_code == 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    markdown = tmp_path / "r.md"
    exported = run("resumes", "export", made["id"], "--format", "markdown", "-o", str(markdown))
    assert exported.exit_code == 0 and "Daniel Okafor" in markdown.read_text()
    assert run("resumes", "delete", made["id"]).stdout.strip() == f"Deleted {made['id']}"
    gone = run("resumes", "get", made["id"])
    assert gone.exit_code == 4 and "not_found" in _error_line(gone)


def test_usage_and_base_resume(run: Run, tmp_path: Path) -> None:
    """usage prints the plan; base-resume put uploads any format, get shows who it is."""
    usage = run("usage")
    assert usage.exit_code == 0 and "Plan: pro" in usage.stdout
    assert json.loads(run("usage", "--json").stdout)["object"] == "usage"
    markdown = tmp_path / "cv.md"
    markdown.write_text("# Ada Byron\n\n## Experience\n\n### Analyst, Engines Ltd\n\n- Notes\n")
    put = run("base-resume", "put", str(markdown))
    assert put.exit_code == 0 and "read as markdown" in put.stdout
    assert run("base-resume", "get").stdout.startswith("Ada Byron")
    put_json = run("base-resume", "put", str(RESUME_FILE), "--json")
    assert json.loads(put_json.stdout)["source_format"] == "resume-data"


def test_api_failures_exit_by_class(run: Run, live_server: LiveServer) -> None:
    """validation 2, auth 3 (no key, wrong key), credit limit 5, unreachable server 7."""
    short = run("generate", "--job", "-", *NORTHWIND, input="Senior Software Engineer at Google...")
    assert short.exit_code == 2 and "job_description" in _error_line(short)
    no_key = run("usage", FINETUNE_API_KEY="")
    assert no_key.exit_code == 3 and "FINETUNE_API_KEY" in _error_line(no_key)
    wrong = run("usage", "--api-key", "ft_test_" + "x" * 38)
    assert wrong.exit_code == 3 and "invalid_api_key" in _error_line(wrong)
    broke = create_account(live_server, credits=1)
    with Finetune(broke.live_key, live_server.base_url) as client:
        client.base_resume.put(resume_document())
    limited = run("generate", "--job", str(JOB_FILE), *NORTHWIND, FINETUNE_API_KEY=broke.live_key)
    assert limited.exit_code == 5 and "credit_limit_exceeded" in _error_line(limited)
    down = run("usage", "--base-url", f"http://127.0.0.1:{free_port()}")
    assert down.exit_code == 7 and "cannot reach" in _error_line(down)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ValidationError("x", status=400, headers={}), 2),
        (APIError("x", status=413, name="payload_too_large", headers={}), 2),
        (PermissionDenied("x", status=403, headers={}), 3),
        (NotFound("x", status=404, headers={}), 4),
        (CreditLimitExceeded("x", status=429, headers={}), 5),
        (IdempotencyKeyInUse("x", status=409, headers={}), 6),
        (InternalServerError("x", status=500, headers={}), 6),
        (ServiceUnavailable("x", status=502, name="http_502", headers={}), 6),
        (UnexpectedResponse("x"), 6),
        (APIConnectionError("x"), 7),
    ],
)
def test_exit_codes_of_every_error_class(error: Exception, code: int) -> None:
    """The table in docs/clients.md, for errors a test server cannot easily produce too."""
    assert exit_code(error) == code  # type: ignore[arg-type]
