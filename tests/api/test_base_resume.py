"""GET/PUT /base-resume: JSON bodies (resume_data or JSON Resume), multipart .json uploads,
clear refusals that leave the stored resume untouched, one base resume per account."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from apiserver import AccountKeys

MakeAccount = Callable[..., AccountKeys]
JSON_RESUME = Path(__file__).parents[1] / "data" / "jsonresume" / "sample.resume.json"

RESUME_DATA: dict[str, Any] = {
    "basics": {"name": "Ada Lovelace", "headline": "Analyst", "email": "ada@example.com"},
    "sections": {
        "experience": {
            "id": "experience",
            "name": "Experience",
            "items": [
                {
                    "company": "Analytical Engines Ltd",
                    "position": "Programmer",
                    "date": "1842 - 1843",
                    "summary": "Wrote the first published algorithm.\n- Notes on the engine",
                }
            ],
        }
    },
}


@pytest.fixture
def account(make_account: MakeAccount) -> AccountKeys:
    """A fresh account."""
    return make_account()


def _get(api: httpx.Client, key: str) -> httpx.Response:
    return api.get("/api/v1/base-resume", headers={"X-API-Key": key})


def assert_refused_and_untouched(
    api: httpx.Client, account: AccountKeys, fragment: str, **put: Any
) -> None:
    """A PUT with ``put`` (json= or files=) is a validation_error containing ``fragment``, and
    the base resume stored before it is still there."""
    headers = {"X-API-Key": account.live_key}
    api.put("/api/v1/base-resume", headers=headers, json=RESUME_DATA)
    before = _get(api, account.live_key).json()
    response = api.put("/api/v1/base-resume", headers=headers, **put)
    assert response.status_code == 400, response.text
    assert response.json()["name"] == "validation_error"
    assert fragment in response.json()["message"]
    assert _get(api, account.live_key).json() == before


def test_missing_base_resume_is_404_with_instructions(
    api: httpx.Client, account: AccountKeys
) -> None:
    """Before any upload, GET says how to upload one."""
    response = _get(api, account.live_key)
    assert response.status_code == 404
    assert "PUT /api/v1/base-resume" in response.json()["message"]


def test_put_resume_data_then_get(api: httpx.Client, account: AccountKeys) -> None:
    """A resume_data body is stored and returned as a base_resume object."""
    put = api.put("/api/v1/base-resume", headers={"X-API-Key": account.live_key}, json=RESUME_DATA)
    assert put.status_code == 200, put.text
    body = put.json()
    # PUT adds how the document was read (docs/import-export.md); GET is the stored object.
    assert set(body) == {
        "object",
        "resume_data",
        "updated_at",
        "source_format",
        "unplaced",
        "notes",
    }
    assert (body["source_format"], body["unplaced"], body["notes"]) == ("resume-data", [], [])
    assert body["object"] == "base_resume" and body["updated_at"].endswith("Z")
    assert body["resume_data"]["basics"]["name"] == "Ada Lovelace"
    item = body["resume_data"]["sections"]["experience"]["items"][0]
    assert item["company"] == "Analytical Engines Ltd"
    stored = _get(api, account.live_key).json()
    assert stored == {k: body[k] for k in ("object", "resume_data", "updated_at")}


def test_put_accepts_exactly_what_get_returns(api: httpx.Client, account: AccountKeys) -> None:
    """GET's body sent back unchanged is accepted; with resume_data edited, the edit is stored
    (updated_at in the body is ignored: the server sets it)."""
    headers = {"X-API-Key": account.live_key}
    api.put("/api/v1/base-resume", headers=headers, json=RESUME_DATA)
    fetched = _get(api, account.live_key).json()
    same = api.put("/api/v1/base-resume", headers=headers, json=fetched)
    assert same.status_code == 200, same.text
    assert same.json()["resume_data"] == fetched["resume_data"]
    assert same.json()["source_format"] == "resume-data"
    fetched["resume_data"]["basics"]["headline"] = "Mathematician"
    fetched["updated_at"] = "1999-01-01T00:00:00Z"
    edited = api.put("/api/v1/base-resume", headers=headers, json=fetched)
    assert edited.status_code == 200, edited.text
    stored = _get(api, account.live_key).json()
    assert stored["resume_data"]["basics"]["headline"] == "Mathematician"
    assert stored["updated_at"] != "1999-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"object": "base_resume", "resume_data": RESUME_DATA, "extra": 1}, "unknown field: extra"),
        ({"object": "resume", "resume_data": RESUME_DATA}, 'object must be "base_resume"'),
        (
            {"object": "base_resume", "updated_at": "2026-01-01T00:00:00Z"},
            "resume_data is required",
        ),
        ({"resume_data": "Ada Lovelace"}, "resume_data must be an object"),
        ({**RESUME_DATA, "object": "base_resume"}, "unknown field: basics"),
        ({**RESUME_DATA, "nickname": "Ada"}, "nickname"),
    ],
)
def test_base_resume_object_with_unknown_or_wrong_fields_is_refused(
    api: httpx.Client, account: AccountKeys, body: dict[str, Any], message: str
) -> None:
    """Only object, resume_data and updated_at may wrap a resume; other fields stay errors."""
    assert_refused_and_untouched(api, account, message, json=body)


def test_base_resume_is_shared_by_both_modes(api: httpx.Client, account: AccountKeys) -> None:
    """What the live key stores, the test key reads (one base resume per account)."""
    api.put("/api/v1/base-resume", headers={"X-API-Key": account.live_key}, json=RESUME_DATA)
    shared = _get(api, account.test_key)
    assert shared.status_code == 200
    assert shared.json()["resume_data"]["basics"]["name"] == "Ada Lovelace"


def test_accounts_do_not_share(api: httpx.Client, make_account: MakeAccount) -> None:
    """Another account's base resume is invisible."""
    mine, theirs = make_account(), make_account()
    api.put("/api/v1/base-resume", headers={"X-API-Key": theirs.live_key}, json=RESUME_DATA)
    assert _get(api, mine.live_key).status_code == 404


def test_put_json_resume_body(api: httpx.Client, account: AccountKeys) -> None:
    """A JSON Resume document sent as the body is converted to resume_data."""
    document = json.loads(JSON_RESUME.read_text())
    response = api.put(
        "/api/v1/base-resume", headers={"X-API-Key": account.live_key}, json=document
    )
    assert response.status_code == 200, response.text
    data = response.json()["resume_data"]
    assert data["basics"]["name"] == document["basics"]["name"]
    companies = [item["company"] for item in data["sections"]["experience"]["items"]]
    assert companies == [job["name"] for job in document["work"]]


def test_multipart_json_upload(api: httpx.Client, account: AccountKeys) -> None:
    """A .json file in the 'file' field is accepted (JSON Resume here)."""
    files = {"file": ("resume.json", JSON_RESUME.read_bytes(), "application/json")}
    response = api.put("/api/v1/base-resume", headers={"X-API-Key": account.live_key}, files=files)
    assert response.status_code == 200, response.text
    assert response.json()["resume_data"]["basics"]["name"]


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        ({"file": ("resume.pdf", b"%PDF-1.7 ...", "application/pdf")}, "damaged"),
        ({"file": ("resume.docx", b"PK...", "application/octet-stream")}, "not a Word document"),
        ({"file": ("resume.exe", b"MZ", "application/octet-stream")}, "unsupported file type"),
        ({"file": ("resume.json", b"", "application/json")}, "empty"),
        ({"file": ("resume.json", b"{not json", "application/json")}, "not valid JSON"),
        ({"file": ("resume.json", b"[1, 2]", "application/json")}, "JSON object"),
        ({"other": ("resume.json", b"{}", "application/json")}, "field named 'file'"),
    ],
)
def test_rejected_uploads_leave_the_stored_resume(
    api: httpx.Client, account: AccountKeys, files: dict[str, Any], fragment: str
) -> None:
    """Unsupported, empty or broken uploads are validation errors; the old resume stays."""
    assert_refused_and_untouched(api, account, fragment, files=files)


def test_unsupported_types_name_what_is_supported(api: httpx.Client, account: AccountKeys) -> None:
    """The refusal of an unknown file type names the formats that work."""
    files = {"file": ("cv.xlsx", b"some text", "application/octet-stream")}
    response = api.put("/api/v1/base-resume", headers={"X-API-Key": account.live_key}, files=files)
    assert "PDF, DOCX, Markdown, plain text or JSON" in response.json()["message"]


def test_empty_json_resume_is_refused(api: httpx.Client, account: AccountKeys) -> None:
    """A document without any content is not stored as an invented resume."""
    response = api.put("/api/v1/base-resume", headers={"X-API-Key": account.live_key}, json={})
    assert response.status_code == 400
    assert _get(api, account.live_key).status_code == 404


def test_upload_over_5_mb_is_413(api: httpx.Client, account: AccountKeys) -> None:
    """Multipart uploads are limited to 5 MB."""
    files = {"file": ("resume.json", b" " * 5_000_001, "application/json")}
    response = api.put("/api/v1/base-resume", headers={"X-API-Key": account.live_key}, files=files)
    assert response.status_code == 413
    assert response.json()["name"] == "payload_too_large"


def test_upload_between_1_mib_and_5_mb_is_not_413(api: httpx.Client, account: AccountKeys) -> None:
    """The 1 MiB JSON limit does not apply to uploads."""
    padding = b" " * 2_000_000
    content = padding + json.dumps(RESUME_DATA).encode()
    files = {"file": ("resume.json", content, "application/json")}
    response = api.put("/api/v1/base-resume", headers={"X-API-Key": account.live_key}, files=files)
    assert response.status_code == 200, response.text
