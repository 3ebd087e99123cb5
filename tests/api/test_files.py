"""GET /files/{id}.pdf: owner key in the same mode, or a valid signed link; else not_found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from resume_support import assert_error, auth, generate

from finetune.api.ids import utc_now

MakeAccount = Callable[..., Any]


def _file_path(pdf_url: str) -> str:
    return urlsplit(pdf_url).path


def test_owner_key_downloads_without_a_signature(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """The owner's key of the resume's mode authorises the plain file path."""
    account = make_account()
    created = generate(api, account.test_key, include_pdf=True).json()
    response = api.get(_file_path(created["pdf_url"]), headers=auth(account.test_key))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["ratelimit-limit"]


def test_owner_key_of_the_other_mode_is_not_enough(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """The same account's live key cannot fetch a test resume's file without a signature."""
    account = make_account()
    created = generate(api, account.test_key, include_pdf=True).json()
    response = api.get(_file_path(created["pdf_url"]), headers=auth(account.live_key))
    assert_error(response, 404, "not_found")


def test_no_key_and_no_signature_is_not_found(api: httpx.Client, make_account: MakeAccount) -> None:
    """Without a key or signature the file route reveals nothing, existing or not."""
    account = make_account()
    created = generate(api, account.test_key, include_pdf=True).json()
    assert_error(api.get(_file_path(created["pdf_url"])), 404, "not_found")
    assert_error(api.get("/files/res_doesnotexist.pdf"), 404, "not_found")


def test_tampered_links_are_not_found(api: httpx.Client, make_account: MakeAccount) -> None:
    """Changing the signature, the expiry or the id breaks the link."""
    account = make_account()
    first = generate(api, account.test_key, include_pdf=True).json()
    second = generate(api, account.test_key, include_pdf=True).json()
    url = first["pdf_url"]
    query = parse_qs(urlsplit(url).query)
    signature, expires = query["signature"][0], query["expires"][0]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    tampered = [
        url.replace(signature, flipped),
        url.replace(f"expires={expires}", f"expires={int(expires) + 3600}"),
        url.replace(first["id"], second["id"]),
        url.split("?")[0] + f"?expires={expires}",
    ]
    for link in tampered:
        assert_error(httpx.get(link), 404, "not_found")
    assert httpx.get(url).status_code == 200


def test_malformed_link_values_are_validation_errors(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """expires=² (which str.isdigit accepts and int() rejects), other non-ASCII digits or a
    malformed signature answer 400 naming the parameter, never a 500."""
    account = make_account()
    url = generate(api, account.test_key, include_pdf=True).json()["pdf_url"]
    query = parse_qs(urlsplit(url).query)
    signature, expires = query["signature"][0], query["expires"][0]
    path = _file_path(url)
    for bad_expires in ("\u00b2", "\u0661\u0662", "1_000", "9" * 40):
        answer = api.get(path, params={"expires": bad_expires, "signature": signature})
        assert assert_error(answer, 400, "validation_error")["message"].startswith("expires ")
    for bad_signature in ("\u00e9" * 64, signature.upper(), signature[:-1]):
        answer = api.get(path, params={"expires": expires, "signature": bad_signature})
        assert assert_error(answer, 400, "validation_error")["message"].startswith("signature ")
    # Well formed but wrong stays not_found, so existence is never revealed.
    assert_error(api.get(path, params={"expires": "1", "signature": signature}), 404, "not_found")


def test_expired_links_are_not_found(
    api: httpx.Client, make_account: MakeAccount, server: Any
) -> None:
    """A correctly signed link past its expiry no longer serves the file."""
    account = make_account()
    created = generate(api, account.test_key, include_pdf=True).json()
    signer = server.app.state.link_signer  # built by the generate call above
    expired = signer.url_for(created["id"], now=utc_now() - timedelta(days=8))
    assert_error(httpx.get(expired), 404, "not_found")
    still_valid = signer.url_for(created["id"], now=utc_now() - timedelta(days=6))
    assert httpx.get(still_valid).status_code == 200
