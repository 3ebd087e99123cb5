"""The pipeline around any engine: verification, application, invariants, scoring, output shape."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import pytest

from finetune.documents.schema import ResumeData
from finetune.tailoring import pipeline
from finetune.tailoring.engine import Proposal, TailorRequest
from finetune.tailoring.jd import analyze_job
from finetune.tailoring.model import Change, Level, TailorWarning, Usage
from finetune.tailoring.pipeline import result_fields, tailor, tailor_sync
from finetune.tailoring.scoring import resume_evidence

JOB = """Backend Engineer

Requirements
- Strong Python and JavaScript experience.
- Experience with Kubernetes in production.
"""


def _base() -> ResumeData:
    return ResumeData.model_validate(
        {
            "basics": {"name": "Ada Example", "headline": "Backend Engineer"},
            "sections": {
                "summary": {"content": "Engineer who builds Python services."},
                "experience": {
                    "id": "experience",
                    "name": "Experience",
                    "items": [
                        {
                            "id": "acme",
                            "company": "Acme Widgets",
                            "position": "Backend Engineer",
                            "date": "2019 – Present",
                            "summary": "- Wrote the React admin UI\n- Ran Python services on k8s",
                        }
                    ],
                },
                "skills": {
                    "id": "skills",
                    "name": "Skills",
                    "items": [{"id": "web", "name": "Web", "keywords": ["React", "Python"]}],
                },
            },
        }
    )


@dataclass
class ScriptedEngine:
    """An engine that proposes exactly the given changes (as an LLM might)."""

    changes: list[Change]
    warnings: list[TailorWarning] = field(default_factory=list)
    name: str = "scripted"
    seen: list[TailorRequest] = field(default_factory=list)

    async def propose(self, request: TailorRequest) -> Proposal:
        self.seen.append(request)
        usage = Usage(model="scripted-model", input_tokens=120, output_tokens=40, latency_ms=1)
        return Proposal(changes=list(self.changes), usage=usage, warnings=list(self.warnings))


def _summary_change(new: str) -> Change:
    return Change(
        path="sections.summary.content",
        original="Engineer who builds Python services.",
        new=new,
        reason="test",
    )


def test_local_engine_is_the_default_and_raises_the_score() -> None:
    """Without an engine the local one tailors: the score rises and usage names it."""
    result = tailor_sync(_base(), JOB, company="Example Co", position="Backend Engineer")
    assert result.usage.model == "finetune-local"
    assert result.ats_score > result.ats_score_before
    assert "JavaScript" in result.keywords.matched
    assert result.warnings == []


async def test_fabrications_are_dropped_with_a_warning() -> None:
    """An engine that claims a PhD from MIT gets it rejected; the honest change still lands."""
    engine = ScriptedEngine(
        [
            _summary_change("Engineer who builds Python services. Holds a PhD from MIT."),
            Change(
                path="sections.skills.items.web.keywords",
                action="add",
                original=["React", "Python"],
                new=["JavaScript"],
                reason="React implies JavaScript",
            ),
        ]
    )
    result = await tailor(
        _base(), JOB, company="Example Co", position="Backend Engineer", engine=engine
    )
    assert result.resume_data.sections.summary.content == "Engineer who builds Python services."
    assert [c.path for c in result.changes] == ["sections.skills.items.web.keywords"]
    assert result.resume_data.sections.skills.items[0].keywords == ["React", "Python", "JavaScript"]
    assert [w.path for w in result.warnings] == ["sections.summary.content"]


async def test_changes_outside_the_level_are_refused() -> None:
    """A headline rewrite is not a basic-level change, whoever proposes it."""
    engine = ScriptedEngine(
        [
            Change(
                path="basics.headline",
                original="Backend Engineer",
                new="Backend Engineer · Python",
                reason="test",
            )
        ]
    )
    result = await tailor(
        _base(), JOB, company="Example Co", position="Backend Engineer",
        level=Level.basic, engine=engine,
    )  # fmt: skip
    assert result.resume_data.basics.headline == "Backend Engineer"
    assert result.changes == []
    assert len(result.warnings) == 1


async def test_engine_warnings_usage_and_request_pass_through() -> None:
    """Engine warnings are kept, usage keeps its tokens with the pipeline's latency."""
    note = TailorWarning(code="engine_note", message="structured output fell back to JSON mode")
    engine = ScriptedEngine([], warnings=[note])
    result = await tailor(
        _base(), JOB, company="Example Co", position="Platform Engineer", engine=engine
    )
    assert result.warnings == [note]
    assert (result.usage.model, result.usage.input_tokens, result.usage.output_tokens) == (
        "scripted-model",
        120,
        40,
    )
    assert result.usage.latency_ms >= 0
    (request,) = engine.seen
    assert (request.company, request.position, request.level) == (
        "Example Co",
        "Platform Engineer",
        Level.good,
    )
    assert request.job.title == "Platform Engineer"


async def test_invariant_breach_reverts_to_the_base(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the whole-resume check finds a loss, the base resume is returned with the warning."""
    breach = TailorWarning(code="dropped_date", message="a date was dropped")
    monkeypatch.setattr(pipeline, "check_preserved", lambda base, tailored: [breach])
    base = _base()
    result = await tailor(base, JOB, company="Example Co", position="Backend Engineer")
    assert result.resume_data == base
    assert result.changes == []
    assert result.warnings[-1] == breach
    assert result.ats_score == result.ats_score_before


@pytest.mark.parametrize("level", list(Level))
def test_empty_resume_is_valid_input(level: Level) -> None:
    """An empty base resume tailors without error and without inventing anything."""
    result = tailor_sync(ResumeData(), JOB, company="Example Co", position="Engineer", level=level)
    assert result.resume_data == ResumeData()
    assert result.keywords.matched == []
    assert result.ats_score == result.ats_score_before


def test_base_resume_is_never_modified() -> None:
    """Tailoring works on a copy: the caller's base resume is unchanged afterwards."""
    base = _base()
    snapshot = base.model_dump()
    tailor_sync(base, JOB, company="Example Co", position="Backend Engineer", level=Level.super)
    assert base.model_dump() == snapshot


def test_result_fields_are_the_shared_json_ready_fields() -> None:
    """result_fields gives exactly the API's tailoring fields, serialisable, without null ext."""
    result = tailor_sync(_base(), JOB, company="Example Co", position="Backend Engineer")
    fields = result_fields(result)
    assert set(fields) == {
        "ats_score",
        "ats_score_before",
        "ats_breakdown",
        "ats_breakdown_before",
        "resume_data",
        "keywords",
        "changes",
        "warnings",
        "usage",
    }
    assert json.loads(json.dumps(fields)) == fields
    assert "ext" not in fields["resume_data"]["basics"]
    assert set(fields["keywords"]) >= {"matched", "missing"}
    assert all(set(c) == {"path", "action", "original", "new", "reason"} for c in fields["changes"])
    assert fields["usage"]["model"] == "finetune-local"


async def test_engine_receives_the_base_evidence_the_pipeline_computed() -> None:
    """The pipeline hands the engine the base resume's evidence, equal to computing it anew."""
    engine = ScriptedEngine([])
    base = _base()
    await tailor(base, JOB, company="Example Co", position="Backend Engineer", engine=engine)
    (request,) = engine.seen
    assert request.base_evidence is not None
    assert request.evidence() is request.base_evidence
    assert request.base_evidence == resume_evidence(base)
    assert "Python" in request.base_evidence.stated


def test_request_without_evidence_computes_it() -> None:
    """Callers that build a TailorRequest themselves still get the base resume's evidence."""
    base = _base()
    request = TailorRequest(
        base, analyze_job(JOB), JOB, "Example Co", "Backend Engineer", Level.good
    )
    assert request.evidence() == resume_evidence(base)


@pytest.mark.parametrize("level", list(Level))
async def test_tailor_sync_returns_what_tailor_returns(level: Level) -> None:
    """tailor_sync gives the same result as awaiting tailor (latency aside)."""
    args = (_base(), JOB)
    options = {"company": "Example Co", "position": "Backend Engineer", "level": level}
    awaited = await tailor(*args, **options)  # type: ignore[arg-type]
    synced = await asyncio.to_thread(tailor_sync, *args, **options)  # type: ignore[arg-type]
    without_latency = {"usage": {"latency_ms"}}
    assert synced.model_dump(exclude=without_latency) == awaited.model_dump(exclude=without_latency)
