"""Authentication: 401 without a key, one generic 403 for any bad key, modes, last_used_at."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from apiserver import AccountKeys, RunningServer, revoke

from finetune.keys.service import generate_secret

MakeAccount = Callable[..., AccountKeys]


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": ""}])
def test_missing_key_is_401(api: httpx.Client, headers: dict[str, str]) -> None:
    """No header, or an empty one, is missing_api_key."""
    response = api.get("/api/v1/usage", headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "object": "error",
        "name": "missing_api_key",
        "message": "an X-API-Key header is required",
        "status": 401,
    }


def test_bad_keys_share_one_403(
    api: httpx.Client, server: RunningServer, make_account: MakeAccount
) -> None:
    """Malformed, wrong-checksum, unknown and revoked keys get the same generic answer."""
    account = make_account()
    revoke(server, account.live_key_id)
    real = account.test_key
    candidates = [
        "ft_live_abc123",
        "sk_live_" + real[8:],
        real[:-1] + ("A" if real[-1] != "A" else "B"),
        generate_secret("live"),
        account.live_key,
    ]
    bodies = []
    for candidate in candidates:
        response = api.get("/api/v1/usage", headers={"X-API-Key": candidate})
        assert response.status_code == 403, candidate
        bodies.append(response.json())
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["name"] == "invalid_api_key"


def test_key_in_query_string_is_ignored(api: httpx.Client, make_account: MakeAccount) -> None:
    """Keys are accepted only in the header."""
    account = make_account()
    for name in ("api_key", "X-API-Key", "key"):
        response = api.get("/api/v1/usage", params={name: account.live_key})
        assert response.status_code == 401


def test_both_modes_authenticate(api: httpx.Client, make_account: MakeAccount) -> None:
    """Live and test keys of the same account both work."""
    account = make_account()
    for key in (account.live_key, account.test_key):
        assert api.get("/api/v1/usage", headers={"X-API-Key": key}).status_code == 200


def test_revocation_is_immediate(
    api: httpx.Client, server: RunningServer, make_account: MakeAccount
) -> None:
    """A key that worked is refused on the very next request after revocation."""
    account = make_account()
    headers = {"X-API-Key": account.test_key}
    assert api.get("/api/v1/usage", headers=headers).status_code == 200
    revoke(server, account.test_key_id)
    assert api.get("/api/v1/usage", headers=headers).status_code == 403
    # The other key of the account is unaffected.
    assert api.get("/api/v1/usage", headers={"X-API-Key": account.live_key}).status_code == 200


def test_last_used_at_is_recorded_but_not_rewritten_each_request(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """The first request sets last_used_at; requests within a minute leave it unchanged."""
    account = make_account()
    headers = {"X-API-Key": account.live_key}

    def last_used() -> dict[str, str | None]:
        keys = api.get("/api/v1/api-keys", headers=headers).json()["data"]
        return {key["id"]: key["last_used_at"] for key in keys}

    first = last_used()
    assert first[account.live_key_id] is not None
    assert first[account.test_key_id] is None
    for _ in range(3):
        api.get("/api/v1/usage", headers=headers)
    assert last_used() == first
