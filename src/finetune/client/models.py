"""The API's objects as typed models.

Written by hand to read well, and held to the server: ``tests/client/test_models_openapi.py``
compares each model's JSON schema with the matching response schema in ``/openapi.json``, so a
field added, renamed or retyped on either side fails the tests. Unknown fields are kept (and
reachable as attributes) so an older client still reads a newer server's answers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

FinetuneLevel = Literal["basic", "good", "super"]
ExportFormat = Literal["json_resume", "docx", "markdown"]


class APIObject(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Keywords(APIObject):
    """The job's keywords the resume matches, and the ones it misses (split by evidence)."""

    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    missing_evidenced: list[str] = Field(default_factory=list)
    missing_not_in_resume: list[str] = Field(default_factory=list)


class Change(APIObject):
    """One field tailoring changed, with the text before and after."""

    path: str
    action: Literal["replace", "reorder", "add"] = "replace"
    original: str | list[str] | None = None
    new: str | list[str] | None = None
    reason: str = ""


class TailorWarning(APIObject):
    """Something to review, e.g. an invented fact the verifier removed."""

    code: str
    message: str
    path: str | None = None


class TokenUsage(APIObject):
    """The model that tailored the resume and what it cost (the resume object's ``usage``)."""

    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: int = 0


class ScoreComponent(APIObject):
    """One part of the ATS score: its share of 100 points and how much of it the resume earns."""

    name: str
    weight: float
    value: float
    points: float


class TermEvidence(APIObject):
    """How the resume meets one job requirement (see docs/scoring.md)."""

    term: str
    kind: str
    required: bool
    evidence: Literal["in_context", "listed", "other_spelling", "implied", "absent"]
    credit: float


class ScoreBreakdown(APIObject):
    """Why an ATS score is what it is: its components and the evidence for each job term."""

    score: int
    components: list[ScoreComponent]
    terms: list[TermEvidence]


class ResumeListItem(APIObject):
    """A resume as ``GET /resumes`` lists it, without the heavy fields."""

    object: Literal["resume"] = "resume"
    id: str
    livemode: bool
    company_name: str
    position: str
    finetune_level: FinetuneLevel
    ats_score: int
    ats_score_before: int
    pdf_url: str | None
    created_at: datetime


class Resume(ResumeListItem):
    """A resume with its data and what tailoring did (``GET /resumes/{id}``)."""

    resume_data: dict[str, Any]
    keywords: Keywords
    ats_breakdown: ScoreBreakdown
    ats_breakdown_before: ScoreBreakdown
    changes: list[Change]
    warnings: list[TailorWarning]
    usage: TokenUsage


class GeneratedResume(Resume):
    """The answer to ``POST /resumes/generate``."""

    credits_remaining: int


ItemT = TypeVar("ItemT", bound=APIObject)


class Page(APIObject, Generic[ItemT]):
    """One page of a list; ``has_more`` means more in the direction of travel."""

    object: Literal["list"] = "list"
    data: list[ItemT]
    has_more: bool


class ResumePdf(APIObject):
    object: Literal["resume.pdf"] = "resume.pdf"
    id: str
    pdf_url: str
    generated_at: datetime


class ResumeDeleted(APIObject):
    object: Literal["resume.deleted"] = "resume.deleted"
    id: str
    deleted: Literal[True] = True


class RateLimit(APIObject):
    requests_per_minute: int
    remaining: int


class Usage(APIObject):
    """Credits of the billing cycle, plan and rate limit (``GET /usage``)."""

    object: Literal["usage"] = "usage"
    credits_total: int
    credits_used: int
    credits_remaining: int
    resumes_generated_this_week: int
    plan: Literal["free", "pro"]
    rate_limit: RateLimit
    billing_cycle_end: datetime


class ApiKey(APIObject):
    """A key as ``GET /api-keys`` lists it: the secret is never shown again."""

    object: Literal["api_key"] = "api_key"
    id: str
    name: str
    prefix: str
    mode: Literal["live", "test"]
    livemode: bool
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class BaseResume(APIObject):
    """The resume every tailoring starts from (``GET /base-resume``)."""

    object: Literal["base_resume"] = "base_resume"
    resume_data: dict[str, Any]
    updated_at: datetime


class BaseResumeImported(BaseResume):
    """The answer to ``PUT /base-resume``: the stored resume and how the document was read."""

    source_format: str
    unplaced: list[str]
    notes: list[str]
