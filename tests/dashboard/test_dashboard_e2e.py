"""The dashboard in a real headless Chromium (Debian's package, driven by Playwright).

One journey: sign up, upload a DOCX resume, create a test key, generate through the API with it,
find the resume in the list, open it, download its PDF, revoke the key, see the API refuse it.
Every page is also photographed at desktop and phone widths into ``tests/screenshots/``.
Without Chromium these tests skip, unless ``FINETUNE_REQUIRE_SERVICES=1`` (CI) makes that a
failure.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from apiserver import RunningServer
from visitor import NO_KEEPALIVE

from browser_support import chromium

SCREENSHOTS = Path(__file__).parent.parent / "screenshots"
PASSWORD = "correct horse battery"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
JOB = (
    Path(__file__).parent.parent / "data" / "pairs" / "software-engineer" / "job.txt"
).read_text()

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium, or a skip (a failure when services are required)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any, dash_server: RunningServer) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the dashboard, dialogs accepted."""
    context = browser.new_context(base_url=dash_server.base_url, accept_downloads=True)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    yield tab
    context.close()


def _docx_resume() -> bytes:
    """A Word resume with heading styles, entries and bullets, as people write them."""
    document = docx.Document()
    document.add_paragraph("Morgan Lee", style="Title")
    document.add_paragraph("morgan.lee@example.com | (555) 014-2277 | Portland, OR")
    document.add_heading("Summary", level=1)
    document.add_paragraph("Backend engineer who builds reliable payment services in Python.")
    document.add_heading("Experience", level=1)
    header = document.add_paragraph()
    header.add_run("Northwind Payments").bold = True
    header.add_run("\tMar 2019 – Present")
    document.add_paragraph().add_run("Senior Software Engineer").italic = True
    for bullet in (
        "Built the settlement service in Python and FastAPI handling 1M transactions a day",
        "Moved services to Kubernetes with PostgreSQL and Redis, cutting deploy time by 75%",
    ):
        document.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Education", level=1)
    document.add_paragraph().add_run("Oregon State University").bold = True
    document.add_paragraph("B.S. in Computer Science, 2015")
    document.add_heading("Skills", level=1)
    document.add_paragraph("Languages: Python, SQL, Go")
    document.add_paragraph("Tools: PostgreSQL, Redis, Docker, Kubernetes, AWS")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _photograph(page: Any, name: str) -> None:
    """Full-page screenshots of the current page at both widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])


def _sign_up(page: Any, email: str, *, photograph: bool = False) -> None:
    """Fill the sign-up form, then sign in on the page it leads to; ends on the base resume."""
    page.get_by_label("Email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    if photograph:
        _photograph(page, "02-sign-up")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/login?**")
    assert "sign in with your email and the password you just chose" in page.content().lower()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/base-resume")


def test_journey_from_sign_up_to_revoked_key(page: Any, dash_server: RunningServer) -> None:
    """The issue's whole flow works in a real browser, and the revoked key stops working."""
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.com"
    page.goto("/login")
    _photograph(page, "01-sign-in")
    page.get_by_role("link", name="Create one").click()
    _sign_up(page, email, photograph=True)

    page.set_input_files(
        "#file",
        files=[
            {
                "name": "morgan-lee.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
                "buffer": _docx_resume(),
            }
        ],
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Imported morgan-lee.docx (read as docx)").wait_for()
    assert page.locator("#f-basics-name").input_value() == "Morgan Lee"
    assert "Northwind Payments" in page.content()
    _photograph(page, "03-base-resume")

    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Name").fill("E2E test key")
    page.get_by_label("Mode").select_option("test")
    page.get_by_role("button", name="Create key").click()
    secret = page.locator("#new-key-secret").inner_text().strip()
    assert re.fullmatch(r"ft_test_[0-9A-Za-z]{38}", secret)
    _photograph(page, "04-keys-new-secret")

    with httpx.Client(base_url=dash_server.base_url, timeout=60, limits=NO_KEEPALIVE) as api:
        generated = api.post(
            "/api/v1/resumes/generate",
            headers={"X-API-Key": secret},
            json={
                "job_description": JOB,
                "company_name": "Northwind Ledger",
                "position": "Senior Backend Engineer",
                "finetune_level": "good",
                "include_pdf": True,
            },
        )
        assert generated.status_code == 200, generated.text
        resume_id = generated.json()["id"]

        page.get_by_role("link", name="Resumes").click()
        row = page.locator("tr", has=page.locator(f'a[href="/resumes/{resume_id}"]'))
        assert "test" in row.inner_text() and "Northwind Ledger" in row.inner_text()
        _photograph(page, "05-resumes")
        row.get_by_role("link", name="Senior Backend Engineer").click()
        page.wait_for_url(f"**/resumes/{resume_id}")
        assert page.get_by_role("heading", name="ATS score").is_visible()
        assert page.locator(".changes li").count() >= 1
        _photograph(page, "06-resume-detail")

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download PDF").click()
        download = download_info.value
        assert download.suggested_filename == f"{resume_id}.pdf"
        assert Path(download.path()).read_bytes().startswith(b"%PDF")

        page.get_by_role("link", name="API keys").click()
        page.get_by_role("button", name="Revoke E2E test key").click()
        page.get_by_text("Revoked").wait_for()
        _photograph(page, "07-keys-revoked")
        refused = api.get("/api/v1/usage", headers={"X-API-Key": secret})
        assert refused.status_code == 403
        assert refused.json()["name"] == "invalid_api_key"


def test_try_it_and_other_pages(page: Any, dash_server: RunningServer) -> None:
    """Try it (htmx) lands on the new resume; usage, the filter and errors render."""
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.com"
    page.goto("/signup")
    _sign_up(page, email)

    page.get_by_role("link", name="Try it").click()
    page.get_by_label("Position").fill("Senior Backend Engineer")
    page.get_by_label("Company").fill("Northwind Ledger")
    page.get_by_label("Job description").fill("too short")
    _photograph(page, "08-try-it")
    # The browser's own minlength check would stop a short description: bypass it to see ours.
    page.locator("#try-form").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Tailor resume").click()
    page.get_by_role("alert").wait_for()
    assert "at least 50 characters" in page.get_by_role("alert").inner_text()
    page.get_by_label("Job description").fill(JOB)
    page.get_by_label("basic").check()
    held: list[Any] = []  # the POST is held back so the progress state can be seen
    page.route(
        "**/try",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Tailor resume").click()
    page.locator("#try-progress").wait_for(state="visible")
    assert page.get_by_role("button", name="Tailor resume").is_disabled()
    _photograph(page, "08-try-it-running")
    held[0].continue_()
    page.wait_for_url(re.compile(r".*/resumes/res_[a-z0-9]+$"))
    page.unroute("**/try")
    assert page.get_by_role("heading", name="Changes", exact=False).is_visible()

    page.get_by_role("link", name="Resumes").click()
    page.get_by_label("Show").select_option("live")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("No resumes yet").wait_for()

    page.get_by_role("link", name="Usage").click()
    assert page.get_by_role("heading", name="Credits").is_visible()
    _photograph(page, "09-usage")

    page.goto("/no-such-page")
    assert page.get_by_role("heading", name="Page not found").is_visible()
    _photograph(page, "10-not-found")
