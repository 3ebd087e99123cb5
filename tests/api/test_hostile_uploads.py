"""Hostile uploads to PUT /api/v1/base-resume (issue 11): each attack file, generated here, is
answered with the documented error while the server stays up, and the stored base resume is
untouched. The client's timeout is the bound: an upload that stalled the server would fail it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx
import pytest
from apiserver import AccountKeys, RunningServer, new_account
from resume_support import auth, upload_base_resume

import samples.hostile as hostile
from fakes.llm_servers import running

MakeAccount = Callable[..., AccountKeys]
TIMEOUT = httpx.Timeout(30.0)

ATTACKS = [
    ("cv.md", hostile.markdown_link_bomb, 400, "line 1 of the file is 48,000 characters long"),
    ("cv.docx", hostile.docx_zip_bomb, 413, "word/document.xml unpacks to 2,145 MB"),
    ("cv.docx", hostile.docx_empty_paragraphs, 400, "(a zip bomb?)"),
    ("cv.docx", hostile.docx_malformed_xml, 400, "the DOCX file is damaged"),
    ("cv.docx", hostile.ole_encrypted_word, 400, "encrypted with a password"),
    ("cv.pdf", hostile.pdf_flate_bomb, 413, "compressed streams unpack to more than 100 MB"),
    ("cv.pdf", hostile.pdf_pages, 413, "the PDF has 50,000 pages"),
    ("cv.pdf", hostile.pdf_self_referencing_pages, 400, "the PDF file is damaged"),
]
_IDS = [
    "markdown [a]( x12000",
    "docx 2 GiB zip bomb",
    "docx 1M empty paragraphs",
    "docx malformed XML",
    "encrypted word",
    "pdf 1 GiB Flate stream",
    "pdf 50,000 pages",
    "pdf self-referencing page tree",
]


def _put_file(api: httpx.Client, key: str, name: str, content: bytes) -> httpx.Response:
    files = {"file": (name, content, "application/octet-stream")}
    return api.put("/api/v1/base-resume", headers=auth(key), files=files, timeout=TIMEOUT)


@pytest.mark.parametrize(("name", "build", "status", "fragment"), ATTACKS, ids=_IDS)
def test_attack_is_refused_and_the_stored_resume_kept(
    api: httpx.Client,
    make_account: MakeAccount,
    name: str,
    build: Callable[[], bytes],
    status: int,
    fragment: str,
) -> None:
    """The documented status, name and message; the base resume stored before is unchanged;
    the server answers the next request."""
    account = make_account()
    upload_base_resume(api, account.live_key)
    before = api.get("/api/v1/base-resume", headers=auth(account.live_key)).json()
    response = _put_file(api, account.live_key, name, build())
    assert response.status_code == status, response.text
    body = response.json()
    assert body["object"] == "error" and body["status"] == status
    assert body["name"] == ("payload_too_large" if status == 413 else "validation_error")
    assert fragment in body["message"]
    assert api.get("/api/v1/base-resume", headers=auth(account.live_key)).json() == before
    assert api.get("/healthz").status_code == 200


def test_attacks_in_a_row_leave_normal_uploads_working(
    api: httpx.Client, make_account: MakeAccount
) -> None:
    """After every attack file in turn, an ordinary Markdown resume still imports."""
    account = make_account()
    for name, build, status, _ in ATTACKS:
        assert _put_file(api, account.live_key, name, build()).status_code == status
    normal = _put_file(api, account.live_key, "cv.md", b"# Jane Doe\n\n## Skills\n- Python\n")
    assert normal.status_code == 200, normal.text
    assert normal.json()["resume_data"]["basics"]["name"] == "Jane Doe"


def test_live_uploads_structured_by_an_llm_are_bounded_too(
    start_server: Callable[..., AbstractContextManager[RunningServer]],
) -> None:
    """With an LLM provider configured, a live upload is read in the same sandbox first: the
    bomb is refused and the provider is never called."""
    with running() as llm:
        settings = {"llm_provider": "openai", "llm_model": "m", "llm_timeout": 5,
                    "llm_base_url": llm.openai_base_url}  # fmt: skip
        with start_server(**settings) as server, httpx.Client(base_url=server.base_url) as api:
            keys = new_account(server, "pro", 5, 1000)
            response = _put_file(api, keys.live_key, "cv.pdf", hostile.pdf_flate_bomb())
            assert response.status_code == 413, response.text
            assert response.json()["name"] == "payload_too_large"
            assert llm.requests == []
