"""Settings from the environment (``FINETUNE_`` prefix). Nothing is built at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import PositiveFloat
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
    # How long an in-flight idempotent request owns its key before a retry may take it over
    # (its process presumably died). Unset: derived from the LLM timeout.
    idempotency_lock_seconds: PositiveFloat | None = None

    rate_limit_free: int = 10
    rate_limit_pro: int = 60
    rate_limit_anonymous: int = 60
    # Dashboard sign-in/sign-up attempts: per email per hour, per client address per minute.
    login_attempts_per_email: int = 10
    login_attempts_per_address: int = 30

    @property
    def resolved_database_url(self) -> str:
        """The configured database, or SQLite inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'finetune.db').resolve()}"
