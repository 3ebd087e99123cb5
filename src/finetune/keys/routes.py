"""``GET /api/v1/api-keys``: the account's keys, secrets masked. Read-only by design: a leaked
key must not be able to mint or revoke keys (the CLI and the dashboard do that)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from finetune.api.auth import Auth
from finetune.api.deps import DbSession
from finetune.api.errors import RATE_LIMIT_HEADERS, error_responses
from finetune.api.ids import format_optional_time, format_time
from finetune.keys.service import display_prefix, list_keys
from finetune.models import ApiKey as ApiKeyRow

router = APIRouter(tags=["api keys"])


class ApiKeyOut(BaseModel):
    object: Literal["api_key"] = "api_key"
    id: str
    name: str
    prefix: str
    mode: Literal["live", "test"]
    livemode: bool
    created_at: str
    last_used_at: str | None
    revoked_at: str | None

    @classmethod
    def of(cls, key: ApiKeyRow) -> ApiKeyOut:
        return cls(
            id=key.id,
            name=key.name,
            prefix=display_prefix(key),
            mode="live" if key.mode == "live" else "test",
            livemode=key.mode == "live",
            created_at=format_time(key.created_at),
            last_used_at=format_optional_time(key.last_used_at),
            revoked_at=format_optional_time(key.revoked_at),
        )


class ApiKeyList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ApiKeyOut]
    has_more: bool


@router.get(
    "/api-keys",
    response_model=ApiKeyList,
    summary="List the account's API keys (secrets masked)",
    responses={200: {"headers": RATE_LIMIT_HEADERS}, **error_responses()},
)
async def get_api_keys(auth: Auth, session: DbSession) -> ApiKeyList:
    """Both modes (marked by ``mode``/``livemode``), revoked keys included with ``revoked_at``,
    newest first. Always one page: an account has few keys."""
    keys = await list_keys(session, auth.account_id)
    return ApiKeyList(data=[ApiKeyOut.of(key) for key in keys], has_more=False)
