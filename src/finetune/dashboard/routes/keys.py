"""API keys: create (the secret is shown once), list masked, revoke."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from finetune.dashboard.auth import SignedIn, db_sessions, form_text, read_form
from finetune.dashboard.queries import find_key
from finetune.dashboard.rendering import redirect, render, sentence
from finetune.errors import ValidationError
from finetune.keys.service import create_key, display_prefix, list_keys, revoke_key
from finetune.models import Account

router = APIRouter()


async def _page(
    request: Request,
    account: Account,
    *,
    created: tuple[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    async with db_sessions(request)() as session:
        keys = await list_keys(session, account.id)
    rows = [{"key": key, "prefix": display_prefix(key)} for key in keys]
    context = {"keys": rows, "created": created, "error": error}
    return render(request, "keys.html", context, status=status)


@router.get("/keys")
async def keys_page(request: Request, account: SignedIn) -> Response:
    return await _page(request, account)


@router.post("/keys")
async def create(request: Request, account: SignedIn) -> Response:
    form = await read_form(request)
    try:
        async with db_sessions(request)() as session, session.begin():
            made = await create_key(
                session, account.id, form_text(form, "mode"), form_text(form, "name")
            )
    except ValidationError as error:
        return await _page(request, account, error=sentence(error.message), status=400)
    # Rendered straight away (no redirect): the secret must never be stored to show it later.
    return await _page(request, account, created=(made.key.name, made.secret))


@router.post("/keys/{key_id}/revoke")
async def revoke(request: Request, account: SignedIn, key_id: str) -> Response:
    async with db_sessions(request)() as session, session.begin():
        key = await find_key(session, account.id, key_id)
        await revoke_key(session, key.id)
    return redirect(request, "/keys")
