"""Sign up, sign in, sign out."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, Response

from finetune.accounts.service import authenticate, create_account, set_password
from finetune.dashboard.auth import Throttle, client_address, db_sessions, form_text, read_form
from finetune.dashboard.rendering import redirect, render, sentence
from finetune.dashboard.sessions import session_of
from finetune.errors import RateLimitExceeded, ValidationError

router = APIRouter()

HOME = "/resumes"
_LOCAL_PATH = re.compile(r"/[A-Za-z0-9/_.~%?=&+-]*")


def _safe_next(target: object) -> str:
    """Only paths on this site: ``next`` must never send anyone elsewhere (browsers drop tabs
    and newlines and read backslashes as slashes, so those are refused too)."""
    if isinstance(target, str) and _LOCAL_PATH.fullmatch(target) and not target.startswith("//"):
        return target
    return HOME


@router.get("/")
async def home(request: Request) -> Response:
    signed_in = session_of(request).account_id is not None
    return redirect(request, HOME if signed_in else "/login")


@router.get("/login")
async def login_page(request: Request, next: str = HOME) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login")
async def login(request: Request) -> Response:
    form = await read_form(request)
    email, password = form_text(form, "email").strip(), form_text(form, "password")
    next_path = _safe_next(form.get("next"))
    throttle: Throttle = request.app.state.throttle
    context = {"next": next_path, "email": email}
    try:
        await throttle.check_login(client_address(request), email)
    except RateLimitExceeded as error:
        return render(request, "login.html", {**context, "error": error.message}, status=429)
    async with db_sessions(request)() as session:
        account = await authenticate(session, email, password)
    if account is None:
        mismatch = "That email and password do not match an account."
        return render(request, "login.html", {**context, "error": mismatch}, status=400)
    await throttle.login_succeeded(email)
    session_of(request).log_in(account)
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
        await throttle.check_login(client_address(request), None)
        if password != confirm:
            raise ValidationError("the two passwords differ")
        async with db_sessions(request)() as session, session.begin():
            account = await create_account(session, email)
            account = await set_password(session, account.id, password)
    except (ValidationError, RateLimitExceeded) as error:
        context = {"email": email, "error": sentence(error.message)}
        return render(request, "signup.html", context, status=error.status)
    session_of(request).log_in(account)
    return redirect(request, "/base-resume")


@router.post("/logout")
async def logout(request: Request) -> Response:
    session_of(request).clear()
    return redirect(request, "/login")
