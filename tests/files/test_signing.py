"""LinkSigner: signed, expiring PDF links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from finetune.files.signing import LinkSigner

NOW = datetime(2026, 2, 21, 10, 30, tzinfo=UTC)
SECRET = bytes(range(32))


def _query(url: str) -> tuple[str, str]:
    query = parse_qs(urlsplit(url).query)
    return query["expires"][0], query["signature"][0]


def test_link_is_absolute_and_verifies_until_it_expires() -> None:
    """A link is under the public URL and valid for exactly its lifetime."""
    signer = LinkSigner(SECRET, "https://files.example/", lifetime=timedelta(days=7))
    url = signer.url_for("res_abc", now=NOW)
    assert url.startswith("https://files.example/files/res_abc.pdf?expires=")
    expires, signature = _query(url)
    assert signer.is_valid("res_abc", expires, signature, now=NOW + timedelta(days=7))
    assert not signer.is_valid(
        "res_abc", expires, signature, now=NOW + timedelta(days=7, seconds=1)
    )


def test_signature_binds_id_expiry_and_secret() -> None:
    """Another id, expiry or secret invalidates the signature."""
    signer = LinkSigner(SECRET, "https://files.example")
    expires, signature = _query(signer.url_for("res_abc", now=NOW))
    assert not signer.is_valid("res_abd", expires, signature, now=NOW)
    assert not signer.is_valid("res_abc", str(int(expires) + 1), signature, now=NOW)
    other = LinkSigner(bytes(32), "https://files.example")
    assert not other.is_valid("res_abc", expires, signature, now=NOW)


@pytest.mark.parametrize(
    ("expires", "signature"), [(None, "ab"), ("123", None), ("-5", "ab"), ("1e9", "ab"), ("", "")]
)
def test_malformed_query_values_are_rejected(expires: str | None, signature: str | None) -> None:
    """Missing or non-numeric values are simply invalid, never an exception."""
    assert not LinkSigner(SECRET, "https://x").is_valid("res_abc", expires, signature, now=NOW)


def test_short_secrets_are_refused() -> None:
    """A secret under 32 bytes is a configuration bug, caught at construction."""
    with pytest.raises(ValueError):
        LinkSigner(b"short", "https://x")
