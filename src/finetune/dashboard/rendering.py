"""Jinja2 templates and the page helpers every dashboard route uses."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from finetune.dashboard.resume_form import item_title
from finetune.dashboard.sessions import session_of
from finetune.models import Account

PACKAGE_DIR = Path(__file__).parent
STATIC_DIR = PACKAGE_DIR / "static"


def _when(moment: datetime | None) -> str:
    """A UTC time as people read it, e.g. ``2026-02-21 10:30 UTC``."""
    return "never" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _change_text(value: object) -> str:
    """A change's original or new value: text, a list of words, or nothing."""
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(value)


_FIELD_NAMES = {"summary": "description", "content": "text", "items": "order"}


def _change_label(path: str, resume_data: dict[str, Any] | None) -> str:
    """``sections.experience.items.<id>.summary`` as ``Experience › Acme › description``."""
    parts = path.split(".")
    if parts[0] == "basics" and len(parts) == 2:
        return f"Basics › {parts[1]}"
    if parts[0] != "sections" or len(parts) < 3:
        return path
    section = ((resume_data or {}).get("sections") or {}).get(parts[1]) or {}
    label = [str(section.get("name") or parts[1].title())]
    if len(parts) >= 5 and parts[2] == "items":
        items: list[dict[str, Any]] = section.get("items", [])
        item = next((entry for entry in items if entry.get("id") == parts[3]), {})
        label += [item_title(item), _FIELD_NAMES.get(parts[4], parts[4])]
    else:
        label.append(_FIELD_NAMES.get(parts[2], parts[2]))
    return " › ".join(label)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["change_text"] = _change_text
    env.globals["change_label"] = _change_label
    return env


templates = Jinja2Templates(env=_environment())


def is_htmx(request: Request) -> bool:
    """True for requests htmx sent (they get fragments instead of whole pages)."""
    return request.headers.get("hx-request") == "true"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """A page (or fragment) with the session's CSRF token and the signed-in account."""
    account = getattr(request.state, "account", None)
    values = {
        "csrf_token": session_of(request).csrf_token,
        "account": account if isinstance(account, Account) else None,
        "path": request.url.path,
        **(context or {}),
    }
    response: HTMLResponse = templates.TemplateResponse(
        request, template, values, status_code=status
    )
    return response


def error_page(status: int, title: str, message: str) -> HTMLResponse:
    """A standalone error page (no request needed: also used below the routing layer)."""
    body = templates.get_template("error.html").render(
        title=title, message=message, status=status, account=None, path=""
    )
    return HTMLResponse(body, status_code=status)


def redirect(request: Request, url: str) -> Response:
    """Go to ``url`` after a form post: a 303, or ``HX-Redirect`` for htmx."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def sentence(message: str) -> str:
    """A service's error message (``"name must be …"``) as a sentence for a page."""
    message = message.strip()
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
