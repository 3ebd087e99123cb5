"""The ATS scorer: range, determinism, monotonicity, the evidence ladder, components, keywords and
the pairs matrix."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from finetune.documents.loading import load_resume_file
from finetune.documents.schema import ResumeData
from finetune.tailoring.jd import JobProfile, Requirement, analyze_job
from finetune.tailoring.scoring import CREDITS, ScoreResult, resume_evidence, score_resume

PAIRS_DIR = Path(__file__).parents[1] / "data" / "pairs"
PAIRS = (
    sorted(p for p in PAIRS_DIR.iterdir() if (p / "job.txt").exists()) if PAIRS_DIR.exists() else []
)
TODAY = date(2025, 6, 1)


def resume(
    *,
    headline: str = "",
    skills: list[str] | None = None,
    positions: list[tuple[str, str, str]] | None = None,
    degrees: list[str] | None = None,
    name: str = "",
    summary: str = "",
) -> ResumeData:
    """A small resume: a headline, a summary, one skills item, (position, date, summary) jobs,
    degrees."""
    data: dict[str, Any] = {"basics": {"name": name, "headline": headline}, "sections": {}}
    sections = data["sections"]
    sections["summary"] = {"content": summary}
    if skills is not None:
        sections["skills"] = {
            "id": "skills",
            "name": "Skills",
            "items": [{"id": "s1", "name": "Skills", "keywords": skills}],
        }
    if positions is not None:
        sections["experience"] = {
            "id": "experience",
            "name": "Experience",
            "items": [
                {"id": f"e{i}", "position": p, "date": d, "summary": s}
                for i, (p, d, s) in enumerate(positions)
            ],
        }
    if degrees is not None:
        sections["education"] = {
            "id": "education",
            "name": "Education",
            "items": [{"id": f"d{i}", "studyType": d} for i, d in enumerate(degrees)],
        }
    return ResumeData.model_validate(data)


def job(*requirements: tuple[str, str, bool], title: str = "", **kwargs: Any) -> JobProfile:
    reqs = tuple(Requirement(term, kind, required) for term, kind, required in requirements)  # type: ignore[arg-type]
    return JobProfile(title, reqs, kwargs.get("years"), kwargs.get("education"))


def value(result: ScoreResult, component: str) -> float | None:
    found = result.component(component)
    return None if found is None else found.value


BACKEND = job(
    ("Python", "hard", True),
    ("PostgreSQL", "hard", True),
    ("Kubernetes", "hard", False),
    ("Communication", "soft", True),
    title="Backend Engineer",
)


def score(r: ResumeData, j: JobProfile) -> int:
    return score_resume(r, j, today=TODAY).ats_score


def evidence_of(r: ResumeData, j: JobProfile, term: str) -> str:
    result = score_resume(r, j, today=TODAY)
    return next(m.evidence for m in result.terms if m.requirement.term == term)


def test_score_is_an_integer_between_0_and_100() -> None:
    """Empty, partial and perfect resumes all score inside 0..100."""
    perfect = resume(
        headline="Backend Engineer",
        summary="I build Python services on PostgreSQL and Kubernetes; communication matters.",
    )
    for r in (ResumeData(), resume(skills=["Python"]), perfect):
        result = score(r, BACKEND)
        assert isinstance(result, int) and 0 <= result <= 100
    assert score(perfect, BACKEND) == 100
    assert score(ResumeData(), BACKEND) == 0


def test_same_input_same_score() -> None:
    """Scoring is deterministic: repeated calls and equal copies give one result."""
    r = resume(headline="Engineer", skills=["Python", "Docker"])
    results = [score_resume(r, BACKEND, today=TODAY) for _ in range(5)]
    results.append(score_resume(r.model_copy(deep=True), BACKEND, today=TODAY))
    assert all(result == results[0] for result in results)


def test_adding_a_required_skill_raises_the_score() -> None:
    """Each required skill the resume gains adds points."""
    before = resume(headline="Backend Engineer", skills=["Kubernetes"])
    after = resume(headline="Backend Engineer", skills=["Kubernetes", "PostgreSQL"])
    assert score(after, BACKEND) > score(before, BACKEND)


def test_required_weighs_more_than_preferred_and_hard_more_than_soft() -> None:
    """A required hard skill is worth more than a preferred one, a hard more than a soft."""
    required_hard = score(resume(skills=["Python"]), BACKEND)
    preferred_hard = score(resume(skills=["Kubernetes"]), BACKEND)
    required_soft = score(resume(skills=["Communication"]), BACKEND)
    assert required_hard > preferred_hard
    assert required_hard > required_soft


def test_missing_must_haves_cost_points_in_proportion_without_a_cap() -> None:
    """No cap pins a strong resume: each missing must-have costs its share, no more."""
    j = job(*((name, "hard", True) for name in ("Python", "Django", "PostgreSQL", "Redis")))
    text = "I build {} services."
    scores = [
        score(resume(summary=text.format(", ".join(skills))), j)
        for skills in (["Python", "Django", "PostgreSQL", "Redis"], ["Python", "Django",
                       "PostgreSQL"], ["Python", "Django"])
    ]  # fmt: skip
    assert scores[0] == 100
    assert 70 < scores[1] < scores[0]
    assert scores[0] - scores[1] == pytest.approx(scores[1] - scores[2], abs=1)


def test_the_evidence_ladder() -> None:
    """Credit rises from absent, to implied (Django implies Python), to another spelling
    ("py" is not how the job writes Python), to listed in skills, to used in context."""
    j = job(("Python", "hard", True))
    ladder = [
        resume(skills=["Rust"]),
        resume(skills=["Django"]),
        resume(skills=["Python3"]),
        resume(skills=["Python"]),
        resume(positions=[("Engineer", "", "- Built services in Python")]),
    ]
    kinds = [evidence_of(r, j, "Python") for r in ladder]
    assert kinds == ["absent", "implied", "other_spelling", "listed", "in_context"]
    assert [CREDITS[k] for k in kinds] == sorted(CREDITS[k] for k in kinds)
    scores = [score(r, j) for r in ladder]
    assert scores == sorted(set(scores))


def test_the_jobs_own_spelling_counts_as_literal() -> None:
    """An ad that writes "k8s" is matched by a resume that writes "k8s"."""
    j = job(("Kubernetes", "hard", True))
    spelled = JobProfile("", (Requirement("Kubernetes", "hard", True, ("k8s",)),), None, None)
    r = resume(skills=["k8s"])
    assert evidence_of(r, j, "Kubernetes") == "other_spelling"
    assert evidence_of(r, spelled, "Kubernetes") == "listed"


def test_a_spelling_inside_another_skill_counts() -> None:
    """A keyword search for "BI" finds "Power BI", and one for "Excel" finds "Microsoft Excel"."""
    bi = JobProfile("", (Requirement("Business Intelligence", "hard", True, ("BI",)),), None, None)
    assert evidence_of(resume(skills=["Power BI"]), bi, "Business Intelligence") == "listed"


def test_either_alternative_meets_an_or_requirement() -> None:
    """ "Python or Go": a resume with Go meets it, and the keywords name Go."""
    j = JobProfile("", (Requirement("Python", "hard", True, (), ("Go",)),), None, None)
    result = score_resume(resume(skills=["Go"]), j, today=TODAY)
    assert result.keywords.matched == ["Go"]
    assert result.keywords.missing == []


def test_summary_component_counts_must_haves_named_at_the_top() -> None:
    """The headline and summary earn the summary component by naming must-have skills."""
    j = job(("Python", "hard", True), ("PostgreSQL", "hard", True))
    silent = resume(summary="Engineer who likes quiet systems.", skills=["Python", "PostgreSQL"])
    named = resume(summary="Engineer building Python services.", skills=["Python", "PostgreSQL"])
    assert value(score_resume(silent, j, today=TODAY), "summary") == 0.0
    assert value(score_resume(named, j, today=TODAY), "summary") == 0.5
    assert score(named, j) > score(silent, j)


def test_keywords_in_job_order_with_missing_split_by_evidence() -> None:
    """Matched/missing follow the job's order; Django evidences Python, Rust is simply absent."""
    j = job(("Rust", "hard", True), ("Python", "hard", True), ("SQL", "hard", False))
    keywords = score_resume(resume(skills=["Django", "SQL"]), j, today=TODAY).keywords
    assert keywords.matched == ["SQL"]
    assert keywords.missing == ["Rust", "Python"]
    assert keywords.missing_evidenced == ["Python"]
    assert keywords.missing_not_in_resume == ["Rust"]


def test_title_match_counts() -> None:
    """A headline matching the job title (after canonicalisation) raises the score."""
    skills = ["Python", "PostgreSQL"]
    matching = score(resume(headline="Sr. Backend Developer", skills=skills), BACKEND)
    unrelated = score(resume(headline="Pastry Chef", skills=skills), BACKEND)
    assert matching > unrelated


def test_years_of_experience_count_when_determinable() -> None:
    """Six years of dated experience meets a five-year bar; two years does not."""
    j = job(("Python", "hard", True), title="Engineer", years=5)
    senior = resume(skills=["Python"], positions=[("Engineer", "Jan 2019 - Present", "")])
    junior = resume(skills=["Python"], positions=[("Engineer", "2023 - Present", "")])
    assert value(score_resume(senior, j, today=TODAY), "years") == 1.0
    assert score(senior, j) > score(junior, j)
    undated = resume(skills=["Python"], positions=[("Engineer", "", "")])
    assert value(score_resume(undated, j, today=TODAY), "years") is None


def test_education_counts_when_determinable() -> None:
    """A master's meets a bachelor's bar; no degree listed scores the component zero."""
    j = job(("Python", "hard", True), education="bachelor")
    assert value(score_resume(resume(degrees=["M.S."]), j, today=TODAY), "education") == 1.0
    assert value(score_resume(resume(degrees=["Associate"]), j), "education") == 0.5
    assert value(score_resume(resume(), j, today=TODAY), "education") == 0.0


def test_hidden_items_and_contact_details_are_not_evidence() -> None:
    """Skills in hidden items or in the name/contact fields are not stated."""
    r = resume(name="Go Python", skills=["Kubernetes"])
    r.sections.skills.items[0].visible = False
    assert resume_evidence(r).stated == frozenset()


def test_job_without_requirements_or_title_scores_zero() -> None:
    """Nothing to match against gives 0, not a division error."""
    assert score(resume(skills=["Python"]), JobProfile("", (), None, None)) == 0


def test_breakdown_explains_the_score() -> None:
    """The breakdown's points add up to the score and name every requirement's evidence."""
    r = resume(headline="Backend Engineer", skills=["Python", "Django"])
    result = score_resume(r, BACKEND, today=TODAY)
    breakdown = result.breakdown()
    assert breakdown.score == result.ats_score
    assert round(sum(c.points for c in breakdown.components)) == result.ats_score
    assert [t.term for t in breakdown.terms] == [r.term for r in BACKEND.requirements]
    assert {t.term: t.evidence for t in breakdown.terms}["Python"] == "listed"


def test_unrelated_job_scores_lower_than_fitting_job() -> None:
    """A nurse's resume fits a nursing ad better than an accounting ad."""
    nurse = resume(
        headline="Registered Nurse",
        skills=["RN", "BLS", "ACLS", "Epic", "telemetry", "patient education"],
    )
    nursing = analyze_job("Registered Nurse\nRequirements\n- RN license, BLS, ACLS.\n- Telemetry.")
    accounting = analyze_job("Staff Accountant\nRequirements\n- CPA, GAAP, reconciliations.")
    assert score(nurse, nursing) > score(nurse, accounting)


@pytest.mark.skipif(len(PAIRS) < 2, reason="needs the resume/job pairs under tests/data/pairs")
def test_each_fitting_resume_scores_highest_against_its_own_job() -> None:
    """Every pair whose resume fits its job (matched, injection) scores higher on its own job
    than on every job of another field (meta.json ``job_field``)."""
    metas = {p.name: json.loads((p / "meta.json").read_text()) for p in PAIRS}
    jobs = {
        p.name: analyze_job((p / "job.txt").read_text(), position=metas[p.name]["position"])
        for p in PAIRS
    }
    for p in PAIRS:
        if metas[p.name]["kind"] not in ("matched", "injection"):
            continue
        r = load_resume_file(p / "resume.json")
        own = score(r, jobs[p.name])
        field = metas[p.name]["job_field"]
        others = {
            other: score(r, j)
            for other, j in jobs.items()
            if other != p.name and metas[other]["job_field"] != field
        }
        assert all(own > value for value in others.values()), (p.name, own, others)


def test_worked_example_in_docs_holds() -> None:
    """The worked example in docs/scoring.md gives the numbers the document states."""
    text = (
        "Backend Engineer\nRequirements\n- 4+ years of experience with Python and PostgreSQL.\n"
        "- Bachelor's degree in Computer Science or similar.\n- Strong communication skills.\n"
        "Nice to have\n- Kubernetes and Terraform.\n"
    )
    j = analyze_job(text)
    base = resume(
        headline="Software Developer",
        skills=["Django", "PostgreSQL", "Amazon EKS"],
        positions=[("Backend Developer", "Mar 2022 - Present", "- Built APIs")],
        degrees=["B.S."],
    )
    day = date(2025, 3, 1)
    result = score_resume(base, j, today=day)
    assert round(value(result, "required") or 0, 4) == 0.5522
    assert round(value(result, "preferred") or 0, 4) == 0.05
    assert round(value(result, "years") or 0, 4) == 0.7708
    assert result.ats_score == 55
    assert result.keywords.missing_evidenced == ["Python", "Kubernetes"]
    assert result.keywords.missing_not_in_resume == ["Communication", "Terraform"]
    base.sections.skills.items[0].keywords.append("Python")
    assert score_resume(base, j, today=day).ats_score == 63
    base.sections.experience.items[0].summary = "- Built APIs in Python"
    assert score_resume(base, j, today=day).ats_score == 66
