"""The synchronous client: ``Finetune(api_key=..., base_url=...)``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx

from finetune.client import calls
from finetune.client.errors import FinetuneClientError, NotFound, error_from_response
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
from finetune.client.retry import RetryEvent, Retrying, RetryPolicy, connection_error

T = TypeVar("T")


class Finetune:
    """A client of one Finetune server.

    ``api_key`` defaults to ``FINETUNE_API_KEY``, ``base_url`` to ``FINETUNE_BASE_URL`` or
    ``http://127.0.0.1:8000`` (with or without ``/api/v1``). Failed requests are retried as
    :mod:`finetune.client.retry` describes; ``on_retry`` is told before each wait.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout = calls.DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self.base_url = calls.server_root(base_url)
        self._headers = calls.default_headers(calls.api_key_from(api_key))
        self._retry = retry or RetryPolicy()
        self._on_retry = on_retry
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=timeout)
        self.resumes = Resumes(self)
        self.base_resume = BaseResumes(self)
        self.usage = UsageResource(self)
        self.api_keys = ApiKeys(self)

    def execute(self, call: calls.Call[T]) -> T:
        """Send ``call``, retrying within the policy; the parsed answer or an exception."""
        retrying = Retrying(self._retry, self._on_retry)
        arguments = calls.request_arguments(call, self.base_url, self._headers)
        while True:
            error: FinetuneClientError
            try:
                response = self._http.request(**arguments)
            except httpx.TransportError as exc:
                error = connection_error(exc)
            else:
                if response.is_success:
                    return call.parse(response)
                error = error_from_response(response)
            time.sleep(retrying.wait_after(error))

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Finetune:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Resumes:
    def __init__(self, client: Finetune) -> None:
        self._client = client

    def generate(
        self,
        *,
        job_description: str,
        company_name: str,
        position: str,
        finetune_level: FinetuneLevel = "good",
        include_pdf: bool = False,
        idempotency_key: str | None = None,
    ) -> GeneratedResume:
        """Tailor the base resume to a job. An Idempotency-Key is made when none is given."""
        return self._client.execute(
            calls.generate(
                job_description=job_description,
                company_name=company_name,
                position=position,
                finetune_level=finetune_level,
                include_pdf=include_pdf,
                idempotency_key=idempotency_key,
            )
        )

    def list(
        self, *, limit: int | None = None, after: str | None = None, before: str | None = None
    ) -> Page[ResumeListItem]:
        """One page, newest first."""
        return self._client.execute(calls.list_resumes(limit, after, before))

    def list_all(self, *, page_size: int = 100) -> Iterator[ResumeListItem]:
        """Every resume, newest first, fetching pages as the iteration goes."""
        after: str | None = None
        while True:
            page = self.list(limit=page_size, after=after)
            yield from page.data
            if not page.has_more or not page.data:
                return
            after = page.data[-1].id

    def get(self, resume_id: str) -> Resume:
        return self._client.execute(calls.get_resume(resume_id))

    def render_pdf(self, resume_id: str, *, idempotency_key: str | None = None) -> ResumePdf:
        """Render (or re-render) the resume's PDF."""
        return self._client.execute(calls.render_pdf(resume_id, idempotency_key))

    def download_pdf(self, resume_id: str, path: str | Path | None = None) -> bytes:
        """The resume's PDF, rendered first if it has none; also written to ``path`` if given."""
        try:
            content = self._client.execute(calls.pdf_file(resume_id))
        except NotFound:
            self.render_pdf(resume_id)  # not_found again if the resume itself does not exist
            content = self._client.execute(calls.pdf_file(resume_id))
        if path is not None:
            Path(path).write_bytes(content)
        return content

    def export(self, resume_id: str, format: ExportFormat) -> bytes:
        """The tailored resume as JSON Resume, DOCX or Markdown."""
        return self._client.execute(calls.export_resume(resume_id, format))

    def delete(self, resume_id: str) -> ResumeDeleted:
        return self._client.execute(calls.delete_resume(resume_id))


class BaseResumes:
    def __init__(self, client: Finetune) -> None:
        self._client = client

    def get(self) -> BaseResume:
        return self._client.execute(calls.get_base_resume())

    def put(self, document: Mapping[str, Any]) -> BaseResumeImported:
        """Replace it with our resume_data or a JSON Resume document."""
        return self._client.execute(calls.put_base_resume(document))

    def upload(self, file: str | Path | bytes, filename: str | None = None) -> BaseResumeImported:
        """Replace it with a PDF, DOCX, Markdown, text or JSON file (a path or its bytes)."""
        content, name = calls.read_upload(file, filename)
        return self._client.execute(calls.upload_base_resume(content, name))

    def export(self, format: ExportFormat) -> bytes:
        return self._client.execute(calls.export_base_resume(format))


class UsageResource:
    def __init__(self, client: Finetune) -> None:
        self._client = client

    def get(self) -> Usage:
        return self._client.execute(calls.get_usage())


class ApiKeys:
    def __init__(self, client: Finetune) -> None:
        self._client = client

    def list(self) -> Page[ApiKey]:
        return self._client.execute(calls.list_api_keys())
