"""The asynchronous client against a live server: the same operations, awaited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from finetune.client import AsyncFinetune, NotFound, ValidationError
from live_serve import JOB_FILE, Account, LiveServer, create_account

JOB = JOB_FILE.read_text()


@pytest.fixture
async def client(live_server: LiveServer, account: Account) -> AsyncIterator[AsyncFinetune]:
    async with AsyncFinetune(account.test_key, live_server.base_url) as sdk:
        yield sdk


async def test_generate_get_download_and_delete(client: AsyncFinetune, tmp_path: Path) -> None:
    """The round trip of one resume: generate, get, PDF to a file, export, delete."""
    resume = await client.resumes.generate(
        job_description=JOB, company_name="Northwind Ledger", position="Backend Engineer"
    )
    assert (await client.resumes.get(resume.id)).ats_score == resume.ats_score
    pdf = await client.resumes.download_pdf(resume.id, tmp_path / "resume.pdf")
    assert pdf.startswith(b"%PDF-") and (tmp_path / "resume.pdf").read_bytes() == pdf
    exported = await client.resumes.export(resume.id, "json_resume")
    assert b'"basics"' in exported
    assert (await client.resumes.delete(resume.id)).deleted
    with pytest.raises(NotFound):
        await client.resumes.get(resume.id)


async def test_list_all_is_an_async_iterator_over_every_page(live_server: LiveServer) -> None:
    """``async for`` over list_all(page_size=2) sees all three resumes, newest first."""
    fresh = create_account(live_server)
    async with AsyncFinetune(fresh.test_key, live_server.base_url) as client:
        made = [
            (
                await client.resumes.generate(
                    job_description=JOB, company_name="N", position="P", finetune_level="basic"
                )
            ).id
            for _ in range(3)
        ]
        seen = [item.id async for item in client.resumes.list_all(page_size=2)]
    assert seen == made[::-1]


async def test_base_resume_upload_of_bytes_and_usage(client: AsyncFinetune) -> None:
    """upload() takes bytes too; usage and api_keys answer typed objects."""
    stored = await client.base_resume.upload(b"Ada Byron\nAnalyst at Engines Ltd\n", "cv.txt")
    assert stored.source_format == "text"
    assert (await client.base_resume.get()).resume_data["basics"]["name"] == "Ada Byron"
    assert (await client.usage.get()).plan == "pro"
    assert len((await client.api_keys.list()).data) == 2
    with pytest.raises(ValidationError, match="job_description"):
        await client.resumes.generate(job_description="too short", company_name="C", position="P")
