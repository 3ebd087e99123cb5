"""How long an in-flight idempotent request owns its key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError as SettingsError

from finetune.config import Settings
from finetune.resumes.idempotency import lock_lifetime


def test_default_lock_outlasts_every_llm_attempt() -> None:
    """Unset, the lock covers three timed-out LLM attempts, the waits between them and a margin."""
    assert lock_lifetime(Settings(llm_timeout=120)) == timedelta(seconds=480)
    assert lock_lifetime(Settings(llm_timeout=10)) == timedelta(seconds=150)


def test_explicit_lock_seconds_win() -> None:
    """FINETUNE_IDEMPOTENCY_LOCK_SECONDS overrides the derived value."""
    settings = Settings(llm_timeout=120, idempotency_lock_seconds=7.5)
    assert lock_lifetime(settings) == timedelta(seconds=7.5)


@pytest.mark.parametrize("seconds", [0, -1])
def test_lock_seconds_must_be_positive(seconds: float) -> None:
    """A zero or negative lock is refused when the settings load, not on the first request."""
    with pytest.raises(SettingsError, match="idempotency_lock_seconds"):
        Settings(idempotency_lock_seconds=seconds)
