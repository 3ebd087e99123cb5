"""Tests for the truthfulness verifier: crafted fabrications of each kind, and honest edits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from finetune.documents.schema import ResumeData
from finetune.tailoring.changes import read_path
from finetune.tailoring.model import Change, Level
from finetune.tailoring.verify import Verdict, verify_changes

RESUME_FILE = Path(__file__).parents[1] / "data" / "verify" / "resume.json"
EXP_SUMMARY = (
    "Own the payments platform.\n"
    "- Reduced API latency by 40% for 2 million users\n"
    "- Led a team of five engineers through a migration to k8s\n"
    "- Built React dashboards for the finance team"
)
SUMMARY = "Backend engineer building reliable Python services."
EXP = "sections.experience.items.acme"


def make_resume() -> ResumeData:
    return ResumeData.model_validate_json(RESUME_FILE.read_text(encoding="utf-8"))


def summary_change(new: str, path: str = EXP, original: str = EXP_SUMMARY) -> Change:
    return Change(path=f"{path}.summary", original=original, new=new, reason="test")


def verify_one(change: Change, level: Level = Level.super) -> Verdict:
    return verify_changes(make_resume(), [change], level)


def rejected_code(change: Change, level: Level = Level.super) -> str:
    verdict = verify_one(change, level)
    assert verdict.accepted == []
    assert len(verdict.warnings) == 1
    assert verdict.warnings[0].path == change.path
    return verdict.warnings[0].code


def assert_accepted(change: Change, level: Level = Level.super) -> None:
    verdict = verify_one(change, level)
    assert verdict.warnings == []
    assert verdict.accepted == [change]


# --- fabrications: each kind is rejected with its own code ---------------------------------


def test_new_employer_is_rejected() -> None:
    """Claiming work at an employer the resume never names is a fabricated employer."""
    change = summary_change(EXP_SUMMARY + "\n- Consulted for Initech on payment APIs")
    assert rejected_code(change) == "fabricated_employer"


def test_new_employer_with_company_suffix_is_rejected_anywhere() -> None:
    """An organisation name ("Hooli Inc") is caught even without "at" before it."""
    change = summary_change(EXP_SUMMARY + "\n- Hooli Inc adopted the platform")
    assert rejected_code(change) == "fabricated_employer"


def test_new_title_is_rejected() -> None:
    """A job title the resume never held (Staff Engineer) cannot appear in the headline."""
    change = Change(
        path="basics.headline", original="Senior Backend Engineer", new="Staff Backend Engineer"
    )
    assert rejected_code(change) == "fabricated_title"


def test_new_lowercase_title_is_rejected() -> None:
    """Titles in running text ("a principal architect") are checked too."""
    change = Change(
        path="sections.summary.content",
        original=SUMMARY,
        new="Backend engineer and principal architect building reliable Python services.",
    )
    assert rejected_code(change) == "fabricated_title"


def test_added_date_is_rejected() -> None:
    """A year the resume does not contain is a fabricated date."""
    change = Change(
        path="sections.summary.content",
        original=SUMMARY,
        new="Backend engineer building reliable Python services since 2012.",
    )
    assert rejected_code(change) == "fabricated_date"


def test_changed_month_is_rejected() -> None:
    """Moving a start date from March 2019 to January 2019 is an altered date."""
    change = summary_change(EXP_SUMMARY + "\n- Joined in January 2019 to own payments")
    assert rejected_code(change) == "fabricated_date"


def test_new_school_is_rejected() -> None:
    """A school the resume does not list is a fabricated school."""
    change = Change(
        path="sections.summary.content",
        original=SUMMARY,
        new=SUMMARY + " Studied at Stanford University.",
    )
    assert rejected_code(change) == "fabricated_school"


def test_new_degree_is_rejected() -> None:
    """A degree the resume does not list (an MSc, when it shows a BSc) is fabricated."""
    change = Change(
        path="sections.summary.content", original=SUMMARY, new=SUMMARY + " Holds an MSc."
    )
    assert rejected_code(change) == "fabricated_degree"


def test_injected_phd_from_mit_is_rejected() -> None:
    """The classic prompt injection ("a PhD from MIT") never survives verification."""
    change = Change(
        path="sections.summary.content",
        original=SUMMARY,
        new="Backend engineer with a PhD from MIT building reliable Python services.",
    )
    verdict = verify_one(change)
    assert verdict.accepted == []
    assert verdict.warnings[0].code == "fabricated_degree"
    assert "MIT" in verdict.warnings[0].message


def test_new_certification_is_rejected() -> None:
    """A certificate the resume does not hold is a fabricated certification."""
    change = Change(
        path="sections.summary.content",
        original=SUMMARY,
        new=SUMMARY + " AWS Certified Solutions Architect.",
    )
    assert rejected_code(change) == "fabricated_certification"


@pytest.mark.parametrize(
    "claim",
    [
        "Reduced API latency by 60% for 2 million users",
        "Reduced API latency by 40% for 3 million users",
        "Led a team of ten engineers",
        "Cut costs 3x",
        "Saved $2M per year",
    ],
)
def test_new_number_or_metric_is_rejected(claim: str) -> None:
    """Numbers, percentages, multiples and money the resume does not state are fabricated."""
    change = summary_change(EXP_SUMMARY.replace("Own the payments platform.", claim + "."))
    assert rejected_code(change) == "fabricated_number"


def test_unevidenced_skill_in_text_is_rejected() -> None:
    """Naming a skill the resume neither states nor implies (Java) is a fabricated skill."""
    change = Change(
        path="sections.summary.content",
        original=SUMMARY,
        new="Backend engineer building reliable Python and Java services.",
    )
    assert rejected_code(change) == "fabricated_skill"


def test_unevidenced_keyword_added_to_skills_is_rejected() -> None:
    """Adding a skill keyword the resume does not evidence is rejected at every level."""
    change = Change(
        path="sections.skills.items.lang.keywords",
        action="add",
        original=["Python", "SQL"],
        new=["Java"],
    )
    assert rejected_code(change, Level.basic) == "fabricated_skill"


def test_non_vocabulary_keyword_must_be_the_resumes_own_words() -> None:
    """A keyword outside the vocabulary is only accepted if the resume already says it."""
    add = Change(
        path="sections.skills.items.lang.keywords",
        action="add",
        original=["Python", "SQL"],
        new=["Quantum annealing"],
    )
    assert rejected_code(add, Level.basic) == "fabricated_skill"
    honest = add.model_copy(update={"new": ["payments platform"]})
    assert_accepted(honest, Level.basic)


@pytest.mark.parametrize(
    ("path", "level"),
    [
        ("basics.headline", Level.basic),
        (f"{EXP}.summary", Level.basic),
        ("sections.projects.items.ledger.summary", Level.good),
        (f"{EXP}.company", Level.super),
        (f"{EXP}.position", Level.super),
        ("basics.name", Level.super),
        ("sections.education.items.leeds.institution", Level.super),
    ],
)
def test_change_outside_the_levels_allow_list_is_rejected(path: str, level: Level) -> None:
    """A change to a path the level does not allow is rejected, whatever its content."""
    original = read_path(make_resume(), path)
    change = Change(path=path, original=original, new=f"{original} ")
    assert rejected_code(change, level) == "not_allowed"


def test_stale_original_is_rejected() -> None:
    """A change computed against another version of the resume is rejected, not applied."""
    change = summary_change(EXP_SUMMARY, original="- Something the resume never said")
    assert rejected_code(change) == "stale_change"


def test_unknown_item_id_is_rejected() -> None:
    """A change naming an item id the resume does not have is rejected."""
    change = summary_change("- Built APIs", path="sections.experience.items.nosuchid")
    assert rejected_code(change) == "unknown_item"


def test_emptying_a_field_is_rejected() -> None:
    """Replacing an experience summary with nothing would drop facts: rejected."""
    assert rejected_code(summary_change("")) == "dropped_content"


def test_rejected_change_does_not_block_later_changes() -> None:
    """Each change is judged alone: a fabrication is dropped, the honest change after it stays."""
    bad = Change(path="basics.headline", original="Senior Backend Engineer", new="CTO")
    good = Change(
        path="basics.headline",
        original="Senior Backend Engineer",
        new="Senior Backend Engineer · Payments",
    )
    verdict = verify_changes(make_resume(), [bad, good], Level.good)
    assert verdict.accepted == [good]
    assert [w.code for w in verdict.warnings] == ["fabricated_title"]


def test_headline_must_keep_the_current_title() -> None:
    """A title the person also held is still not their current one: Staff → Senior is a demotion
    a reader would notice, and a promotion would be a lie; the headline keeps its title."""
    older = Change(path="basics.headline", original="Senior Backend Engineer", new="Developer")
    assert rejected_code(older, Level.good) == "altered_title"


def test_headline_may_gain_one_focus_but_not_a_keyword_list() -> None:
    """ "Title · Payments" is a focus; "Title · Python, Django, Kubernetes" is keyword stuffing."""
    stuffed = Change(
        path="basics.headline",
        original="Senior Backend Engineer",
        new="Senior Backend Engineer · Python, Django, Kubernetes",
    )
    assert rejected_code(stuffed, Level.good) == "keyword_list"
    focus = stuffed.model_copy(update={"new": "Senior Backend Engineer · Kubernetes"})
    assert_accepted(focus, Level.good)


def test_stock_phrases_are_rejected() -> None:
    """Boilerplate the person never wrote ("Skilled in …", "results-driven") is refused."""
    for sentence in ("Skilled in Kubernetes and Django.", "Results-driven engineer."):
        change = Change(
            path="sections.summary.content", original=SUMMARY, new=f"{SUMMARY} {sentence}"
        )
        assert rejected_code(change, Level.good) == "stock_phrase"


def test_keyword_list_lines_in_a_job_are_rejected() -> None:
    """A line that only lists skills ("Kubernetes, Django, React.") is not a bullet."""
    change = summary_change(EXP_SUMMARY + "\n- Kubernetes, Django, React")
    assert rejected_code(change, Level.good) == "keyword_list"


def test_a_skill_list_may_respell_but_not_drop_a_skill() -> None:
    """ "k8s" may become "Kubernetes" in a skill list; a skill may never disappear."""
    resume = make_resume()
    group = next(item for item in resume.sections.skills.items if item.id == "web")
    path = "sections.skills.items.web.keywords"
    dropped = Change(path=path, original=group.keywords, new=group.keywords[1:])
    assert rejected_code(dropped, Level.good) == "dropped_skill"
    kept = Change(path=path, original=group.keywords, new=[*group.keywords, "JavaScript"])
    assert_accepted(kept, Level.good)


# --- honest edits: accepted without a warning -----------------------------------------------


def test_bullet_reordering_is_accepted() -> None:
    """Reordering the bullets of a role adds no facts and is accepted."""
    paragraph, *bullets = EXP_SUMMARY.split("\n")
    assert_accepted(summary_change("\n".join([paragraph, *reversed(bullets)])), Level.good)


def test_rephrasing_with_the_same_facts_is_accepted() -> None:
    """Rewording that keeps the same numbers, names and skills is accepted."""
    new = (
        "Owner of the payments platform.\n"
        "- Cut API latency by 40 percent for 2M users\n"
        "- Led five engineers through a migration to Kubernetes\n"
        "- Delivered React dashboards used by the finance team"
    )
    assert_accepted(summary_change(new), Level.good)


def test_money_written_differently_is_the_same_fact() -> None:
    """ "$1,200,000" restates "$1.2M"; it is not a new number."""
    original = "- Built billing jobs in Django\n- Saved $1.2M per year in hosting costs"
    new = "- Saved $1,200,000 per year in hosting costs\n- Built billing jobs in Django"
    change = summary_change(new, path="sections.experience.items.globex", original=original)
    assert_accepted(change, Level.good)


@pytest.mark.parametrize(
    "restated",
    [
        "Reduced API latency by 40 percent for 2M users",
        "Reduced API latency by forty percent for two million users",
        "Reduced API latency by 40 per cent for 2,000,000 users",
    ],
)
def test_the_same_metric_written_another_way_is_accepted(restated: str) -> None:
    """Percent, magnitude and spelled-out forms of a stated number are the same fact."""
    new = EXP_SUMMARY.replace("Reduced API latency by 40% for 2 million users", restated)
    assert_accepted(summary_change(new), Level.good)


def test_surfacing_an_implied_skill_is_accepted() -> None:
    """The resume says React, so adding JavaScript (which React implies) is honest."""
    change = Change(
        path="sections.skills.items.web.keywords",
        action="add",
        original=["React", "Django"],
        new=["JavaScript"],
    )
    assert_accepted(change, Level.basic)


def test_adding_an_evidenced_sentence_to_the_summary_is_accepted() -> None:
    """At basic, one sentence stating skills the resume evidences may be appended."""
    change = Change(
        path="sections.summary.content",
        original=SUMMARY,
        new=SUMMARY + " Most of that work ran on Kubernetes.",
    )
    assert_accepted(change, Level.basic)


def test_summary_rewrite_with_derived_years_is_accepted() -> None:
    """ "N years" is honest when the resume's own dates span at least N years."""
    change = Change(
        path="sections.summary.content",
        original=SUMMARY,
        new=(
            "Senior Backend Engineer with 9 years of experience at Acme Corp and Globex, "
            "building reliable Python services since 2015."
        ),
    )
    assert_accepted(change, Level.good)
    too_long = change.model_copy(update={"new": "Backend engineer with 25 years of experience."})
    assert rejected_code(too_long, Level.good) == "fabricated_number"


def test_renaming_a_skill_group_is_refused_at_every_level() -> None:
    """A group's name (and with it its level) is the person's claim; no level renames it."""
    rename = Change(path="sections.skills.items.web.name", original="Web", new="Core skills")
    assert rejected_code(rename, Level.super) == "not_allowed"


def test_verification_leaves_the_base_untouched() -> None:
    """verify_changes only reads the base resume; applying is a separate step."""
    base = make_resume()
    before = base.model_dump()
    verify_changes(base, [summary_change("- Built APIs at Initech")], Level.super)
    assert base.model_dump() == before


def test_years_of_experience_count_months_like_the_engine() -> None:
    """A role "2019 – Present" in December 2026 is eight years (January 2019 to now), though
    2026 − 2019 is seven: the engine's "8 years of experience" must not be refused."""
    base = ResumeData.model_validate(
        {"sections": {"experience": {"items": [{"position": "Nurse", "date": "2019 – Present"}]}}}
    )
    years = int((date.today() - date(2019, 1, 1)).days // 365.25)
    change = Change(
        path="sections.summary.content", original="", new=f"Nurse with {years} years of experience."
    )
    verdict = verify_changes(base, [change], Level.good)
    assert verdict.warnings == []
