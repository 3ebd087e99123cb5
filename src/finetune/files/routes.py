"""``GET /files/{id}.pdf``: the owner's key (same mode) or a valid signed link, else 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from finetune.api.auth import API_KEY_SCHEME, AuthContext
from finetune.api.deps import DbSession
from finetune.api.errors import RATE_LIMIT_HEADERS, error_responses
from finetune.errors import NotFound
from finetune.files.service import link_signer
from finetune.files.signing import (
    EXPIRES_PATTERN,
    SIGNATURE_PATTERN,
    LinkSigner,
    check_link_query,
)
from finetune.resumes.service import load_pdf

router = APIRouter(tags=["files"])

# Documented, not enforced by FastAPI: check_link_query answers with our own message.
Expires = Annotated[
    str | None,
    Query(
        description="Unix time the link expires at (from `pdf_url`).",
        json_schema_extra={"pattern": EXPIRES_PATTERN},
    ),
]
Signature = Annotated[
    str | None,
    Query(
        description="HMAC-SHA256 of the link (from `pdf_url`).",
        json_schema_extra={"pattern": SIGNATURE_PATTERN},
    ),
]


async def get_link_signer(request: Request) -> LinkSigner:
    """The app's signer, built once from the shared secret (workers agree through the DB)."""
    state = request.app.state
    signer: LinkSigner | None = getattr(state, "link_signer", None)
    if signer is None:
        signer = await link_signer(state.sessionmaker, state.settings)
        state.link_signer = signer
    return signer


@router.get(
    "/files/{resume_id}.pdf",
    summary="Download a resume's PDF",
    description=(
        "Authorised by the owner's `X-API-Key` (same mode as the resume) or by the `expires` "
        "and `signature` of a `pdf_url` link (valid 7 days). A malformed `expires` or "
        "`signature` is `validation_error`; anything else is `not_found`, so the answer never "
        "reveals whether a resume exists."
    ),
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}},
            "description": "The PDF.",
            "headers": RATE_LIMIT_HEADERS,
        },
        **error_responses(),
    },
    # Either the key or a signed link: the empty requirement is the link's way in.
    openapi_extra={"security": [{API_KEY_SCHEME.scheme_name: []}, {}]},
)
async def download_pdf(
    request: Request,
    session: DbSession,
    resume_id: str,
    expires: Expires = None,
    signature: Signature = None,
) -> Response:
    check_link_query(expires, signature)
    found = await load_pdf(session, resume_id)
    if found is not None:
        resume, content = found
        auth = getattr(request.state, "auth", None)
        owner = (
            isinstance(auth, AuthContext)
            and auth.account_id == resume.account_id
            and auth.livemode == resume.livemode
        )
        signer = await get_link_signer(request)
        if owner or signer.is_valid(resume.id, expires, signature):
            return Response(
                content,
                media_type="application/pdf",
                headers={
                    "Content-Disposition": f'inline; filename="{resume.id}.pdf"',
                    "Cache-Control": "private, no-store",
                },
            )
    raise NotFound(f"no file {resume_id}.pdf")
