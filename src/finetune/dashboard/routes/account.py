"""Sign up, sign in, sign out.

Sign-up answers the same whether or not the email already has an account: it never signs in,
and sends everyone to the sign-in page with the same notice (docs/dashboard.md).
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import IntegrityError

from finetune.accounts.service import authenticate, register_account
from finetune.dashboard.auth import client_address, db_sessions, form_text, read_form
from finetune.dashboard.rendering import redirect, render, sentence
from finetune.dashboard.sessions import (
    end_all_sessions,
    end_session,
    session_account,
    session_of,
    start_session,
)
from finetune.dashboard.throttle import Throttle
from finetune.errors import RateLimitExceeded, ValidationError

router = APIRouter()

HOME = "/resumes"
AFTER_SIGN_UP = "/login?next=/base-resume&joined=1"
JOINED_NOTICE = (
    "Now sign in with your email and the password you just chose. If this email already had "
    "an account, that account is unchanged: sign in with its existing password."
)
_LOCAL_PATH = re.compile(r"/[A-Za-z0-9/_.~%?=&+-]*")


def _safe_next(target: object) -> str:
    """Only paths on this site: ``next`` must never send anyone elsewhere (browsers drop tabs
    and newlines and read backslashes as slashes, so those are refused too)."""
    if isinstance(target, str) and _LOCAL_PATH.fullmatch(target) and not target.startswith("//"):
        return target
    return HOME


@router.get("/")
async def home(request: Request) -> Response:
    signed_in = session_of(request).token is not None
    return redirect(request, HOME if signed_in else "/login")


@router.get("/login")
async def login_page(request: Request, next: str = HOME, joined: str | None = None) -> Response:
    context = {"next": _safe_next(next), "email": ""}
    if joined is not None:
        context["notice"] = JOINED_NOTICE
    return render(request, "login.html", context)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await read_form(request)
    email, password = form_text(form, "email").strip(), form_text(form, "password")
    next_path = _safe_next(form.get("next"))
    throttle: Throttle = request.app.state.throttle
    address = client_address(request)
    session = session_of(request)
    context = {"next": next_path, "email": email}
    try:
        await throttle.check_sign_in(address, email, known_browser=session.knows(email))
    except RateLimitExceeded as error:
        page = render(request, "login.html", {**context, "error": error.message}, status=429)
        page.headers.update(error.headers)
        return page
    async with db_sessions(request)() as db:
        account = await authenticate(db, email, password)
    if account is None:
        mismatch = "That email and password do not match an account."
        return render(request, "login.html", {**context, "error": mismatch}, status=400)
    await throttle.sign_in_succeeded(address, email)
    async with db_sessions(request)() as db, db.begin():
        token = await start_session(db, account)
    session.log_in(token)
    session.remember(email)
    return redirect(request, next_path)


@router.get("/signup")
async def signup_page(request: Request) -> Response:
    return render(request, "signup.html", {"email": ""})


@router.post("/signup")
async def signup(request: Request) -> Response:
    form = await read_form(request)
    email = form_text(form, "email").strip()
    password, confirm = form_text(form, "password"), form_text(form, "password_confirm")
    throttle: Throttle = request.app.state.throttle
    try:
        await throttle.check_address(client_address(request))
        if password != confirm:
            raise ValidationError("the two passwords differ")
        async with db_sessions(request)() as db, db.begin():
            await register_account(db, email, password)
    except IntegrityError:
        pass  # a concurrent sign-up took the address: the same answer as any taken one
    except (ValidationError, RateLimitExceeded) as error:
        context = {"email": email, "error": sentence(error.message)}
        return render(request, "signup.html", context, status=error.status)
    return redirect(request, AFTER_SIGN_UP)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End this session on the server (a copied cookie stops working too); with
    ``everywhere``, every session of the account."""
    session = session_of(request)
    form = await read_form(request)
    if session.token is not None:
        async with db_sessions(request)() as db, db.begin():
            account = await session_account(db, session.token)
            if account is not None and form_text(form, "everywhere"):
                await end_all_sessions(db, account.id)
            await end_session(db, session.token)
    session.clear()
    return redirect(request, "/login")
