"""The base resume: upload a file (as ``PUT /api/v1/base-resume`` does), review, edit, save."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from finetune.base_resume.service import import_upload, put_base_resume
from finetune.dashboard.auth import SignedIn, db_sessions, read_form
from finetune.dashboard.rendering import redirect, render, sentence
from finetune.dashboard.resume_form import apply_form, build_form
from finetune.documents.schema import ResumeData
from finetune.errors import FinetuneError, ValidationError
from finetune.models import Account, BaseResume

router = APIRouter()

ACCEPTED_FILES = ".pdf,.docx,.md,.markdown,.txt,.text,.json"


async def _stored(request: Request, account: Account) -> BaseResume | None:
    async with db_sessions(request)() as session:
        return await session.get(BaseResume, account.id)


def _page(
    request: Request,
    stored: BaseResume | None,
    *,
    resume: ResumeData | None = None,
    notice: str | None = None,
    error: str | None = None,
    unplaced: list[str] | None = None,
    status: int = 200,
) -> Response:
    if resume is None:
        resume = ResumeData.model_validate(stored.resume_data) if stored else ResumeData()
    basics, summary, sections = build_form(resume)
    context = {
        "stored": stored,
        "basics": basics,
        "summary": summary,
        "sections": sections,
        "accepted": ACCEPTED_FILES,
        "notice": notice,
        "error": error,
        "unplaced": unplaced or [],
    }
    return render(request, "base_resume.html", context, status=status)


@router.get("/base-resume")
async def base_resume_page(request: Request, account: SignedIn, saved: bool = False) -> Response:
    notice = "Saved." if saved else None
    return _page(request, await _stored(request, account), notice=notice)


@router.post("/base-resume/upload")
async def upload(request: Request, account: SignedIn) -> Response:
    form = await read_form(request)
    upload = form.get("file")
    stored = await _stored(request, account)
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationError("choose a file to upload")
        name, content, media = upload.filename, await upload.read(), upload.content_type
        imported = await anyio.to_thread.run_sync(lambda: import_upload(name, content, media))
        async with db_sessions(request)() as session, session.begin():
            stored = await put_base_resume(session, account.id, imported.resume)
    except FinetuneError as error:
        if error.status >= 500:
            raise
        # A rejected upload leaves the stored base resume untouched, as in the API.
        return _page(request, stored, error=sentence(error.message), status=error.status)
    notice = (
        f"Imported {upload.filename} (read as {imported.source_format}). Check every section "
        "below, then save any fixes."
    )
    return _page(request, stored, notice=notice, unplaced=imported.unplaced)


@router.post("/base-resume")
async def save(request: Request, account: SignedIn) -> Response:
    form = await read_form(request)
    stored = await _stored(request, account)
    current = ResumeData.model_validate(stored.resume_data) if stored else ResumeData()
    try:
        edited = apply_form(current, form)
        async with db_sessions(request)() as session, session.begin():
            await put_base_resume(session, account.id, edited)
    except ValidationError as error:
        return _page(request, stored, error=sentence(error.message), status=400)
    return redirect(request, "/base-resume?saved=true")
