"""GET and DELETE /api/v1/resumes/{id}: the full object, tombstones, and not_found rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from resume_support import (
    assert_error,
    assert_resume_hidden,
    auth,
    generate,
    generated_id,
    upload_base_resume,
)

MakeAccount = Callable[..., Any]


def test_get_returns_what_generate_returned(api: httpx.Client, make_account: MakeAccount) -> None:
    """Retrieving a resume gives the generated object (without the generate-only balance)."""
    account = make_account()
    created = generate(api, account.test_key).json()
    fetched = api.get(f"/api/v1/resumes/{created['id']}", headers=auth(account.test_key))
    assert fetched.status_code == 200, fetched.text
    expected = {k: v for k, v in created.items() if k != "credits_remaining"}
    assert fetched.json() == expected


def test_delete_answers_the_documented_object_and_hides_the_resume(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """DELETE returns resume.deleted; afterwards GET, DELETE and POST /pdf are not_found."""
    account = make_account()
    resume_id = generated_id(api, account.test_key)
    deleted = api.delete(f"/api/v1/resumes/{resume_id}", headers=auth(account.test_key))
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"object": "resume.deleted", "id": resume_id, "deleted": True}
    headers = auth(account.test_key)
    assert_error(api.get(f"/api/v1/resumes/{resume_id}", headers=headers), 404, "not_found")
    assert_error(api.delete(f"/api/v1/resumes/{resume_id}", headers=headers), 404, "not_found")
    assert_error(api.post(f"/api/v1/resumes/{resume_id}/pdf", headers=headers), 404, "not_found")


def test_delete_removes_the_pdf(api: httpx.Client, make_account: MakeAccount) -> None:
    """After deletion the resume's signed PDF link no longer serves the file."""
    account = make_account()
    created = generate(api, account.test_key, include_pdf=True).json()
    assert httpx.get(created["pdf_url"]).status_code == 200
    api.delete(f"/api/v1/resumes/{created['id']}", headers=auth(account.test_key))
    assert_error(httpx.get(created["pdf_url"]), 404, "not_found")


def test_unknown_ids_are_not_found(api: httpx.Client, make_account: MakeAccount) -> None:
    """Ids that never existed are not_found on every resume route."""
    account = make_account()
    headers = auth(account.test_key)
    for resume_id in ("res_doesnotexist", "nonsense", "res_" + "a" * 300):
        assert_error(api.get(f"/api/v1/resumes/{resume_id}", headers=headers), 404, "not_found")
        assert_error(api.delete(f"/api/v1/resumes/{resume_id}", headers=headers), 404, "not_found")


def test_other_accounts_resumes_are_not_found_everywhere(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """Another account's resume is not_found on get, pdf, delete and the file route."""
    owner, stranger = make_account(), make_account()
    upload_base_resume(api, owner.live_key)
    pairs = [(owner.test_key, stranger.test_key), (owner.live_key, stranger.live_key)]
    for owner_key, stranger_key in pairs:
        resume_id = generated_id(api, owner_key, include_pdf=True)
        headers = auth(stranger_key)
        assert_resume_hidden(api, resume_id, headers)
        still_there = api.get(f"/api/v1/resumes/{resume_id}", headers=auth(owner_key))
        assert still_there.status_code == 200
