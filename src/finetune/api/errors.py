"""One error shape for every failure: ``{"object": "error", "name", "message", "status"}``.

Also the OpenAPI description of that shape (:func:`error_responses`) so every route documents
its errors and the rate-limit headers, and the translation of Pydantic's errors into one
message that names the offending field.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from finetune.errors import (
    FinetuneError,
    InvalidApiKey,
    MethodNotAllowed,
    MissingApiKey,
    NotFound,
    PayloadTooLarge,
    RateLimitExceeded,
    ValidationError,
)

logger = logging.getLogger("finetune.api")


class ErrorBody(BaseModel):
    """Every error response."""

    object: Literal["error"] = "error"
    name: str
    message: str
    status: int


RATE_LIMIT_HEADERS: dict[str, Any] = {
    "ratelimit-limit": {
        "description": "Requests allowed per minute for this key's plan (or per address).",
        "schema": {"type": "integer"},
    },
    "ratelimit-remaining": {
        "description": "Requests left in the current window, never negative.",
        "schema": {"type": "integer"},
    },
    "ratelimit-reset": {
        "description": "Unix time (seconds) when the current window ends.",
        "schema": {"type": "integer"},
    },
}

_ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "validation_error (or idempotency_error): the message names the field",
    401: "missing_api_key: no X-API-Key header",
    403: "invalid_api_key: the key is malformed, unknown or revoked",
    404: "not_found",
    405: "method_not_allowed (with an Allow header)",
    409: "idempotency_key_in_use (with Retry-After)",
    413: "payload_too_large: JSON bodies over 1 MiB, uploads over 5 MB or past the import limits",
    429: "rate_limit_exceeded or credit_limit_exceeded (with Retry-After)",
    500: "internal_server_error",
    503: "service_unavailable (with Retry-After)",
}

# Errors any authenticated route can answer, whatever it does.
COMMON_ERRORS = (400, 401, 403, 404, 413, 429, 500)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` value documenting the given error statuses (plus the common ones)."""
    wanted = sorted(set(statuses) | set(COMMON_ERRORS))
    responses: dict[int | str, dict[str, Any]] = {}
    for status in wanted:
        headers = dict(RATE_LIMIT_HEADERS)
        if status in (409, 429, 503):
            headers["Retry-After"] = {
                "description": "Seconds to wait before retrying.",
                "schema": {"type": "integer"},
            }
        if status == 405:
            headers["Allow"] = {"description": "Allowed methods.", "schema": {"type": "string"}}
        responses[status] = {
            "model": ErrorBody,
            "description": _ERROR_DESCRIPTIONS[status],
            "headers": headers,
        }
    return responses


def error_response(error: FinetuneError) -> JSONResponse:
    """Render a :class:`FinetuneError` with its status and headers."""
    return JSONResponse(error.to_dict(), status_code=error.status, headers=error.headers)


def _field_path(loc: Sequence[int | str]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def validation_message(errors: Iterable[Mapping[str, Any]]) -> str:
    """One readable message for the first of Pydantic's errors, naming the field."""
    for error in errors:
        return _describe(error)
    return "invalid request"


def _describe(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    field = _field_path(error.get("loc", ()))
    if kind == "json_invalid":
        return "request body is not valid JSON"
    if not field:
        if kind in ("missing",):
            return "request body is required"
        if kind in ("model_attributes_type", "dict_type", "model_type"):
            return "request body must be a JSON object"
        return f"request body: {error.get('msg', 'invalid')}"
    simple = {
        "missing": f"{field} is required",
        "extra_forbidden": f"unknown field: {field}",
        "bool_type": f"{field} must be a boolean",
        "bool_parsing": f"{field} must be a boolean",
        "string_type": f"{field} must be a string",
        "int_type": f"{field} must be an integer",
        "int_parsing": f"{field} must be an integer",
        "int_from_float": f"{field} must be an integer",
        "float_type": f"{field} must be a number",
        "float_parsing": f"{field} must be a number",
        "list_type": f"{field} must be an array",
        "dict_type": f"{field} must be an object",
        "model_type": f"{field} must be an object",
        "model_attributes_type": f"{field} must be an object",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return f"{field} must not be empty"
        return f"{field} must be at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        return f"{field} must be at most {ctx.get('max_length')} characters"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{field} {error.get('msg', 'is out of range').lower()}"
    if kind in ("literal_error", "enum"):
        return f"{field} must be one of {ctx.get('expected')}"
    if kind == "value_error":
        return f"{field}: {ctx.get('error', error.get('msg', 'invalid'))!s}"
    return f"{field}: {error.get('msg', 'invalid value')}"


async def _finetune_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FinetuneError)
    if exc.status >= 500:
        logger.error("%s: %s", exc.name, exc.message)
    return error_response(exc)


async def _request_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(ValidationError(validation_message(exc.errors())))


_HTTP_ERRORS: dict[int, type[FinetuneError]] = {
    401: MissingApiKey,
    403: InvalidApiKey,
    404: NotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
    429: RateLimitExceeded,
}


_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _allowed_methods(request: Request) -> str:
    """The methods documented for the most specific path template matching this path.

    Starlette's own ``Allow`` names only the first route that matches the path, so a path
    served by two routes (``GET`` and ``PUT /base-resume``) would advertise just one of them.
    A literal template (``/resumes/generate``) wins over a parameterised one
    (``/resumes/{resume_id}``), as it does in routing.
    """
    best: tuple[int, dict[str, Any]] | None = None
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            parameters = template.count("{")
            if best is None or parameters < best[0]:
                best = (parameters, operations)
    if best is None:
        return ""
    return ", ".join(method.upper() for method in best[1] if method in _OPERATIONS)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    error_class = _HTTP_ERRORS.get(exc.status_code)
    headers = dict(exc.headers or {})
    if error_class is NotFound:
        error: FinetuneError = NotFound("no such route", headers=headers)
    elif error_class is MethodNotAllowed:
        allowed = _allowed_methods(request) or headers.get("Allow", "")
        headers["Allow"] = allowed
        error = MethodNotAllowed(f"method not allowed; allowed: {allowed}", headers=headers)
    elif error_class is not None:
        error = error_class(str(exc.detail), headers=headers)
    elif exc.status_code < 500:
        error = ValidationError(str(exc.detail), headers=headers)
    else:
        error = FinetuneError("internal server error", headers=headers)
    return error_response(error)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(FinetuneError("internal server error"))


def install_error_handlers(app: FastAPI) -> None:
    """Render every failure, expected or not, in the one error shape."""
    app.add_exception_handler(FinetuneError, _finetune_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


def drop_framework_422(document: dict[str, Any]) -> dict[str, Any]:
    """Remove FastAPI's 422 responses and schemas: bad input is our 400 ``validation_error``."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("422", None)
    schemas = document.get("components", {}).get("schemas", {})
    text = json.dumps(document.get("paths", {}))
    for name in ("HTTPValidationError", "ValidationError"):
        if f"#/components/schemas/{name}" not in text:
            schemas.pop(name, None)
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve an OpenAPI document that shows our errors instead of FastAPI's 422."""
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = drop_framework_422(default_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
