"""Sign-up, sign-in, sign-out, sessions, CSRF and login throttling, through HTTP."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from apiserver import RunningServer, run_server
from visitor import NO_KEEPALIVE, Visitor, csrf_token

from finetune.accounts.service import create_account, find_account_by_email, set_password
from finetune.dashboard.sessions import COOKIE_NAME
from finetune.db import create_db_engine, create_sessionmaker

PASSWORD = "correct horse battery"


def _email() -> str:
    return f"auth-{uuid.uuid4().hex[:12]}@example.com"


def _service_account(server: RunningServer, email: str, password: str | None) -> str:
    """An account made as ``finetune admin`` does (optionally with a password); its id."""

    async def run() -> str:
        engine = create_db_engine(server.settings)
        try:
            async with create_sessionmaker(engine)() as session:
                account = await create_account(session, email)
                if password is not None:
                    await set_password(session, account.id, password)
                await session.commit()
                return account.id
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_anonymous_pages_redirect_to_sign_in(visitor: Visitor) -> None:
    """Every account page sends a signed-out visitor to the sign-in page, remembering where."""
    for path in ("/resumes", "/keys", "/base-resume", "/try", "/usage"):
        answer = visitor.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/login?next={path}"
    assert visitor.get("/").headers["location"] == "/login"


def test_sign_up_signs_in_with_a_secure_cookie(visitor: Visitor) -> None:
    """Sign-up creates the account, signs it in and sets an HttpOnly, SameSite=Lax cookie."""
    answer = visitor.sign_up(_email(), PASSWORD)
    assert answer.headers["location"] == "/base-resume"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # the test server's public URL is plain http
    page = visitor.get("/usage")
    assert page.status_code == 200
    assert visitor.email in page.text


def test_sign_up_refuses_bad_input(visitor: Visitor, signed_in: Callable[[], Visitor]) -> None:
    """Short passwords, differing passwords, bad and taken emails re-show the form with why."""
    taken = signed_in().email
    cases = [
        ({"email": _email(), "password": "short", "password_confirm": "short"}, "at least 10"),
        ({"email": _email(), "password": PASSWORD, "password_confirm": PASSWORD + "x"}, "differ"),
        ({"email": "not-an-email", "password": PASSWORD, "password_confirm": PASSWORD}, "valid"),
        ({"email": taken, "password": PASSWORD, "password_confirm": PASSWORD}, "already exists"),
    ]
    for data, reason in cases:
        answer = visitor.submit("/signup", "/signup", data)
        assert answer.status_code == 400
        assert reason in answer.text


def test_log_in_and_out(signed_in: Callable[[], Visitor], dash_server: RunningServer) -> None:
    """A wrong password is refused; the right one signs in and returns to ``next``; sign-out
    ends the session."""
    account = signed_in()
    with Visitor(dash_server.base_url) as other:
        wrong = other.log_in(account.email, PASSWORD + "!")
        assert wrong.status_code == 400
        assert "do not match" in wrong.text
        page = other.get("/login?next=/keys")
        answer = other.post(
            "/login",
            data={
                "email": account.email.upper(),
                "password": PASSWORD,
                "next": "/keys",
                "csrf_token": csrf_token(page.text),
            },
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == "/keys"
        assert other.get("/keys").status_code == 200
        out = other.submit("/keys", "/logout", {})
        assert out.status_code == 303
        assert other.get("/keys").status_code == 303


def test_next_never_leaves_the_site(signed_in: Callable[[], Visitor], visitor: Visitor) -> None:
    """An absolute or protocol-relative ``next`` is replaced by the resumes page."""
    email = signed_in().email
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
    ):
        page = visitor.get("/login")
        answer = visitor.post(
            "/login",
            data={
                "email": email,
                "password": PASSWORD,
                "next": target,
                "csrf_token": csrf_token(page.text),
            },
        )
        assert answer.headers["location"] == "/resumes"


def test_accounts_without_a_password_cannot_sign_in(
    visitor: Visitor, dash_server: RunningServer
) -> None:
    """An admin-created account has no password until ``set-password``; then it signs in."""
    email = _email()
    account_id = _service_account(dash_server, email, None)
    assert visitor.log_in(email, "").status_code == 400
    assert visitor.log_in(email, PASSWORD).status_code == 400
    _service_account_password(dash_server, account_id, PASSWORD)
    assert visitor.log_in(email, PASSWORD).status_code == 303


def _service_account_password(server: RunningServer, account_id: str, password: str) -> None:
    async def run() -> None:
        engine = create_db_engine(server.settings)
        try:
            async with create_sessionmaker(engine)() as session:
                await set_password(session, account_id, password)
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_new_password_signs_out_other_sessions(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """Setting a new password invalidates every existing session cookie."""
    account = signed_in()
    account_id = _account_id(dash_server, account.email)
    assert account.get("/keys").status_code == 200
    _service_account_password(dash_server, account_id, "another long password")
    assert account.get("/keys").status_code == 303


def _account_id(server: RunningServer, email: str) -> str:
    async def run() -> str:
        engine = create_db_engine(server.settings)
        try:
            async with create_sessionmaker(engine)() as session:
                account = await find_account_by_email(session, email)
                assert account is not None
                return account.id
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_tampered_cookie_is_ignored(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """A session cookie whose content was changed no longer signs anyone in."""
    account, other = signed_in(), signed_in()
    payload, *signature = account.cookies[COOKIE_NAME].split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    other_payload = other.cookies[COOKIE_NAME].split(".")[0]
    other_data = json.loads(
        base64.urlsafe_b64decode(other_payload + "=" * (-len(other_payload) % 4))
    )
    data["account"] = other_data["account"]  # claim the other account, keep our signature
    forged = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
    account.cookies.clear()
    account.cookies.set(COOKIE_NAME, ".".join([forged.decode().rstrip("="), *signature]))
    assert account.get("/keys").status_code == 303


def test_posts_without_a_valid_csrf_token_are_refused(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """Missing, wrong or another session's token: 403 with a readable page, nothing done."""
    account = signed_in()
    with Visitor(dash_server.base_url) as stranger:
        foreign_token = csrf_token(stranger.get("/login").text)
    for token in (None, "", "not-the-token", foreign_token):
        data = {"name": "sneaky", "mode": "test"}
        if token is not None:
            data["csrf_token"] = token
        answer = account.post("/keys", data=data)
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html")
        assert "Request refused" in answer.text and "Reload the page" in answer.text
    assert "sneaky" not in account.get("/keys").text
    # Sign-in and sign-out forms are protected too.
    assert account.post("/logout").status_code == 403
    assert (
        account.post("/login", data={"email": account.email, "password": PASSWORD}).status_code
        == 403
    )


def test_csrf_header_is_accepted(signed_in: Callable[[], Visitor]) -> None:
    """htmx-style requests may carry the token in ``X-CSRF-Token`` instead of a field."""
    account = signed_in()
    token = csrf_token(account.get("/keys").text)
    answer = account.post(
        "/keys", data={"name": "via header", "mode": "test"}, headers={"X-CSRF-Token": token}
    )
    assert answer.status_code == 200
    assert "via header" in answer.text


def test_sign_in_is_throttled_per_email_and_per_address(tmp_path: Path) -> None:
    """After the per-email budget, even the right password waits; the address has a budget
    across emails."""
    with run_server(
        tmp_path / "data", login_attempts_per_email=3, login_attempts_per_address=6
    ) as server:
        with Visitor(server.base_url) as owner:
            owner.sign_up(_email(), PASSWORD)  # attempt 1 from this address
        with Visitor(server.base_url) as attacker:
            for _ in range(3):
                assert attacker.log_in(owner.email, "wrong password!").status_code == 400
            blocked = attacker.log_in(owner.email, PASSWORD)
            assert blocked.status_code == 429
            assert "Too many sign-in attempts" in blocked.text
            assert attacker.log_in(_email(), "whatever1234").status_code == 400  # attempt 6
            spent = attacker.log_in(_email(), "whatever1234")
            assert spent.status_code == 429
            assert "from your network" in spent.text


def test_api_errors_keep_their_json_shape(dash_server: RunningServer) -> None:
    """Unknown API routes and wrong methods still answer the API's JSON; other paths are HTML."""
    with httpx.Client(base_url=dash_server.base_url, timeout=60, limits=NO_KEEPALIVE) as client:
        missing = client.get("/api/v1/nothing-here", headers={"X-API-Key": "ft_test_x"})
        assert missing.json()["name"] == "invalid_api_key"
        no_key = client.get("/api/v1/nothing-here")
        assert no_key.json()["name"] == "missing_api_key"
        assert client.get("/files/nothing.pdf").json()["name"] == "not_found"
        assert client.get("/healthz").status_code == 200
        assert client.get("/openapi.json").json()["info"]["title"]
        page = client.get("/no-such-page")
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "Page not found" in page.text
