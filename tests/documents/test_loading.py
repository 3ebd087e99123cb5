"""Loading resumes from dicts and files: both formats, and a clear error for everything else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from finetune.documents.loading import has_content, load_resume_document, load_resume_file
from finetune.documents.schema import ResumeData
from finetune.errors import ValidationError

DATA = Path(__file__).parent.parent / "data"
SAMPLE = DATA / "jsonresume" / "sample.resume.json"
NURSE = DATA / "pairs" / "registered-nurse" / "resume.json"
PERSONA = (
    Path(__file__).parents[2] / "src" / "finetune" / "documents" / "data" / "sample_persona.json"
)


def _error(doc: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        load_resume_document(doc)
    return caught.value.message


def test_loads_our_resume_data() -> None:
    """A resume_data dict loads as-is, ids included."""
    doc = json.loads(NURSE.read_text())
    resume = load_resume_document(doc)
    assert resume.basics.name == "Maria Delgado-Pryce"
    assert resume.model_dump(mode="json", exclude_none=True) == doc


def test_loads_a_json_resume_document() -> None:
    """A JSON Resume dict is recognised and converted."""
    resume = load_resume_document(json.loads(SAMPLE.read_text()))
    assert resume.basics.headline == "Programmer"
    assert resume.sections.experience.items[0].company == "Pied Piper"


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ([], "got an array"),
        ("resume", "got a string"),
        (None, "got null"),
        (3, "got a number"),
    ],
)
def test_non_objects_are_rejected(doc: Any, expected: str) -> None:
    """Anything but a JSON object gets a ValidationError saying what it got."""
    assert expected in _error(doc)


def test_invalid_resume_data_names_the_field() -> None:
    """A wrong type deep in resume_data is reported with its dotted path."""
    doc = json.loads(NURSE.read_text())
    doc["sections"]["experience"]["items"][1]["date"] = 2019
    assert _error(doc).startswith("Invalid resume_data at sections.experience.items[1].date:")


def test_unknown_fields_are_named_and_counted() -> None:
    """Typos are rejected (not dropped) and further problems are counted."""
    doc = json.loads(NURSE.read_text())
    doc["basics"]["fullname"] = "Maria"
    doc["sections"]["skills"]["items"][0]["level"] = 9
    message = _error(doc)
    assert message.startswith(
        "Invalid resume_data at basics.fullname: Extra inputs are not permitted"
    )
    assert message.endswith("(1 more problem)")


def test_invalid_json_resume_names_the_field() -> None:
    """A JSON Resume with a wrong type is reported in JSON Resume's own terms."""
    assert _error({"work": [{"name": "Acme", "highlights": "did things"}]}).startswith(
        "work[0].highlights must be a list of strings"
    )


@pytest.mark.parametrize("doc", [{}, {"basics": {}}, {"work": []}, {"sections": {}}])
def test_empty_resumes_are_rejected(doc: dict[str, Any]) -> None:
    """A resume with no name, summary or items is an error, never a stored blank resume."""
    assert _error(doc).startswith("The resume is empty")


def test_has_content_counts_any_single_item() -> None:
    """One item in any section is enough content."""
    interests = {"id": "interests", "name": "Interests", "items": [{"name": "Chess"}]}
    resume = ResumeData.model_validate({"sections": {"interests": interests}})
    assert has_content(resume)
    assert not has_content(ResumeData())


@pytest.mark.parametrize(
    "path", [NURSE, SAMPLE, PERSONA], ids=["resume_data", "jsonresume", "persona"]
)
def test_loads_files_in_both_formats(path: Path) -> None:
    """Files of either format load, the built-in persona included."""
    assert load_resume_file(path).basics.name


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 file saved with a BOM still loads."""
    path = tmp_path / "resume.json"
    path.write_bytes(b"\xef\xbb\xbf" + NURSE.read_bytes())
    assert load_resume_file(path).basics.name == "Maria Delgado-Pryce"


def test_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    """An unreadable path names the file and the reason."""
    with pytest.raises(
        ValidationError, match=r"Cannot read resume file .*nope\.json: No such file"
    ):
        load_resume_file(tmp_path / "nope.json")


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    """Broken JSON says where it broke and what was expected."""
    path = tmp_path / "resume.json"
    path.write_text('{\n  "basics": {"name": "Ada",}\n}\n')
    with pytest.raises(ValidationError, match=r"is not valid JSON \(line 2, column 28"):
        load_resume_file(path)


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    """A non-UTF-8 file (e.g. a PDF passed by mistake) is a clear error."""
    path = tmp_path / "resume.json"
    path.write_bytes(b"%PDF-1.7\n\xff\xfe\x00binary")
    with pytest.raises(ValidationError, match="is not UTF-8 text"):
        load_resume_file(path)


@pytest.mark.parametrize(
    "pair", sorted(p for p in (DATA / "pairs").iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_test_pairs_are_complete_and_realistic(pair: Path) -> None:
    """Each test pair (tests/data/pairs/README.md) loads, has work history and education, a
    300–700-word job ad, and the annotations the quality checks read."""
    resume = load_resume_file(pair / "resume.json")
    assert resume.sections.experience.items and resume.sections.education.items
    job = (pair / "job.txt").read_text()
    assert 300 <= len(job.split()) <= 700
    meta = json.loads((pair / "meta.json").read_text())
    assert {"company_name", "position", "kind", "profession", "job_field"} <= set(meta)
    assert meta["kind"] in ("matched", "pivot", "unrelated", "injection")
    assert isinstance(meta["evidenced"], list) and isinstance(meta["absent"], list)


def test_sections_without_ids_or_names_get_their_defaults() -> None:
    """resume_data written by hand often leaves out section ``id``/``name``: the key's defaults
    are used instead of refusing the file."""
    resume = load_resume_document(
        {
            "basics": {"name": "Sam Roe"},
            "sections": {
                "experience": {"items": [{"company": "Acme", "position": "Welder"}]},
                "skills": {"name": "Toolbox", "items": [{"name": "Welding"}]},
            },
        }
    )
    assert (resume.sections.experience.id, resume.sections.experience.name) == (
        "experience",
        "Experience",
    )
    assert (resume.sections.skills.id, resume.sections.skills.name) == ("skills", "Toolbox")
    assert resume.sections.experience.items[0].company == "Acme"
