"""API keys: ``ft_live_`` / ``ft_test_`` + 32 random base62 characters + a 6-character checksum.

The checksum lets a malformed or mistyped key be refused without a database lookup. Only the
SHA-256 of the full key is stored: keys carry about 190 random bits, so a fast hash is safe
(slow password hashes are for low-entropy secrets).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from finetune.api.ids import new_id, utc_now
from finetune.errors import NotFound, ValidationError
from finetune.models import Account, ApiKey

Mode = Literal["live", "test"]
MODES: tuple[Mode, ...] = ("live", "test")

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_RANDOM_LENGTH = 32
_CHECKSUM_LENGTH = 6  # 62**6 > 2**32, so any CRC-32 fits
_KEY_PATTERN = re.compile(r"^ft_(live|test)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$")
PREFIX_LENGTH = 12
# last_used_at is written at most this often per key: it is a hint, not an audit log.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), _CHECKSUM_LENGTH)


def generate_secret(mode: Mode) -> str:
    """A new full key for ``mode``."""
    body = f"ft_{mode}_" + "".join(secrets.choice(_BASE62) for _ in range(_RANDOM_LENGTH))
    return body + _checksum(body)


def parse_mode(secret: str) -> Mode | None:
    """The key's mode when it is well formed (right shape and checksum), else ``None``."""
    match = _KEY_PATTERN.match(secret)
    if match is None:
        return None
    body = secret[:-_CHECKSUM_LENGTH]
    if not secrets.compare_digest(_checksum(body), match.group(3)):
        return None
    return "live" if match.group(1) == "live" else "test"


def hash_secret(secret: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def display_prefix(key: ApiKey) -> str:
    """What listings show instead of the secret: the first 12 characters and ``....``."""
    return f"{key.prefix}...."


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    secret: str  # shown once, never stored


def _check_mode(mode: str) -> Mode:
    if mode not in MODES:
        raise ValidationError("mode must be one of 'live', 'test'")
    return "live" if mode == "live" else "test"


async def create_key(session: AsyncSession, account_id: str, mode: str, name: str) -> CreatedKey:
    """Mint a key for an existing account; the secret is returned here and nowhere else."""
    checked_mode = _check_mode(mode)
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError("name must be 1 to 200 characters")
    if await session.get(Account, account_id) is None:
        raise NotFound(f"no account with id {account_id}")
    secret = generate_secret(checked_mode)
    key = ApiKey(
        id=new_id("key"),
        account_id=account_id,
        mode=checked_mode,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
        created_at=utc_now(),
    )
    session.add(key)
    await session.flush()
    return CreatedKey(key=key, secret=secret)


async def revoke_key(session: AsyncSession, key_id: str) -> ApiKey:
    """Revoke a key at once; revoking twice keeps the first revocation time."""
    key = await session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"no API key with id {key_id}")
    if key.revoked_at is None:
        key.revoked_at = utc_now()
        await session.flush()
    return key


async def list_keys(session: AsyncSession, account_id: str) -> list[ApiKey]:
    """Every key of the account, both modes, revoked ones included, newest first."""
    rows = await session.scalars(
        select(ApiKey)
        .where(ApiKey.account_id == account_id)
        .order_by(ApiKey.created_at.desc(), ApiKey.id.desc())
    )
    return list(rows)


async def find_active_key(session: AsyncSession, secret: str) -> tuple[ApiKey, Account] | None:
    """The unrevoked key with this secret and its account, or ``None``."""
    if parse_mode(secret) is None:
        return None
    row = (
        await session.execute(
            select(ApiKey, Account)
            .join(Account, Account.id == ApiKey.account_id)
            .where(ApiKey.secret_hash == hash_secret(secret), ApiKey.revoked_at.is_(None))
        )
    ).first()
    if row is None:
        return None
    return row[0], row[1]


async def record_key_use(session: AsyncSession, key_id: str, now: datetime) -> None:
    """Set ``last_used_at`` unless it was set less than a minute ago (a no-op UPDATE then)."""
    await session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key_id,
            or_(
                ApiKey.last_used_at.is_(None),
                ApiKey.last_used_at < now - LAST_USED_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
