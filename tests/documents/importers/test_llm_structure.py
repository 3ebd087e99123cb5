"""LLM structuring of imported text: used only where the extracted text bears it out."""

from __future__ import annotations

import json
from typing import Any

import samples.imports as samples
from finetune.documents.importers import import_resume, import_resume_with_llm
from finetune.llm.base import (
    RawCompletion,
    Rung,
    StructuredPrompt,
    TransientProviderError,
)
from finetune.llm.retry import RetryPolicy


class ScriptedProvider:
    """An LLMProvider that answers every request with one fixed reply (or fails)."""

    name = "openai"
    model = "scripted"
    rungs = (Rung.json_schema,)

    def __init__(self, answer: dict[str, Any] | None) -> None:
        self.answer = answer
        self.endpoint = f"scripted-{id(self)}"
        self.prompts: list[StructuredPrompt] = []

    async def complete(
        self, prompt: StructuredPrompt, rung: Rung, max_tokens: int
    ) -> RawCompletion:
        self.prompts.append(prompt)
        if self.answer is None:
            raise TransientProviderError("connection refused")
        return RawCompletion(json.dumps(self.answer), False, self.model, 100, 50)


def _answer(**overrides: Any) -> dict[str, Any]:
    """What a good LLM returns for the plain-text sample (samples.TEXT), with overrides."""
    answer: dict[str, Any] = {
        "name": "MEI TANAKA", "headline": "Registered Dietitian",
        "email": "mei.tanaka@example.com", "phone": "(206) 555-0123", "location": "Seattle, WA",
        "summary": "Clinical dietitian with eight years in hospital and outpatient care.",
        "experience": [
            {"company": "Harborview Medical Center", "position": "Clinical Dietitian",
             "location": "Seattle, WA", "date": "2019 - Present",
             "bullets": ["Assessed nutrition needs of 25 inpatients a day across surgical and "
                         "oncology units", "Led the enteral feeding protocol revision"]},
            {"company": "Bastyr University Clinic", "position": "Outpatient Dietitian",
             "location": "Kenmore, WA", "date": "2016 - 2019",
             "bullets": ["Counselled 600 patients a year on diabetes care"]},
        ],
        "education": [{"institution": "Bastyr University", "studyType": "M.S.",
                       "area": "Nutrition", "date": "2014 - 2016"}],
        "certifications": [{"name": "Registered Dietitian Nutritionist (RDN)",
                            "detail": "Commission on Dietetic Registration", "date": "2016"}],
        "skills": [{"name": "Hobbies", "keywords": ["Hiking", "Ceramics"]}],
    }  # fmt: skip
    answer.update(overrides)
    return answer


async def _import(provider: ScriptedProvider) -> Any:
    return await import_resume_with_llm("tanaka.txt", samples.TEXT.encode(), None, provider)


async def test_faithful_answer_is_used() -> None:
    """An answer that only copies the text becomes the resume; the text is sent as data."""
    provider = ScriptedProvider(_answer())
    result = await _import(provider)
    jobs = result.resume.sections.experience.items
    assert [(j.company, j.position, j.date) for j in jobs] == [
        ("Harborview Medical Center", "Clinical Dietitian", "2019 - Present"),
        ("Bastyr University Clinic", "Outpatient Dietitian", "2016 - 2019"),
    ]
    assert result.resume.sections.skills.items[0].name == "Hobbies"  # the LLM's grouping
    assert result.notes == []
    assert "Harborview Medical Center, Seattle, WA" in provider.prompts[0].user
    assert "instructions inside it" in provider.prompts[0].system


async def test_invented_values_are_dropped_and_reported() -> None:
    """A metric and a skill the document does not contain are removed and reported."""
    answer = _answer()
    answer["experience"][0]["bullets"].append("Cut readmissions by 40%")
    answer["skills"].append({"name": "Kubernetes", "keywords": []})
    result = await _import(ScriptedProvider(answer))
    text = json.dumps(result.resume.model_dump(mode="json"))
    assert "40%" not in text and "Kubernetes" not in text
    assert result.resume.sections.skills.items[0].keywords == ["Hiking", "Ceramics"]  # LLM's
    assert any("'Cut readmissions by 40%'" in note for note in result.notes)
    assert any("'Kubernetes'" in note for note in result.notes)


async def test_answer_that_loses_content_keeps_the_parser_result() -> None:
    """An invented employer is dropped; the answer then holds less than the parser's, which
    is kept."""
    answer = _answer(experience=[{"company": "Mayo Clinic", "position": "Clinical Dietitian"}])
    result = await _import(ScriptedProvider(answer))
    parsed = import_resume("tanaka.txt", samples.TEXT.encode())
    jobs = result.resume.sections.experience.items
    assert [j.company for j in jobs] == [j.company for j in parsed.resume.sections.experience.items]
    assert any("'Mayo Clinic'" in note for note in result.notes)
    assert "kept less of the document" in result.notes[-1]


async def test_unavailable_provider_falls_back_to_the_parser() -> None:
    """A provider that keeps failing leaves the deterministic result and says so."""
    result = await import_resume_with_llm(
        "tanaka.txt", samples.TEXT.encode(), None, ScriptedProvider(None),
        retry=RetryPolicy(attempts=1, base_delay=0),
    )  # fmt: skip
    parsed = import_resume("tanaka.txt", samples.TEXT.encode())
    assert [j.company for j in result.resume.sections.experience.items] == [
        j.company for j in parsed.resume.sections.experience.items
    ]
    assert "could not structure this file" in result.notes[0]


async def test_json_uploads_never_call_the_llm() -> None:
    """Structured JSON is imported as it is, without asking the LLM."""
    provider = ScriptedProvider(_answer())
    document = {"basics": {"name": "Ada"}, "sections": {}}
    result = await import_resume_with_llm("a.json", json.dumps(document).encode(), None, provider)
    assert result.resume.basics.name == "Ada"
    assert provider.prompts == []
