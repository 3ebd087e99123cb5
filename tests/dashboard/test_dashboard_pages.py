"""Dashboard pages through HTTP: keys, base resume, try it, resumes, usage."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from apiserver import RunningServer
from visitor import NO_KEEPALIVE, Visitor, csrf_token, new_key_secret, resume_ids

from finetune.dashboard.queries import PAGE_SIZE

PAIR = Path(__file__).parent.parent / "data" / "pairs" / "software-engineer"


@pytest.fixture
def job() -> str:
    return (PAIR / "job.txt").read_text()


def _upload_json(visitor: Visitor) -> httpx.Response:
    page = visitor.get("/base-resume")
    files = {"file": ("resume.json", (PAIR / "resume.json").read_bytes(), "application/json")}
    return visitor.post(
        "/base-resume/upload", data={"csrf_token": csrf_token(page.text)}, files=files
    )


def _try(visitor: Visitor, job: str, mode: str = "test", **extra: str) -> httpx.Response:
    data = {
        "position": "Backend Engineer",
        "company_name": "Acme",
        "job_description": job,
        "finetune_level": "good",
        "mode": mode,
        **extra,
    }
    return visitor.submit("/try", "/try", data)


def test_keys_are_created_once_listed_masked_and_revoked(
    signed_in: Callable[[], Visitor], dash_server: RunningServer
) -> None:
    """The secret shows once; the list shows only its prefix; a revoked key is refused."""
    visitor = signed_in()
    created = visitor.submit("/keys", "/keys", {"name": "CI agent", "mode": "test"})
    assert created.status_code == 200
    secret = new_key_secret(created.text)
    assert secret.startswith("ft_test_")
    listing = visitor.get("/keys").text
    assert "CI agent" in listing and secret not in listing
    assert f"{secret[:12]}...." in listing
    with httpx.Client(base_url=dash_server.base_url, timeout=60, limits=NO_KEEPALIVE) as api:
        assert api.get("/api/v1/usage", headers={"X-API-Key": secret}).status_code == 200
        key_id = re.search(r'action="/keys/(key_[a-z0-9]+)/revoke"', listing)
        assert key_id
        revoked = visitor.submit("/keys", f"/keys/{key_id.group(1)}/revoke", {})
        assert revoked.status_code == 303
        assert "Revoked" in visitor.get("/keys").text
        assert api.get("/api/v1/usage", headers={"X-API-Key": secret}).status_code == 403


def test_key_form_errors_are_shown(signed_in: Callable[[], Visitor]) -> None:
    """A blank name or an unknown mode re-shows the page with the reason and makes no key."""
    visitor = signed_in()
    blank = visitor.submit("/keys", "/keys", {"name": "  ", "mode": "test"})
    assert blank.status_code == 400 and "Name must be 1 to 200 characters" in blank.text
    bad_mode = visitor.submit("/keys", "/keys", {"name": "x", "mode": "prod"})
    assert bad_mode.status_code == 400 and "Mode must be one of" in bad_mode.text
    assert "No keys yet" in visitor.get("/keys").text


def test_base_resume_upload_edit_and_save(signed_in: Callable[[], Visitor]) -> None:
    """An uploaded resume fills the editor; edits (a renamed field, new bullets, a removed and
    an added entry) are saved and seen by the API's base-resume service."""
    visitor = signed_in()
    uploaded = _upload_json(visitor)
    assert uploaded.status_code == 200, uploaded.text
    stored = json.loads((PAIR / "resume.json").read_text())
    name = stored["basics"]["name"]
    assert f'value="{name}"' in uploaded.text
    first_job = stored["sections"]["experience"]["items"][0]
    second_job = stored["sections"]["experience"]["items"][1]
    page = visitor.get("/base-resume").text
    # What a browser sends: every text input as shown (unticked checkboxes send nothing).
    fields = re.findall(r'name="([^"]+)" value="([^"]*)"', page)
    form = {name: value for name, value in fields if not name.endswith(".remove")}
    form.update(
        {
            "csrf_token": csrf_token(page),
            "basics.headline": "Staff Engineer",
            f"s.experience.{first_job['id']}.bullets": "Shipped the thing\n- Kept it running",
            f"s.experience.{second_job['id']}.remove": "on",
            "s.certifications.new.name": "Certified Kubernetes Administrator",
            "s.certifications.new.issuer": "CNCF",
        }
    )
    saved = visitor.post("/base-resume", data=form)
    assert saved.status_code == 303
    after = visitor.get(saved.headers["location"]).text
    assert "Saved." in after
    assert 'value="Staff Engineer"' in after
    assert "Shipped the thing\nKept it running" in after
    assert "Certified Kubernetes Administrator" in after
    assert f"s.experience.{second_job['id']}." not in after


def test_base_resume_rejects_bad_files_and_values(signed_in: Callable[[], Visitor]) -> None:
    """An unreadable upload or a bad level is refused with a message; nothing is stored."""
    visitor = signed_in()
    page = visitor.get("/base-resume").text
    broken = visitor.post(
        "/base-resume/upload",
        data={"csrf_token": csrf_token(page)},
        files={"file": ("resume.json", b"{not json", "application/json")},
    )
    assert broken.status_code == 400 and "not valid JSON" in broken.text
    bad_level = visitor.post(
        "/base-resume",
        data={"csrf_token": csrf_token(page), "s.skills.new.name": "Go", "s.skills.new.level": "x"},
    )
    assert bad_level.status_code == 400 and "whole number" in bad_level.text
    assert "Last saved" not in visitor.get("/base-resume").text


def test_try_it_in_test_mode_then_detail_pdf_and_delete(
    signed_in: Callable[[], Visitor], job: str
) -> None:
    """Try it makes a marked test resume with scores, why the score is what it is, keywords and
    changes; its PDF downloads, regenerates, and the resume can be deleted."""
    visitor = signed_in()
    _upload_json(visitor)
    answer = _try(visitor, job)
    assert answer.status_code == 303, answer.text
    detail_path = answer.headers["location"]
    detail = visitor.get(detail_path)
    assert detail.status_code == 200
    text = detail.text
    assert "Backend Engineer" in text and "Acme" in text and 'class="badge test"' in text
    assert "ATS score" in text and "Matched keywords" in text and "Changes (" in text
    assert re.search(r'class="before">\d+</span> → <strong>\d+</strong>', text)
    assert "Why this score" in text and "Required skills" in text and "Points after" in text
    pdf = visitor.get(f"{detail_path}/pdf?download=true")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment")
    regenerated = visitor.submit(detail_path, f"{detail_path}/pdf", {})
    assert regenerated.status_code == 303
    deleted = visitor.submit(detail_path, f"{detail_path}/delete", {})
    assert deleted.status_code == 303
    assert visitor.get(detail_path).status_code == 404


def test_try_it_htmx_answers_with_a_redirect_header(
    signed_in: Callable[[], Visitor], job: str
) -> None:
    """htmx submissions get ``HX-Redirect`` on success and the form with the error otherwise."""
    visitor = signed_in()
    page = visitor.get("/try").text
    data = {
        "csrf_token": csrf_token(page),
        "position": "Engineer",
        "company_name": "Acme",
        "job_description": job,
        "finetune_level": "basic",
        "mode": "test",
    }
    ok = visitor.post("/try", data=data, headers={"HX-Request": "true"})
    assert ok.status_code == 200 and ok.headers["hx-redirect"].startswith("/resumes/res_")
    short = visitor.post(
        "/try", data={**data, "job_description": "too short"}, headers={"HX-Request": "true"}
    )
    assert short.status_code == 400
    assert "Job_description must be at least 50 characters" in short.text
    assert "<html" not in short.text  # just the form fragment


def test_live_try_needs_a_base_resume_and_charges_credits(
    signed_in: Callable[[], Visitor], job: str
) -> None:
    """Live mode without a base resume says how to upload one; with one it charges credits."""
    visitor = signed_in()
    refused = _try(visitor, job, mode="live")
    assert refused.status_code == 400 and "base resume" in refused.text
    _upload_json(visitor)
    assert "10 <span" in visitor.get("/usage").text  # a new free account: 10 credits left
    made = _try(visitor, job, mode="live", finetune_level="super")
    assert made.status_code == 303
    usage = visitor.get("/usage").text
    assert "7 <span" in usage and "3 of 10 used" in usage
    assert 'class="badge test"' not in visitor.get(made.headers["location"]).text


def test_resume_list_filters_by_mode_and_paginates(
    signed_in: Callable[[], Visitor], dash_server: RunningServer, job: str
) -> None:
    """Newest first, test ones marked, mode filter, and pages of PAGE_SIZE."""
    visitor = signed_in()
    _upload_json(visitor)
    secret = new_key_secret(visitor.submit("/keys", "/keys", {"name": "k", "mode": "test"}).text)
    made: list[str] = []
    with httpx.Client(base_url=dash_server.base_url, timeout=60, limits=NO_KEEPALIVE) as api:
        for index in range(PAGE_SIZE + 1):
            body = {
                "job_description": job,
                "company_name": f"Company {index}",
                "position": "Engineer",
            }
            answer = api.post("/api/v1/resumes/generate", json=body, headers={"X-API-Key": secret})
            assert answer.status_code == 200, answer.text
            made.append(answer.json()["id"])
    live = _try(visitor, job, mode="live").headers["location"].rsplit("/", 1)[1]
    first = visitor.get("/resumes").text
    assert resume_ids(first)[0] == live
    assert resume_ids(first)[1:] == list(reversed(made))[: PAGE_SIZE - 1]
    assert "Older →" in first and "← Newer" not in first
    second = visitor.get("/resumes?mode=all&page=2").text
    assert resume_ids(second) == list(reversed(made))[PAGE_SIZE - 1 :]
    assert "← Newer" in second and "Older →" not in second
    assert resume_ids(visitor.get("/resumes?mode=live").text) == [live]
    assert live not in resume_ids(visitor.get("/resumes?mode=test").text)


def test_usage_page_counts_both_modes(
    signed_in: Callable[[], Visitor], dash_server: RunningServer, job: str
) -> None:
    """Plan, credits, cycle end, resumes this week per mode and the rate limit are shown."""
    visitor = signed_in()
    _try(visitor, job)
    page = visitor.get("/usage").text
    assert "Free" in page
    assert "0 of 10 used" in page
    assert re.search(r"0 <span class=\"unit\">live</span>", page)
    assert "1 in test mode" in page
    per_minute = dash_server.settings.rate_limit_free
    assert f'{per_minute} <span class="unit">requests a minute</span>' in page
    assert "UTC</strong>" in page


def test_upload_lists_text_that_could_not_be_placed(signed_in: Callable[[], Visitor]) -> None:
    """A Markdown resume is imported; text under an unknown heading is listed, not dropped."""
    visitor = signed_in()
    markdown = (
        "# Sam Lee\n\nsam.lee@example.com\n\n## Skills\n\n- Python\n- SQL\n\n"
        "## Teaching Philosophy\n\nStudents first.\n"
    )
    page = visitor.get("/base-resume").text
    answer = visitor.post(
        "/base-resume/upload",
        data={"csrf_token": csrf_token(page)},
        files={"file": ("sam.md", markdown.encode(), "text/markdown")},
    )
    assert answer.status_code == 200, answer.text
    assert "read as markdown" in answer.text
    assert "Text that could not be placed" in answer.text
    assert "<li>Teaching Philosophy</li>" in answer.text
    assert "<li>Students first.</li>" in answer.text
    assert 'value="Sam Lee"' in answer.text
