"""The link-signing secret: generated once, stored in the database, shared by every worker."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from finetune.config import Settings
from finetune.files.signing import LinkSigner
from finetune.models import ServerSecret

SIGNING_SECRET_NAME = "file_link_signing_key"


async def shared_secret(sessions: async_sessionmaker[AsyncSession], name: str) -> str:
    """The secret called ``name``, created on first use; concurrent creators agree on one."""
    async with sessions() as session:
        existing = await session.get(ServerSecret, name)
        if existing is not None:
            return existing.value
    try:
        async with sessions() as session, session.begin():
            session.add(ServerSecret(name=name, value=secrets.token_hex(32)))
    except IntegrityError:
        pass  # another worker created it first: use theirs
    async with sessions() as session:
        created = await session.get(ServerSecret, name)
        if created is None:
            raise RuntimeError(f"server secret {name!r} vanished right after creation")
        return created.value


async def link_signer(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> LinkSigner:
    """A signer for ``pdf_url`` links under the configured public URL."""
    secret = await shared_secret(sessions, SIGNING_SECRET_NAME)
    return LinkSigner(bytes.fromhex(secret), settings.public_url)
