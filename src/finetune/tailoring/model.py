"""Value types shared by the tailoring pipeline, its engines, the verifier and the API."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from finetune.documents.schema import ResumeData


class Level(StrEnum):
    basic = "basic"
    good = "good"
    super = "super"

    @property
    def credits(self) -> int:
        return {"basic": 1, "good": 2, "super": 3}[self.value]


ChangeValue = str | list[str] | None


class Change(BaseModel):
    """One edit to the base resume, applied by code (never a whole resume from an engine).

    ``path`` names a field with item ids, e.g. ``basics.headline``,
    ``sections.summary.content``, ``sections.experience.items.<id>.summary``,
    ``sections.skills.items.<id>.keywords`` or ``sections.skills.items`` (order of ids).
    """

    model_config = ConfigDict(extra="forbid")

    path: str
    action: Literal["replace", "reorder", "add"] = "replace"
    original: ChangeValue = None
    new: ChangeValue = None
    reason: str = ""


class TailorWarning(BaseModel):
    """Something the user should know: typically a change the verifier reverted."""

    code: str
    message: str
    path: str | None = None


class Keywords(BaseModel):
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    # `missing` split in two: what the resume evidences without naming it (tailoring may
    # surface it) and what is simply not in the resume (never claimed).
    missing_evidenced: list[str] = Field(default_factory=list)
    missing_not_in_resume: list[str] = Field(default_factory=list)


class Usage(BaseModel):
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: int = 0


# How a resume shows one job term, from strongest to weakest (see docs/scoring.md).
EvidenceKind = Literal["in_context", "listed", "other_spelling", "implied", "absent"]


class ScoreComponent(BaseModel):
    """One part of the ATS score: its share of 100 points and how much of it the resume earns."""

    name: str
    weight: float
    value: float
    points: float


class TermEvidence(BaseModel):
    """How the resume meets one job requirement (see ``docs/scoring.md``)."""

    term: str
    kind: str
    required: bool
    evidence: EvidenceKind
    credit: float


class ScoreBreakdown(BaseModel):
    """Why an ATS score is what it is: components and the evidence for each job term."""

    score: int
    components: list[ScoreComponent]
    terms: list[TermEvidence]


class TailorResult(BaseModel):
    resume_data: ResumeData
    ats_score: int
    ats_score_before: int
    ats_breakdown: ScoreBreakdown
    ats_breakdown_before: ScoreBreakdown
    keywords: Keywords
    changes: list[Change]
    warnings: list[TailorWarning]
    usage: Usage
