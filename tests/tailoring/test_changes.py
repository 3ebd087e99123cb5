"""Tests for applying changes by path and for the per-level allow-list."""

from __future__ import annotations

import pytest

from finetune.documents.schema import (
    EducationItem,
    ExperienceItem,
    ProjectItem,
    ResumeData,
    SkillItem,
)
from finetune.errors import ValidationError
from finetune.tailoring.changes import (
    ALLOWED_PATHS,
    ChangeError,
    apply_changes,
    is_allowed,
    keeps_sentences,
    planned_value,
    read_path,
)
from finetune.tailoring.model import Change, Level


def make_resume() -> ResumeData:
    resume = ResumeData()
    resume.basics.name = "Jane Doe"
    resume.basics.headline = "Backend Engineer"
    resume.sections.summary.content = "Backend engineer building Python services."
    resume.sections.experience.items = [
        ExperienceItem(
            id="exp1",
            company="Acme Corp",
            position="Backend Engineer",
            date="2019 - Present",
            summary="- Built APIs\n- Wrote tests",
        )
    ]
    resume.sections.education.items = [
        EducationItem(id="edu1", institution="University of Leeds", studyType="BSc")
    ]
    resume.sections.skills.items = [
        SkillItem(id="lang", name="Languages", keywords=["Python", "SQL"]),
        SkillItem(id="tools", name="Tools", keywords=["Docker"]),
    ]
    resume.sections.projects.items = [ProjectItem(id="proj1", name="Ledger", summary="A ledger.")]
    return resume


def test_read_path_returns_text_lists_and_item_ids() -> None:
    """read_path resolves text fields, string lists and a section's item order by id."""
    resume = make_resume()
    assert read_path(resume, "basics.headline") == "Backend Engineer"
    assert read_path(resume, "sections.skills.items.lang.keywords") == ["Python", "SQL"]
    assert read_path(resume, "sections.skills.items") == ["lang", "tools"]
    assert read_path(resume, "sections.experience.items.exp1.summary").startswith("- Built")


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("sections.experience.items.nope.summary", "unknown_item"),
        ("sections.experience.items.exp1.salary", "unknown_path"),
        ("sections.experience.items.exp1.visible", "unknown_path"),
        ("sections.experience.items.exp1", "unknown_path"),
        ("basics.picture", "unknown_path"),
        ("basics..headline", "unknown_path"),
        ("", "unknown_path"),
    ],
)
def test_read_path_rejects_unknown_paths(path: str, code: str) -> None:
    """Unknown fields, unknown item ids and non-text fields are validation errors with a code."""
    with pytest.raises(ChangeError) as caught:
        read_path(make_resume(), path)
    assert caught.value.code == code
    assert isinstance(caught.value, ValidationError)


def test_apply_changes_returns_a_copy_and_leaves_base_untouched() -> None:
    """apply_changes applies replace, reorder and add on a copy; the base keeps its values."""
    base = make_resume()
    before = base.model_dump()
    changes = [
        Change(
            path="basics.headline",
            original="Backend Engineer",
            new="Backend Engineer · Python",
        ),
        Change(
            path="sections.skills.items",
            action="reorder",
            original=["lang", "tools"],
            new=["tools", "lang"],
        ),
        Change(
            path="sections.skills.items.lang.keywords",
            action="add",
            original=["Python", "SQL"],
            new=["PostgreSQL", "python"],
        ),
    ]
    tailored = apply_changes(base, changes)
    assert base.model_dump() == before
    assert tailored.basics.headline == "Backend Engineer · Python"
    assert [item.id for item in tailored.sections.skills.items] == ["tools", "lang"]
    # "python" is already listed (case-insensitively), so only PostgreSQL is appended.
    assert tailored.sections.skills.items[1].keywords == ["Python", "SQL", "PostgreSQL"]


def test_changes_to_one_field_chain_in_order() -> None:
    """A second change to the same field names the value left by the first as its original."""
    path = "sections.skills.items.lang.keywords"
    changes = [
        Change(path=path, action="reorder", original=["Python", "SQL"], new=["SQL", "Python"]),
        Change(path=path, action="add", original=["SQL", "Python"], new=["Bash"]),
    ]
    tailored = apply_changes(make_resume(), changes)
    assert tailored.sections.skills.items[0].keywords == ["SQL", "Python", "Bash"]


def test_stale_original_is_refused() -> None:
    """A change whose original no longer matches the resume is not applied."""
    change = Change(path="basics.headline", original="Data Engineer", new="Engineer")
    with pytest.raises(ChangeError) as caught:
        apply_changes(make_resume(), [change])
    assert caught.value.code == "stale_change"


def test_original_is_compared_ignoring_whitespace() -> None:
    """Reflowed whitespace in original (common in LLM output) is not a stale change."""
    change = Change(
        path="sections.summary.content",
        original="Backend  engineer\nbuilding Python services. ",
        new="Backend engineer building Python services and APIs.",
    )
    tailored = apply_changes(make_resume(), [change])
    assert tailored.sections.summary.content.endswith("and APIs.")


@pytest.mark.parametrize(
    "change",
    [
        Change(path="basics.headline", original="Backend Engineer", new=["a", "b"]),
        Change(path="basics.headline", action="add", original="Backend Engineer", new="x"),
        Change(
            path="sections.skills.items.lang.keywords",
            action="reorder",
            original=["Python", "SQL"],
            new=["Python", "Go"],
        ),
        Change(
            path="sections.skills.items.lang.keywords",
            action="add",
            original=["Python", "SQL"],
            new=[" "],
        ),
        Change(
            path="sections.skills.items",
            action="replace",
            original=["lang", "tools"],
            new=["lang"],
        ),
        Change(
            path="sections.skills.items",
            action="reorder",
            original=["lang", "tools"],
            new=["lang", "tools", "new"],
        ),
    ],
)
def test_wrong_action_or_value_type_is_refused(change: Change) -> None:
    """Lists for text, non-permutation reorders, blank keywords and item add/remove fail."""
    with pytest.raises(ChangeError) as caught:
        planned_value(make_resume(), change)
    assert caught.value.code == "invalid_value"


def test_basic_level_allows_only_skills_and_summary_additions() -> None:
    """basic may reorder skills, add keywords and extend the summary, nothing else."""
    assert is_allowed(
        Change(path="sections.skills.items", action="reorder", original=[], new=[]), Level.basic
    )
    assert is_allowed(
        Change(path="sections.skills.items.lang.keywords", action="add", new=["Go"]), Level.basic
    )
    extend = Change(
        path="sections.summary.content",
        original="Backend engineer.",
        new="Backend engineer. I build Python services.",
    )
    rewrite = Change(path="sections.summary.content", original="Backend engineer.", new="Dev.")
    assert is_allowed(extend, Level.basic)
    assert not is_allowed(rewrite, Level.basic)
    assert is_allowed(rewrite, Level.good)
    headline = Change(path="basics.headline", original="a", new="b")
    assert not is_allowed(headline, Level.basic)
    assert is_allowed(headline, Level.good)


def test_basic_summary_may_respell_skills_but_keeps_every_sentence() -> None:
    """basic may write a skill the job's way ("k8s" → "Kubernetes") in the summary, and add at
    most one sentence; dropping or rewording a sentence is a rewrite, which basic may not do."""
    original = "I run services on k8s. I mentor juniors."
    respelled = "I run services on Kubernetes. I mentor juniors."
    reordered = "I mentor juniors. I run services on k8s."
    two_more = original + " I like tests. I like docs."
    assert keeps_sentences(original, respelled)
    assert not keeps_sentences(original, reordered)
    assert not keeps_sentences(original, two_more)
    assert not keeps_sentences(original, "I run services on k8s.")


def test_good_and_super_levels_widen_the_allow_list() -> None:
    """good adds the headline and experience bullets; super adds projects and volunteering.
    No level may rename a skill group."""
    bullets = Change(path="sections.experience.items.exp1.summary", original="a", new="b")
    assert not is_allowed(bullets, Level.basic)
    assert is_allowed(bullets, Level.good)
    project = Change(path="sections.projects.items.proj1.summary", original="a", new="b")
    assert not is_allowed(project, Level.good)
    assert is_allowed(project, Level.super)
    rename = Change(path="sections.skills.items.lang.name", original="a", new="b")
    assert not any(is_allowed(rename, level) for level in Level)
    assert set(ALLOWED_PATHS[Level.basic]) < set(ALLOWED_PATHS[Level.good])
    assert set(ALLOWED_PATHS[Level.good]) < set(ALLOWED_PATHS[Level.super])


@pytest.mark.parametrize(
    "path",
    [
        "basics.name",
        "basics.email",
        "basics.phone",
        "basics.location",
        "basics.url.href",
        "sections.experience.items.exp1.company",
        "sections.experience.items.exp1.position",
        "sections.experience.items.exp1.date",
        "sections.experience.items.exp1.id",
        "sections.experience.items",
        "sections.education.items.edu1.institution",
        "sections.education.items.edu1.studyType",
        "sections.education.items.edu1.area",
        "sections.education.items.edu1.score",
        "sections.certifications.items.c1.issuer",
        "sections.awards.items.a1.awarder",
    ],
)
@pytest.mark.parametrize("level", list(Level))
def test_identity_and_fact_fields_are_never_allowed(path: str, level: Level) -> None:
    """No level may touch identity, employer, title, school, degree, date or item fields."""
    for action in ("replace", "reorder", "add"):
        assert not is_allowed(Change(path=path, action=action, original="", new=""), level)


def test_a_new_skill_group_is_added_for_a_resume_without_skills() -> None:
    """ "add" on the skill groups appends one unnamed group holding the given keywords."""
    base = ResumeData.model_validate({"basics": {"name": "Ann"}})
    change = Change(path="sections.skills.items", action="add", original=[], new=["EHR", "BLS"])
    tailored = apply_changes(base, [change])
    assert [item.keywords for item in tailored.sections.skills.items] == [["EHR", "BLS"]]
    assert base.sections.skills.items == []
