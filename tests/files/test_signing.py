"""LinkSigner: signed, expiring PDF links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from finetune.errors import ValidationError
from finetune.files.signing import LinkSigner, check_link_query

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


GOOD_SIGNATURE = "ab" * 32
# Each accepted by str.isdigit() or int(), none a link we issued: superscripts, other scripts'
# digits, full-width digits, signs, spaces, underscores, a trailing newline, 13 digits.
NOT_ASCII_DIGITS = [
    *("\u00b2", "\u0661\u0662\u0663", "\uff11\uff12"),
    *("+5", " 5", "1_000", "5\n", "9" * 13),
]
NOT_SIGNATURES = ["ab", "AB" * 32, "\u00e9" * 64, "g" * 64, GOOD_SIGNATURE + "\n"]


@pytest.mark.parametrize(
    ("expires", "signature"),
    [
        (None, GOOD_SIGNATURE),
        ("4102444800", None),
        ("-5", GOOD_SIGNATURE),
        ("1e9", GOOD_SIGNATURE),
        ("", ""),
        *((value, GOOD_SIGNATURE) for value in NOT_ASCII_DIGITS),
        *(("4102444800", value) for value in NOT_SIGNATURES),
    ],
)
def test_malformed_query_values_are_rejected(expires: str | None, signature: str | None) -> None:
    """Missing, non-ASCII or odd-shaped values are simply invalid, never an exception."""
    assert not LinkSigner(SECRET, "https://x").is_valid("res_abc", expires, signature, now=NOW)


@pytest.mark.parametrize("expires", ["", "-5", *NOT_ASCII_DIGITS])
def test_check_link_query_names_a_malformed_expires(expires: str) -> None:
    """A malformed expires is a validation_error naming it (the route answers 400, not 500)."""
    with pytest.raises(ValidationError, match=r"^expires must be"):
        check_link_query(expires, GOOD_SIGNATURE)


@pytest.mark.parametrize("signature", ["", *NOT_SIGNATURES])
def test_check_link_query_names_a_malformed_signature(signature: str) -> None:
    """A malformed signature is a validation_error naming it."""
    with pytest.raises(ValidationError, match=r"^signature must be"):
        check_link_query("4102444800", signature)


def test_check_link_query_accepts_issued_links_and_absent_values() -> None:
    """What url_for issues passes, and so do absent values (the owner's key needs none)."""
    check_link_query(*_query(LinkSigner(SECRET, "https://x").url_for("res_abc", now=NOW)))
    check_link_query(None, None)


def test_short_secrets_are_refused() -> None:
    """A secret under 32 bytes is a configuration bug, caught at construction."""
    with pytest.raises(ValueError):
        LinkSigner(b"short", "https://x")
