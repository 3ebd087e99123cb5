"""The dashboard's upload reads files through the same sandboxed, bounded import as the API
(issue 11): a bomb is refused with its message and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from visitor import Visitor, csrf_token

import samples.hostile as hostile


@pytest.mark.parametrize(
    ("name", "build", "status", "fragment"),
    [
        ("cv.docx", hostile.docx_zip_bomb, 413, "unpacks to 2,145 MB"),
        ("cv.pdf", hostile.pdf_self_referencing_pages, 400, "damaged"),
    ],
    ids=["docx zip bomb", "pdf self-referencing page tree"],
)
def test_bomb_upload_is_refused_on_the_page(
    signed_in: Callable[[], Visitor],
    name: str,
    build: Callable[[], bytes],
    status: int,
    fragment: str,
) -> None:
    """The page answers with the import's status and message; no base resume is saved."""
    visitor = signed_in()
    page = visitor.get("/base-resume").text
    response = visitor.post(
        "/base-resume/upload",
        data={"csrf_token": csrf_token(page)},
        files={"file": (name, build(), "application/octet-stream")},
    )
    assert response.status_code == status
    assert fragment in response.text
    assert "Last saved" not in visitor.get("/base-resume").text
