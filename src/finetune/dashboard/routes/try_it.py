"""Try it: tailor the base resume to a pasted job description, in test mode unless asked.

It runs the resumes service exactly as ``POST /api/v1/resumes/generate`` does: live mode uses
the configured engine and charges credits, test mode the local engine and charges nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError as PydanticValidationError

from finetune.api.errors import validation_message
from finetune.dashboard.auth import SignedIn, db_sessions, form_text, read_form
from finetune.dashboard.queries import acting_as
from finetune.dashboard.rendering import is_htmx, redirect, render, sentence
from finetune.dashboard.throttle import Throttle
from finetune.errors import FinetuneError
from finetune.models import Account
from finetune.resumes import service
from finetune.resumes.schemas import GenerateRequest
from finetune.tailoring.engine import TailoringEngine
from finetune.tailoring.engine_local import LocalEngine

router = APIRouter()

LEVELS = ("basic", "good", "super")


def _show(
    request: Request, values: dict[str, str], error: str | None = None, status: int = 200
) -> Response:
    # htmx swaps just the form (it carries the progress indicator and any error).
    template = "try_form.html" if is_htmx(request) else "try.html"
    context = {"values": values, "levels": LEVELS, "error": error}
    return render(request, template, context, status=status)


@router.get("/try")
async def try_page(request: Request, account: SignedIn) -> Response:
    return _show(request, {"mode": "test", "finetune_level": "good"})


async def _generate(request: Request, account: Account, values: dict[str, str]) -> str:
    """Run one generation; returns the new resume's id."""
    try:
        body = GenerateRequest(
            job_description=values["job_description"],
            company_name=values["company_name"],
            position=values["position"],
            finetune_level=values["finetune_level"],
            include_pdf=True,
        )
    except PydanticValidationError as exc:
        raise ValueError(validation_message(exc.errors(include_url=False))) from exc
    livemode = values["mode"] == "live"
    auth = acting_as(account, request.app.state.settings, livemode=livemode)
    throttle: Throttle = request.app.state.throttle
    await throttle.check_generation(account.id, auth.rate_limit)
    # Test mode never calls an LLM, whatever the configuration says (as in the API).
    engine: TailoringEngine = request.app.state.api.state.engine if livemode else LocalEngine()
    async with db_sessions(request)() as session, session.begin():
        prepared = await service.prepare_generation(session, auth, body)
    result = await service.run_tailoring(prepared, engine)
    pdf = await service.render(result.resume_data, test_mode=not livemode)
    async with db_sessions(request)() as session, session.begin():
        stored = await service.store_generated(session, auth, prepared, result, pdf)
    return stored.resume.id


@router.post("/try")
async def run(request: Request, account: SignedIn) -> Response:
    form = await read_form(request)
    fields = ("job_description", "company_name", "position", "finetune_level", "mode")
    values = {name: form_text(form, name) for name in fields}
    if values["mode"] not in ("live", "test"):
        values["mode"] = "test"
    try:
        resume_id = await _generate(request, account, values)
    except ValueError as error:
        return _show(request, values, sentence(str(error)), status=400)
    except FinetuneError as error:
        response = _show(request, values, sentence(error.message), status=error.status)
        response.headers.update(error.headers)
        return response
    return redirect(request, f"/resumes/{resume_id}")
