"""GET /api/v1/resumes/{id}/export: a generated resume as JSON Resume, DOCX or Markdown."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import docx
import httpx
import jsonschema
import pytest
from apiserver import AccountKeys
from resume_support import assert_error, auth, generated_id, upload_base_resume

MakeAccount = Callable[..., AccountKeys]
SCHEMA = Path(__file__).parents[1] / "data" / "jsonresume" / "schema.json"


@pytest.fixture
def account(make_account: MakeAccount) -> AccountKeys:
    """A fresh account."""
    return make_account()


def _export(api: httpx.Client, key: str, resume_id: str, fmt: str) -> httpx.Response:
    return api.get(f"/api/v1/resumes/{resume_id}/export", params={"format": fmt}, headers=auth(key))


def test_exports_of_a_tailored_resume(api: httpx.Client, account: AccountKeys) -> None:
    """Each format carries the tailored resume_data: same name, same employers."""
    upload_base_resume(api, account.live_key)
    resume_id = generated_id(api, account.test_key)
    data = api.get(f"/api/v1/resumes/{resume_id}", headers=auth(account.test_key)).json()
    data = data["resume_data"]
    employers = [item["company"] for item in data["sections"]["experience"]["items"]]

    as_json = _export(api, account.test_key, resume_id, "json_resume")
    assert as_json.status_code == 200, as_json.text
    document = json.loads(as_json.content)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    assert [work["name"] for work in document["work"]] == employers
    assert f'filename="{resume_id}.json"' in as_json.headers["content-disposition"]

    as_docx = _export(api, account.test_key, resume_id, "docx")
    assert as_docx.status_code == 200
    paragraphs = [p.text for p in docx.Document(io.BytesIO(as_docx.content)).paragraphs]
    assert paragraphs[0] == data["basics"]["name"]
    assert all(any(employer in p for p in paragraphs) for employer in employers)

    as_md = _export(api, account.test_key, resume_id, "markdown")
    assert as_md.headers["content-type"].startswith("text/markdown")
    assert as_md.text.startswith(f"# {data['basics']['name']}\n")


def test_export_errors(api: httpx.Client, account: AccountKeys, make_account: MakeAccount) -> None:
    """Unknown format: validation_error; other mode's, other account's or unknown id: not_found."""
    resume_id = generated_id(api, account.test_key)
    assert_error(_export(api, account.test_key, resume_id, "rtf"), 400, "validation_error")
    assert_error(_export(api, account.live_key, resume_id, "docx"), 404, "not_found")
    stranger = make_account()
    assert_error(_export(api, stranger.test_key, resume_id, "docx"), 404, "not_found")
    assert_error(_export(api, account.test_key, "res_unknown", "docx"), 404, "not_found")
    missing = api.get(f"/api/v1/resumes/{resume_id}/export", headers=auth(account.test_key))
    assert_error(missing, 400, "validation_error")
