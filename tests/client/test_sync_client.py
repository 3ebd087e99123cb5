"""The synchronous client against a live server: every operation, typed answers, typed errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from finetune.client import (
    AuthenticationError,
    CreditLimitExceeded,
    Finetune,
    GeneratedResume,
    IdempotencyError,
    NotFound,
    PermissionDenied,
    RateLimitExceeded,
    RetryEvent,
    RetryPolicy,
    ValidationError,
)
from live_serve import JOB_FILE, Account, LiveServer, create_account, resume_document

JOB = JOB_FILE.read_text()


def _generate(client: Finetune, **overrides: object) -> GeneratedResume:
    arguments: dict[str, object] = {
        "job_description": JOB,
        "company_name": "Northwind Ledger",
        "position": "Senior Backend Engineer",
    }
    arguments.update(overrides)
    return client.resumes.generate(**arguments)  # type: ignore[arg-type]


def test_generate_returns_a_typed_tailored_resume(client: Finetune) -> None:
    """generate → GeneratedResume with the base resume tailored, scores and keywords typed."""
    resume = _generate(client, finetune_level="super")
    assert resume.id.startswith("res_") and resume.livemode is False
    assert resume.finetune_level == "super" and resume.company_name == "Northwind Ledger"
    assert resume.resume_data["basics"]["name"] == "Daniel Okafor"
    assert 0 <= resume.ats_score_before <= resume.ats_score <= 100
    assert "Python" in resume.keywords.matched
    assert resume.changes and all(change.path for change in resume.changes)
    assert resume.usage.model and resume.pdf_url is None
    assert resume.created_at.tzinfo is not None


def test_every_generate_gets_its_own_idempotency_key(client: Finetune) -> None:
    """Two calls without a key are two resumes; the same explicit key replays the first."""
    first, second = _generate(client, finetune_level="basic"), _generate(client)
    assert first.id != second.id
    key = f"client-test-{time.time_ns()}"
    replayed = [_generate(client, idempotency_key=key) for _ in range(2)]
    assert replayed[0].id == replayed[1].id
    with pytest.raises(IdempotencyError) as caught:
        _generate(client, idempotency_key=key, company_name="Another Company")
    assert caught.value.status == 400 and caught.value.name == "idempotency_error"


def test_list_all_walks_every_page_newest_first(live_server: LiveServer) -> None:
    """list_all(page_size=2) yields all five resumes once each, newest first."""
    fresh = create_account(live_server)
    with Finetune(fresh.test_key, live_server.base_url) as client:
        made = [_generate(client, finetune_level="basic").id for _ in range(5)]
        first_page = client.resumes.list(limit=2)
        assert [item.id for item in first_page.data] == made[::-1][:2] and first_page.has_more
        assert [item.id for item in client.resumes.list_all(page_size=2)] == made[::-1]
        newer = client.resumes.list(limit=2, before=made[0])
        assert [item.id for item in newer.data] == made[::-1][2:4]


def test_download_pdf_renders_when_missing_and_writes_the_file(
    client: Finetune, tmp_path: Path
) -> None:
    """A resume made without a PDF downloads as one after render; with_pdf links the file."""
    resume = _generate(client, finetune_level="basic")
    target = tmp_path / "out.pdf"
    content = client.resumes.download_pdf(resume.id, target)
    assert content.startswith(b"%PDF-") and target.read_bytes() == content
    assert client.resumes.get(resume.id).pdf_url is not None
    with_pdf = _generate(client, finetune_level="basic", include_pdf=True)
    assert with_pdf.pdf_url and client.resumes.download_pdf(with_pdf.id).startswith(b"%PDF-")


def test_get_export_and_delete(client: Finetune) -> None:
    """get has the full data; export gives Markdown; delete makes every route not_found."""
    resume = _generate(client, finetune_level="basic")
    fetched = client.resumes.get(resume.id)
    assert fetched.resume_data == resume.resume_data and fetched.changes == resume.changes
    assert b"Daniel Okafor" in client.resumes.export(resume.id, "markdown")
    assert client.resumes.delete(resume.id).deleted is True
    for gone in (client.resumes.get, client.resumes.delete, client.resumes.download_pdf):
        with pytest.raises(NotFound) as caught:
            gone(resume.id)
        assert caught.value.status == 404 and "ratelimit-limit" in caught.value.headers


def test_an_id_cannot_reach_another_route(client: Finetune) -> None:
    """Ids are one path segment: '../usage' or '..' is an unknown resume, not another route."""
    for odd in ("../usage", "..", ".", "res_x?limit=1", "res_x#y"):
        with pytest.raises(NotFound):
            client.resumes.get(odd)
    with pytest.raises(ValueError, match="must not be empty"):
        client.resumes.get("")


def test_base_resume_json_upload_and_export(client: Finetune, tmp_path: Path) -> None:
    """put JSON, upload a Markdown file by path, get and export: the stored resume follows."""
    stored = client.base_resume.put(resume_document())
    assert stored.source_format == "resume-data"
    markdown = tmp_path / "resume.md"
    markdown.write_text("# Ada Byron\n\n## Experience\n\n### Analyst, Engines Ltd\n\n- Notes\n")
    imported = client.base_resume.upload(markdown)
    assert imported.source_format == "markdown"
    assert client.base_resume.get().resume_data["basics"]["name"] == "Ada Byron"
    assert b"Ada Byron" in client.base_resume.export("markdown")
    client.base_resume.put(resume_document())


def test_usage_and_api_keys(client: Finetune, account: Account) -> None:
    """usage and api_keys are typed; the key list masks the secrets."""
    usage = client.usage.get()
    assert usage.plan == "pro" and usage.credits_total == 100
    assert 0 <= usage.rate_limit.remaining < usage.rate_limit.requests_per_minute
    keys = client.api_keys.list()
    assert {key.mode for key in keys.data} == {"live", "test"}
    assert all(key.prefix.endswith("....") for key in keys.data)
    assert account.test_key not in str(keys.model_dump())


def test_validation_errors_are_typed_and_not_retried(client: Finetune) -> None:
    """A short job description is one request, answered validation_error naming the field."""
    before = client.usage.get().rate_limit.remaining
    with pytest.raises(ValidationError) as caught:
        _generate(client, job_description="Senior Software Engineer at Google...")
    assert caught.value.name == "validation_error" and "job_description" in caught.value.message
    assert int(caught.value.headers["ratelimit-remaining"]) == before - 1


def test_authentication_errors(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """No key → AuthenticationError (401); a wrong key → PermissionDenied (403)."""
    monkeypatch.delenv("FINETUNE_API_KEY", raising=False)
    anonymous = Finetune(base_url=live_server.base_url)
    with anonymous, pytest.raises(AuthenticationError) as missing:
        anonymous.usage.get()
    assert (missing.value.status, missing.value.name) == (401, "missing_api_key")
    wrong = Finetune("ft_test_" + "x" * 38, live_server.base_url)
    with wrong, pytest.raises(PermissionDenied) as invalid:
        wrong.usage.get()
    assert (invalid.value.status, invalid.value.name) == (403, "invalid_api_key")


def test_configuration_from_the_environment(
    live_server: LiveServer, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FINETUNE_API_KEY and FINETUNE_BASE_URL (given with /api/v1, as the document does)."""
    monkeypatch.setenv("FINETUNE_API_KEY", account.test_key)
    monkeypatch.setenv("FINETUNE_BASE_URL", live_server.base_url + "/api/v1/")
    with Finetune() as client:
        assert client.base_url == live_server.base_url
        assert client.usage.get().plan == "pro"


def test_credit_limit_is_raised_at_once(live_server: LiveServer) -> None:
    """A live key without enough credits: CreditLimitExceeded, no retry, nothing charged."""
    broke = create_account(live_server, credits=1)
    retries: list[RetryEvent] = []
    with Finetune(broke.live_key, live_server.base_url, on_retry=retries.append) as client:
        client.base_resume.put(resume_document())
        with pytest.raises(CreditLimitExceeded) as caught:
            _generate(client, finetune_level="good")
        assert caught.value.status == 429 and int(caught.value.headers["retry-after"]) > 0
        assert retries == [] and client.usage.get().credits_used == 0


def test_rate_limit_wait_beyond_the_budget_is_raised(live_server: LiveServer) -> None:
    """Once the window is spent, a reset further away than the time budget is not waited for."""
    limited = create_account(live_server, rate_limit=2)
    retries: list[RetryEvent] = []
    policy = RetryPolicy(max_elapsed=0.5)
    with (
        Finetune(
            limited.test_key, live_server.base_url, retry=policy, on_retry=retries.append
        ) as client,
        pytest.raises(RateLimitExceeded) as caught,
    ):
        for _ in range(6):  # 2 allowed per window; 6 even if a new window starts meanwhile
            client.usage.get()
    assert all(event.delay <= 0.5 for event in retries)  # only a reset within the budget
    assert caught.value.headers["ratelimit-remaining"] == "0"
    assert int(caught.value.headers["ratelimit-reset"]) >= int(time.time())
