"""Settings from the environment (``FINETUNE_`` prefix). Nothing is built at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FINETUNE_", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str | None = None
    redis_url: str | None = None
    # Namespaces every Redis key, so several deployments (or test runs) can share one Redis.
    redis_key_prefix: str = "finetune"
    # Where API rate limits are counted without Redis: process memory (exact for one process)
    # or the database (exact across the workers of `serve --workers N`, which selects it).
    rate_limit_storage: Literal["memory", "database"] = "memory"
    public_url: str = "http://127.0.0.1:8000"

    llm_provider: Literal["local", "openai", "anthropic"] = "local"
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model: str | None = None
    llm_timeout: float = 120.0
    llm_fallback: Literal["local"] | None = None
    # The lease an in-flight idempotent request holds on its key, renewed every third of it while
    # the request runs: a crashed process's keys become retryable within this many seconds.
    idempotency_lease_seconds: float = Field(default=15.0, ge=1.0)

    rate_limit_free: int = 10
    rate_limit_pro: int = 60
    rate_limit_anonymous: int = 60
    # Dashboard sign-in/sign-up attempts per client address per minute; sign-in attempts per
    # account and address per 5 minutes (twice that an hour, four times a day); sign-in attempts
    # per account per hour from browsers that never signed in to it (docs/dashboard.md).
    login_attempts_per_address: int = Field(default=30, ge=1)
    login_attempts_per_email_and_address: int = Field(default=5, ge=1)
    login_attempts_per_email: int = Field(default=20, ge=1)

    @property
    def resolved_database_url(self) -> str:
        """The configured database, or SQLite inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'finetune.db').resolve()}"
