"""The local engine on its own: what it proposes per level, before the verifier sees it."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from finetune.documents.loading import load_resume_file
from finetune.documents.schema import ProjectItem, ResumeData, split_bullets
from finetune.tailoring.changes import apply_changes, is_allowed
from finetune.tailoring.engine import TailorRequest
from finetune.tailoring.engine_local import LocalEngine
from finetune.tailoring.jd import analyze_job
from finetune.tailoring.model import Change, Level
from finetune.tailoring.rewriting import can_respell, can_respell_entry

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
    base = load_resume_file(PAIRS_DIR / pair / "resume.json")
    meta = json.loads((PAIRS_DIR / pair / "meta.json").read_text())
    changes = _propose(base, (PAIRS_DIR / pair / "job.txt").read_text(), level, meta["position"])
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
    (web,) = _by_path(changes, "sections.skills.items.web.keywords")
    assert isinstance(web.new, list) and "JavaScript" in web.new
    assert set(web.new) >= {"CSS", "React"}
    assert "JavaScript" in web.reason


def test_basic_only_touches_skills_and_respells_the_summary() -> None:
    """basic puts the Web group first and adds no sentence of its own anywhere."""
    changes = _propose(_resume(), JOB, Level.basic)
    assert {c.path.split(".items")[0] for c in changes} <= {
        "sections.skills",
        "sections.summary.content",
    }
    (order,) = _by_path(changes, "sections.skills.items")
    assert order.new == ["web", "tools"]
    assert _by_path(changes, "sections.summary.content") == []


def test_groups_keep_their_names_and_every_skill() -> None:
    """No level renames a group or drops a skill from it; skills only move forward or join."""
    base = _resume()
    for level in Level:
        tailored = apply_changes(base, _propose(base, JOB, level))
        for before in base.sections.skills.items:
            after = next(i for i in tailored.sections.skills.items if i.id == before.id)
            assert (after.name, after.level, after.description) == (
                before.name,
                before.level,
                before.description,
            )
            assert set(before.keywords) <= set(after.keywords)


def test_a_resume_without_skills_gets_one_group_of_what_it_evidences() -> None:
    """No skills section: the evidenced job skills (React → JavaScript) become one group."""
    base = _resume()
    base.sections.skills.items = []
    (group,) = _by_path(_propose(base, JOB, Level.basic), "sections.skills.items")
    assert group.action == "add"
    assert "JavaScript" in (group.new or [])


def test_job_wishes_the_resume_lacks_are_never_proposed() -> None:
    """The job asks for Java; the resume has none, so no change mentions it at any level."""
    for level in Level:
        for change in _propose(_resume(), JOB, level):
            new = change.new if isinstance(change.new, list) else [change.new or ""]
            assert not any("Java " in f"{text} " or text == "Java" for text in new), change


def test_headline_keeps_the_title_and_takes_one_focus_from_the_jobs_title() -> None:
    """The headline keeps "Web Developer", never the job's "Senior Frontend Engineer"; the job
    title's "Frontend" is evidenced by the resume, so it may follow as a focus."""
    changes = _propose(_resume(), JOB, Level.good, position="Senior Frontend Engineer")
    (headline,) = _by_path(changes, "basics.headline")
    assert headline.new == "Web Developer · Frontend"


def test_an_empty_headline_takes_the_current_title() -> None:
    """A resume without a headline gets the title of its most recent role."""
    base = _resume(basics={"name": "Ada Example", "headline": ""})
    (headline,) = _by_path(_propose(base, JOB, Level.good), "basics.headline")
    assert headline.new == "Frontend Developer"


def test_good_summary_keeps_an_opening_that_introduces_the_person() -> None:
    """ "Developer who ships…" already says who they are: it stays first, and the most relevant
    achievement follows, told as the tailored bullet tells it."""
    changes = _propose(_resume(), JOB, Level.good, position="Senior Frontend Engineer")
    (summary,) = _by_path(changes, "sections.summary.content")
    assert summary.new == (
        "Developer who ships small, tested changes. At Acme Widgets, built the checkout UI in "
        "React (JavaScript)."
    )


def test_good_summary_opens_with_title_and_years_from_the_roles_dates() -> None:
    """A summary that does not introduce the person gets "<title> with N years of experience",
    N counted from the dates of the roles that share the title's words."""
    base = _resume()
    base.sections.summary.content = "Ships small, tested changes."
    (summary,) = _by_path(_propose(base, JOB, Level.good), "sections.summary.content")
    assert re.match(r"Web Developer with \d+ years of experience\. ", str(summary.new))
    assert "Ships small, tested changes." in str(summary.new)


def test_first_person_summaries_get_first_person_achievements() -> None:
    """ "I ship…" summaries get "At Acme Widgets, I built…", in the person's own voice."""
    base = _resume()
    base.sections.summary.content = "I ship small, tested changes."
    (summary,) = _by_path(_propose(base, JOB, Level.good), "sections.summary.content")
    assert "At Acme Widgets, I built the checkout UI in React (JavaScript)." in str(summary.new)


def test_good_reorders_bullets_and_spells_aliases_as_the_job_does() -> None:
    """Relevant bullets come first and "k8s" becomes "Kubernetes" because the job says so."""
    changes = _propose(_resume(), JOB, Level.good)
    (role,) = _by_path(changes, "sections.experience.items.recent.summary")
    assert isinstance(role.new, str)
    _, bullets = split_bullets(role.new)
    assert bullets == [
        "Built the checkout UI in React (JavaScript)",
        "Moved staging to Kubernetes",
        "Organised the team offsite",
    ]


def test_a_tool_is_glossed_once_with_the_job_skill_it_evidences() -> None:
    """The job wants Python; "Django admin tools" evidence it but the resume never says so:
    good names it next to its evidence, once, where it ends a phrase."""
    base = _resume()
    base.sections.experience.items[1].summary = "- Maintained admin tools in Django"
    changes = _propose(base, JOB, Level.super)
    (role,) = _by_path(changes, "sections.experience.items.older.summary")
    assert role.new == "- Maintained admin tools in Django (Python)"


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


def test_empty_resume_gets_no_changes_and_no_error() -> None:
    """An empty base resume is valid input: nothing to tailor, nothing invented."""
    for level in Level:
        assert _propose(ResumeData(), JOB, level) == []


def test_usage_names_the_local_model() -> None:
    """Usage reports the local engine, with no tokens spent."""
    job = analyze_job(JOB)
    request = TailorRequest(_resume(), job, JOB, "Example Co", job.title, Level.good)
    usage = asyncio.run(LocalEngine().propose(request)).usage
    assert (usage.model, usage.input_tokens, usage.output_tokens) == ("finetune-local", 0, 0)


@pytest.mark.parametrize(
    ("mention", "spelling", "opens_sentence", "respelled"),
    [
        ("k8s", "Kubernetes", False, True),
        ("Postgres", "PostgreSQL", False, True),
        ("NodeJS", "Node.js", False, True),
        ("Precepted", "Preceptor", True, False),
        ("mentored", "Mentoring", False, False),
        ("REST", "REST APIs", False, False),
        ("Epic", "EHR", True, False),
    ],
)
def test_only_plain_renamings_are_respelled_in_sentences(
    mention: str, spelling: str, opens_sentence: bool, respelled: bool
) -> None:
    """A skill is written the job's way only where the swap keeps the sentence intact: one name
    for another, never a verb, an opening word or an abbreviation grown into several words."""
    assert can_respell(mention, spelling, opens_sentence=opens_sentence) is respelled


@pytest.mark.parametrize(
    ("entry", "spelling", "respelled"),
    [
        ("Excel", "Microsoft Excel", True),
        ("k8s", "Kubernetes", True),
        ("Cohort analysis", "Product Analytics", False),
        ("Discharge teaching", "Discharge Planning", False),
        ("BLS/CPR", "BLS", False),
        ("NPV & IRR", "NPV", False),
    ],
)
def test_list_entries_are_respelled_only_when_plainly_the_same(
    entry: str, spelling: str, respelled: bool
) -> None:
    """In a skill list, "Excel" may become "Microsoft Excel"; a different phrase stays, and so
    does an entry naming two skills ("BLS/CPR" must not lose CPR)."""
    assert can_respell_entry(entry, spelling) is respelled


def test_a_gloss_never_nests_inside_brackets() -> None:
    """ "(built in React, Figma)" gets no "(JavaScript)" inside it: brackets would nest."""
    base = _resume()
    base.sections.experience.items[0].summary = "- Shipped the checkout (built in React, Figma)"
    texts = [str(c.new) for c in _propose(base, JOB, Level.good)]
    assert not any("React (JavaScript)" in text for text in texts)


def test_no_focus_from_a_job_in_another_line_of_work() -> None:
    """A job title's focus describes the person only in the same kind of role: a "Pastry Chef"
    applying to "Frontend Engineer" keeps their headline as it is."""
    base = _resume(basics={"name": "Ada Example", "headline": "Pastry Chef"})
    changes = _propose(base, JOB, Level.good, position="Senior Frontend Engineer")
    assert _by_path(changes, "basics.headline") == []
