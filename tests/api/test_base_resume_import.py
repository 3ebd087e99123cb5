"""PUT /api/v1/base-resume with PDF, DOCX, Markdown and text uploads: parsed result, unplaced
text, clear refusals that leave the stored resume untouched; GET .../export in each format."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from apiserver import AccountKeys, RunningServer, new_account
from resume_support import auth, base_resume_json, upload_base_resume

import samples.imports as samples
from fakes.llm_servers import openai_reply, running
from finetune.documents.loading import load_resume_file
from finetune.documents.pdf import render_pdf

MakeAccount = Callable[..., AccountKeys]
SAMPLE = Path(__file__).parents[1] / "data" / "pairs" / "registered-nurse" / "resume.json"


@pytest.fixture
def account(make_account: MakeAccount) -> AccountKeys:
    """A fresh account."""
    return make_account()


def _put_file(
    api: httpx.Client, key: str, name: str, content: bytes, media: str = "application/octet-stream"
) -> httpx.Response:
    return api.put("/api/v1/base-resume", headers=auth(key), files={"file": (name, content, media)})


def test_pdf_upload_is_parsed_and_stored(api: httpx.Client, account: AccountKeys) -> None:
    """Our own PDF of a sample resume comes back as structured resume_data and is stored."""
    original = load_resume_file(SAMPLE)
    response = _put_file(api, account.live_key, "cv.pdf", render_pdf(original), "application/pdf")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object"] == "base_resume"
    assert body["source_format"] == "pdf"
    assert body["unplaced"] == []
    jobs = body["resume_data"]["sections"]["experience"]["items"]
    assert [(j["company"], j["position"], j["date"]) for j in jobs] == [
        (j.company, j.position, j.date) for j in original.sections.experience.items
    ]
    stored = api.get("/api/v1/base-resume", headers=auth(account.test_key)).json()
    assert stored["resume_data"] == body["resume_data"]
    assert "unplaced" not in stored


@pytest.mark.parametrize(
    ("name", "content", "source_format", "employer"),
    [
        ("thompson.docx", samples.docx_plain(), "docx", "Google"),
        ("mwangi.md", samples.MARKDOWN.encode(), "markdown", "Safaricom PLC"),
        ("tanaka.txt", samples.TEXT.encode(), "text", "Harborview Medical Center"),
        ("lima.pdf", samples.pdf_two_column(), "pdf", "Acme Ltd"),
    ],
)
def test_other_formats(
    api: httpx.Client, account: AccountKeys, name: str, content: bytes, source_format: str,
    employer: str,
) -> None:  # fmt: skip
    """DOCX, Markdown, text and a two-column PDF are imported by content."""
    response = _put_file(api, account.live_key, name, content)
    assert response.status_code == 200, response.text
    assert response.json()["source_format"] == source_format
    jobs = response.json()["resume_data"]["sections"]["experience"]["items"]
    assert jobs[0]["company"] == employer


def test_unplaced_text_is_returned(api: httpx.Client, account: AccountKeys) -> None:
    """Text under a heading the parser does not know is listed for the user to fix."""
    text = b"# Sam Lee\n\n## Skills\n- Python\n\n## Teaching Philosophy\nStudents first.\n"
    response = _put_file(api, account.live_key, "cv.md", text, "text/markdown")
    assert response.status_code == 200, response.text
    assert response.json()["unplaced"] == ["Teaching Philosophy", "Students first."]


def test_json_body_reports_its_format(api: httpx.Client, account: AccountKeys) -> None:
    """A JSON body answers with source_format and an empty unplaced list."""
    response = api.put(
        "/api/v1/base-resume", headers=auth(account.live_key), json=base_resume_json()
    )
    assert response.status_code == 200, response.text
    assert (response.json()["source_format"], response.json()["unplaced"]) == ("resume-data", [])


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("scan.pdf", samples.pdf_scanned(), "no text layer"),
        ("locked.pdf", samples.pdf_encrypted(), "encrypted"),
        ("cv.pdf", b"%PDF-1.7\n" + b"\x8f junk " * 40, "damaged"),
        ("cv.docx", b"PK\x03\x04" + b"\x00broken" * 40, "damaged"),
        ("cv.txt", b"   \n ", "empty"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"),
    ],
)
def test_unusable_files_are_refused_and_nothing_is_stored(
    api: httpx.Client, account: AccountKeys, name: str, content: bytes, fragment: str
) -> None:
    """Scanned, encrypted, corrupt, empty and image files: validation_error, old resume kept."""
    upload_base_resume(api, account.live_key)
    before = api.get("/api/v1/base-resume", headers=auth(account.live_key)).json()
    response = _put_file(api, account.live_key, name, content)
    assert response.status_code == 400, response.text
    assert response.json()["name"] == "validation_error"
    assert fragment in response.json()["message"]
    assert api.get("/api/v1/base-resume", headers=auth(account.live_key)).json() == before


def test_oversized_upload_is_413(api: httpx.Client, account: AccountKeys) -> None:
    """A PDF over 5 MB is payload_too_large."""
    response = _put_file(api, account.live_key, "big.pdf", b"%PDF-1.7\n" + b"0" * 5_000_000)
    assert response.status_code == 413
    assert response.json()["name"] == "payload_too_large"


def _export(api: httpx.Client, key: str, fmt: str) -> httpx.Response:
    return api.get("/api/v1/base-resume/export", params={"format": fmt}, headers=auth(key))


def test_base_resume_exports(api: httpx.Client, account: AccountKeys) -> None:
    """The stored base resume downloads as JSON Resume, DOCX and Markdown."""
    upload_base_resume(api, account.live_key)
    name = base_resume_json()["basics"]["name"]
    as_json = _export(api, account.live_key, "json_resume")
    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["content-type"].startswith("application/json")
    assert json.loads(as_json.content)["basics"]["name"] == name
    as_docx = _export(api, account.live_key, "docx")
    assert as_docx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="base-resume.docx"' in as_docx.headers["content-disposition"]
    assert docx.Document(io.BytesIO(as_docx.content)).paragraphs[0].text == name
    as_md = _export(api, account.live_key, "markdown")
    assert as_md.text.startswith(f"# {name}\n")
    assert "ratelimit-remaining" in as_md.headers


def test_export_errors(api: httpx.Client, account: AccountKeys) -> None:
    """Unknown format: validation_error naming the formats; no base resume yet: not_found."""
    missing = _export(api, account.live_key, "docx")
    assert (missing.status_code, missing.json()["name"]) == (404, "not_found")
    upload_base_resume(api, account.live_key)
    wrong = _export(api, account.live_key, "pdf")
    assert wrong.status_code == 400
    assert "json_resume, docx, markdown" in wrong.json()["message"]
    no_key: dict[str, Any] = api.get("/api/v1/base-resume/export?format=docx").json()
    assert no_key["name"] == "missing_api_key"


def test_live_upload_is_structured_by_the_llm_and_checked(
    start_server: Callable[..., AbstractContextManager[RunningServer]],
) -> None:
    """With a provider configured, a live upload goes to the LLM; a value it invents is dropped
    and noted; a test key's upload never calls it."""
    answer = {
        "name": "MEI TANAKA", "email": "mei.tanaka@example.com",
        "summary": "Clinical dietitian with eight years in hospital and outpatient care.",
        "experience": [
            {"company": "Harborview Medical Center", "position": "Clinical Dietitian",
             "location": "Seattle, WA", "date": "2019 - Present",
             "bullets": ["Assessed nutrition needs of 25 inpatients a day across surgical and "
                         "oncology units", "Led the enteral feeding protocol revision",
                         "Won the 2021 Nobel Prize"]},
            {"company": "Bastyr University Clinic", "position": "Outpatient Dietitian",
             "location": "Kenmore, WA", "date": "2016 - 2019",
             "bullets": ["Counselled 600 patients a year on diabetes care"]},
        ],
        "education": [{"institution": "Bastyr University", "studyType": "M.S.",
                       "area": "Nutrition", "date": "2014 - 2016"}],
        "certifications": [{"name": "Registered Dietitian Nutritionist (RDN)",
                            "detail": "Commission on Dietetic Registration", "date": "2016"}],
        "skills": [{"name": "Hobbies", "keywords": ["Hiking", "Ceramics"]}],
        "headline": "Registered Dietitian", "phone": "(206) 555-0123", "location": "Seattle, WA",
    }  # fmt: skip
    with running() as llm:
        settings = {"llm_provider": "openai", "llm_model": "m", "llm_timeout": 5,
                    "llm_base_url": llm.openai_base_url}  # fmt: skip
        with start_server(**settings) as server, httpx.Client(base_url=server.base_url) as api:
            keys = new_account(server, "pro", 5, 1000)
            llm.then(openai_reply(answer))
            live = _put_file(api, keys.live_key, "tanaka.txt", samples.TEXT.encode())
            assert live.status_code == 200, live.text
            assert len(llm.requests) == 1
            body = live.json()
            assert "Won the 2021 Nobel Prize" not in json.dumps(body["resume_data"])
            assert any("Nobel Prize" in note for note in body["notes"])
            assert body["resume_data"]["sections"]["skills"]["items"][0]["name"] == "Hobbies"
            test = _put_file(api, keys.test_key, "tanaka.txt", samples.TEXT.encode())
            assert test.status_code == 200, test.text
            assert len(llm.requests) == 1 and test.json()["notes"] == []
