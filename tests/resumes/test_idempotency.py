"""Idempotency key validation and request fingerprints."""

from __future__ import annotations

import pytest

from finetune.errors import ValidationError
from finetune.resumes.idempotency import fingerprint, validate_key


def test_fingerprint_ignores_key_order_and_whitespace() -> None:
    """Equal JSON bodies written differently have one fingerprint."""
    a = fingerprint("POST", "/api/v1/resumes/generate", b'{"a": 1, "b": [1, 2]}')
    b = fingerprint("post", "/api/v1/resumes/generate", b'{ "b":[1,2],\n "a":1 }')
    assert a == b


def test_fingerprint_separates_method_path_and_body() -> None:
    """A change of method, path or body value changes the fingerprint."""
    base = fingerprint("POST", "/p", b'{"a": 1}')
    assert fingerprint("PUT", "/p", b'{"a": 1}') != base
    assert fingerprint("POST", "/q", b'{"a": 1}') != base
    assert fingerprint("POST", "/p", b'{"a": 2}') != base
    # Parts are length-prefixed, so shifting text between them cannot collide.
    assert fingerprint("POST", "/p1", b"") != fingerprint("POST", "/p", b"1")


def test_non_json_bodies_are_fingerprinted_raw() -> None:
    """A body that is not JSON (or not UTF-8) is hashed as bytes, not rejected."""
    assert fingerprint("POST", "/p", b"\xff\xfe") != fingerprint("POST", "/p", b"\xff")


@pytest.mark.parametrize("key", ["a", "order-42", "~" * 256, " spaced key "])
def test_printable_ascii_keys_up_to_256_are_accepted(key: str) -> None:
    """Keys of 1-256 printable ASCII characters pass unchanged."""
    assert validate_key(key) == key


@pytest.mark.parametrize("key", ["", "x" * 257, "café", "line\nbreak", "\x7f"])
def test_other_keys_are_validation_errors(key: str) -> None:
    """Empty, too long, non-ASCII or control characters are refused."""
    with pytest.raises(ValidationError):
        validate_key(key)
