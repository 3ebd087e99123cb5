"""Errors that carry their own API name and HTTP status.

Services raise these; one handler at the edge renders them as
``{"object": "error", "name", "message", "status"}``. Pure modules raise them too
(a bad resume file is a ``ValidationError`` for the CLI and the API alike).
"""

from __future__ import annotations


class FinetuneError(Exception):
    name = "internal_server_error"
    status = 500

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}

    def to_dict(self) -> dict[str, object]:
        return {
            "object": "error",
            "name": self.name,
            "message": self.message,
            "status": self.status,
        }


class ValidationError(FinetuneError):
    name = "validation_error"
    status = 400


class IdempotencyError(FinetuneError):
    name = "idempotency_error"
    status = 400


class MissingApiKey(FinetuneError):
    name = "missing_api_key"
    status = 401


class InvalidApiKey(FinetuneError):
    name = "invalid_api_key"
    status = 403


class NotFound(FinetuneError):
    name = "not_found"
    status = 404


class MethodNotAllowed(FinetuneError):
    name = "method_not_allowed"
    status = 405


class IdempotencyKeyInUse(FinetuneError):
    name = "idempotency_key_in_use"
    status = 409


class PayloadTooLarge(FinetuneError):
    name = "payload_too_large"
    status = 413


class RateLimitExceeded(FinetuneError):
    name = "rate_limit_exceeded"
    status = 429


class CreditLimitExceeded(FinetuneError):
    name = "credit_limit_exceeded"
    status = 429


class ServiceUnavailable(FinetuneError):
    name = "service_unavailable"
    status = 503
