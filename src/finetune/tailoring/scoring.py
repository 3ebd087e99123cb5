"""The deterministic ATS scorer: job requirements against what the resume's visible text states.

The formula, its weights and a worked example are in ``docs/scoring.md``; the constants below are
the ones that document names. Same resume, same job, same day: same score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from finetune.documents.schema import ResumeData
from finetune.documents.text import iter_text_fields
from finetune.tailoring.dates import experience_years
from finetune.tailoring.jd import JobProfile, Requirement
from finetune.tailoring.jd_patterns import EDUCATION_LEVELS, resume_degree_level
from finetune.tailoring.model import Keywords
from finetune.tailoring.titles import title_similarity
from finetune.tailoring.vocabulary import Vocabulary, default_vocabulary

COMPONENT_WEIGHTS = {"keywords": 70.0, "title": 15.0, "years": 10.0, "education": 5.0}
KIND_WEIGHTS = {"hard": 1.0, "certification": 1.0, "soft": 0.4}
REQUIRED_MULTIPLIER = 2.0
IMPLIED_CREDIT = 0.5
MISSING_MUST_HAVE_CAP = 70
ONE_LEVEL_SHORT_CREDIT = 0.5

# Contact details are not evidence of skills ("PA" in an address is not a Physician Assistant).
_NON_EVIDENCE_PATHS = ("basics.name", "basics.email", "basics.phone", "basics.location")


@dataclass(frozen=True)
class Evidence:
    stated: frozenset[str]
    implied: frozenset[str]


@dataclass(frozen=True)
class ScoreResult:
    ats_score: int
    keywords: Keywords
    breakdown: dict[str, float]


def _evidence_text(resume: ResumeData) -> str:
    return "\n".join(
        text
        for path, text in iter_text_fields(resume)
        if path not in _NON_EVIDENCE_PATHS and not path.startswith("basics.customFields.")
    )


def resume_evidence(resume: ResumeData, *, vocabulary: Vocabulary | None = None) -> Evidence:
    """Terms the resume states in its visible text, and terms those imply without being stated."""
    vocab = vocabulary or default_vocabulary()
    stated = frozenset(term.name for term in vocab.find(_evidence_text(resume)))
    return Evidence(stated=stated, implied=frozenset(vocab.implied(stated)))


def build_keywords(requirements: Iterable[Requirement], evidence: Evidence) -> Keywords:
    """Matched and missing job terms, in job order, missing split by whether the resume evidences
    it (surfaceable by tailoring) or not (never to be claimed)."""
    keywords = Keywords()
    for requirement in requirements:
        name = requirement.term
        if name in evidence.stated:
            keywords.matched.append(name)
            continue
        keywords.missing.append(name)
        if name in evidence.implied:
            keywords.missing_evidenced.append(name)
        else:
            keywords.missing_not_in_resume.append(name)
    return keywords


def _requirement_weight(requirement: Requirement) -> float:
    multiplier = REQUIRED_MULTIPLIER if requirement.required else 1.0
    return KIND_WEIGHTS[requirement.kind] * multiplier


def _keyword_coverage(job: JobProfile, evidence: Evidence) -> float | None:
    total = sum(_requirement_weight(r) for r in job.requirements)
    if not total:
        return None
    earned = 0.0
    for requirement in job.requirements:
        if requirement.term in evidence.stated:
            earned += _requirement_weight(requirement)
        elif requirement.term in evidence.implied:
            earned += _requirement_weight(requirement) * IMPLIED_CREDIT
    return earned / total


def _title_match(job: JobProfile, resume: ResumeData) -> float | None:
    candidates = [resume.basics.headline]
    if resume.sections.experience.visible:
        candidates += [i.position for i in resume.sections.experience.items if i.visible]
    return title_similarity(job.title, candidates)


def _years_match(job: JobProfile, resume: ResumeData, today: date) -> float | None:
    if not job.years_experience:
        return None
    experience = resume.sections.experience
    items = [i for i in experience.items if i.visible] if experience.visible else []
    years = experience_years(items, today=today)
    if years is None:
        return None
    return min(1.0, years / job.years_experience)


def _education_match(job: JobProfile, resume: ResumeData) -> float | None:
    if job.education is None:
        return None
    education = resume.sections.education
    items = [i for i in education.items if i.visible] if education.visible else []
    if not items:
        return 0.0  # a job that asks for a degree, a resume that lists none
    levels = [resume_degree_level(f"{i.studyType} {i.area}") for i in items]
    known = [level for level in levels if level is not None]
    if not known:
        return None  # schools listed but no degree we can read: not determinable
    shortfall = EDUCATION_LEVELS.index(job.education) - max(known)
    if shortfall <= 0:
        return 1.0
    return ONE_LEVEL_SHORT_CREDIT if shortfall == 1 else 0.0


def score_resume(
    resume: ResumeData,
    job: JobProfile,
    *,
    vocabulary: Vocabulary | None = None,
    today: date | None = None,
    evidence: Evidence | None = None,
) -> ScoreResult:
    """Score a resume 0-100 against a job, with the keywords that explain it.

    ``evidence`` is the resume's :func:`resume_evidence` when the caller has it already.
    """
    if evidence is None:
        evidence = resume_evidence(resume, vocabulary=vocabulary)
    components = {
        "keywords": _keyword_coverage(job, evidence),
        "title": _title_match(job, resume),
        "years": _years_match(job, resume, today or date.today()),
        "education": _education_match(job, resume),
    }
    present = {name: value for name, value in components.items() if value is not None}
    weight_total = sum(COMPONENT_WEIGHTS[name] for name in present)
    raw = (
        100 * sum(COMPONENT_WEIGHTS[name] * value for name, value in present.items()) / weight_total
        if weight_total
        else 0.0
    )
    must_have_missing = any(
        r.required and r.kind != "soft" and r.term not in evidence.stated for r in job.requirements
    )
    cap = MISSING_MUST_HAVE_CAP if must_have_missing else 100
    score = min(cap, math.floor(raw + 0.5))
    breakdown = {name: round(value, 4) for name, value in present.items()}
    breakdown.update(raw=round(raw, 2), cap=float(cap))
    return ScoreResult(score, build_keywords(job.requirements, evidence), breakdown)
