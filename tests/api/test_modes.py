"""Live and test data are separate: each key sees only its own mode's resumes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from resume_support import (
    assert_error,
    assert_resume_hidden,
    auth,
    generated_id,
    upload_base_resume,
)

MakeAccount = Callable[..., Any]


def test_each_mode_lists_only_its_own_resumes(api: httpx.Client, make_account: MakeAccount) -> None:
    """A test key lists only test resumes and a live key only live ones."""
    account = make_account()
    upload_base_resume(api, account.live_key)
    test_id = generated_id(api, account.test_key)
    live_id = generated_id(api, account.live_key)
    test_list = api.get("/api/v1/resumes", headers=auth(account.test_key)).json()
    live_list = api.get("/api/v1/resumes", headers=auth(account.live_key)).json()
    assert [item["id"] for item in test_list["data"]] == [test_id]
    assert [item["id"] for item in live_list["data"]] == [live_id]
    assert test_list["data"][0]["livemode"] is False
    assert live_list["data"][0]["livemode"] is True


def test_the_other_modes_ids_are_not_found(api: httpx.Client, make_account: MakeAccount) -> None:
    """Within one account, a resume of the other mode is not_found on every route."""
    account = make_account()
    upload_base_resume(api, account.live_key)
    for owner_key, other_key in (
        (account.test_key, account.live_key),
        (account.live_key, account.test_key),
    ):
        resume_id = generated_id(api, owner_key, include_pdf=True)
        headers = auth(other_key)
        assert_resume_hidden(api, resume_id, headers)
        cursor = api.get("/api/v1/resumes", params={"after": resume_id}, headers=headers)
        assert_error(cursor, 400, "validation_error")
