"""Sign-up, sign-in, sign-out, sessions, CSRF and sign-in throttling, through HTTP.

Visitors from different networks are told apart by ``X-Forwarded-For``, which the test server
trusts from loopback as a deployment trusts it from its proxy.
"""

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
from finetune.dashboard.sessions import COOKIE_NAME, KNOWN_COOKIE_NAME
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


def test_sign_up_then_sign_in_sets_secure_cookies(visitor: Visitor) -> None:
    """Sign-up leads to the sign-in page; signing in lands on the base resume with HttpOnly,
    SameSite=Lax session and known-browser cookies."""
    answer = visitor.sign_up(_email(), PASSWORD)
    assert answer.headers["location"] == "/base-resume"
    cookies = answer.headers.get_list("set-cookie")
    assert {cookie.split("=", 1)[0] for cookie in cookies} == {COOKIE_NAME, KNOWN_COOKIE_NAME}
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # the test server's public URL is plain http
    page = visitor.get("/usage")
    assert page.status_code == 200
    assert visitor.email in page.text


def test_sign_up_refuses_bad_input(visitor: Visitor) -> None:
    """Short passwords, differing passwords and bad emails re-show the form with why."""
    cases = [
        ({"email": _email(), "password": "short", "password_confirm": "short"}, "at least 10"),
        ({"email": _email(), "password": PASSWORD, "password_confirm": PASSWORD + "x"}, "differ"),
        ({"email": "not-an-email", "password": PASSWORD, "password_confirm": PASSWORD}, "valid"),
    ]
    for data, reason in cases:
        answer = visitor.submit("/signup", "/signup", data)
        assert answer.status_code == 400
        assert reason in answer.text


def _sign_up_answer(server: RunningServer, email: str, password: str) -> httpx.Response:
    with Visitor(server.base_url) as stranger:
        stranger.get("/signup")  # the session cookie (CSRF token) exists before the POST
        data = {"email": email, "password": password, "password_confirm": password}
        return stranger.submit("/signup", "/signup", data)


def test_sign_up_does_not_reveal_whether_an_email_has_an_account(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """A taken email and a free one get the same answer (status, headers, body, no session);
    the taken account keeps its password, and the one typed at sign-up does not sign in."""
    owner = signed_in()
    taken = _sign_up_answer(dash_server, owner.email.upper(), "an attacker's password")
    free = _sign_up_answer(dash_server, _email(), "a newcomer's password")
    for answer in (taken, free):
        assert answer.status_code == 303
        assert answer.headers["location"] == "/login?next=/base-resume&joined=1"
        assert "set-cookie" not in answer.headers
    assert taken.content == free.content
    assert sorted(taken.headers.keys()) == sorted(free.headers.keys())
    with Visitor(dash_server.base_url) as stranger:
        assert "If this email already had an account" in stranger.get(free.headers["location"]).text
        assert stranger.log_in(owner.email, "an attacker's password").status_code == 400
        assert stranger.log_in(owner.email, PASSWORD).status_code == 303
    # Bad input is refused alike, taken or not.
    short = {"password": "short", "password_confirm": "short"}
    with Visitor(dash_server.base_url) as stranger:
        refusals = [
            stranger.submit("/signup", "/signup", {"email": email, **short})
            for email in (owner.email, _email())
        ]
    assert [answer.status_code for answer in refusals] == [400, 400]
    assert all("at least 10" in answer.text for answer in refusals)


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


def test_tampered_cookie_is_ignored(signed_in: Callable[[], Visitor]) -> None:
    """A session cookie whose content was changed (another session's token, our signature)
    no longer signs anyone in."""
    account, other = signed_in(), signed_in()
    payload, *signature = account.cookies[COOKIE_NAME].split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    other_payload = other.cookies[COOKIE_NAME].split(".")[0]
    other_data = json.loads(
        base64.urlsafe_b64decode(other_payload + "=" * (-len(other_payload) % 4))
    )
    data["sid"] = other_data["sid"]  # claim the other session, keep our signature
    forged = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
    account.cookies.clear()
    account.cookies.set(COOKIE_NAME, ".".join([forged.decode().rstrip("="), *signature]))
    assert account.get("/keys").status_code == 303


def _stolen(visitor: Visitor, base_url: str) -> Visitor:
    """Another client carrying a copy of ``visitor``'s session cookie."""
    thief = Visitor(base_url)
    thief.cookies.set(COOKIE_NAME, visitor.cookies[COOKIE_NAME])
    return thief


def test_sign_out_ends_the_session_on_every_worker(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """A copy of the cookie works until sign-out, then not even on another server sharing the
    database: the session record is gone, whatever the cookie says."""
    owner = signed_in()
    with (
        run_server(dash_server.settings.data_dir) as second_worker,
        _stolen(owner, dash_server.base_url) as thief,
        _stolen(owner, second_worker.base_url) as other_thief,
    ):
        assert thief.get("/keys").status_code == 200
        assert other_thief.get("/keys").status_code == 200
        out = owner.submit("/keys", "/logout", {})
        assert out.status_code == 303
        assert owner.get("/keys").status_code == 303
        assert thief.get("/keys").status_code == 303
        assert other_thief.get("/keys").status_code == 303
        assert other_thief.get("/keys").headers["location"] == "/login?next=/keys"


def test_sign_out_everywhere_ends_every_session(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """ "Sign out everywhere" ends the account's other sessions too, not other accounts'."""
    owner, bystander = signed_in(), signed_in()
    with Visitor(dash_server.base_url) as laptop:
        assert laptop.log_in(owner.email, PASSWORD).status_code == 303
        assert laptop.get("/keys").status_code == 200
        out = owner.submit("/keys", "/logout", {"everywhere": "1"})
        assert out.status_code == 303
        assert laptop.get("/keys").status_code == 303
        assert owner.get("/keys").status_code == 303
    assert bystander.get("/keys").status_code == 200


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


def _guess_until_refused(base_url: str, email: str, address: str) -> httpx.Response:
    """Wrong passwords from ``address`` (a fresh browser) until the answer is not a 400."""
    with Visitor(base_url, address=address) as stranger:
        for _ in range(50):
            answer = stranger.log_in(email, "a wrong guess!")
            if answer.status_code != 400:
                return answer
    raise AssertionError("guessing was never throttled")


def test_strangers_guessing_from_many_addresses_cannot_lock_the_owner_out(
    tmp_path: Path,
) -> None:
    """The issue's attack: wrong passwords from several addresses. Each address is throttled
    (429 with Retry-After, even for the right password: no oracle), then the account refuses
    new browsers; but the owner's browser signs in with the right password, from a new address."""
    with (
        run_server(
            tmp_path / "data",
            login_attempts_per_address=1000,
            login_attempts_per_email_and_address=3,
            login_attempts_per_email=6,
        ) as server,
        Visitor(server.base_url, address="10.20.0.1") as owner,
    ):
        owner.sign_up(_email(), PASSWORD)
        assert owner.submit("/keys", "/logout", {}).status_code == 303
        for host in range(1, 4):
            refused = _guess_until_refused(server.base_url, owner.email, f"10.66.0.{host}")
            assert refused.status_code == 429, refused.text
            assert "Too many" in refused.text
            assert 1 <= int(refused.headers["retry-after"]) <= 86_400
        with Visitor(server.base_url, address="10.66.0.1") as throttled:
            assert throttled.log_in(owner.email, PASSWORD).status_code == 429
        with Visitor(server.base_url, address="10.66.0.200") as new_browser:
            refused = new_browser.log_in(owner.email, PASSWORD)
            assert refused.status_code == 429
            assert "A browser you signed in with before can still sign in" in refused.text
        # The owner's browser, now on another network (a new address), still gets in.
        owner.headers["X-Forwarded-For"] = "10.20.0.99"
        assert owner.log_in(owner.email, PASSWORD).status_code == 303
        assert owner.get("/keys").status_code == 200


def test_the_right_password_from_a_new_address_works_while_another_is_throttled(
    tmp_path: Path,
) -> None:
    """Guessing from one address never refuses the account at another address, even in a
    browser that never signed in to it; a correct password there works at once."""
    with run_server(
        tmp_path / "data", login_attempts_per_address=1000, login_attempts_per_email_and_address=3
    ) as server:
        email = _email()
        with Visitor(server.base_url, address="10.30.0.1") as owner:
            owner.sign_up(email, PASSWORD)
        assert _guess_until_refused(server.base_url, email, "10.77.0.1").status_code == 429
        with Visitor(server.base_url, address="10.30.0.2") as fresh_browser:
            assert fresh_browser.log_in(email, PASSWORD).status_code == 303


def test_one_address_has_a_budget_across_emails(tmp_path: Path) -> None:
    """An address spreading attempts over many emails (or sign-ups) is throttled as a whole."""
    with (
        run_server(tmp_path / "data", login_attempts_per_address=4) as server,
        Visitor(server.base_url, address="10.40.0.1") as visitor,
    ):
        for _ in range(4):
            assert visitor.log_in(_email(), "whatever1234").status_code == 400
        spent = visitor.log_in(_email(), "whatever1234")
        assert spent.status_code == 429
        assert "from your network" in spent.text
        assert int(spent.headers["retry-after"]) <= 60


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
