"""Request and response models of the resumes API.

Responses are built as plain dicts by :mod:`finetune.resumes.presenter` (the same bytes are stored
for idempotent replay); the response models here document them in OpenAPI.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints
from pydantic_core import PydanticCustomError

from finetune.tailoring.model import Change, Keywords, ScoreBreakdown, TailorWarning, Usage


def _plain_text(value: str) -> str:
    # PostgreSQL cannot store NUL: it would otherwise surface as a 500 deep in the stack.
    # (Lone surrogates are already refused by pydantic's string validation.)
    if "\x00" in value:
        raise PydanticCustomError("null_character", "must not contain null characters")
    return value


_PlainText = AfterValidator(_plain_text)
JobDescription = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, min_length=50, max_length=50_000),
    _PlainText,
]
ShortText = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200),
    _PlainText,
]
FinetuneLevel = Literal["basic", "good", "super"]


class GenerateRequest(BaseModel):
    """Body of ``POST /api/v1/resumes/generate``."""

    model_config = ConfigDict(extra="forbid")

    job_description: JobDescription = Field(
        description="Full job description, 50–50,000 characters."
    )
    company_name: ShortText = Field(description="Target company name, 1–200 characters.")
    position: ShortText = Field(description="Target job title, 1–200 characters.")
    finetune_level: FinetuneLevel = Field(
        default="good", description="basic (1 credit), good (2) or super (3)."
    )
    include_pdf: StrictBool = Field(default=False, description="Render a PDF immediately.")


class ResumeListItem(BaseModel):
    """A resume as listed: the heavy fields are left out."""

    object: Literal["resume"] = "resume"
    id: str
    livemode: bool
    company_name: str
    position: str
    finetune_level: FinetuneLevel
    ats_score: int
    ats_score_before: int
    pdf_url: str | None = Field(description="Signed, expiring link; null until a PDF exists.")
    created_at: str


class ResumeObject(ResumeListItem):
    """A resume with its full data and what tailoring did."""

    resume_data: dict[str, Any] = Field(description="The tailored resume (resume_data schema).")
    keywords: Keywords
    ats_breakdown: ScoreBreakdown = Field(
        description="Why ats_score is what it is: its components and each job term's evidence."
    )
    ats_breakdown_before: ScoreBreakdown = Field(
        description="The same for the base resume (ats_score_before)."
    )
    changes: list[Change]
    warnings: list[TailorWarning]
    usage: Usage


class GeneratedResume(ResumeObject):
    credits_remaining: int = Field(
        description="Live: the balance after this charge. Test: the current balance (not charged)."
    )


class ResumeList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ResumeListItem]
    has_more: bool


class ResumePdf(BaseModel):
    object: Literal["resume.pdf"] = "resume.pdf"
    id: str
    pdf_url: str
    generated_at: str


class ResumeDeleted(BaseModel):
    object: Literal["resume.deleted"] = "resume.deleted"
    id: str
    deleted: Literal[True] = True
