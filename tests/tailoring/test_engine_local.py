"""The local engine on its own: what it proposes per level, before the verifier sees it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from finetune.documents.schema import ProjectItem, ResumeData, split_bullets
from finetune.tailoring.changes import apply_changes, is_allowed
from finetune.tailoring.engine import TailorRequest
from finetune.tailoring.engine_local import LocalEngine
from finetune.tailoring.jd import analyze_job
from finetune.tailoring.model import Change, Level
from finetune.tailoring.rewriting import is_short_form

PAIRS_DIR = Path(__file__).parent.parent / "data" / "pairs"
PAIRS = sorted(p.name for p in PAIRS_DIR.iterdir() if (p / "resume.json").exists())

JOB = """Senior Frontend Engineer

Responsibilities
- Build customer-facing features in React and JavaScript with a Python backend.
- Deploy services to Kubernetes.

Requirements
- 4+ years of experience with JavaScript and React.
- Experience with Kubernetes in production.
- Experience with Java.
"""


def _resume(**overrides: object) -> ResumeData:
    data: dict[str, object] = {
        "basics": {"name": "Ada Example", "headline": "Web Developer"},
        "sections": {
            "summary": {"content": "Developer who ships small, tested changes."},
            "experience": {
                "id": "experience",
                "name": "Experience",
                "items": [
                    {
                        "id": "recent",
                        "company": "Acme Widgets",
                        "position": "Frontend Developer",
                        "date": "Jan 2020 – Present",
                        "summary": "- Organised the team offsite\n"
                        "- Built the checkout UI in React\n"
                        "- Moved staging to k8s",
                    },
                    {
                        "id": "older",
                        "company": "Bolt Studio",
                        "position": "Junior Developer",
                        "date": "2016 – 2019",
                        "summary": "- Wrote onboarding docs\n- Maintained Django admin tools",
                    },
                ],
            },
            "skills": {
                "id": "skills",
                "name": "Skills",
                "items": [
                    {"id": "tools", "name": "Tools", "keywords": ["Figma", "Jira"]},
                    {"id": "web", "name": "Web", "keywords": ["CSS", "React"]},
                ],
            },
        },
    }
    data.update(overrides)
    return ResumeData.model_validate(data)


def _propose(base: ResumeData, job_text: str, level: Level, position: str = "") -> list[Change]:
    job = analyze_job(job_text, position=position or None)
    request = TailorRequest(base, job, job_text, "Example Co", position or job.title, level)
    return asyncio.run(LocalEngine().propose(request)).changes


def _by_path(changes: list[Change], path: str) -> list[Change]:
    return [c for c in changes if c.path == path]


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("pair", PAIRS)
def test_pair_proposals_are_allowed_and_apply(pair: str, level: Level) -> None:
    """Every proposal on a realistic pair is within its level's allow-list and applies cleanly."""
    base = ResumeData.model_validate_json((PAIRS_DIR / pair / "resume.json").read_text())
    meta = json.loads((PAIRS_DIR / pair / "meta.json").read_text())
    changes = _propose(base, (PAIRS_DIR / pair / "job.txt").read_text(), level, meta["position"])
    assert changes, "the engine should find something to tailor"
    assert [c.path for c in changes if not is_allowed(c, level)] == []
    assert all(c.reason for c in changes)
    apply_changes(base, changes)


def test_proposals_are_deterministic() -> None:
    """The same input gives the same changes, run after run."""
    base = _resume()
    assert _propose(base, JOB, Level.super) == _propose(base, JOB, Level.super)


def test_basic_surfaces_implied_skill_in_the_group_that_evidences_it() -> None:
    """React implies JavaScript: basic adds JavaScript to the Web group, where React is."""
    changes = _propose(_resume(), JOB, Level.basic)
    added = [c for c in changes if c.action == "add"]
    assert [c.path for c in added] == ["sections.skills.items.web.keywords"]
    assert isinstance(added[0].new, list) and "JavaScript" in added[0].new
    assert "React" in added[0].reason


def test_basic_reorders_skills_and_only_touches_skills_and_summary() -> None:
    """basic puts the Web group first and appends one sentence to the summary, nothing else."""
    changes = _propose(_resume(), JOB, Level.basic)
    assert {c.path.split(".items")[0] for c in changes} <= {
        "sections.skills",
        "sections.summary.content",
    }
    (order,) = _by_path(changes, "sections.skills.items")
    assert order.new == ["web", "tools"]
    (summary,) = _by_path(changes, "sections.summary.content")
    assert isinstance(summary.new, str)
    assert summary.new.startswith("Developer who ships small, tested changes.")
    assert "Skilled in" in summary.new and "JavaScript" in summary.new


def test_job_wishes_the_resume_lacks_are_never_proposed() -> None:
    """The job asks for Java; the resume has none, so no change mentions it at any level."""
    for level in Level:
        for change in _propose(_resume(), JOB, level):
            new = change.new if isinstance(change.new, list) else [change.new or ""]
            assert not any("Java " in f"{text} " or text == "Java" for text in new), change


def test_good_headline_uses_the_resumes_own_title() -> None:
    """The headline takes the resume's closest title, never the job's "Senior Frontend Engineer"."""
    changes = _propose(_resume(), JOB, Level.good, position="Senior Frontend Engineer")
    (headline,) = _by_path(changes, "basics.headline")
    assert isinstance(headline.new, str)
    assert headline.new.startswith("Frontend Developer · ")
    assert "Senior" not in headline.new
    assert "React" in headline.new


def test_good_summary_uses_resume_dates_and_keeps_own_sentences() -> None:
    """The rewritten summary dates experience from the resume and keeps the user's sentence."""
    changes = _propose(_resume(), JOB, Level.good, position="Senior Frontend Engineer")
    (summary,) = _by_path(changes, "sections.summary.content")
    assert isinstance(summary.new, str)
    assert "since 2016" in summary.new
    assert "Developer who ships small, tested changes." in summary.new
    assert "Acme Widgets" in summary.new


def test_good_reorders_bullets_and_spells_aliases_as_the_job_does() -> None:
    """Relevant bullets come first and "k8s" becomes "Kubernetes" because the job says so."""
    changes = _propose(_resume(), JOB, Level.good)
    (role,) = _by_path(changes, "sections.experience.items.recent.summary")
    assert isinstance(role.new, str)
    _, bullets = split_bullets(role.new)
    assert bullets == [
        "Built the checkout UI in React",
        "Moved staging to Kubernetes",
        "Organised the team offsite",
    ]


def test_aliases_stay_when_the_job_does_not_spell_the_canonical_name() -> None:
    """Without "Kubernetes" in the job, the resume's own "k8s" is left alone."""
    job = JOB.replace("Kubernetes", "container platforms")
    changes = _propose(_resume(), job, Level.good)
    texts = [c.new for c in changes if isinstance(c.new, str)]
    assert not any("Kubernetes" in text for text in texts)


def test_only_super_reorders_projects() -> None:
    """Projects are super's territory: their bullets and keywords are left alone below it."""
    project = {
        "id": "widget",
        "name": "Widget",
        "keywords": ["Figma", "React"],
        "summary": "- Wrote the docs\n- Built the widget in React",
    }
    base = _resume()
    base.sections.projects.items = [ProjectItem.model_validate(project)]
    for level in (Level.basic, Level.good):
        assert not [c for c in _propose(base, JOB, level) if "projects" in c.path]
    changes = _propose(base, JOB, Level.super)
    (summary,) = _by_path(changes, "sections.projects.items.widget.summary")
    assert isinstance(summary.new, str)
    assert split_bullets(summary.new)[1][0] == "Built the widget in React"
    (keywords,) = _by_path(changes, "sections.projects.items.widget.keywords")
    assert keywords.new == ["React", "Figma"]


def test_super_names_the_key_skills_of_the_most_relevant_role() -> None:
    """super ends the most relevant role's paragraph with the job skills that role shows."""
    changes = _propose(_resume(), JOB, Level.super)
    (role,) = _by_path(changes, "sections.experience.items.recent.summary")
    assert isinstance(role.new, str)
    paragraph, _ = split_bullets(role.new)
    assert paragraph.startswith("Key skills: ")
    assert "React" in paragraph and "Kubernetes" in paragraph


def test_super_regroups_without_losing_a_keyword() -> None:
    """Regrouping moves keywords between groups; every original keyword is still listed."""
    base = _resume()
    tailored = apply_changes(base, _propose(base, JOB, Level.super))
    before = {k for item in base.sections.skills.items for k in item.keywords}
    after = {k for item in tailored.sections.skills.items for k in item.keywords}
    assert before <= after
    assert all(item.keywords for item in tailored.sections.skills.items)


def test_empty_resume_gets_no_changes_and_no_error() -> None:
    """An empty base resume is valid input: nothing to tailor, nothing invented."""
    for level in Level:
        changes = _propose(ResumeData(), JOB, level)
        assert all(not c.path.startswith("sections.skills") for c in changes)
        assert all("Skilled" not in str(c.new) for c in changes)


def test_usage_names_the_local_model() -> None:
    """Usage reports the local engine, with no tokens spent."""
    job = analyze_job(JOB)
    request = TailorRequest(_resume(), job, JOB, "Example Co", job.title, Level.good)
    usage = asyncio.run(LocalEngine().propose(request)).usage
    assert (usage.model, usage.input_tokens, usage.output_tokens) == ("finetune-local", 0, 0)


@pytest.mark.parametrize(
    ("mention", "name", "respelled"),
    [
        ("k8s", "Kubernetes", True),
        ("JS", "JavaScript", True),
        ("ReactJS", "React", True),
        ("python", "Python", False),
        ("Precepted", "Preceptor", False),
        ("IV antibiotics", "IV Therapy", False),
        ("step-down", "Progressive Care", False),
    ],
)
def test_only_short_forms_are_respelled(mention: str, name: str, respelled: bool) -> None:
    """Aliases that are real words or phrases keep their meaning; only short forms are respelled."""
    assert is_short_form(mention, name) is respelled
