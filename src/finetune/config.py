"""Settings from the environment (``FINETUNE_`` prefix). Nothing is built at import time.

:func:`load_settings` is how commands read them: a bad value is one
:class:`ConfigurationError` naming the variable and what it accepts, not a Pydantic traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, PositiveFloat, PositiveInt
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from finetune.errors import ValidationError

ENV_PREFIX = "FINETUNE_"


class ConfigurationError(ValidationError):
    """A ``FINETUNE_*`` variable has a value the server cannot use."""


def _url_with_scheme(*schemes: str) -> AfterValidator:
    """Accept a URL whose scheme (before any ``+driver``) is one of ``schemes``."""

    def check(url: str) -> str:
        scheme = urlsplit(url).scheme.split("+", 1)[0].lower()
        if scheme not in schemes or "://" not in url:
            *others, last = (f"{s}://" for s in schemes)
            raise ValueError(f"must start with {', '.join(others)} or {last}")
        return url

    return AfterValidator(check)


DatabaseUrl = Annotated[str, _url_with_scheme("sqlite", "postgresql", "postgres")]
RedisUrl = Annotated[str, _url_with_scheme("redis", "rediss", "unix")]
WebUrl = Annotated[str, _url_with_scheme("http", "https")]


class Settings(BaseSettings):
    # An empty variable counts as unset (as `FINETUNE_DATABASE_URL=` in a compose file means).
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", env_ignore_empty=True)

    data_dir: Path = Path("./data")
    database_url: DatabaseUrl | None = None
    redis_url: RedisUrl | None = None
    # Namespaces every Redis key, so several deployments (or test runs) can share one Redis.
    redis_key_prefix: str = "finetune"
    # Where API rate limits are counted without Redis: process memory (exact for one process)
    # or the database (exact across the workers of `serve --workers N`, which selects it).
    rate_limit_storage: Literal["memory", "database"] = "memory"
    public_url: WebUrl = "http://127.0.0.1:8000"

    llm_provider: Literal["local", "openai", "anthropic"] = "local"
    llm_base_url: WebUrl | None = None
    llm_api_key: str | None = None
    llm_model: str | None = None
    llm_timeout: PositiveFloat = 120.0
    llm_fallback: Literal["local"] | None = None
    # The lease an in-flight idempotent request holds on its key, renewed every third of it while
    # the request runs: a crashed process's keys become retryable within this many seconds.
    idempotency_lease_seconds: float = Field(default=15.0, ge=1.0)

    rate_limit_free: PositiveInt = 10
    rate_limit_pro: PositiveInt = 60
    rate_limit_anonymous: PositiveInt = 60
    # Dashboard sign-in/sign-up attempts per client address per minute; sign-in attempts per
    # account and address per 5 minutes (twice that an hour, four times a day); sign-in attempts
    # per account per hour from browsers that never signed in to it (docs/dashboard.md).
    login_attempts_per_address: PositiveInt = 30
    login_attempts_per_email_and_address: PositiveInt = 5
    login_attempts_per_email: PositiveInt = 20

    @property
    def resolved_database_url(self) -> str:
        """The configured database, or SQLite inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'finetune.db').resolve()}"


# Values never repeated in an error message: they may carry passwords or keys.
_SECRET_FIELDS = frozenset({"database_url", "redis_url", "llm_api_key", "llm_base_url"})


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (``overrides`` win); ConfigurationError when unusable."""
    try:
        return Settings(**overrides)
    except PydanticValidationError as exc:
        raise ConfigurationError("; ".join(_describe(error) for error in exc.errors())) from None


def _describe(error: Any) -> str:
    field = str(error["loc"][0]) if error["loc"] else ""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "literal_error":
        accepted = str(ctx.get("expected", "")).replace("'", "")
        problem = f"must be one of {accepted}" if " or " in accepted else f"must be {accepted}"
    elif kind in ("greater_than", "greater_than_equal") and ctx.get("gt", ctx.get("ge")) == 0:
        problem = "must be greater than 0"
    elif kind in ("int_parsing", "int_from_float"):
        problem = "must be a whole number"
    elif kind == "float_parsing":
        problem = "must be a number"
    elif kind == "value_error":
        problem = str(ctx.get("error", error["msg"]))
    else:
        problem = str(error["msg"]).lower()
    given = "" if field in _SECRET_FIELDS else f" (got {error['input']!r})"
    return f"{ENV_PREFIX}{field.upper()} {problem}{given}"
