"""Request bodies: size limits enforced while reading, and text the database can store.

The body is read in full before the application sees it (it is at most a few megabytes), so
a chunked upload without ``Content-Length`` is cut off as soon as it crosses the limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from finetune.documents.json_input import loads_bounded
from finetune.errors import PayloadTooLarge, ValidationError

JSON_LIMIT = 1024 * 1024  # 1 MiB
UPLOAD_LIMIT = 5_000_000  # 5 MB

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]


def body_limit(content_type: str) -> int:
    """The byte limit for a request with this ``Content-Type``."""
    return UPLOAD_LIMIT if content_type.lower().startswith("multipart/") else JSON_LIMIT


def _too_large(limit: int) -> PayloadTooLarge:
    if limit == UPLOAD_LIMIT:
        return PayloadTooLarge("uploads are limited to 5 MB")
    return PayloadTooLarge("request bodies are limited to 1 MiB")


def check_declared_length(content_length: str | None, limit: int) -> None:
    """Refuse early when ``Content-Length`` already says the body is too big."""
    if content_length is None:
        return
    try:
        declared = int(content_length)
    except ValueError as exc:
        raise ValidationError("Content-Length must be an integer") from exc
    if declared > limit:
        raise _too_large(limit)


async def read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """Read the whole body; returns it and whether the client disconnected meanwhile."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


def is_json_content(content_type: str) -> bool:
    """True for JSON media types, and for no type at all (FastAPI then parses JSON too)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "" or media == "application/json" or media.endswith("+json")


def check_json_text(body: bytes) -> None:
    """Refuse JSON whose strings hold NUL characters or lone surrogates.

    Neither can be stored as text (PostgreSQL rejects NUL; UTF-8 cannot encode a lone
    surrogate), so they are a ``validation_error`` here rather than a failure later. So is
    nesting deeper than the routes' parsers can walk. Invalid JSON is left for the route's own
    parser to report.
    """
    if not body.strip():
        return
    try:
        document = loads_bounded(body)
    except UnicodeDecodeError as exc:
        # Named here: FastAPI's own parser would only say "error parsing the body".
        raise ValidationError("request body is not valid JSON: it is not valid UTF-8") from exc
    except ValueError:
        return
    problem = _find_bad_text(document, "")
    if problem is not None:
        raise ValidationError(problem)


def _bad_text_reason(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains invalid unicode (a lone surrogate)"
    return None


def _find_bad_text(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        reason = _bad_text_reason(value)
        return f"{path or 'request body'} {reason}" if reason else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_bad_text(item, f"{path}[{index}]")
            if found:
                return found
    if isinstance(value, dict):
        for key, item in value.items():
            key_reason = _bad_text_reason(key)
            if key_reason:
                return f"a field name {key_reason}"
            found = _find_bad_text(item, f"{path}.{key}" if path else key)
            if found:
                return found
    return None
