"""Resume rows as the API's JSON objects (the document's fields plus our extensions)."""

from __future__ import annotations

from typing import Any

from finetune.api.ids import format_time
from finetune.files.signing import LinkSigner
from finetune.models import Resume


def pdf_url(resume: Resume, signer: LinkSigner) -> str | None:
    """A freshly signed link, or ``None`` while the resume has no PDF."""
    return None if resume.pdf_generated_at is None else signer.url_for(resume.id)


def list_item(resume: Resume, signer: LinkSigner) -> dict[str, Any]:
    """The light form used in lists: no resume_data, keywords, breakdowns, changes, warnings or
    usage."""
    return {
        "object": "resume",
        "id": resume.id,
        "livemode": resume.livemode,
        "company_name": resume.company_name,
        "position": resume.position,
        "finetune_level": resume.finetune_level,
        "ats_score": resume.ats_score,
        "ats_score_before": resume.ats_score_before,
        "pdf_url": pdf_url(resume, signer),
        "created_at": format_time(resume.created_at),
    }


def full_object(resume: Resume, signer: LinkSigner) -> dict[str, Any]:
    """The whole resume with what tailoring did."""
    return {
        **list_item(resume, signer),
        "resume_data": resume.resume_data,
        "keywords": resume.keywords,
        "ats_breakdown": resume.ats_breakdown,
        "ats_breakdown_before": resume.ats_breakdown_before,
        "changes": resume.changes,
        "warnings": resume.warnings,
        "usage": resume.usage,
    }


def generated_object(resume: Resume, signer: LinkSigner, credits_remaining: int) -> dict[str, Any]:
    """The answer to ``POST /resumes/generate``."""
    return {**full_object(resume, signer), "credits_remaining": credits_remaining}


def pdf_object(resume: Resume, signer: LinkSigner) -> dict[str, Any]:
    """The answer to ``POST /resumes/{id}/pdf``."""
    if resume.pdf_generated_at is None:
        raise ValueError(f"resume {resume.id} has no PDF to describe")
    return {
        "object": "resume.pdf",
        "id": resume.id,
        "pdf_url": signer.url_for(resume.id),
        "generated_at": format_time(resume.pdf_generated_at),
    }


def deleted_object(resume_id: str) -> dict[str, Any]:
    return {"object": "resume.deleted", "id": resume_id, "deleted": True}
