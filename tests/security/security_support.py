"""Helpers shared by the security tests (imported as ``security_support``)."""

from __future__ import annotations

from pathlib import Path

import httpx

PAIR_DIR = Path(__file__).parent.parent / "data" / "pairs" / "software-engineer"


def upload_base_resume(base_url: str, key: str) -> None:
    """Store the software-engineer sample as the account's base resume."""
    response = httpx.put(
        f"{base_url}/api/v1/base-resume",
        headers={"X-API-Key": key, "Content-Type": "application/json"},
        content=(PAIR_DIR / "resume.json").read_bytes(),
        timeout=60,
    )
    response.raise_for_status()


def job_body(**overrides: object) -> dict[str, object]:
    """A valid generate request for the sample pair, with ``overrides`` applied."""
    body: dict[str, object] = {
        "job_description": (PAIR_DIR / "job.txt").read_text(),
        "company_name": "Acme",
        "position": "Software Engineer",
        "finetune_level": "basic",
    }
    body.update(overrides)
    return body
