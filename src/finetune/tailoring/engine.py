"""The interface every tailoring engine implements: the built-in local one and the LLM ones.

An engine only *proposes* changes against the base resume. The pipeline checks them against the
level's allow-list and the truthfulness verifier, applies what survives, and scores the result
with the deterministic scorer, whatever engine produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from finetune.documents.schema import ResumeData
from finetune.tailoring.model import Change, Level, TailorWarning, Usage
from finetune.tailoring.scoring import Evidence, resume_evidence

if TYPE_CHECKING:
    from finetune.tailoring.jd import JobProfile


@dataclass(frozen=True)
class TailorRequest:
    base: ResumeData
    job: JobProfile
    job_text: str
    company: str
    position: str
    level: Level
    # The pipeline works out the base resume's evidence once per request and hands the same
    # value to the engine, the verifier and the scorer; other callers may leave it out.
    base_evidence: Evidence | None = None

    def evidence(self) -> Evidence:
        """What the base resume states and implies (see ``scoring.resume_evidence``)."""
        return self.base_evidence or resume_evidence(self.base)


@dataclass
class Proposal:
    changes: list[Change]
    usage: Usage
    warnings: list[TailorWarning] = field(default_factory=list)


class TailoringEngine(Protocol):
    name: str

    async def propose(self, request: TailorRequest) -> Proposal: ...
