"""Resumes: the list (both modes, test ones marked), a detail page, the PDF, re-render, delete."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from finetune.dashboard.auth import SignedIn, db_sessions
from finetune.dashboard.queries import (
    MODE_FILTERS,
    acting_as,
    find_resume,
    list_resumes,
    parse_mode_filter,
)
from finetune.dashboard.rendering import redirect, render
from finetune.errors import NotFound
from finetune.models import ResumePdf
from finetune.resumes import service

router = APIRouter()


@router.get("/resumes")
async def resumes_page(
    request: Request, account: SignedIn, mode: str | None = None, page: int = 1
) -> Response:
    mode_filter = parse_mode_filter(mode)
    async with db_sessions(request)() as session:
        listing = await list_resumes(session, account.id, mode_filter, page)
    context = {"listing": listing, "mode": mode_filter, "modes": MODE_FILTERS}
    return render(request, "resumes.html", context)


@router.get("/resumes/{resume_id}")
async def resume_page(request: Request, account: SignedIn, resume_id: str) -> Response:
    async with db_sessions(request)() as session:
        resume = await find_resume(session, account.id, resume_id)
    return render(request, "resume.html", {"resume": resume})


@router.get("/resumes/{resume_id}/pdf")
async def resume_pdf(
    request: Request, account: SignedIn, resume_id: str, download: bool = False
) -> Response:
    async with db_sessions(request)() as session:
        resume = await find_resume(session, account.id, resume_id)
        stored = await session.get(ResumePdf, resume.id)
    if stored is None:
        raise NotFound("This resume has no PDF yet: use “Generate PDF” on its page.")
    disposition = "attachment" if download else "inline"
    return Response(
        stored.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{resume.id}.pdf"'},
    )


@router.post("/resumes/{resume_id}/pdf")
async def regenerate_pdf(request: Request, account: SignedIn, resume_id: str) -> Response:
    settings = request.app.state.settings
    async with db_sessions(request)() as session:
        resume = await find_resume(session, account.id, resume_id)
    auth = acting_as(account, settings, livemode=resume.livemode)
    pdf = await service.render(service.stored_document(resume), test_mode=not resume.livemode)
    async with db_sessions(request)() as session, session.begin():
        # Found again through the service: it may have been deleted while the PDF rendered.
        current = await service.find_resume(session, auth, resume_id)
        await service.store_pdf(session, current, pdf)
    return redirect(request, f"/resumes/{resume_id}")


@router.post("/resumes/{resume_id}/delete")
async def delete(request: Request, account: SignedIn, resume_id: str) -> Response:
    settings = request.app.state.settings
    async with db_sessions(request)() as session, session.begin():
        resume = await find_resume(session, account.id, resume_id)
        auth = acting_as(account, settings, livemode=resume.livemode)
        await service.delete_resume(session, auth, resume_id)
    return redirect(request, "/resumes")
