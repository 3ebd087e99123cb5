"""API key format: prefix, entropy, checksum, hashing."""

from __future__ import annotations

import re

from finetune.keys.service import generate_secret, hash_secret, parse_mode


def test_generated_keys_have_the_documented_shape() -> None:
    """ft_live_/ft_test_ + 32 base62 random characters + 6 checksum characters."""
    live, test = generate_secret("live"), generate_secret("test")
    assert re.fullmatch(r"ft_live_[0-9A-Za-z]{38}", live)
    assert re.fullmatch(r"ft_test_[0-9A-Za-z]{38}", test)
    assert (parse_mode(live), parse_mode(test)) == ("live", "test")


def test_keys_are_unique() -> None:
    """A thousand keys never collide."""
    assert len({generate_secret("live") for _ in range(1000)}) == 1000


def test_checksum_catches_typos() -> None:
    """Changing any one character of the random part makes the key malformed."""
    key = generate_secret("live")
    for index in range(8, len(key)):
        replacement = "a" if key[index] != "a" else "b"
        mutated = key[:index] + replacement + key[index + 1 :]
        assert parse_mode(mutated) is None, index


def test_malformed_keys_are_rejected() -> None:
    """Wrong prefixes, lengths and alphabets are not keys."""
    key = generate_secret("test")
    for bad in [
        "",
        "ft_live_",
        key[:-1],
        key + "x",
        key.replace("ft_test_", "ft_prod_"),
        key.replace("ft_", "FT_"),
        " " + key,
        key[:20] + "-" + key[21:],
    ]:
        assert parse_mode(bad) is None, bad


def test_hash_is_stable_and_hides_the_key() -> None:
    """The stored hash is a SHA-256 hex digest, the same for the same key."""
    key = generate_secret("live")
    assert hash_secret(key) == hash_secret(key)
    assert re.fullmatch(r"[0-9a-f]{64}", hash_secret(key))
    assert key not in hash_secret(key)
