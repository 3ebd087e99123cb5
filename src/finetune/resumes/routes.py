"""``/api/v1/resumes``: generate, list, retrieve, render a PDF, delete.

Routes answer with the presenter's dicts encoded once, so an idempotent replay returns exactly
the bytes the first request got. The response models only document the shapes in OpenAPI.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.api.auth import Auth, AuthContext
from finetune.api.deps import DbSession
from finetune.api.errors import RATE_LIMIT_HEADERS, error_responses
from finetune.api.exports import EXPORT_200, ExportFormatQuery, download
from finetune.errors import FinetuneError, IdempotencyKeyInUse
from finetune.files.routes import get_link_signer
from finetune.resumes import presenter, service
from finetune.resumes.idempotency import (
    Reservation,
    Scope,
    SqlIdempotencyStore,
    StoredResponse,
    encode_json,
    fingerprint,
    lease_duration,
    stored_error,
    validate_key,
)
from finetune.resumes.pagination import DEFAULT_LIMIT, MAX_LIMIT, fetch_page, page_request
from finetune.resumes.schemas import (
    GeneratedResume,
    GenerateRequest,
    ResumeDeleted,
    ResumeList,
    ResumeObject,
    ResumePdf,
)
from finetune.tailoring.engine import TailoringEngine
from finetune.tailoring.engine_local import LocalEngine

router = APIRouter(prefix="/resumes", tags=["resumes"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description=(
            "1-256 printable ASCII characters. A retry with the same key and body within 24 h "
            "returns the original response (header `idempotent-replayed: true`) without a new "
            "charge; the same key with another body is `idempotency_error`; while the first "
            "request runs, `idempotency_key_in_use`."
        ),
        # Documented, not enforced here: validate_key answers with our own message. HTTP
        # trims a header's outer spaces, so the pattern starts and ends with a visible one.
        json_schema_extra={"pattern": "^[!-~]([ -~]{0,254}[!-~])?$"},
    ),
]

_PLAIN_200: dict[int | str, dict[str, Any]] = {200: {"headers": RATE_LIMIT_HEADERS}}
_IDEMPOTENT_200: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            **RATE_LIMIT_HEADERS,
            "idempotent-replayed": {
                "description": "`true` when this is the stored response of an earlier request.",
                "schema": {"type": "string", "enum": ["true"]},
            },
        }
    }
}


def _ok(body: dict[str, Any]) -> StoredResponse:
    return StoredResponse(status=200, body=encode_json(body), headers={})


def _response(stored: StoredResponse, *, replayed: bool = False) -> Response:
    headers = dict(stored.headers)
    if replayed:
        headers["idempotent-replayed"] = "true"
    return Response(
        stored.body, status_code=stored.status, media_type="application/json", headers=headers
    )


Work = Callable[[Reservation | None], Awaitable[StoredResponse]]


def _idempotency_store(request: Request) -> SqlIdempotencyStore:
    return SqlIdempotencyStore(
        request.app.state.sessionmaker, lease_duration(request.app.state.settings)
    )


async def _run_idempotently(
    request: Request,
    auth: AuthContext,
    key: str | None,
    store: SqlIdempotencyStore,
    work: Work,
) -> Response:
    """Run ``work`` once per Idempotency-Key; ``work`` completes the reservation itself,
    in the transaction that stores its result."""
    if key is None:
        return _response(await work(None))
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    scope = Scope(auth.account_id, auth.livemode, validate_key(key))
    request_fingerprint = fingerprint(request.method, request.url.path, await request.body())
    outcome = await store.reserve(scope, request_fingerprint)
    if isinstance(outcome, StoredResponse):
        return _response(outcome, replayed=True)
    try:
        # The lease is renewed while the work runs, however long the LLM takes.
        async with store.kept_alive(outcome):
            return _response(await work(outcome))
    except IdempotencyKeyInUse:
        raise  # we lost the key to a takeover: its new owner answers for it
    except FinetuneError as error:
        if error.status >= 500 or error.status == 429:
            await store.release(outcome)
            raise
        # A 4xx is the request's answer like any other: a retry gets it again.
        answer = stored_error(error)
        async with sessions() as session, session.begin():
            await store.complete(session, outcome, answer)
        return _response(answer)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await store.release(outcome)
        raise


async def _answer(
    session: AsyncSession,
    store: SqlIdempotencyStore,
    reservation: Reservation | None,
    body: dict[str, Any],
    resume_id: str,
) -> StoredResponse:
    """The 200 answer about ``resume_id``, stored for the Idempotency-Key (if any) in the
    transaction of the result."""
    answer = _ok(body)
    if reservation is not None:
        await store.complete(session, reservation, answer, resume_id)
    return answer


def _engine_for(request: Request, auth: AuthContext) -> TailoringEngine:
    # Test mode never calls an LLM, whatever the configuration says.
    engine: TailoringEngine = request.app.state.engine if auth.livemode else LocalEngine()
    return engine


@router.post(
    "/generate",
    summary="Tailor the base resume to a job description",
    response_model=GeneratedResume,
    responses={**_IDEMPOTENT_200, **error_responses(409, 503)},
)
async def generate_resume(
    request: Request, body: GenerateRequest, auth: Auth, idempotency_key: IdempotencyKey = None
) -> Response:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    signer = await get_link_signer(request)
    store = _idempotency_store(request)

    async def work(reservation: Reservation | None) -> StoredResponse:
        async with sessions() as session, session.begin():
            prepared = await service.prepare_generation(session, auth, body)
        result = await service.run_tailoring(prepared, _engine_for(request, auth))
        pdf = None
        if body.include_pdf:
            pdf = await service.render(result.resume_data, test_mode=not auth.livemode)
        async with sessions() as session, session.begin():
            stored = await service.store_generated(session, auth, prepared, result, pdf)
            generated = presenter.generated_object(stored.resume, signer, stored.credits_remaining)
            answer = await _answer(session, store, reservation, generated, stored.resume.id)
        return answer

    return await _run_idempotently(request, auth, idempotency_key, store, work)


@router.get(
    "",
    summary="List resumes, newest first",
    response_model=ResumeList,
    responses={**_PLAIN_200, **error_responses()},
)
async def list_resumes(
    request: Request,
    session: DbSession,
    auth: Auth,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Number of results (1-100).")
    ] = DEFAULT_LIMIT,
    after: Annotated[
        str | None, Query(description="Older page: the id of the last item you have.")
    ] = None,
    before: Annotated[
        str | None, Query(description="Newer page: the id of the first item you have.")
    ] = None,
) -> Response:
    page = await fetch_page(
        session, auth.account_id, auth.livemode, page_request(limit, after, before)
    )
    signer = await get_link_signer(request)
    body = {
        "object": "list",
        "data": [presenter.list_item(resume, signer) for resume in page.items],
        "has_more": page.has_more,
    }
    return _response(_ok(body))


@router.get(
    "/{resume_id}",
    summary="Retrieve a resume with its full data",
    response_model=ResumeObject,
    responses={**_PLAIN_200, **error_responses()},
)
async def get_resume(request: Request, session: DbSession, auth: Auth, resume_id: str) -> Response:
    resume = await service.find_resume(session, auth, resume_id)
    return _response(_ok(presenter.full_object(resume, await get_link_signer(request))))


@router.get(
    "/{resume_id}/export",
    summary="Download a resume as JSON Resume, DOCX or Markdown",
    response_class=Response,
    responses={**EXPORT_200, **error_responses()},
)
async def export_resume(
    session: DbSession, auth: Auth, resume_id: str, export_format: ExportFormatQuery
) -> Response:
    """The tailored resume_data in the chosen format, as a download named after the id."""
    resume = await service.find_resume(session, auth, resume_id)
    return await download(service.stored_document(resume), export_format, resume.id)


@router.post(
    "/{resume_id}/pdf",
    summary="Render (or re-render) a resume's PDF",
    response_model=ResumePdf,
    responses={**_IDEMPOTENT_200, **error_responses(409)},
)
async def render_resume_pdf(
    request: Request, auth: Auth, resume_id: str, idempotency_key: IdempotencyKey = None
) -> Response:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    signer = await get_link_signer(request)
    store = _idempotency_store(request)

    async def work(reservation: Reservation | None) -> StoredResponse:
        async with sessions() as session:
            resume = await service.find_resume(session, auth, resume_id)
        document = service.stored_document(resume)
        pdf = await service.render(document, test_mode=not auth.livemode)
        async with sessions() as session, session.begin():
            # Found again: the resume may have been deleted while the PDF rendered.
            resume = await service.find_resume(session, auth, resume_id)
            await service.store_pdf(session, resume, pdf)
            rendered = presenter.pdf_object(resume, signer)
            answer = await _answer(session, store, reservation, rendered, resume.id)
        return answer

    return await _run_idempotently(request, auth, idempotency_key, store, work)


@router.delete(
    "/{resume_id}",
    summary="Delete a resume and its PDF",
    response_model=ResumeDeleted,
    responses={**_PLAIN_200, **error_responses()},
)
async def delete_resume(session: DbSession, auth: Auth, resume_id: str) -> Response:
    await service.delete_resume(session, auth, resume_id)
    return _response(_ok(presenter.deleted_object(resume_id)))
