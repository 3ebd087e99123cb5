"""`finetune tailor`, `score` and `render` run offline, print the API's shapes, and fail cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finetune.cli import app
from finetune.documents.schema import ResumeData

PAIR = Path(__file__).parent.parent / "data" / "pairs" / "software-engineer"
RESUME = PAIR / "resume.json"
JOB = PAIR / "job.txt"

runner = CliRunner()


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_tailor_json_prints_the_api_resume_object() -> None:
    """`tailor --json` prints the resume object with the API's fields and the extensions."""
    code, out, _ = _run(
        "tailor", "--resume", RESUME, "--job", JOB, "--level", "super",
        "--company", "Northwind Ledger", "--position", "Senior Backend Engineer", "--json",
    )  # fmt: skip
    assert code == 0
    body = json.loads(out)
    assert body["object"] == "resume"
    assert (body["company_name"], body["position"]) == (
        "Northwind Ledger",
        "Senior Backend Engineer",
    )
    assert body["finetune_level"] == "super"
    assert body["livemode"] is False and body["pdf_url"] is None
    assert body["ats_score"] > body["ats_score_before"]
    assert set(body["keywords"]) >= {"matched", "missing"}
    assert body["changes"] and all(
        {"path", "original", "new", "reason"} <= set(c) for c in body["changes"]
    )
    assert body["usage"]["model"] == "finetune-local"
    assert body["created_at"].endswith("Z")
    ResumeData.model_validate(body["resume_data"])
    assert "ext" not in body["resume_data"]["basics"]


def test_tailor_defaults_to_good_and_the_detected_title(tmp_path: Path) -> None:
    """Without --level/--position the level is good and the position is the job's title line."""
    code, out, _ = _run("tailor", "--resume", RESUME, "--job", JOB, "--json")
    assert code == 0
    body = json.loads(out)
    assert body["finetune_level"] == "good"
    assert body["position"] == "Senior Backend Engineer, Platform Services"
    assert body["company_name"] is None


def test_tailor_takes_company_and_title_from_a_json_resume_job(tmp_path: Path) -> None:
    """A JSON Resume job document supplies the default company and position."""
    job = {
        "title": "Backend Engineer",
        "company": "Northwind Ledger",
        "description": JOB.read_text(),
        "qualifications": ["Strong Python and PostgreSQL", "Kubernetes in production"],
    }
    job_file = tmp_path / "job.json"
    job_file.write_text(json.dumps(job))
    code, out, _ = _run("tailor", "--resume", RESUME, "--job", job_file, "--json")
    assert code == 0
    body = json.loads(out)
    assert (body["company_name"], body["position"]) == ("Northwind Ledger", "Backend Engineer")


def test_tailor_writes_the_tailored_resume_and_prints_a_summary(tmp_path: Path) -> None:
    """Without --json a readable summary is printed; -o saves the tailored resume_data."""
    saved = tmp_path / "tailored.json"
    code, out, _ = _run("tailor", "--resume", RESUME, "--job", JOB, "-o", saved)
    assert code == 0
    assert "ATS score" in out and "→" in out
    ResumeData.model_validate_json(saved.read_text())


def test_score_json_prints_score_and_keywords() -> None:
    """`score --json` prints exactly {ats_score, keywords}."""
    code, out, _ = _run("score", "--resume", RESUME, "--job", JOB, "--json")
    assert code == 0
    body = json.loads(out)
    assert set(body) == {"ats_score", "keywords"}
    assert 0 <= body["ats_score"] <= 100
    assert "Python" in body["keywords"]["matched"]


def test_render_writes_a_pdf(tmp_path: Path) -> None:
    """`render` writes a PDF on the requested paper."""
    out_file = tmp_path / "resume.pdf"
    code, out, _ = _run("render", "--resume", RESUME, "-o", out_file, "--paper", "a4")
    assert code == 0
    assert out_file.read_bytes().startswith(b"%PDF-")
    assert "a4" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tailor", "--resume", "missing.json", "--job", JOB), "missing.json"),
        (("score", "--resume", RESUME, "--job", "missing.txt"), "missing.txt"),
        (("render", "--resume", "missing.json", "-o", "x.pdf"), "missing.json"),
    ],
)
def test_missing_files_are_one_line_and_exit_2(args: tuple[str | Path, ...], message: str) -> None:
    """A missing file is one clear line on stderr and exit code 2, no traceback."""
    code, out, err = _run(*args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err + out


def test_invalid_resume_and_job_files_exit_2(tmp_path: Path) -> None:
    """Invalid JSON resumes, non-resume JSON and broken job JSON are clear errors, exit 2."""
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"hello": "world"}))
    binary = tmp_path / "job.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    for args in (
        ("score", "--resume", broken, "--job", JOB),
        ("score", "--resume", wrong, "--job", JOB),
        ("score", "--resume", RESUME, "--job", broken),
        ("score", "--resume", RESUME, "--job", binary),
        ("tailor", "--resume", RESUME, "--job", tmp_path),
    ):
        code, out, err = _run(*args)
        assert code == 2, args
        assert err.startswith("finetune: error: "), args
        assert len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err + out


def test_empty_job_file_is_an_error(tmp_path: Path) -> None:
    """An empty job file is refused rather than scored as an empty job."""
    empty = tmp_path / "job.txt"
    empty.write_text("  \n")
    code, _, err = _run("tailor", "--resume", RESUME, "--job", empty, "--json")
    assert code == 2
    assert "empty" in err
