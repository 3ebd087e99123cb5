"""Access-log redaction: key secrets and link signatures never reach a log handler."""

from __future__ import annotations

import logging

import pytest

from finetune.api.log_redaction import (
    ACCESS_LOGGER,
    REDACTED,
    RedactSecrets,
    install_access_log_redaction,
    redact,
)

KEY = "ft_live_0KOgpTTTPOziW3T9XuYbPLOJHeD77nFH3PCuoD"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/api/v1/usage?api_key={KEY}", f"/api/v1/usage?api_key={REDACTED}"),
        (f"/x?a=1&token={KEY}&b=2", f"/x?a=1&token={REDACTED}&b=2"),
        (
            "/files/res_1.pdf?expires=17&signature=ab12cd",
            f"/files/res_1.pdf?expires=17&signature={REDACTED}",
        ),
        ("/files/res_1.pdf?Signature=ab12&x=1", f"/files/res_1.pdf?Signature={REDACTED}&x=1"),
        ("/api/v1/resumes?limit=20&after=res_abc", "/api/v1/resumes?limit=20&after=res_abc"),
    ],
)
def test_redact_masks_keys_and_signatures_only(text: str, expected: str) -> None:
    """Secrets are masked wherever they appear; ordinary paths and ids are left alone."""
    assert redact(text) == expected


def test_the_access_log_record_is_masked_before_formatting() -> None:
    """uvicorn's access record (path as an argument) comes out of the filter without the key."""
    record = logging.LogRecord(
        ACCESS_LOGGER,
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/api/v1/usage?api_key={KEY}", "1.1", 401),
        None,
    )
    assert RedactSecrets().filter(record)
    assert KEY not in record.getMessage()
    assert "401" in record.getMessage()


def test_installing_twice_adds_one_filter() -> None:
    """create_app runs once per app; several apps in one process share one filter."""
    install_access_log_redaction()
    install_access_log_redaction()
    filters = logging.getLogger(ACCESS_LOGGER).filters
    assert sum(isinstance(existing, RedactSecrets) for existing in filters) == 1
