"""Exceptions of the client: one class per error ``name`` the API answers, plus transport errors.

Every :class:`APIError` carries the answer's ``status``, ``name``, ``message`` and ``headers``
(``Retry-After``, the ``ratelimit-*`` headers), so a caller can tell a rate limit from an empty
credit balance without reading strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import httpx


class FinetuneClientError(Exception):
    """Base of everything this client raises."""


class APIConnectionError(FinetuneClientError):
    """No answer: the server could not be reached, the connection broke, or it timed out."""


class UnexpectedResponse(FinetuneClientError):
    """A success status whose body is not the object the API documents."""


class APIError(FinetuneClientError):
    """The server answered with an error object ``{"object": "error", name, message, status}``."""

    name: str = "api_error"

    def __init__(
        self, message: str, *, status: int, name: str | None = None, headers: Mapping[str, str]
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        if name is not None:
            self.name = name
        self.headers: Mapping[str, str] = headers

    def __str__(self) -> str:
        return f"{self.name} ({self.status}): {self.message}"


class ValidationError(APIError):
    name = "validation_error"


class IdempotencyError(APIError):
    """The Idempotency-Key was already used with a different request."""

    name = "idempotency_error"


class AuthenticationError(APIError):
    """No API key was sent (``missing_api_key``)."""

    name = "missing_api_key"


class PermissionDenied(APIError):
    """The API key is malformed, unknown or revoked (``invalid_api_key``)."""

    name = "invalid_api_key"


InvalidApiKey = PermissionDenied


class NotFound(APIError):
    name = "not_found"


class MethodNotAllowed(APIError):
    name = "method_not_allowed"


class IdempotencyKeyInUse(APIError):
    """A request with the same Idempotency-Key is still running (retried automatically)."""

    name = "idempotency_key_in_use"


class PayloadTooLarge(APIError):
    name = "payload_too_large"


class RateLimitExceeded(APIError):
    """Too many requests this minute (retried automatically, within the retry budget)."""

    name = "rate_limit_exceeded"


class CreditLimitExceeded(APIError):
    """Not enough credits until the billing cycle ends (never retried)."""

    name = "credit_limit_exceeded"


class InternalServerError(APIError):
    name = "internal_server_error"


class ServiceUnavailable(APIError):
    name = "service_unavailable"


_BY_NAME: dict[str, type[APIError]] = {
    cls.name: cls
    for cls in (
        ValidationError,
        IdempotencyError,
        AuthenticationError,
        PermissionDenied,
        NotFound,
        MethodNotAllowed,
        IdempotencyKeyInUse,
        PayloadTooLarge,
        RateLimitExceeded,
        CreditLimitExceeded,
        InternalServerError,
        ServiceUnavailable,
    )
}

# For answers that are not our error object (a proxy's 502 page, say).
_BY_STATUS: dict[int, type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    405: MethodNotAllowed,
    409: IdempotencyKeyInUse,
    413: PayloadTooLarge,
    429: RateLimitExceeded,
    500: InternalServerError,
    502: ServiceUnavailable,
    503: ServiceUnavailable,
    504: ServiceUnavailable,
}


def error_from_response(response: httpx.Response) -> APIError:
    """The exception for an error answer: by its ``name``, else by its status."""
    name = message = None
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("object") == "error":
        name = body.get("name") if isinstance(body.get("name"), str) else None
        message = body.get("message") if isinstance(body.get("message"), str) else None
    status = response.status_code
    cls = _BY_NAME.get(name or "") or _BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIError
    if message is None:
        message = f"HTTP {status} {response.reason_phrase}".strip()
    return cls(message, status=status, name=name or f"http_{status}", headers=response.headers)
