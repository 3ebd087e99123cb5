"""The ATS scorer: range, determinism, monotonicity, cap, keywords and the pairs matrix."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from finetune.documents.schema import ResumeData
from finetune.tailoring.jd import JobProfile, Requirement, analyze_job
from finetune.tailoring.scoring import MISSING_MUST_HAVE_CAP, resume_evidence, score_resume

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
) -> ResumeData:
    """A small resume: a headline, one skills item, (position, date, summary) jobs, degrees."""
    data: dict[str, Any] = {"basics": {"name": name, "headline": headline}, "sections": {}}
    sections = data["sections"]
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


BACKEND = job(
    ("Python", "hard", True),
    ("PostgreSQL", "hard", True),
    ("Kubernetes", "hard", False),
    ("Communication", "soft", True),
    title="Backend Engineer",
)


def score(r: ResumeData, j: JobProfile) -> int:
    return score_resume(r, j, today=TODAY).ats_score


def test_score_is_an_integer_between_0_and_100() -> None:
    """Empty, partial and perfect resumes all score inside 0..100."""
    perfect = resume(headline="Backend Engineer", skills=["Python", "PostgreSQL", "Kubernetes",
                                                          "Communication"])  # fmt: skip
    for r in (ResumeData(), resume(skills=["Python"]), perfect):
        value = score(r, BACKEND)
        assert isinstance(value, int) and 0 <= value <= 100
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


def test_missing_must_have_caps_the_score() -> None:
    """Everything but one required hard skill still scores at most the cap."""
    r = resume(headline="Backend Engineer", skills=["Python", "Kubernetes", "Communication"])
    result = score_resume(r, BACKEND, today=TODAY)
    assert result.breakdown["raw"] > MISSING_MUST_HAVE_CAP
    assert result.ats_score == MISSING_MUST_HAVE_CAP
    assert result.breakdown["cap"] == MISSING_MUST_HAVE_CAP


def test_missing_soft_or_preferred_skill_does_not_cap() -> None:
    """Only required hard skills and certifications are must-haves for the cap."""
    r = resume(headline="Backend Engineer", skills=["Python", "PostgreSQL"])
    assert score(r, BACKEND) > MISSING_MUST_HAVE_CAP


def test_keywords_in_job_order_with_missing_split_by_evidence() -> None:
    """Matched/missing follow the job's order; Django evidences Python, Rust is simply absent."""
    j = job(("Rust", "hard", True), ("Python", "hard", True), ("SQL", "hard", False))
    keywords = score_resume(resume(skills=["Django", "SQL"]), j, today=TODAY).keywords
    assert keywords.matched == ["SQL"]
    assert keywords.missing == ["Rust", "Python"]
    assert keywords.missing_evidenced == ["Python"]
    assert keywords.missing_not_in_resume == ["Rust"]


def test_implied_skill_earns_partial_credit() -> None:
    """Evidenced-but-unnamed scores between absent and stated."""
    j = job(("Python", "hard", True), ("Git", "hard", True))
    absent = score(resume(skills=["Git"]), j)
    implied = score(resume(skills=["Git", "Django"]), j)
    stated = score(resume(skills=["Git", "Python"]), j)
    assert absent < implied < stated


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
    assert score_resume(senior, j, today=TODAY).breakdown["years"] == 1.0
    assert score(senior, j) > score(junior, j)
    undated = resume(skills=["Python"], positions=[("Engineer", "", "")])
    assert "years" not in score_resume(undated, j, today=TODAY).breakdown


def test_education_counts_when_determinable() -> None:
    """A master's meets a bachelor's bar; no degree listed scores the component zero."""
    j = job(("Python", "hard", True), education="bachelor")
    assert score_resume(resume(degrees=["M.S."]), j, today=TODAY).breakdown["education"] == 1.0
    assert score_resume(resume(degrees=["Associate"]), j).breakdown["education"] == 0.5
    assert score_resume(resume(), j, today=TODAY).breakdown["education"] == 0.0


def test_hidden_items_and_contact_details_are_not_evidence() -> None:
    """Skills in hidden items or in the name/contact fields are not stated."""
    r = resume(name="Go Python", skills=["Kubernetes"])
    r.sections.skills.items[0].visible = False
    assert resume_evidence(r).stated == frozenset()


def test_job_without_requirements_or_title_scores_zero() -> None:
    """Nothing to match against gives 0, not a division error."""
    assert score(resume(skills=["Python"]), JobProfile("", (), None, None)) == 0


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
def test_each_pair_resume_scores_highest_against_its_own_job() -> None:
    """Every pair's resume scores higher on its own job than on every other pair's job."""
    resumes = {
        p.name: ResumeData.model_validate_json((p / "resume.json").read_text()) for p in PAIRS
    }
    jobs = {}
    for p in PAIRS:
        meta = json.loads((p / "meta.json").read_text()) if (p / "meta.json").exists() else {}
        jobs[p.name] = analyze_job((p / "job.txt").read_text(), position=meta.get("position"))
    for name, r in resumes.items():
        own = score(r, jobs[name])
        others = {other: score(r, j) for other, j in jobs.items() if other != name}
        assert all(own > value for value in others.values()), (name, own, others)


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
    result = score_resume(base, j, today=date(2025, 3, 1))
    assert result.breakdown["keywords"] == 0.625
    assert result.breakdown["raw"] == 71.46
    assert result.ats_score == 70
    assert result.keywords.missing_evidenced == ["Python", "Kubernetes"]
    assert result.keywords.missing_not_in_resume == ["Communication", "Terraform"]
    base.sections.skills.items[0].keywords.append("Python")
    assert score_resume(base, j, today=date(2025, 3, 1)).ats_score == 79
