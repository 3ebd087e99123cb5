"""Settings from FINETUNE_* variables: a bad value is one message naming the variable and what
it accepts, never echoing a URL or key that may hold a secret."""

from __future__ import annotations

import os

import pytest

from finetune.config import ConfigurationError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the variables a test sets."""
    for name in list(os.environ):
        if name.startswith("FINETUNE_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "FINETUNE_LLM_PROVIDER",
            "gemini",
            "FINETUNE_LLM_PROVIDER must be one of local, openai or anthropic (got 'gemini')",
        ),
        ("FINETUNE_RATE_LIMIT_FREE", "ten", "FINETUNE_RATE_LIMIT_FREE must be a whole number"),
        ("FINETUNE_RATE_LIMIT_PRO", "0", "FINETUNE_RATE_LIMIT_PRO must be greater than 0"),
        ("FINETUNE_RATE_LIMIT_ANONYMOUS", "-5", "FINETUNE_RATE_LIMIT_ANONYMOUS must be greater"),
        ("FINETUNE_LLM_TIMEOUT", "soon", "FINETUNE_LLM_TIMEOUT must be a number (got 'soon')"),
        ("FINETUNE_LLM_FALLBACK", "yes", "FINETUNE_LLM_FALLBACK must be local (got 'yes')"),
        ("FINETUNE_RATE_LIMIT_STORAGE", "redis", "must be one of memory or database"),
        ("FINETUNE_PUBLIC_URL", "localhost:8000", "must start with http:// or https://"),
        (
            "FINETUNE_DATABASE_URL",
            "mysql://root:hunter2@db/finetune",
            "FINETUNE_DATABASE_URL must start with sqlite://, postgresql:// or postgres://",
        ),
        (
            "FINETUNE_REDIS_URL",
            "http://:hunter2@cache:6379",
            "FINETUNE_REDIS_URL must start with redis://, rediss:// or unix://",
        ),
    ],
)
def test_bad_values_name_the_variable_and_what_it_accepts(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    """Each bad value is a ConfigurationError whose one-line message starts with the variable."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert message in raised.value.message
    assert raised.value.message.startswith(name)
    assert "\n" not in raised.value.message
    assert "hunter2" not in raised.value.message


def test_several_bad_values_are_all_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two mistakes are reported together, so fixing one does not reveal the other later."""
    monkeypatch.setenv("FINETUNE_LLM_PROVIDER", "gemini")
    monkeypatch.setenv("FINETUNE_RATE_LIMIT_FREE", "x")
    with pytest.raises(ConfigurationError, match=r"FINETUNE_LLM_PROVIDER .*; FINETUNE_RATE_LIMIT"):
        load_settings()


def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """`FINETUNE_DATABASE_URL=` (as compose files write it) means the default, not an error."""
    monkeypatch.setenv("FINETUNE_DATABASE_URL", "")
    monkeypatch.setenv("FINETUNE_RATE_LIMIT_FREE", "")
    settings = load_settings()
    assert settings.database_url is None and settings.rate_limit_free == 10


def test_good_values_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Valid variables are read; keyword overrides win over the environment."""
    monkeypatch.setenv("FINETUNE_DATABASE_URL", "postgresql+psycopg://u:p@db/finetune")
    monkeypatch.setenv("FINETUNE_REDIS_URL", "rediss://cache:6380/0")
    monkeypatch.setenv("FINETUNE_LLM_PROVIDER", "anthropic")
    settings = load_settings(rate_limit_pro=120)
    assert settings.database_url == "postgresql+psycopg://u:p@db/finetune"
    assert (settings.llm_provider, settings.rate_limit_pro) == ("anthropic", 120)
