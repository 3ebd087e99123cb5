"""The asynchronous client: ``AsyncFinetune(api_key=..., base_url=...)``, for asyncio or trio.

The same operations as :class:`finetune.client.Finetune`, awaited; the requests themselves are
built once, in :mod:`finetune.client.calls`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import anyio
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


class AsyncFinetune:
    """An async client of one Finetune server; the options are :class:`Finetune`'s."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout = calls.DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = calls.server_root(base_url)
        self._headers = calls.default_headers(calls.api_key_from(api_key))
        self._retry = retry or RetryPolicy()
        self._on_retry = on_retry
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout)
        self.resumes = AsyncResumes(self)
        self.base_resume = AsyncBaseResumes(self)
        self.usage = AsyncUsageResource(self)
        self.api_keys = AsyncApiKeys(self)

    async def execute(self, call: calls.Call[T]) -> T:
        """Send ``call``, retrying within the policy; the parsed answer or an exception."""
        retrying = Retrying(self._retry, self._on_retry)
        arguments = calls.request_arguments(call, self.base_url, self._headers)
        while True:
            error: FinetuneClientError
            try:
                response = await self._http.request(**arguments)
            except httpx.TransportError as exc:
                error = connection_error(exc)
            else:
                if response.is_success:
                    return call.parse(response)
                error = error_from_response(response)
            await anyio.sleep(retrying.wait_after(error))

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncFinetune:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


class AsyncResumes:
    def __init__(self, client: AsyncFinetune) -> None:
        self._client = client

    async def generate(
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
        return await self._client.execute(
            calls.generate(
                job_description=job_description,
                company_name=company_name,
                position=position,
                finetune_level=finetune_level,
                include_pdf=include_pdf,
                idempotency_key=idempotency_key,
            )
        )

    async def list(
        self, *, limit: int | None = None, after: str | None = None, before: str | None = None
    ) -> Page[ResumeListItem]:
        """One page, newest first."""
        return await self._client.execute(calls.list_resumes(limit, after, before))

    async def list_all(self, *, page_size: int = 100) -> AsyncIterator[ResumeListItem]:
        """Every resume, newest first, fetching pages as the iteration goes."""
        after: str | None = None
        while True:
            page = await self.list(limit=page_size, after=after)
            for item in page.data:
                yield item
            if not page.has_more or not page.data:
                return
            after = page.data[-1].id

    async def get(self, resume_id: str) -> Resume:
        return await self._client.execute(calls.get_resume(resume_id))

    async def render_pdf(self, resume_id: str, *, idempotency_key: str | None = None) -> ResumePdf:
        """Render (or re-render) the resume's PDF."""
        return await self._client.execute(calls.render_pdf(resume_id, idempotency_key))

    async def download_pdf(self, resume_id: str, path: str | Path | None = None) -> bytes:
        """The resume's PDF, rendered first if it has none; also written to ``path`` if given."""
        try:
            content = await self._client.execute(calls.pdf_file(resume_id))
        except NotFound:
            await self.render_pdf(resume_id)  # not_found again if the resume does not exist
            content = await self._client.execute(calls.pdf_file(resume_id))
        if path is not None:
            await anyio.Path(path).write_bytes(content)
        return content

    async def export(self, resume_id: str, format: ExportFormat) -> bytes:
        """The tailored resume as JSON Resume, DOCX or Markdown."""
        return await self._client.execute(calls.export_resume(resume_id, format))

    async def delete(self, resume_id: str) -> ResumeDeleted:
        return await self._client.execute(calls.delete_resume(resume_id))


class AsyncBaseResumes:
    def __init__(self, client: AsyncFinetune) -> None:
        self._client = client

    async def get(self) -> BaseResume:
        return await self._client.execute(calls.get_base_resume())

    async def put(self, document: Mapping[str, Any]) -> BaseResumeImported:
        """Replace it with our resume_data or a JSON Resume document."""
        return await self._client.execute(calls.put_base_resume(document))

    async def upload(
        self, file: str | Path | bytes, filename: str | None = None
    ) -> BaseResumeImported:
        """Replace it with a PDF, DOCX, Markdown, text or JSON file (a path or its bytes)."""
        content, name = await anyio.to_thread.run_sync(calls.read_upload, file, filename)
        return await self._client.execute(calls.upload_base_resume(content, name))

    async def export(self, format: ExportFormat) -> bytes:
        return await self._client.execute(calls.export_base_resume(format))


class AsyncUsageResource:
    def __init__(self, client: AsyncFinetune) -> None:
        self._client = client

    async def get(self) -> Usage:
        return await self._client.execute(calls.get_usage())


class AsyncApiKeys:
    def __init__(self, client: AsyncFinetune) -> None:
        self._client = client

    async def list(self) -> Page[ApiKey]:
        return await self._client.execute(calls.list_api_keys())
