"""Each API operation as a :class:`Call`: what to send and how to read the answer.

The synchronous and the asynchronous client differ only in how they send a call, so everything
about the API itself (paths, bodies, Idempotency-Keys, parsing) lives here once.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from finetune import __version__
from finetune.client.errors import UnexpectedResponse
from finetune.client.models import (
    ApiKey,
    BaseResume,
    BaseResumeImported,
    ExportFormat,
    FinetuneLevel,
    GeneratedResume,
    Page,
    Resume,
    ResumeDeleted,
    ResumeListItem,
    ResumePdf,
    Usage,
)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
API_PREFIX = "/api/v1"
# Generation may wait on an LLM that retries; a short read timeout would only abandon it.
DEFAULT_TIMEOUT = httpx.Timeout(300.0, connect=10.0)
USER_AGENT = f"finetune-python/{__version__}"

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def server_root(base_url: str | None) -> str:
    """The server's root URL from an argument, ``FINETUNE_BASE_URL`` or the default.

    The API document gives its base URL with ``/api/v1``; both forms are accepted.
    """
    url = (base_url or os.environ.get("FINETUNE_BASE_URL") or DEFAULT_BASE_URL).strip()
    url = url.rstrip("/")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"base URL must start with http:// or https://, got {url!r}")
    return url


def api_key_from(api_key: str | None) -> str | None:
    """The key from an argument or ``FINETUNE_API_KEY``; ``None`` sends no key at all, and the
    server answers ``missing_api_key`` as it would to anyone."""
    key = api_key if api_key is not None else os.environ.get("FINETUNE_API_KEY", "")
    return key.strip() or None


def default_headers(api_key: str | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if api_key:
        headers["X-API-Key"] = api_key
    return headers


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request: ``path`` is relative to the server root."""

    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    params: Mapping[str, str | int] | None = None
    json: Any = None
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def request_arguments(call: Call[Any], root: str, headers: Mapping[str, str]) -> dict[str, Any]:
    """``call`` as keyword arguments of ``httpx.Client.request`` (and its async twin)."""
    arguments: dict[str, Any] = {
        "method": call.method,
        "url": root + call.path,
        "headers": {**headers, **call.headers},
    }
    if call.params:
        arguments["params"] = call.params
    if call.json is not None:
        arguments["json"] = call.json
    if call.files is not None:
        arguments["files"] = call.files
    return arguments


def _segment(value: str) -> str:
    """An id as one path segment, so no id can reach another route."""
    if not value:
        raise ValueError("an id must not be empty")
    if value.strip(".") == "":  # "." and ".." would be resolved away as path steps
        return value.replace(".", "%2E")
    return quote(value, safe="")


def _model(model: type[M]) -> Callable[[httpx.Response], M]:
    def parse(response: httpx.Response) -> M:
        try:
            return model.model_validate_json(response.content)
        except PydanticValidationError as exc:
            raise UnexpectedResponse(
                f"{response.request.method} {response.request.url.path}: the answer is not a "
                f"{model.__name__}: {exc.errors(include_url=False)[:1]}"
            ) from exc

    return parse


def _content(response: httpx.Response) -> bytes:
    return response.content


def _idempotency(key: str | None) -> dict[str, str]:
    # One key per call, reused by every retry of it: the server then runs the work once.
    return {"Idempotency-Key": key or str(uuid.uuid4())}


def generate(
    *,
    job_description: str,
    company_name: str,
    position: str,
    finetune_level: FinetuneLevel,
    include_pdf: bool,
    idempotency_key: str | None,
) -> Call[GeneratedResume]:
    body = {
        "job_description": job_description,
        "company_name": company_name,
        "position": position,
        "finetune_level": finetune_level,
        "include_pdf": include_pdf,
    }
    return Call(
        "POST",
        f"{API_PREFIX}/resumes/generate",
        _model(GeneratedResume),
        json=body,
        headers=_idempotency(idempotency_key),
    )


def list_resumes(
    limit: int | None, after: str | None, before: str | None
) -> Call[Page[ResumeListItem]]:
    params: dict[str, str | int] = {}
    if limit is not None:
        params["limit"] = limit
    if after is not None:
        params["after"] = after
    if before is not None:
        params["before"] = before
    return Call("GET", f"{API_PREFIX}/resumes", _model(Page[ResumeListItem]), params=params)


def get_resume(resume_id: str) -> Call[Resume]:
    return Call("GET", f"{API_PREFIX}/resumes/{_segment(resume_id)}", _model(Resume))


def render_pdf(resume_id: str, idempotency_key: str | None) -> Call[ResumePdf]:
    return Call(
        "POST",
        f"{API_PREFIX}/resumes/{_segment(resume_id)}/pdf",
        _model(ResumePdf),
        headers=_idempotency(idempotency_key),
    )


def delete_resume(resume_id: str) -> Call[ResumeDeleted]:
    return Call("DELETE", f"{API_PREFIX}/resumes/{_segment(resume_id)}", _model(ResumeDeleted))


def pdf_file(resume_id: str) -> Call[bytes]:
    """The PDF, authorised by the key (the signed ``pdf_url`` works without one)."""
    return Call(
        "GET", f"/files/{_segment(resume_id)}.pdf", _content, headers={"Accept": "application/pdf"}
    )


def export_resume(resume_id: str, export_format: ExportFormat) -> Call[bytes]:
    path = f"{API_PREFIX}/resumes/{_segment(resume_id)}/export"
    return Call("GET", path, _content, params={"format": export_format})


def get_usage() -> Call[Usage]:
    return Call("GET", f"{API_PREFIX}/usage", _model(Usage))


def list_api_keys() -> Call[Page[ApiKey]]:
    return Call("GET", f"{API_PREFIX}/api-keys", _model(Page[ApiKey]))


def get_base_resume() -> Call[BaseResume]:
    return Call("GET", f"{API_PREFIX}/base-resume", _model(BaseResume))


def put_base_resume(document: Mapping[str, Any]) -> Call[BaseResumeImported]:
    """Our resume_data or a JSON Resume document, sent as the body itself."""
    return Call("PUT", f"{API_PREFIX}/base-resume", _model(BaseResumeImported), json=dict(document))


def upload_base_resume(content: bytes, filename: str) -> Call[BaseResumeImported]:
    """A PDF, DOCX, Markdown, text or JSON file; the server reads the format from the content."""
    files = {"file": (filename, content, "application/octet-stream")}
    return Call("PUT", f"{API_PREFIX}/base-resume", _model(BaseResumeImported), files=files)


def read_upload(file: str | Path | bytes, filename: str | None) -> tuple[bytes, str]:
    """A file to upload as (content, name): a path is read, bytes are sent as they are."""
    if isinstance(file, bytes):
        return file, filename or "resume"
    path = Path(file)
    return path.read_bytes(), filename or path.name


def export_base_resume(export_format: ExportFormat) -> Call[bytes]:
    return Call(
        "GET", f"{API_PREFIX}/base-resume/export", _content, params={"format": export_format}
    )
