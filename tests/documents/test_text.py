"""Resume text fields: paths in the change-path format, visibility, joining, plain text."""

from __future__ import annotations

from finetune.documents.schema import ResumeData
from finetune.documents.text import iter_text_fields, resume_text


def sample() -> ResumeData:
    return ResumeData.model_validate(
        {
            "basics": {"name": "Ada Park", "headline": "Data Analyst", "email": "ada@example.com"},
            "sections": {
                "summary": {"content": "Analyst who ships dashboards."},
                "experience": {
                    "id": "experience",
                    "name": "Experience",
                    "items": [
                        {
                            "id": "job1",
                            "company": "Acme",
                            "position": "Analyst",
                            "summary": "- Built SQL models",
                            "url": {"href": "https://acme.example"},
                        },
                        {"id": "job2", "visible": False, "company": "Hidden Co"},
                    ],
                },
                "skills": {
                    "id": "skills",
                    "name": "Skills",
                    "items": [{"id": "sk1", "name": "Data", "keywords": ["SQL", "Python"]}],
                },
                "awards": {
                    "id": "awards",
                    "name": "Awards",
                    "visible": False,
                    "items": [{"id": "aw1", "title": "Best Analyst"}],
                },
            },
        }
    )


def test_paths_follow_the_change_path_format() -> None:
    """Fields are addressed as basics.x, sections.summary.content, sections.s.items.<id>.f."""
    fields = dict(iter_text_fields(sample()))
    assert fields == {
        "basics.name": "Ada Park",
        "basics.headline": "Data Analyst",
        "basics.email": "ada@example.com",
        "sections.summary.content": "Analyst who ships dashboards.",
        "sections.experience.items.job1.company": "Acme",
        "sections.experience.items.job1.position": "Analyst",
        "sections.experience.items.job1.summary": "- Built SQL models",
        "sections.skills.items.sk1.name": "Data",
        "sections.skills.items.sk1.keywords": "SQL, Python",
    }


def test_hidden_sections_and_items_are_included_on_request() -> None:
    """visible_only=False also yields hidden items and sections."""
    fields = dict(iter_text_fields(sample(), visible_only=False))
    assert fields["sections.experience.items.job2.company"] == "Hidden Co"
    assert fields["sections.awards.items.aw1.title"] == "Best Analyst"


def test_fields_come_in_document_order_and_skip_empty_text_and_links() -> None:
    """Order follows the resume; empty strings and URLs are not text fields."""
    paths = [path for path, _ in iter_text_fields(sample())]
    assert paths.index("basics.headline") < paths.index("sections.summary.content")
    assert paths.index("sections.summary.content") < paths.index(
        "sections.experience.items.job1.company"
    )
    assert not any(path.endswith((".url", ".href", ".location", ".date")) for path in paths)


def test_custom_fields_are_text() -> None:
    """Custom basics fields are addressed by their id."""
    r = ResumeData.model_validate(
        {"basics": {"customFields": [{"id": "cf1", "name": "Clearance", "value": "TS/SCI"}]}}
    )
    assert list(iter_text_fields(r)) == [("basics.customFields.cf1.value", "TS/SCI")]


def test_resume_text_is_visible_text_one_field_per_line() -> None:
    """Plain text holds every visible field, one per line, and nothing hidden."""
    text = resume_text(sample())
    assert text.splitlines()[:2] == ["Ada Park", "Data Analyst"]
    assert "SQL, Python" in text
    assert "Hidden Co" not in text and "Best Analyst" not in text
    assert resume_text(ResumeData()) == ""
