"""Who is calling: the :class:`AuthContext` the gate resolves from ``X-API-Key``.

Routes declare ``auth: Auth`` (or depend on :func:`require_auth`) to receive it, which also
marks them in the OpenAPI document as needing the ``ApiKeyAuth`` scheme, so Swagger UI's
"Authorize" and generated clients send the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from finetune.errors import MissingApiKey


@dataclass(frozen=True)
class AuthContext:
    account_id: str
    key_id: str
    livemode: bool
    plan: str
    rate_limit: int  # requests per minute for this account and mode
    rate_limit_remaining: int  # after this request
    rate_limit_reset: int  # Unix seconds


API_KEY_SCHEME = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKeyAuth",
    description="A live (`ft_live_…`) or test (`ft_test_…`) key.",
    auto_error=False,  # the gate has already checked it, with our own error bodies
)


def require_auth(
    request: Request, _documented: Annotated[str | None, Security(API_KEY_SCHEME)]
) -> AuthContext:
    """The caller's identity, resolved by the gate before the route runs."""
    auth = getattr(request.state, "auth", None)
    if not isinstance(auth, AuthContext):
        # The gate answers 401 itself; reaching here means a route outside its prefixes.
        raise MissingApiKey("an X-API-Key header is required")
    return auth


Auth = Annotated[AuthContext, Depends(require_auth)]
