"""The dashboard sub-application and the mount that sends it every path the API does not own.

The API keeps its routes, its JSON errors and its gate; the dashboard gets its own HTML errors,
session cookies, CSRF check and body limits, so neither changes the other's behaviour.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finetune.api.gate import is_gated
from finetune.api.limits import body_limit, check_declared_length, read_body
from finetune.dashboard.auth import LoginRequired, require_csrf
from finetune.dashboard.rendering import STATIC_DIR, error_page, is_htmx
from finetune.dashboard.routes import account, base_resume, keys, resumes, try_it, usage
from finetune.dashboard.sessions import SessionCookies
from finetune.dashboard.throttle import Throttle
from finetune.errors import FinetuneError

logger = logging.getLogger("finetune.dashboard")

_TITLES = {
    400: "That did not work",
    403: "Request refused",
    404: "Page not found",
    405: "Not allowed",
    413: "Too large",
    429: "Slow down",
}
# Everything is served by us; frames only for our own PDF previews.
_SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'self'; "
        "frame-ancestors 'self'; form-action 'self'; base-uri 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",
}


def _page_for(status: int, message: str) -> HTMLResponse:
    return error_page(status, _TITLES.get(status, "Something went wrong"), message)


async def _finetune_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FinetuneError)
    response = _page_for(exc.status, exc.message)
    response.headers.update(exc.headers)
    return response


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    target = "/login" if exc.next_path == "/" else f"/login?next={quote(exc.next_path)}"
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return Response(status_code=303, headers={"Location": target})


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {404: "There is no page at this address.", 405: "This page cannot do that."}
    message = messages.get(exc.status_code, str(exc.detail))
    response = _page_for(exc.status_code, message)
    response.headers.update(dict(exc.headers or {}))
    return response


async def _bad_request(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return _page_for(400, "The address or form had a value this page cannot use.")


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled dashboard error on %s %s", request.method, request.url.path)
    return _page_for(500, "Something went wrong on our side. Please try again.")


class _Guard:
    """Security headers on every answer; bodies over the limit refused before parsing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send_secured)
            return
        headers = Headers(scope=scope)
        limit = body_limit(headers.get("content-type", ""))
        try:
            check_declared_length(headers.get("content-length"), limit)
            body, disconnected = await read_body(receive, limit)
        except FinetuneError as error:
            await _page_for(error.status, error.message)(scope, receive, send_secured)
            return
        pending: list[MutableMapping[str, Any]] = [
            {"type": "http.request", "body": body, "more_body": False}
        ]
        if disconnected:
            pending.append({"type": "http.disconnect"})

        async def replay() -> MutableMapping[str, Any]:
            return pending.pop(0) if pending else await receive()

        await self.app(scope, replay, send_secured)


def create_dashboard(api: FastAPI) -> FastAPI:
    """The dashboard, sharing the API app's settings, database and tailoring engine."""
    settings = api.state.settings
    dashboard = FastAPI(
        openapi_url=None, docs_url=None, redoc_url=None, dependencies=[Depends(require_csrf)]
    )
    dashboard.state.api = api
    dashboard.state.settings = settings
    dashboard.state.sessionmaker = api.state.sessionmaker
    dashboard.state.throttle = Throttle(settings, api.state.sessionmaker)
    for module in (account, usage, base_resume, keys, resumes, try_it):
        dashboard.include_router(module.router)
    dashboard.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    dashboard.add_exception_handler(LoginRequired, _login_required)
    dashboard.add_exception_handler(FinetuneError, _finetune_error)
    dashboard.add_exception_handler(StarletteHTTPException, _http_error)
    dashboard.add_exception_handler(RequestValidationError, _bad_request)
    dashboard.add_exception_handler(Exception, _unexpected)
    dashboard.add_middleware(SessionCookies, sessionmaker=api.state.sessionmaker, settings=settings)
    dashboard.add_middleware(_Guard)
    return dashboard


class DashboardMount:
    """ASGI middleware for the API app: paths it does not route go to the dashboard.

    ``/api/v1`` and ``/files/`` always stay with the API (its 404/405 JSON answers included);
    elsewhere any API route that matches the path, even by path alone, keeps it.
    """

    def __init__(self, app: ASGIApp, *, api: FastAPI) -> None:
        self.app = app
        self.api = api
        self.dashboard = create_dashboard(api)

    def _api_owns(self, scope: Scope) -> bool:
        if is_gated(scope["path"]):
            return True
        return any(route.matches(scope)[0] != Match.NONE for route in self.api.router.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._api_owns(scope):
            await self.dashboard(scope, receive, send)
            return
        await self.app(scope, receive, send)
