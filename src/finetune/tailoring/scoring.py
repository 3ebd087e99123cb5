"""The deterministic ATS scorer: job requirements against what the resume's visible text states.

The formula, its weights and a worked example are in ``docs/scoring.md``; the constants below are
the ones that document names. Same resume, same job, same day: same score.

An ATS reads words. A requirement earns full credit when the resume writes it the way the job
(or the skill's standard name) does in its experience, summary or other prose; a little less when
that spelling only appears in a list (skills, headline); less again when the resume says it in
other words ("k8s" for Kubernetes); and little when the resume only implies it (EKS implies
Kubernetes). So tailoring that truthfully states what the resume already evidences raises the
score, and nothing else does.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from finetune.documents.schema import ResumeData
from finetune.documents.text import iter_text_fields
from finetune.tailoring.dates import experience_years
from finetune.tailoring.jd import JobProfile, Requirement
from finetune.tailoring.jd_patterns import EDUCATION_LEVELS, resume_degree_level
from finetune.tailoring.model import (
    EvidenceKind,
    Keywords,
    ScoreBreakdown,
    ScoreComponent,
    TermEvidence,
)
from finetune.tailoring.titles import title_similarity
from finetune.tailoring.vocabulary import Vocabulary, default_vocabulary
from finetune.tailoring.wording import form_key, says

COMPONENT_WEIGHTS = {
    "required": 40.0,
    "preferred": 15.0,
    "summary": 10.0,
    "title": 15.0,
    "years": 12.0,
    "education": 8.0,
}
KIND_WEIGHTS = {"hard": 1.0, "certification": 1.0, "soft": 0.35}
CREDITS: dict[EvidenceKind, float] = {
    "in_context": 1.0,
    "listed": 0.75,
    "other_spelling": 0.5,
    "implied": 0.1,
    "absent": 0.0,
}
# The summary component: how many of the job's must-have skills the top of the resume (headline
# and summary) names the job's way, out of this many (or all of them, if fewer).
SUMMARY_TERMS = 5
ONE_LEVEL_SHORT_CREDIT = 0.5
_EXACT_CASE_MAX = 3

# Contact details are not evidence of skills ("PA" in an address is not a Physician Assistant).
_NON_EVIDENCE_PATHS = ("basics.name", "basics.email", "basics.phone", "basics.location")
# Fields that list words rather than use them in a sentence about the person's work.
_LIST_SECTIONS = ("skills", "languages", "interests", "profiles")


@dataclass(frozen=True)
class Mention:
    """One way the resume writes a term: its words (see ``wording.form_key``) and whether it is
    used in context (summary, experience, projects…) or only listed (skills, headline)."""

    form: str
    in_context: bool
    text: str = ""


@dataclass(frozen=True)
class Evidence:
    stated: frozenset[str]
    implied: frozenset[str]
    mentions: Mapping[str, frozenset[Mention]] = field(default_factory=dict)

    @functools.cached_property
    def _written(self) -> dict[bool, tuple[str, str]]:
        """Every mention's words and text, joined, for mentions used in context (True) and
        listed (False): one search finds a spelling inside any of them."""
        joined: dict[bool, tuple[str, str]] = {}
        for in_context in (True, False):
            found = [m for ms in self.mentions.values() for m in ms if m.in_context is in_context]
            forms = " | ".join(m.form for m in found)
            joined[in_context] = (f" {forms} ", "\n".join(m.text for m in found))
        return joined

    def contains(self, spelling: str, *, in_context: bool) -> bool:
        """Whether some skill mention contains ``spelling`` as words of its own ("BI" in
        "Power BI"). Short and all-capital spellings must match exactly, case included."""
        forms, texts = self._written[in_context]
        if len(spelling) <= _EXACT_CASE_MAX or spelling.isupper():
            return re.search(r"(?<!\w)" + re.escape(spelling) + r"(?!\w)", texts) is not None
        return f" {form_key(spelling)} " in forms


@dataclass(frozen=True)
class TermMatch:
    """How well the resume meets one requirement, and through which term."""

    requirement: Requirement
    name: str
    evidence: EvidenceKind

    @property
    def weight(self) -> float:
        return KIND_WEIGHTS[self.requirement.kind]

    @property
    def credit(self) -> float:
        return CREDITS[self.evidence]


@dataclass(frozen=True)
class Component:
    name: str
    weight: float  # points out of 100 once the components present are rescaled
    value: float  # 0..1

    @property
    def points(self) -> float:
        return self.weight * self.value


@dataclass(frozen=True)
class ScoreResult:
    ats_score: int
    keywords: Keywords
    components: tuple[Component, ...]
    terms: tuple[TermMatch, ...]

    def component(self, name: str) -> Component | None:
        return next((c for c in self.components if c.name == name), None)

    def breakdown(self) -> ScoreBreakdown:
        """Why this number: each component's points and each requirement's evidence."""
        return ScoreBreakdown(
            score=self.ats_score,
            components=[
                ScoreComponent(
                    name=c.name,
                    weight=round(c.weight, 2),
                    value=round(c.value, 4),
                    points=round(c.points, 2),
                )
                for c in self.components
            ],
            terms=[
                TermEvidence(
                    term=m.name,
                    kind=m.requirement.kind,
                    required=m.requirement.required,
                    evidence=m.evidence,
                    credit=m.credit,
                )
                for m in self.terms
            ],
        )


def _is_listed(path: str) -> bool:
    section = path.split(".")[1] if path.startswith("sections.") else ""
    return path == "basics.headline" or section in _LIST_SECTIONS or path.endswith(".keywords")


def resume_evidence(resume: ResumeData, *, vocabulary: Vocabulary | None = None) -> Evidence:
    """Terms the resume states in its visible text (with how it writes them), and terms those
    imply without being stated."""
    vocab = vocabulary or default_vocabulary()
    mentions: dict[str, set[Mention]] = {}
    for path, text in iter_text_fields(resume):
        if path in _NON_EVIDENCE_PATHS or path.startswith("basics.customFields."):
            continue
        in_context = not _is_listed(path)
        for start, end, term in vocab.spans(text):
            mention = Mention(form_key(text[start:end]), in_context, text[start:end])
            mentions.setdefault(term.name, set()).add(mention)
    stated = frozenset(mentions)
    return Evidence(
        stated=stated,
        implied=frozenset(vocab.implied(stated)),
        mentions={name: frozenset(found) for name, found in mentions.items()},
    )


def _evidence_of(name: str, requirement: Requirement, evidence: Evidence) -> EvidenceKind:
    forms = literal_forms(requirement)
    literal = [m for m in evidence.mentions.get(name, ()) if any(says(m.form, f) for f in forms)]
    if any(m.in_context for m in literal):
        return "in_context"
    if literal:
        return "listed"
    if name not in evidence.stated:
        # The job's wording may sit inside another skill's name: "BI" in "Power BI".
        vocabulary = default_vocabulary()
        own = [s for s in requirement.spellings if getattr(vocabulary.get(s), "name", "") == name]
        for in_context, kind in ((True, "in_context"), (False, "listed")):
            if any(evidence.contains(s, in_context=in_context) for s in (name, *own)):
                return cast(EvidenceKind, kind)
    if name in evidence.stated:
        return "other_spelling"
    return "implied" if name in evidence.implied else "absent"


def literal_forms(requirement: Requirement) -> frozenset[str]:
    """The words that count as the job's own wording: its spellings and the standard names."""
    names = (requirement.term, *requirement.alternatives, *requirement.spellings)
    return frozenset(form_key(n) for n in names)


def match_requirement(requirement: Requirement, evidence: Evidence) -> TermMatch:
    """The best evidence for the requirement among its term and alternatives."""
    best = TermMatch(requirement, requirement.term, "absent")
    for name in (requirement.term, *requirement.alternatives):
        candidate = TermMatch(requirement, name, _evidence_of(name, requirement, evidence))
        if candidate.credit > best.credit:
            best = candidate
    return best


def build_keywords(matches: Iterable[TermMatch]) -> Keywords:
    """Matched and missing job terms, in job order, missing split by whether the resume evidences
    it (surfaceable by tailoring) or not (never to be claimed)."""
    keywords = Keywords()
    for match in matches:
        if match.evidence in ("in_context", "listed", "other_spelling"):
            keywords.matched.append(match.name)
            continue
        keywords.missing.append(match.name)
        if match.evidence == "implied":
            keywords.missing_evidenced.append(match.name)
        else:
            keywords.missing_not_in_resume.append(match.name)
    return keywords


def _coverage(matches: Iterable[TermMatch]) -> float | None:
    matches = list(matches)
    total = sum(m.weight for m in matches)
    return sum(m.weight * m.credit for m in matches) / total if total else None


def _summary_match(resume: ResumeData, matches: Iterable[TermMatch]) -> float | None:
    """Share of the job's must-have skills the headline and summary name the job's way."""
    wanted = [m for m in matches if m.requirement.required and m.requirement.kind != "soft"]
    if not wanted:
        return None
    top = resume.basics.headline
    if resume.sections.summary.visible:
        top += "\n" + resume.sections.summary.content
    forms = [form_key(top[start:end]) for start, end, _ in default_vocabulary().spans(top)]
    named = sum(
        1 for m in wanted if any(says(f, g) for f in forms for g in literal_forms(m.requirement))
    )
    return min(1.0, named / min(SUMMARY_TERMS, len(wanted)))


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
    """Score a resume 0-100 against a job, with the keywords and breakdown that explain it.

    ``evidence`` is the resume's :func:`resume_evidence` when the caller has it already.
    """
    if evidence is None:
        evidence = resume_evidence(resume, vocabulary=vocabulary)
    matches = tuple(match_requirement(r, evidence) for r in job.requirements)
    values = {
        "required": _coverage(m for m in matches if m.requirement.required),
        "preferred": _coverage(m for m in matches if not m.requirement.required),
        "summary": _summary_match(resume, matches),
        "title": _title_match(job, resume),
        "years": _years_match(job, resume, today or date.today()),
        "education": _education_match(job, resume),
    }
    present = {name: value for name, value in values.items() if value is not None}
    weight_total = sum(COMPONENT_WEIGHTS[name] for name in present)
    components = tuple(
        Component(name, 100 * COMPONENT_WEIGHTS[name] / weight_total, value)
        for name, value in present.items()
    )
    raw = sum(c.points for c in components)
    return ScoreResult(math.floor(raw + 0.5), build_keywords(matches), components, matches)
