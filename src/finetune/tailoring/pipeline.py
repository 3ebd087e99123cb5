"""The tailoring pipeline every caller uses: the API (test and live mode), the CLI, the MCP server.

analyze the job → the engine proposes changes → the verifier keeps the truthful ones that the
level allows → code applies them → whole-resume invariants are checked (any breach reverts to the
base resume) → base and tailored resume are scored by the same deterministic scorer.
Whatever the engine proposes, the result only ever contains facts of the base resume.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from finetune.documents.schema import ResumeData
from finetune.errors import ValidationError
from finetune.tailoring.changes import NEW_GROUP_PATH, apply_changes, read_path
from finetune.tailoring.engine import TailoringEngine, TailorRequest
from finetune.tailoring.engine_local import LocalEngine
from finetune.tailoring.invariants import check_preserved
from finetune.tailoring.jd import analyze_job
from finetune.tailoring.model import Change, Level, TailorResult, TailorWarning
from finetune.tailoring.scoring import resume_evidence, score_resume
from finetune.tailoring.verify import verify_changes


async def tailor(
    base: ResumeData,
    job_text: str,
    *,
    company: str,
    position: str,
    level: Level = Level.good,
    engine: TailoringEngine | None = None,
) -> TailorResult:
    """Tailor ``base`` to the job; never raises for a valid resume and job (engine errors aside,
    e.g. an LLM provider being down)."""
    started = time.perf_counter()
    job = analyze_job(job_text, position=position)
    # The base resume's evidence (a vocabulary scan of all its text) is needed by the engine,
    # the verifier and both scorings: worked out once here.
    evidence = resume_evidence(base)
    request = TailorRequest(
        base=base,
        job=job,
        job_text=job_text,
        company=company,
        position=position,
        level=level,
        base_evidence=evidence,
    )
    proposal = await (engine or LocalEngine()).propose(request)
    verdict = verify_changes(base, proposal.changes, level, evidence=evidence)
    warnings = [*proposal.warnings, *verdict.warnings]
    accepted = list(verdict.accepted)
    try:
        tailored = apply_changes(base, accepted)
    except ValidationError as exc:
        # The verifier applies each change on its own; one that only fails in combination
        # (e.g. two edits of one field) is not worth a failed request: keep the base resume.
        warnings.append(TailorWarning(code="changes_conflict", message=str(exc)))
        tailored, accepted = base, []
    breaches = check_preserved(base, tailored)
    if breaches:
        warnings += breaches
        tailored, accepted = base, []
    before = score_resume(base, job, evidence=evidence)
    # Nothing applied: the tailored resume is a copy of the base, with the base's evidence.
    after = score_resume(tailored, job, evidence=None if accepted else evidence)
    latency_ms = round((time.perf_counter() - started) * 1000)
    return TailorResult(
        resume_data=tailored,
        ats_score=after.ats_score,
        ats_score_before=before.ats_score,
        ats_breakdown=after.breakdown(),
        ats_breakdown_before=before.breakdown(),
        keywords=after.keywords,
        changes=field_changes(base, tailored, accepted),
        warnings=warnings,
        usage=proposal.usage.model_copy(update={"latency_ms": latency_ms}),
    )


def field_changes(base: ResumeData, tailored: ResumeData, applied: list[Change]) -> list[Change]:
    """What tailoring changed, one entry per field: the base value, the final value, and why.

    Engines may propose several edits of one field ("add" a skill, then "reorder"); the person
    reviewing the result wants to see each field once, before and after.
    """
    by_path: dict[str, list[Change]] = {}
    for change in applied:
        by_path.setdefault(change.path, []).append(change)
    merged: list[Change] = []
    for path, changes in by_path.items():
        if changes[0].action == "add" and changes[0].path == NEW_GROUP_PATH:
            # A new skill group: show its skills, not the item ids of the section.
            merged.append(changes[0].model_copy(update={"original": None}))
            continue
        original, new = read_path(base, path), read_path(tailored, path)
        if original == new:
            continue
        actions = {change.action for change in changes}
        action = changes[0].action if len(actions) == 1 else "replace"
        reasons = " ".join(dict.fromkeys(c.reason for c in changes if c.reason))
        merged.append(Change(path=path, action=action, original=original, new=new, reason=reasons))
    return merged


def tailor_sync(
    base: ResumeData,
    job_text: str,
    *,
    company: str,
    position: str,
    level: Level = Level.good,
    engine: TailoringEngine | None = None,
) -> TailorResult:
    """:func:`tailor` for synchronous callers (the CLI, benchmarks); not inside a running loop."""
    results: list[TailorResult] = []

    async def run() -> None:
        # The main task returns nothing on purpose: when asyncio.run restores the SIGINT handler,
        # Python 3.11's signal module formats repr() of that finished task twice, result
        # included, and repr() of a whole resume costs more (~0.5 ms) than tailoring's scoring.
        results.append(
            await tailor(
                base, job_text, company=company, position=position, level=level, engine=engine
            )
        )

    asyncio.run(run())
    return results[0]


def result_fields(result: TailorResult) -> dict[str, Any]:
    """The resume-object fields a tailoring run produces, JSON-ready (the API and the CLI share
    them): ``ats_score``, ``ats_score_before``, ``resume_data``, ``keywords``, ``changes``,
    ``warnings``, ``usage`` and the two score breakdowns."""
    return {
        "ats_score": result.ats_score,
        "ats_score_before": result.ats_score_before,
        "ats_breakdown": result.ats_breakdown.model_dump(mode="json"),
        "ats_breakdown_before": result.ats_breakdown_before.model_dump(mode="json"),
        "resume_data": result.resume_data.model_dump(mode="json", exclude_none=True),
        "keywords": result.keywords.model_dump(mode="json"),
        "changes": [change.model_dump(mode="json") for change in result.changes],
        "warnings": [warning.model_dump(mode="json") for warning in result.warnings],
        "usage": result.usage.model_dump(mode="json"),
    }
