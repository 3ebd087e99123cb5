"""GET /api-keys: masked listing of both modes; secrets shown once and never stored."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

import httpx
from apiserver import AccountKeys, RunningServer, revoke

MakeAccount = Callable[..., AccountKeys]


def test_listing_shape_and_masking(api: httpx.Client, make_account: MakeAccount) -> None:
    """Both keys are listed with mode, a 12-character prefix + '....', and no secret."""
    account = make_account()
    response = api.get("/api/v1/api-keys", headers={"X-API-Key": account.test_key})
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "list" and body["has_more"] is False
    by_id = {key["id"]: key for key in body["data"]}
    assert set(by_id) == {account.live_key_id, account.test_key_id}
    live = by_id[account.live_key_id]
    assert live["object"] == "api_key"
    assert live["prefix"] == account.live_key[:12] + "...."
    assert (live["mode"], live["livemode"]) == ("live", True)
    assert by_id[account.test_key_id]["livemode"] is False
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", live["created_at"])
    assert live["revoked_at"] is None
    assert account.live_key not in response.text and account.test_key not in response.text


def test_listing_is_per_account(api: httpx.Client, make_account: MakeAccount) -> None:
    """An account never sees another account's keys."""
    mine, theirs = make_account(), make_account()
    body = api.get("/api/v1/api-keys", headers={"X-API-Key": mine.live_key}).json()
    ids = {key["id"] for key in body["data"]}
    assert ids == {mine.live_key_id, mine.test_key_id}
    assert not ids & {theirs.live_key_id, theirs.test_key_id}


def test_revoked_keys_stay_listed_with_revoked_at(
    api: httpx.Client, server: RunningServer, make_account: MakeAccount
) -> None:
    """A revoked key remains visible for auditing, marked with revoked_at."""
    account = make_account()
    revoke(server, account.test_key_id)
    body = api.get("/api/v1/api-keys", headers={"X-API-Key": account.live_key}).json()
    revoked = next(key for key in body["data"] if key["id"] == account.test_key_id)
    assert revoked["revoked_at"] is not None and revoked["revoked_at"].endswith("Z")


def test_listing_is_read_only(api: httpx.Client, make_account: MakeAccount) -> None:
    """A key cannot mint or delete keys through the API."""
    headers = {"X-API-Key": make_account().live_key}
    assert api.post("/api/v1/api-keys", headers=headers, json={}).status_code == 405
    assert api.delete("/api/v1/api-keys", headers=headers).status_code == 405


def test_secrets_are_never_stored_in_clear(
    server: RunningServer, make_account: MakeAccount
) -> None:
    """No column of the database holds a full key or its random part."""
    account = make_account()
    database = server.settings.data_dir / "finetune.db"

    def dump() -> str:
        with sqlite3.connect(database) as connection:
            return "\n".join(connection.iterdump())

    contents = dump()
    for secret in (account.live_key, account.test_key):
        assert secret not in contents
        assert secret[12:] not in contents
