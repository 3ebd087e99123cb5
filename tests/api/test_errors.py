"""The error table through HTTP: 404, 405, 413 (declared and chunked), 400 for bad bodies."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from apiserver import AccountKeys

MakeAccount = Callable[..., AccountKeys]
RATE_HEADERS = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")


@pytest.fixture
def headers(make_account: MakeAccount) -> dict[str, str]:
    """Headers authenticating a fresh account's live key."""
    return {"X-API-Key": make_account().live_key}


def _assert_error(response: httpx.Response, status: int, name: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["object"] == "error"
    assert (body["name"], body["status"]) == (name, status)
    assert isinstance(body["message"], str) and body["message"]
    assert set(body) == {"object", "name", "message", "status"}
    for header in RATE_HEADERS:
        assert header in response.headers
    return body


def test_unknown_route_is_404(api: httpx.Client, headers: dict[str, str]) -> None:
    """An unknown path under /api/v1 is not_found, in our shape, with rate headers."""
    _assert_error(api.get("/api/v1/nothing-here", headers=headers), 404, "not_found")
    _assert_error(api.get("/api/v1", headers=headers), 404, "not_found")


def test_unknown_route_still_needs_a_key(api: httpx.Client) -> None:
    """Authentication runs before routing, so unknown routes do not leak their existence."""
    _assert_error(api.get("/api/v1/nothing-here"), 401, "missing_api_key")


def test_wrong_method_is_405_with_allow(api: httpx.Client, headers: dict[str, str]) -> None:
    """DELETE on a GET-only route is method_not_allowed with an Allow header."""
    response = api.delete("/api/v1/usage", headers=headers)
    _assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"


def test_405_allow_lists_every_route_on_the_path(
    api: httpx.Client, headers: dict[str, str]
) -> None:
    """Allow names every method documented for the path, not only the first route's."""
    response = api.delete("/api/v1/base-resume", headers=headers)
    _assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, PUT"
    response = api.put("/api/v1/resumes/res_unknown", headers=headers)
    assert response.headers["allow"] == "GET, DELETE"
    # The literal route wins over /resumes/{resume_id}, as in routing.
    response = api.put("/api/v1/resumes/generate", headers=headers)
    assert response.headers["allow"] == "POST"


def test_declared_oversized_body_is_413(api: httpx.Client, headers: dict[str, str]) -> None:
    """A JSON body over 1 MiB is payload_too_large."""
    body = b'{"basics": {"name": "' + b"x" * (1024 * 1024) + b'"}}'
    response = api.put(
        "/api/v1/base-resume",
        headers={**headers, "Content-Type": "application/json"},
        content=body,
    )
    _assert_error(response, 413, "payload_too_large")


def test_chunked_oversized_body_is_413(api: httpx.Client, headers: dict[str, str]) -> None:
    """A body streamed without Content-Length is cut off once it crosses the limit."""

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536

    response = api.put(
        "/api/v1/base-resume",
        headers={**headers, "Content-Type": "application/json"},
        content=chunks(),
    )
    _assert_error(response, 413, "payload_too_large")


def test_json_limit_is_exactly_one_mib(api: httpx.Client, headers: dict[str, str]) -> None:
    """A body of exactly 1 MiB passes the size check (and then fails on content, not size)."""
    prefix, suffix = b'{"basics": {"name": "', b'"}}'
    body = prefix + b"x" * (1024 * 1024 - len(prefix) - len(suffix)) + suffix
    assert len(body) == 1024 * 1024
    response = api.put(
        "/api/v1/base-resume",
        headers={**headers, "Content-Type": "application/json"},
        content=body,
    )
    assert response.status_code != 413


def test_malformed_json_is_400(api: httpx.Client, headers: dict[str, str]) -> None:
    """A body that is not JSON is a validation_error, not a framework default."""
    response = api.put(
        "/api/v1/base-resume",
        headers={**headers, "Content-Type": "application/json"},
        content=b'{"basics": ',
    )
    body = _assert_error(response, 400, "validation_error")
    assert "JSON" in str(body["message"])


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b'{"basics": {"name": "Ann\\u0000"}}', "basics.name contains a NUL character"),
        (b'{"basics": {"name": "Ann\\ud800"}}', "basics.name contains invalid unicode"),
        (b'{"basics\\u0000": {}}', "a field name contains a NUL character"),
        (b'{"sections": {"skills": {"items": [{"name": "\\udfff"}]}}}', "items[0].name"),
    ],
)
def test_text_that_cannot_be_stored_is_400(
    api: httpx.Client, headers: dict[str, str], payload: bytes, fragment: str
) -> None:
    """NUL characters and lone surrogates are refused, naming where they are."""
    response = api.put(
        "/api/v1/base-resume",
        headers={**headers, "Content-Type": "application/json"},
        content=payload,
    )
    body = _assert_error(response, 400, "validation_error")
    assert fragment in str(body["message"])


def test_wrong_types_and_unknown_fields_name_the_field(
    api: httpx.Client, headers: dict[str, str]
) -> None:
    """Resume bodies with a wrong type or an unknown field say which field."""
    wrong_type = api.put("/api/v1/base-resume", headers=headers, json={"basics": {"name": 5}})
    assert "basics.name" in str(_assert_error(wrong_type, 400, "validation_error")["message"])
    unknown = api.put(
        "/api/v1/base-resume", headers=headers, json={"basics": {"name": "A", "foo": 1}}
    )
    assert "foo" in str(_assert_error(unknown, 400, "validation_error")["message"])


def test_non_json_content_type_is_400(api: httpx.Client, headers: dict[str, str]) -> None:
    """A text/plain body is refused with a message saying what to send."""
    response = api.put(
        "/api/v1/base-resume",
        headers={**headers, "Content-Type": "text/plain"},
        content=b"Jane Doe, engineer",
    )
    _assert_error(response, 400, "validation_error")


def test_unicode_that_is_storable_is_accepted(api: httpx.Client, headers: dict[str, str]) -> None:
    """Accents, CJK, emoji and right-to-left text are ordinary text."""
    name = "Zoë 山田 🚀 שלום"
    response = api.put("/api/v1/base-resume", headers=headers, json={"basics": {"name": name}})
    assert response.status_code == 200, response.text
    assert response.json()["resume_data"]["basics"]["name"] == name
