"""JSON uploads: JSON Resume, our resume_data and Reactive Resume v4 exports."""

from __future__ import annotations

import json
from pathlib import Path

from finetune.documents.importers import import_resume
from finetune.documents.importers.reactive import html_to_text
from finetune.documents.jsonresume import to_json_resume

DATA = Path(__file__).parents[2] / "data"

REACTIVE_RESUME = {
    "basics": {
        "name": "Jordan Reyes", "headline": "Product Designer", "email": "jordan@example.com",
        "phone": "", "location": "Denver, CO", "url": {"label": "", "href": "https://jr.example"},
        "customFields": [], "picture": {"url": "", "size": 64, "aspectRatio": 1,
        "borderRadius": 0, "effects": {"hidden": False, "border": False, "grayscale": False}},
    },
    "sections": {
        "summary": {"id": "summary", "name": "Summary", "columns": 1, "separateLinks": True,
                    "visible": True, "content": "<p>Designer of <strong>calm</strong> tools.</p>"},
        "experience": {"id": "experience", "name": "Experience", "columns": 1,
                       "separateLinks": True, "visible": True, "items": [{
            "id": "cm0abc123def456ghi789jkl", "visible": True, "company": "Fieldnote",
            "position": "Senior Designer", "location": "Remote", "date": "2021 - Present",
            "summary": "<p>Design lead.</p><ul><li><p>Shipped the &amp; mobile app</p></li>"
                       "<li>Ran 40 interviews</li></ul>",
            "url": {"label": "", "href": ""}}]},
        "skills": {"id": "skills", "name": "Skills", "columns": 1, "separateLinks": True,
                   "visible": True, "items": [{"id": "s1", "visible": True, "name": "Figma",
                   "description": "Expert", "level": 5, "keywords": ["Prototyping"]}]},
        "custom": {"talks": {"id": "talks", "name": "Talks", "columns": 1, "separateLinks": True,
                   "visible": True, "items": [{"id": "t1", "visible": True, "name": "Quiet UI",
                   "description": "Config 2023", "date": "2023", "location": "",
                   "summary": "", "keywords": [], "url": {"label": "", "href": ""}}]}},
    },
    "metadata": {"template": "rhyhorn", "layout": [[["summary"]]], "theme": {}},
}  # fmt: skip


def test_json_resume_upload_converts_without_loss() -> None:
    """A JSON Resume file imports as json-resume and exports back to the same document."""
    raw = (DATA / "jsonresume" / "sample.resume.json").read_bytes()
    result = import_resume("resume.json", raw)
    assert result.source_format == "json-resume"
    assert to_json_resume(result.resume) == json.loads(raw)


def test_resume_data_upload() -> None:
    """Our own resume_data, even named .txt, imports as resume-data unchanged."""
    raw = (DATA / "pairs" / "software-engineer" / "resume.json").read_bytes()
    result = import_resume("resume.txt", raw)
    assert result.source_format == "resume-data"
    assert result.resume.model_dump(mode="json", exclude_none=True) == json.loads(raw)


def test_reactive_resume_export_maps_fields_and_html() -> None:
    """Reactive Resume v4: fields kept, HTML summaries become text and bullets, custom
    sections are reported as unplaced, layout metadata is left out."""
    result = import_resume("reactive.json", json.dumps(REACTIVE_RESUME).encode())
    resume = result.resume
    assert result.source_format == "reactive-resume"
    assert (resume.basics.name, resume.basics.url.href) == ("Jordan Reyes", "https://jr.example")
    assert resume.sections.summary.content == "Designer of calm tools."
    job = resume.sections.experience.items[0]
    assert (job.id, job.company, job.position) == (
        "cm0abc123def456ghi789jkl",
        "Fieldnote",
        "Senior Designer",
    )
    assert job.summary == "Design lead.\n\n- Shipped the & mobile app\n- Ran 40 interviews"
    assert resume.sections.skills.items[0].keywords == ["Prototyping"]
    assert result.unplaced == ["Talks", "Quiet UI · Config 2023 · 2023"]


def test_html_to_text_plain_passthrough_and_nesting() -> None:
    """Plain text is left alone; nested list items flatten into bullets."""
    assert html_to_text("Just text &amp; more") == "Just text & more"
    assert html_to_text("<ul><li>One<ul><li>Two</li></ul></li></ul>") == "- One\n- Two"
