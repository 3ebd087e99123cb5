"""Hostile requests through HTTP: other accounts' ids, mass assignment, absurd queries, id tricks.

Wire-level attacks (bodies, encodings, headers, paths, key guessing) are in
``test_adversarial_wire.py``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from apiserver import AccountKeys
from security_support import error_name, job_body

MakeAccount = Callable[..., AccountKeys]


def _key(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _generate(api: httpx.Client, key: str, **overrides: Any) -> dict[str, Any]:
    response = api.post(
        "/api/v1/resumes/generate", headers=_key(key), json=job_body(include_pdf=True, **overrides)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _usage(api: httpx.Client, key: str) -> dict[str, Any]:
    response = api.get("/api/v1/usage", headers=_key(key))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def victim(make_account: MakeAccount) -> AccountKeys:
    """The account whose objects the attacker goes after."""
    return make_account()


@pytest.fixture
def attacker(make_account: MakeAccount) -> AccountKeys:
    """Another account with valid keys of its own."""
    return make_account()


@pytest.mark.parametrize("mode", ["live", "test"])
def test_other_accounts_resumes_are_not_found_on_every_route(
    api: httpx.Client, victim: AccountKeys, attacker: AccountKeys, mode: str
) -> None:
    """Another account's resume id is not_found on get, pdf, export, delete, file and cursor."""
    victim_key = victim.live_key if mode == "live" else victim.test_key
    resume = _generate(api, victim_key)
    resume_id = resume["id"]
    for attacker_key in (attacker.live_key, attacker.test_key):
        headers = _key(attacker_key)
        attempts = [
            api.get(f"/api/v1/resumes/{resume_id}", headers=headers),
            api.post(f"/api/v1/resumes/{resume_id}/pdf", headers=headers),
            api.get(f"/api/v1/resumes/{resume_id}/export?format=json_resume", headers=headers),
            api.delete(f"/api/v1/resumes/{resume_id}", headers=headers),
            api.get(f"/files/{resume_id}.pdf", headers=headers),
        ]
        for response in attempts:
            assert response.status_code == 404, response.text
            assert error_name(response) == "not_found"
        for cursor in ("after", "before"):
            listed = api.get("/api/v1/resumes", headers=headers, params={cursor: resume_id})
            assert listed.status_code == 400 and error_name(listed) == "validation_error"
    # Nothing the attacker did touched it: the owner still reads it, PDF included.
    owner = api.get(f"/api/v1/resumes/{resume_id}", headers=_key(victim_key))
    assert owner.status_code == 200 and owner.json()["pdf_url"]
    assert api.get(f"/files/{resume_id}.pdf", headers=_key(victim_key)).status_code == 200
    exported = f"/api/v1/resumes/{resume_id}/export?format=json_resume"
    assert api.get(exported, headers=_key(victim_key)).status_code == 200


def test_the_other_mode_of_the_same_account_is_not_found(
    api: httpx.Client, victim: AccountKeys
) -> None:
    """A live resume is invisible to the same account's test key, and the other way round."""
    live_id = _generate(api, victim.live_key)["id"]
    test_id = _generate(api, victim.test_key)["id"]
    for key, foreign in ((victim.test_key, live_id), (victim.live_key, test_id)):
        for response in (
            api.get(f"/api/v1/resumes/{foreign}", headers=_key(key)),
            api.get(f"/api/v1/resumes/{foreign}/export?format=markdown", headers=_key(key)),
            api.delete(f"/api/v1/resumes/{foreign}", headers=_key(key)),
            api.get(f"/files/{foreign}.pdf", headers=_key(key)),
        ):
            assert response.status_code == 404 and error_name(response) == "not_found"


def test_a_signed_link_opens_only_the_resume_it_was_signed_for(
    api: httpx.Client, victim: AccountKeys, attacker: AccountKeys
) -> None:
    """Grafting one PDF link's signature onto another resume's id is not_found."""
    victims = _generate(api, victim.test_key)
    attackers = _generate(api, attacker.test_key)
    query = httpx.URL(attackers["pdf_url"]).query.decode()
    grafted = api.get(f"/files/{victims['id']}.pdf?{query}")
    assert grafted.status_code == 404 and error_name(grafted) == "not_found"
    own = api.get(httpx.URL(attackers["pdf_url"]).raw_path.decode())
    assert own.status_code == 200 and own.content.startswith(b"%PDF")


def test_api_keys_lists_only_the_callers_keys(
    api: httpx.Client, victim: AccountKeys, attacker: AccountKeys
) -> None:
    """GET /api-keys never shows another account's keys, and never a secret."""
    response = api.get("/api/v1/api-keys", headers=_key(attacker.live_key))
    assert response.status_code == 200
    ids = {key["id"] for key in response.json()["data"]}
    assert ids == {attacker.live_key_id, attacker.test_key_id}
    assert attacker.live_key not in response.text and attacker.test_key not in response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "res_chosenbytheattacker00"),
        ("account_id", "acct_someoneelse000000000"),
        ("livemode", True),
        ("credits_used", -1000),
        ("credits_remaining", 1_000_000),
        ("ats_score", 100),
        ("object", "resume"),
    ],
)
def test_mass_assignment_in_generate_is_refused_and_changes_nothing(
    api: httpx.Client, victim: AccountKeys, field: str, value: object
) -> None:
    """Server-owned fields in a generate body are validation_error; no resume, no charge."""
    before = _usage(api, victim.live_key)
    response = api.post(
        "/api/v1/resumes/generate",
        headers=_key(victim.live_key),
        json=job_body(**{field: value}),
    )
    assert response.status_code == 400 and error_name(response) == "validation_error"
    assert response.json()["message"] == f"unknown field: {field}"
    after = _usage(api, victim.live_key)
    assert after["credits_used"] == before["credits_used"]
    listed = api.get("/api/v1/resumes", headers=_key(victim.live_key)).json()
    assert listed["data"] == []


@pytest.mark.parametrize(
    "extra",
    [
        {"id": "res_x"},
        {"account_id": "acct_someoneelse000000000"},
        {"livemode": False},
        {"credits_used": 0},
        {"ats_score": 100},
        {"updated_at": "2000-01-01T00:00:00Z"},
    ],
)
def test_mass_assignment_in_base_resume_is_refused_and_keeps_the_stored_one(
    api: httpx.Client, victim: AccountKeys, extra: dict[str, object]
) -> None:
    """Server-owned fields in a base-resume body are validation_error; the stored one stays."""
    headers = _key(victim.live_key)
    stored = api.get("/api/v1/base-resume", headers=headers).json()
    document = {**stored["resume_data"], **extra}
    response = api.put("/api/v1/base-resume", headers=headers, json=document)
    assert response.status_code == 400 and error_name(response) == "validation_error"
    assert api.get("/api/v1/base-resume", headers=headers).json() == stored
    usage = _usage(api, victim.live_key)
    assert usage["credits_used"] == 0


@pytest.mark.parametrize(
    "limit",
    ["0", "-1", "101", "1000000", "1" + "0" * 40, "1e3", "2.5", "abc", "", "0x10", "٣", "１０"],
)
def test_absurd_limits_are_validation_errors(
    api: httpx.Client, victim: AccountKeys, limit: str
) -> None:
    """limit outside 1-100 or not an integer is validation_error naming limit."""
    response = api.get("/api/v1/resumes", headers=_key(victim.test_key), params={"limit": limit})
    assert response.status_code == 400, response.text
    assert error_name(response) == "validation_error"
    assert "limit" in response.json()["message"]


def _lookalikes(resume_id: str) -> list[str]:
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in resume_id)
    return [
        resume_id.upper(),
        fullwidth,
        resume_id + "\u200b",  # zero-width space
        "\u200b" + resume_id,
        resume_id.replace("s", "\u017f"),  # long s: NFKC folds it to "s"
        unicodedata.normalize("NFD", resume_id) + "\u0301",
        resume_id + " ",
        resume_id + "%00",
        resume_id[:-1],
        resume_id + "%",
    ]


def test_unicode_lookalike_ids_never_reach_the_real_resume(
    api: httpx.Client, victim: AccountKeys
) -> None:
    """Case, width, zero-width and NFKC variants of a real id are not_found, never a match."""
    resume_id = _generate(api, victim.test_key)["id"]
    headers = _key(victim.test_key)
    for variant in _lookalikes(resume_id):
        for response in (
            api.get(f"/api/v1/resumes/{variant}", headers=headers),
            api.delete(f"/api/v1/resumes/{variant}", headers=headers),
            api.get(f"/files/{variant}.pdf", headers=headers),
        ):
            assert response.status_code in (400, 404), (variant, response.text)
            assert error_name(response) in ("not_found", "validation_error")
        listed = api.get("/api/v1/resumes", headers=headers, params={"after": variant})
        assert listed.status_code == 400 and error_name(listed) == "validation_error"
    assert api.get(f"/api/v1/resumes/{resume_id}", headers=headers).status_code == 200
