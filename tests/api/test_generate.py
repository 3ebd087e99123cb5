"""POST /api/v1/resumes/generate: the document's object, extensions, charges and validation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from resume_support import (
    JOB_DESCRIPTION,
    assert_error,
    auth,
    base_resume_json,
    credits_left,
    generate,
    generation_body,
    upload_base_resume,
)

MakeAccount = Callable[..., Any]
RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_test_mode_returns_the_documented_object_with_extensions(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """A test-key generation answers the document's resume object plus our extension fields."""
    account = make_account(credits=5)
    response = generate(api, account.test_key)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "resume"
    assert re.match(r"^res_[a-z0-9]{24}$", body["id"])
    assert body["company_name"] == "Google"
    assert body["position"] == "Senior Software Engineer"
    assert body["finetune_level"] == "good"
    assert 0 <= body["ats_score"] <= 100 and isinstance(body["ats_score"], int)
    assert 0 <= body["ats_score_before"] <= 100
    assert set(body["resume_data"]) >= {"basics", "sections"}
    assert body["pdf_url"] is None
    assert body["credits_remaining"] == 5
    assert RFC3339_Z.match(body["created_at"])
    assert body["livemode"] is False
    assert set(body["keywords"]) >= {"matched", "missing"}
    assert isinstance(body["changes"], list) and isinstance(body["warnings"], list)
    assert set(body["usage"]) == {"model", "input_tokens", "output_tokens", "latency_ms"}


def test_the_score_comes_with_its_breakdown_before_and_after(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """ats_breakdown(_before) explain each score: the components' points add up to it, and
    every job term says how the resume shows it; GET returns the same, lists leave it out."""
    account = make_account()
    body = generate(api, account.test_key).json()
    for score, breakdown in (
        (body["ats_score"], body["ats_breakdown"]),
        (body["ats_score_before"], body["ats_breakdown_before"]),
    ):
        assert breakdown["score"] == score
        assert round(sum(c["points"] for c in breakdown["components"])) == score
        assert {t["evidence"] for t in breakdown["terms"]} <= {
            "in_context", "listed", "other_spelling", "implied", "absent"
        }  # fmt: skip
    fetched = api.get(f"/api/v1/resumes/{body['id']}", headers={"X-API-Key": account.test_key})
    assert fetched.json()["ats_breakdown"] == body["ats_breakdown"]
    listed = api.get("/api/v1/resumes", headers={"X-API-Key": account.test_key}).json()
    assert "ats_breakdown" not in listed["data"][0]


def test_test_mode_without_base_resume_tailors_the_sample_persona(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """Test mode works before any upload, using the built-in sample persona."""
    account = make_account()
    body = generate(api, account.test_key).json()
    assert body["resume_data"]["basics"]["name"] == base_resume_json()["basics"]["name"]


def test_test_mode_uses_the_accounts_base_resume(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """Once uploaded, the account's own base resume is what test mode tailors."""
    account = make_account()
    mine = base_resume_json()
    mine["basics"]["name"] = "Ada Testperson"
    put = api.put("/api/v1/base-resume", json=mine, headers=auth(account.test_key))
    assert put.status_code == 200, put.text
    body = generate(api, account.test_key).json()
    assert body["resume_data"]["basics"]["name"] == "Ada Testperson"


@pytest.mark.parametrize(("level", "cost"), [("basic", 1), ("good", 2), ("super", 3)])
def test_live_mode_charges_credits_by_level(
    api: httpx.Client, make_account: MakeAccount, level: str, cost: int
) -> None:
    """Live generation charges 1/2/3 credits and reports the balance after the charge."""
    account = make_account(credits=10)
    upload_base_resume(api, account.live_key)
    response = generate(api, account.live_key, finetune_level=level)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["livemode"] is True
    assert body["finetune_level"] == level
    assert body["credits_remaining"] == 10 - cost
    assert credits_left(api, account.live_key) == 10 - cost


def test_live_mode_without_base_resume_says_how_to_upload(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """Live generation with no base resume is a validation_error naming the upload route."""
    account = make_account(credits=10)
    body = assert_error(generate(api, account.live_key), 400, "validation_error")
    assert "PUT /api/v1/base-resume" in body["message"]
    assert credits_left(api, account.live_key) == 10


def test_include_pdf_true_returns_a_working_absolute_link(
    api: httpx.Client, make_account: MakeAccount, server: Any
) -> None:
    """include_pdf=true renders a PDF whose absolute, signed pdf_url downloads without a key."""
    account = make_account()
    body = generate(api, account.test_key, include_pdf=True).json()
    assert body["pdf_url"].startswith(f"{server.settings.public_url}/files/{body['id']}.pdf?")
    download = httpx.get(body["pdf_url"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")


def test_company_and_position_are_trimmed(api: httpx.Client, make_account: MakeAccount) -> None:
    """Surrounding whitespace in company_name and position is not stored."""
    account = make_account()
    body = generate(api, account.test_key, company_name="  Google ", position="\tSRE \n").json()
    assert (body["company_name"], body["position"]) == ("Google", "SRE")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"job_description": "x" * 49}, "job_description must be at least 50 characters"),
        ({"job_description": "x" * 50_001}, "job_description must be at most 50000 characters"),
        ({"job_description": " " * 80}, "job_description must be at least 50 characters"),
        ({"job_description": None}, "job_description must be a string"),
        ({"company_name": "   "}, "company_name must not be empty"),
        ({"position": "p" * 201}, "position must be at most 200 characters"),
        ({"include_pdf": "true"}, "include_pdf must be a boolean"),
        ({"include_pdf": 1}, "include_pdf must be a boolean"),
        ({"finetune_level": "great"}, "finetune_level must be one of"),
        ({"foo": 1}, "unknown field: foo"),
        ({"job_description": JOB_DESCRIPTION + "\x00"}, "job_description"),
    ],
)
def test_bad_fields_are_validation_errors_naming_the_field(
    api: httpx.Client, make_account: MakeAccount, overrides: dict[str, object], message: str
) -> None:
    """Each bad field gets a 400 validation_error whose message names it; nothing is stored."""
    account = make_account(credits=10)
    upload_base_resume(api, account.live_key)
    response = generate(api, account.live_key, **overrides)
    body = assert_error(response, 400, "validation_error")
    assert message in body["message"]
    assert credits_left(api, account.live_key) == 10
    listing = api.get("/api/v1/resumes", headers=auth(account.live_key)).json()
    assert listing["data"] == []


def test_missing_required_fields_are_named(api: httpx.Client, make_account: MakeAccount) -> None:
    """A body without job_description says that job_description is required."""
    account = make_account()
    body = generation_body()
    del body["job_description"]
    response = api.post("/api/v1/resumes/generate", json=body, headers=auth(account.test_key))
    assert (
        "job_description is required" in assert_error(response, 400, "validation_error")["message"]
    )


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'{"job_description": "abc"'])
def test_non_json_or_non_object_bodies_are_validation_errors(
    api: httpx.Client, make_account: MakeAccount, raw: bytes
) -> None:
    """Malformed JSON or a non-object body is a 400 in the error shape, never a 422 or 500."""
    account = make_account()
    response = api.post(
        "/api/v1/resumes/generate",
        content=raw,
        headers=auth(account.test_key, **{"Content-Type": "application/json"}),
    )
    assert_error(response, 400, "validation_error")
