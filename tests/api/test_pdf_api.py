"""POST /api/v1/resumes/{id}/pdf: render on demand, re-render, link and test-mode marking."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx
import pypdfium2
from resume_support import auth, generate, generated_id, upload_base_resume

from finetune.documents.pdf import TEST_MODE_NOTICE

MakeAccount = Callable[..., Any]


def _pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_render_on_demand_then_the_resume_links_to_it(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """A resume made without a PDF gets one from POST /pdf, and then shows a pdf_url."""
    account = make_account()
    resume_id = generated_id(api, account.test_key)
    rendered = api.post(f"/api/v1/resumes/{resume_id}/pdf", headers=auth(account.test_key))
    assert rendered.status_code == 200, rendered.text
    body = rendered.json()
    assert set(body) == {"object", "id", "pdf_url", "generated_at"}
    assert (body["object"], body["id"]) == ("resume.pdf", resume_id)
    assert httpx.get(body["pdf_url"]).content.startswith(b"%PDF")
    fetched = api.get(f"/api/v1/resumes/{resume_id}", headers=auth(account.test_key)).json()
    assert fetched["pdf_url"] is not None


def test_rerendering_replaces_the_pdf(api: httpx.Client, make_account: MakeAccount) -> None:
    """Regenerating answers a fresh generated_at no earlier than the first and a working link."""
    account = make_account()
    resume_id = generated_id(api, account.test_key, include_pdf=True)
    url = f"/api/v1/resumes/{resume_id}/pdf"
    first = api.post(url, headers=auth(account.test_key)).json()
    second = api.post(url, headers=auth(account.test_key)).json()
    assert second["generated_at"] >= first["generated_at"]
    assert httpx.get(second["pdf_url"]).status_code == 200


def test_test_mode_pdfs_are_marked_and_live_ones_are_not(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """A test key's PDF carries the test-mode notice; a live key's PDF does not."""
    account = make_account()
    upload_base_resume(api, account.live_key)
    test_pdf = httpx.get(generate(api, account.test_key, include_pdf=True).json()["pdf_url"])
    live_pdf = httpx.get(generate(api, account.live_key, include_pdf=True).json()["pdf_url"])
    assert TEST_MODE_NOTICE in _pdf_text(test_pdf.content)
    assert TEST_MODE_NOTICE not in _pdf_text(live_pdf.content)
    assert "Senior" in _pdf_text(live_pdf.content)


def test_pdf_endpoint_never_charges(api: httpx.Client, make_account: MakeAccount) -> None:
    """Rendering a PDF of an existing live resume costs no credits."""
    account = make_account(credits=10)
    upload_base_resume(api, account.live_key)
    created = generate(api, account.live_key, finetune_level="basic").json()
    api.post(f"/api/v1/resumes/{created['id']}/pdf", headers=auth(account.live_key))
    usage = api.get("/api/v1/usage", headers=auth(account.live_key)).json()
    assert usage["credits_remaining"] == 9
