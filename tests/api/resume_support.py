"""Helpers shared by the resumes API tests: a realistic job, a base resume, generate calls."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from sqlalchemy import create_engine

from finetune.db import sync_database_url
from finetune.resumes.service import sample_persona

JOB_DESCRIPTION = (
    "We are looking for a Senior Software Engineer to join our Cloud Platform team. You will "
    "design and build distributed systems in Python and Go, run services on Kubernetes and AWS, "
    "and mentor other engineers. Requirements: 5+ years of backend development, experience with "
    "PostgreSQL, REST APIs and CI/CD. Nice to have: Terraform, Kafka, observability tooling."
)


def base_resume_json() -> dict[str, Any]:
    """A complete base resume in our resume_data shape."""
    return sample_persona().model_dump(mode="json", exclude_none=True)


def auth(key: str, **extra: str) -> dict[str, str]:
    return {"X-API-Key": key, **extra}


def upload_base_resume(api: httpx.Client, key: str) -> None:
    """Store the account's base resume (any of its keys will do: it is per account)."""
    response = api.put("/api/v1/base-resume", json=base_resume_json(), headers=auth(key))
    assert response.status_code == 200, response.text


def generation_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "job_description": JOB_DESCRIPTION,
        "company_name": "Google",
        "position": "Senior Software Engineer",
        "finetune_level": "good",
        "include_pdf": False,
    }
    body.update(overrides)
    return body


def generate(
    api: httpx.Client, key: str, *, headers: dict[str, str] | None = None, **overrides: Any
) -> httpx.Response:
    return api.post(
        "/api/v1/resumes/generate",
        json=generation_body(**overrides),
        headers=auth(key, **(headers or {})),
    )


def generate_concurrently(
    server: Any, key: str, count: int, *, headers: dict[str, str] | None = None, **overrides: Any
) -> list[httpx.Response]:
    """``count`` generate requests at once, each on its own connection (to race each other)."""

    def fire(_: int) -> httpx.Response:
        with httpx.Client(base_url=server.base_url, timeout=60) as client:
            return generate(client, key, headers=headers, **overrides)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(fire, range(count)))


def generated_id(api: httpx.Client, key: str, **overrides: Any) -> str:
    response = generate(api, key, **overrides)
    assert response.status_code == 200, response.text
    resume_id: str = response.json()["id"]
    return resume_id


def credits_left(api: httpx.Client, key: str) -> int:
    response = api.get("/api/v1/usage", headers=auth(key))
    assert response.status_code == 200, response.text
    remaining: int = response.json()["credits_remaining"]
    return remaining


def assert_error(response: httpx.Response, status: int, name: str) -> dict[str, Any]:
    """The response is the documented error shape with this status and name."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body == {"object": "error", "name": name, "message": body["message"], "status": status}
    assert body["message"]
    return body


def assert_resume_hidden(api: httpx.Client, resume_id: str, headers: dict[str, str]) -> None:
    """With these headers the resume is not_found on get, POST /pdf, delete and its PDF file."""
    assert_error(api.get(f"/api/v1/resumes/{resume_id}", headers=headers), 404, "not_found")
    assert_error(api.post(f"/api/v1/resumes/{resume_id}/pdf", headers=headers), 404, "not_found")
    assert_error(api.delete(f"/api/v1/resumes/{resume_id}", headers=headers), 404, "not_found")
    assert_error(api.get(f"/files/{resume_id}.pdf", headers=headers), 404, "not_found")


def execute_sql(server: Any, statement: Any) -> None:
    """Run a SQLAlchemy statement against the test server's database (to age records etc.)."""
    engine = create_engine(sync_database_url(server.settings))
    try:
        with engine.begin() as connection:
            connection.execute(statement)
    finally:
        engine.dispose()
