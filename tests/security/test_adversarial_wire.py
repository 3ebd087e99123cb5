"""Hostile requests on the wire: huge and deep bodies, broken encodings, header tricks, paths
outside the API, keys in the query string, and key guessing from one address."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from apiserver import AccountKeys, RunningServer, new_account, run_server
from security_support import error_name, job_body, raw_request

MakeAccount = Callable[..., AccountKeys]
StartServer = Callable[..., AbstractContextManager[RunningServer]]
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def account(make_account: MakeAccount) -> AccountKeys:
    """A fresh account with a base resume."""
    return make_account()


def _post_generate(api: httpx.Client, key: str, body: bytes) -> httpx.Response:
    return api.post("/api/v1/resumes/generate", headers={"X-API-Key": key, **JSON}, content=body)


def _deep(depth: int, opener: str, closer: str) -> bytes:
    return (opener * depth + closer * depth).encode()


@pytest.mark.parametrize(
    "body",
    [
        _deep(100_000, "[", "]"),
        _deep(100_000, '{"a":', "}"),
        _deep(2_000, "[", "]"),
        _deep(900, "[", "]"),
        b'{"job_description": ' + _deep(5_000, "[", "]") + b"}",
        b"[" * 500_000,  # unterminated
    ],
    ids=["array-100k", "object-100k", "array-2k", "array-900", "field-5k", "unterminated-500k"],
)
@pytest.mark.parametrize("path", ["/api/v1/resumes/generate", "/api/v1/base-resume"])
def test_deeply_nested_json_is_refused_cleanly(
    api: httpx.Client, account: AccountKeys, body: bytes, path: str
) -> None:
    """Deep nesting is 400 or 413 in our error shape, never a 500 or a recursion crash."""
    method = "POST" if path.endswith("generate") else "PUT"
    headers = {"X-API-Key": account.test_key, **JSON}
    response = api.request(method, path, headers=headers, content=body)
    assert response.status_code in (400, 413), response.text
    assert error_name(response) in ("validation_error", "payload_too_large")


def test_deeply_nested_json_upload_is_refused_cleanly(
    api: httpx.Client, account: AccountKeys
) -> None:
    """A .json upload nested 100k deep is validation_error and leaves the base resume."""
    headers = {"X-API-Key": account.test_key}
    stored = api.get("/api/v1/base-resume", headers=headers).json()
    files = {"file": ("resume.json", _deep(100_000, "[", "]"), "application/json")}
    response = api.put("/api/v1/base-resume", headers=headers, files=files)
    assert response.status_code == 400 and error_name(response) == "validation_error"
    assert api.get("/api/v1/base-resume", headers=headers).json() == stored


def test_oversized_json_is_413_declared_or_chunked(api: httpx.Client, account: AccountKeys) -> None:
    """2 MiB of JSON is payload_too_large whether Content-Length is sent or not."""
    body = json.dumps(job_body(job_description="x" * 2_000_000)).encode()
    declared = _post_generate(api, account.test_key, body)
    assert declared.status_code == 413 and error_name(declared) == "payload_too_large"

    def chunks() -> object:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    chunked = api.post(
        "/api/v1/resumes/generate",
        headers={"X-API-Key": account.test_key, **JSON},
        content=chunks(),  # type: ignore[arg-type]
    )
    assert chunked.status_code == 413 and error_name(chunked) == "payload_too_large"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b'{"company_name": "Ac\xffme"}', "JSON"),
        (b'{"company_name": "\xc3\x28"}', "JSON"),
        (b"\xef\xbb\xbf{}", ""),  # a byte-order mark
        (b'{"company_name": "\\ud800"}', "company_name"),
        (b'{"company_name": "\\udfff\\ud800"}', "company_name"),
        (b'{"company_name": "A\\u0000B"}', "company_name"),
        (b'{"\\u0000": 1}', "field name"),
        (b'{"company_name": "A\x00B"}', "JSON"),
    ],
    ids=[
        "latin1",
        "bad-continuation",
        "bom",
        "lone-high",
        "reversed-pair",
        "nul",
        "nul-key",
        "raw-nul",
    ],
)
def test_invalid_text_is_validation_error(
    api: httpx.Client, account: AccountKeys, body: bytes, needle: str
) -> None:
    """Invalid UTF-8, lone surrogates and NUL characters are validation_error, never stored."""
    response = _post_generate(api, account.test_key, body)
    assert response.status_code == 400, response.text
    assert error_name(response) == "validation_error"
    assert needle.lower() in response.json()["message"].lower()
    listed = api.get("/api/v1/resumes", headers={"X-API-Key": account.test_key}).json()
    assert listed["data"] == []


def test_lone_surrogate_in_a_base_resume_is_refused(
    api: httpx.Client, account: AccountKeys
) -> None:
    """A base resume carrying a lone surrogate is validation_error; the stored one stays."""
    headers = {"X-API-Key": account.live_key, **JSON}
    stored = api.get("/api/v1/base-resume", headers=headers).json()
    document = copy.deepcopy(stored["resume_data"])
    document["basics"]["name"] = "PLACEHOLDER"
    text = json.dumps(document).replace("PLACEHOLDER", "\\udc80")
    response = api.put("/api/v1/base-resume", headers=headers, content=text.encode())
    assert response.status_code == 400 and error_name(response) == "validation_error"
    assert api.get("/api/v1/base-resume", headers=headers).json() == stored


@pytest.mark.parametrize(
    "value",
    [b"abc\rX-Injected: 1", b"abc\nX-Injected: 1", b"abc\r\n X-Injected: 1", b"a\x00b", b"\x01c"],
    ids=["bare-cr", "bare-lf", "obs-fold", "nul", "control"],
)
def test_header_injection_in_idempotency_key_never_reaches_the_app(
    secure_server: RunningServer, account: AccountKeys, value: bytes
) -> None:
    """CR, LF, folding, NUL or controls in a header value: a 400 from the HTTP layer, no 500."""
    body = json.dumps(job_body()).encode()
    head = (
        b"POST /api/v1/resumes/generate HTTP/1.1\r\nHost: test\r\n"
        + b"X-API-Key: "
        + account.test_key.encode()
        + b"\r\n"
        + b"Content-Type: application/json\r\n"
        + b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n"
        + b"Idempotency-Key: "
        + value
    )
    status, response = raw_request(secure_server.base_url, head, body)
    assert status == 400, response
    assert b"x-injected" not in response.lower()


@pytest.mark.parametrize("value", ["x" * 257, "tab\there", "é".encode().decode("latin-1")])
def test_unprintable_idempotency_keys_are_validation_errors(
    api: httpx.Client, account: AccountKeys, value: str
) -> None:
    """Tabs, non-ASCII and over-long Idempotency-Keys (legal HTTP) are validation_error."""
    headers = {"X-API-Key": account.test_key, **JSON, "Idempotency-Key": value}
    response = api.post(
        "/api/v1/resumes/generate",
        headers={name: text.encode("latin-1") for name, text in headers.items()},
        content=json.dumps(job_body()).encode(),
    )
    assert response.status_code == 400 and error_name(response) == "validation_error"
    assert "Idempotency-Key" in response.json()["message"]


def test_huge_headers_are_refused_without_a_server_error(
    secure_server: RunningServer, account: AccountKeys
) -> None:
    """A 1 MB X-API-Key or a flood of headers is a 4xx, and the server keeps serving."""
    huge_key = b"GET /api/v1/usage HTTP/1.1\r\nHost: test\r\nX-API-Key: ft_live_" + b"A" * 1_000_000
    status, _ = raw_request(secure_server.base_url, huge_key)
    assert 400 <= status < 500
    many = (
        b"GET /api/v1/usage HTTP/1.1\r\nHost: test\r\n"
        + b"".join(b"X-Filler-%d: %s\r\n" % (index, b"v" * 100) for index in range(5_000))
        + b"X-API-Key: "
        + account.test_key.encode()
    )
    status, _ = raw_request(secure_server.base_url, many)
    assert status < 500
    alive = httpx.get(
        f"{secure_server.base_url}/api/v1/usage", headers={"X-API-Key": account.test_key}
    )
    assert alive.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "api_key={key}",
        "X-API-Key={key}",
        "x-api-key={key}",
        "key={key}",
        "apikey={key}&token={key}",
    ],
)
def test_keys_in_the_query_string_are_ignored(
    api: httpx.Client, account: AccountKeys, query: str
) -> None:
    """A key in the query string authenticates nothing: missing_api_key."""
    response = api.get(f"/api/v1/usage?{query.format(key=account.live_key)}")
    assert response.status_code == 401 and error_name(response) == "missing_api_key"


@pytest.mark.parametrize(
    "target",
    [
        b"/files/../api/v1/usage",
        b"/files/../../../../etc/passwd",
        b"/files/..%2f..%2f..%2fetc%2fpasswd.pdf",
        b"/files/%2e%2e/%2e%2e/finetune.db",
        b"/files/..%5c..%5cfinetune.db",
        b"/files/%2e%2e%2ffinetune.db.pdf",
        b"/files/....//....//etc/passwd.pdf",
        b"/files//etc/passwd.pdf",
    ],
)
def test_path_traversal_under_files_reveals_nothing(
    secure_server: RunningServer, account: AccountKeys, target: bytes
) -> None:
    """Dot-segments and encoded slashes under /files never serve a file from disk."""
    head = b"GET " + target + b" HTTP/1.1\r\nHost: test\r\nX-API-Key: " + account.test_key.encode()
    status, response = raw_request(secure_server.base_url, head)
    assert status in (400, 401, 404), response[:500]
    assert b"root:" not in response and b"SQLite format" not in response


def test_ten_thousand_bad_keys_from_one_address_are_throttled(start_server: StartServer) -> None:
    """Key guessing from one address gets 429 once the anonymous limit is spent; real keys work."""
    with start_server(rate_limit_anonymous=30) as server:
        account = new_account(server, "pro", 100, 1000)
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            refused = 0
            for attempt in range(10_000):
                guess = f"ft_live_{attempt:032d}abcdef"
                response = client.get("/api/v1/usage", headers={"X-API-Key": guess})
                if response.status_code == 429:
                    break
                assert response.status_code == 403 and error_name(response) == "invalid_api_key"
                refused += 1
            assert refused == 30
            assert error_name(response) == "rate_limit_exceeded"
            assert int(response.headers["Retry-After"]) > 0
            assert response.headers["ratelimit-remaining"] == "0"
            valid = client.get("/api/v1/usage", headers={"X-API-Key": account.live_key})
            assert valid.status_code == 200


@pytest.fixture
def start_server(tmp_path: Path) -> StartServer:
    """Start a private server with settings overrides: ``with start_server(rate_limit_free=2)``."""

    def start(**overrides: object) -> AbstractContextManager[RunningServer]:
        return run_server(tmp_path / "throttled", **overrides)

    return start
