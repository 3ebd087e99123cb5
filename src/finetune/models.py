"""Every table in one place, so the schema can be read at a glance.

Times are stored as UTC. SQLite keeps no time zone, so :class:`UTCDateTime` hands back aware UTC
datetimes on every backend and refuses naive ones on the way in (a naive time is a bug).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations can name what they alter.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        # Not "<= credits_total": an operator may lower the total below what was already used.
        CheckConstraint("credits_used >= 0", name="credits_used_non_negative"),
        CheckConstraint("plan IN ('free', 'pro')", name="plan_known"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    plan: Mapped[str] = mapped_column(String(16))
    credits_total: Mapped[int] = mapped_column(Integer)
    credits_used: Mapped[int] = mapped_column(Integer, default=0)
    rate_limit: Mapped[int | None] = mapped_column(Integer)
    cycle_start: Mapped[datetime]
    cycle_end: Mapped[datetime]
    created_at: Mapped[datetime]


class ApiKey(Base):
    __tablename__ = "api_keys"
    __table_args__ = (CheckConstraint("mode IN ('live', 'test')", name="mode_known"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    mode: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(12))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class BaseResume(Base):
    __tablename__ = "base_resumes"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    resume_data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class Resume(Base):
    __tablename__ = "resumes"
    __table_args__ = (Index("ix_resumes_listing", "account_id", "livemode", "created_at", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    livemode: Mapped[bool] = mapped_column(Boolean)
    company_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    finetune_level: Mapped[str] = mapped_column(String(8))
    # Heavy columns are nullable: deletion clears them and keeps a tombstone for cursors.
    job_description: Mapped[str | None] = mapped_column(Text)
    ats_score: Mapped[int | None] = mapped_column(Integer)
    ats_score_before: Mapped[int | None] = mapped_column(Integer)
    resume_data: Mapped[dict[str, Any] | None]
    keywords: Mapped[dict[str, Any] | None]
    ats_breakdown: Mapped[dict[str, Any] | None]
    ats_breakdown_before: Mapped[dict[str, Any] | None]
    changes: Mapped[list[Any] | None]
    warnings: Mapped[list[Any] | None]
    usage: Mapped[dict[str, Any] | None]
    credits_charged: Mapped[int] = mapped_column(Integer, default=0)
    pdf_generated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]


class ResumePdf(Base):
    __tablename__ = "resume_pdfs"

    resume_id: Mapped[str] = mapped_column(ForeignKey("resumes.id"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    generated_at: Mapped[datetime]


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("account_id", "livemode", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    livemode: Mapped[bool] = mapped_column(Boolean)
    key: Mapped[str] = mapped_column(String(256))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(8))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    # The running request's lease: its owner renews ``leased_until`` while it works; a running
    # record past it was abandoned (its process died) and may be taken over.
    lease_token: Mapped[str] = mapped_column(String(32))
    leased_until: Mapped[datetime]
    # The resume whose answer is stored, so deleting the resume can withdraw that answer.
    resume_id: Mapped[str | None] = mapped_column(ForeignKey("resumes.id"), index=True)


class RateLimitCounter(Base):
    """Requests counted per key and fixed window (a minute for the API, up to a day for
    dashboard sign-in), when workers share no Redis."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)  # Unix seconds
    count: Mapped[int] = mapped_column(Integer)
    window_end: Mapped[int] = mapped_column(Integer, index=True)  # Unix seconds; swept after


class DashboardSessionRecord(Base):
    """A signed-in dashboard session; the cookie holds the token, the row only its SHA-256,
    so signing out (deleting the row) makes a copied cookie worthless on every worker."""

    __tablename__ = "dashboard_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the token
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    # A digest of the password hash at sign-in: a new password ends the session.
    password_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ServerSecret(Base):
    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
