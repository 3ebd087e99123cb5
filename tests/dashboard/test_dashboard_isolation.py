"""Another account's resumes and keys cannot be reached by URL: every such request is a 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
from apiserver import RunningServer
from visitor import NO_KEEPALIVE, Visitor, new_key_secret

JOB = Path(__file__).parent.parent / "data" / "pairs" / "software-engineer" / "job.txt"


def _owner_with_resume_and_key(
    make: Callable[[], Visitor], server: RunningServer
) -> tuple[Visitor, str, str, str]:
    """An account with a test resume (made through the API) and a key: (visitor, resume id,
    key id, key secret)."""
    owner = make()
    page = owner.submit("/keys", "/keys", {"name": "owner key", "mode": "test"}).text
    secret = new_key_secret(page)
    key_id = re.search(r'action="/keys/(key_[a-z0-9]+)/revoke"', page)
    assert key_id
    with httpx.Client(base_url=server.base_url, timeout=60, limits=NO_KEEPALIVE) as api:
        made = api.post(
            "/api/v1/resumes/generate",
            headers={"X-API-Key": secret},
            json={
                "job_description": JOB.read_text(),
                "company_name": "Private Co",
                "position": "Secret Role",
                "include_pdf": True,
            },
        )
    assert made.status_code == 200, made.text
    return owner, made.json()["id"], key_id.group(1), secret


def test_other_accounts_resumes_are_404(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """Viewing, downloading, re-rendering or deleting someone else's resume is a 404 page, and
    their resume is untouched."""
    owner, resume_id, _key_id, _secret = _owner_with_resume_and_key(signed_in, dash_server)
    intruder = signed_in()
    for path in (f"/resumes/{resume_id}", f"/resumes/{resume_id}/pdf"):
        answer = intruder.get(path)
        assert answer.status_code == 404, path
        assert "Page not found" in answer.text and "Secret Role" not in answer.text
    for action in (f"/resumes/{resume_id}/pdf", f"/resumes/{resume_id}/delete"):
        answer = intruder.submit("/resumes", action, {})
        assert answer.status_code == 404, action
    assert resume_id not in intruder.get("/resumes").text
    assert owner.get(f"/resumes/{resume_id}").status_code == 200
    assert owner.get(f"/resumes/{resume_id}/pdf").content.startswith(b"%PDF")


def test_other_accounts_keys_cannot_be_revoked_or_seen(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """Revoking someone else's key by id is a 404; the key keeps working and stays unlisted."""
    owner, _resume_id, key_id, secret = _owner_with_resume_and_key(signed_in, dash_server)
    intruder = signed_in()
    answer = intruder.submit("/keys", f"/keys/{key_id}/revoke", {})
    assert answer.status_code == 404
    assert key_id not in intruder.get("/keys").text
    with httpx.Client(base_url=dash_server.base_url, timeout=60, limits=NO_KEEPALIVE) as api:
        assert api.get("/api/v1/usage", headers={"X-API-Key": secret}).status_code == 200
    assert "Revoked" not in owner.get("/keys").text


def test_unknown_ids_are_404(signed_in: Callable[[], Visitor]) -> None:
    """Made-up resume and key ids answer 404 like other accounts' ones."""
    visitor = signed_in()
    assert visitor.get("/resumes/res_doesnotexist").status_code == 404
    assert visitor.submit("/keys", "/keys/key_doesnotexist/revoke", {}).status_code == 404
