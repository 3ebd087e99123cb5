"""Tests for check_preserved: the whole-resume invariants checked after changes are applied."""

from __future__ import annotations

from pathlib import Path

from finetune.documents.schema import ExperienceItem, ResumeData
from finetune.tailoring.changes import apply_changes
from finetune.tailoring.invariants import check_preserved
from finetune.tailoring.model import Change, Level
from finetune.tailoring.verify import verify_changes

RESUME_FILE = Path(__file__).parents[1] / "data" / "verify" / "resume.json"


def make_resume() -> ResumeData:
    return ResumeData.model_validate_json(RESUME_FILE.read_text(encoding="utf-8"))


def test_check_preserved_accepts_an_honestly_tailored_resume() -> None:
    """Applying accepted changes keeps every employer, title, school and date: no warnings."""
    base = make_resume()
    summary = base.sections.experience.items[0].summary
    path = "sections.experience.items.acme.summary"
    paragraph, *bullets = summary.split("\n")
    reordered = "\n".join([paragraph, *reversed(bullets)])
    change = Change(path=path, original=summary, new=reordered)
    verdict = verify_changes(base, [change], Level.good)
    assert verdict.accepted == [change]
    tailored = apply_changes(base, verdict.accepted)
    assert tailored.sections.experience.items[0].summary == reordered
    assert check_preserved(base, tailored) == []


def test_dropped_employer_is_reported() -> None:
    """Removing an experience item is reported as a dropped employer."""
    base = make_resume()
    tailored = base.model_copy(deep=True)
    tailored.sections.experience.items = tailored.sections.experience.items[:1]
    warnings = check_preserved(base, tailored)
    assert [(w.code, w.path) for w in warnings] == [
        ("dropped_employer", "sections.experience.items.globex")
    ]


def test_hidden_employer_is_reported_as_dropped() -> None:
    """Hiding a visible experience item drops it from the resume just as deleting does."""
    base = make_resume()
    tailored = base.model_copy(deep=True)
    tailored.sections.experience.items[0].visible = False
    assert [w.code for w in check_preserved(base, tailored)] == ["dropped_employer"]


def test_dropped_school_is_reported() -> None:
    """Removing the education item or blanking its institution is reported."""
    base = make_resume()
    removed = base.model_copy(deep=True)
    removed.sections.education.items = []
    assert [w.code for w in check_preserved(base, removed)] == ["dropped_school"]
    blanked = base.model_copy(deep=True)
    blanked.sections.education.items[0].institution = ""
    assert [w.code for w in check_preserved(base, blanked)] == ["dropped_school"]


def test_dropped_or_altered_date_is_reported() -> None:
    """Blanking a role's date is a dropped date; changing it is an altered date."""
    base = make_resume()
    dropped = base.model_copy(deep=True)
    dropped.sections.experience.items[1].date = ""
    assert [w.code for w in check_preserved(base, dropped)] == ["dropped_date"]
    altered = base.model_copy(deep=True)
    altered.sections.experience.items[1].date = "2013 - 2019"
    warnings = check_preserved(base, altered)
    assert [(w.code, w.path) for w in warnings] == [
        ("altered_date", "sections.experience.items.globex.date")
    ]


def test_altered_title_degree_and_added_employer_are_reported() -> None:
    """A changed position or degree, or an added experience item, breaks the invariants."""
    base = make_resume()
    tailored = base.model_copy(deep=True)
    tailored.sections.experience.items[0].position = "Staff Engineer"
    tailored.sections.education.items[0].studyType = "Master of Science"
    tailored.sections.experience.items.append(ExperienceItem(id="new", company="Initech"))
    codes = sorted(w.code for w in check_preserved(base, tailored))
    assert codes == ["added_employer", "altered_degree", "altered_title"]


def test_dropped_certification_and_changed_name_are_reported() -> None:
    """Certifications and the person's identity are kept too."""
    base = make_resume()
    tailored = base.model_copy(deep=True)
    tailored.sections.certifications.items = []
    tailored.basics.name = "J. Doe"
    codes = sorted(w.code for w in check_preserved(base, tailored))
    assert codes == ["altered_contact", "dropped_certification"]
