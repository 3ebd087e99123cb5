"""GET /api/v1/resumes: newest first, cursors both ways, tombstones, light items, validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from resume_support import assert_error, auth, generated_id

MakeAccount = Callable[..., Any]


def _page(api: httpx.Client, key: str, **params: Any) -> dict[str, Any]:
    response = api.get("/api/v1/resumes", params=params, headers=auth(key))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["data"]]


def _make_resumes(api: httpx.Client, key: str, count: int) -> list[str]:
    """``count`` resumes, returned newest first (the listing order)."""
    return [generated_id(api, key, company_name=f"Company {n}") for n in range(count)][::-1]


def test_list_is_newest_first_with_light_items(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """Items come newest first and leave out the heavy fields."""
    account = make_account()
    newest_first = _make_resumes(api, account.test_key, 3)
    page = _page(api, account.test_key)
    assert page["object"] == "list"
    assert page["has_more"] is False
    assert _ids(page) == newest_first
    item = page["data"][0]
    assert set(item) == {
        "object",
        "id",
        "livemode",
        "company_name",
        "position",
        "finetune_level",
        "ats_score",
        "ats_score_before",
        "pdf_url",
        "created_at",
    }
    assert item["company_name"] == "Company 2"


def test_after_and_before_walk_both_directions(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """`after` pages to older items, `before` to newer ones; has_more looks the way we travel."""
    account = make_account()
    ids = _make_resumes(api, account.test_key, 5)
    first = _page(api, account.test_key, limit=2)
    assert (_ids(first), first["has_more"]) == (ids[0:2], True)
    second = _page(api, account.test_key, limit=2, after=ids[1])
    assert (_ids(second), second["has_more"]) == (ids[2:4], True)
    third = _page(api, account.test_key, limit=2, after=ids[3])
    assert (_ids(third), third["has_more"]) == (ids[4:5], False)
    back = _page(api, account.test_key, limit=2, before=ids[4])
    assert (_ids(back), back["has_more"]) == (ids[2:4], True)
    top = _page(api, account.test_key, limit=2, before=ids[2])
    assert (_ids(top), top["has_more"]) == (ids[0:2], False)


def test_cursors_survive_deletions_in_between(api: httpx.Client, make_account: MakeAccount) -> None:
    """Deleted resumes vanish from pages, and a cursor naming a deleted resume still works."""
    account = make_account()
    ids = _make_resumes(api, account.test_key, 6)
    first = _page(api, account.test_key, limit=2)
    assert _ids(first) == ids[0:2]
    for gone in (ids[1], ids[2]):
        deleted = api.delete(f"/api/v1/resumes/{gone}", headers=auth(account.test_key))
        assert deleted.status_code == 200, deleted.text
    # The cursor is the deleted ids[1]: the page continues after its place in the order.
    after_deleted = _page(api, account.test_key, limit=2, after=ids[1])
    assert (_ids(after_deleted), after_deleted["has_more"]) == (ids[3:5], True)
    before_deleted = _page(api, account.test_key, limit=2, before=ids[2])
    assert (_ids(before_deleted), before_deleted["has_more"]) == (ids[0:1], False)
    everything = _page(api, account.test_key, limit=100)
    assert _ids(everything) == [ids[0], *ids[3:]]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit must be an integer"),
        ({"after": "res_a", "before": "res_b"}, "after and before cannot be used together"),
        ({"after": "res_doesnotexist"}, "after"),
        ({"before": "res_doesnotexist"}, "before"),
    ],
)
def test_bad_parameters_are_validation_errors(
    api: httpx.Client, make_account: MakeAccount, params: dict[str, Any], fragment: str
) -> None:
    """Out-of-range limit, both cursors, or an unknown cursor is a validation_error."""
    account = make_account()
    response = api.get("/api/v1/resumes", params=params, headers=auth(account.test_key))
    assert fragment in assert_error(response, 400, "validation_error")["message"]


def test_another_accounts_id_is_an_unknown_cursor(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """A cursor naming someone else's resume is refused like an unknown one."""
    owner, stranger = make_account(), make_account()
    theirs = generated_id(api, owner.test_key)
    response = api.get("/api/v1/resumes", params={"after": theirs}, headers=auth(stranger.test_key))
    assert_error(response, 400, "validation_error")
