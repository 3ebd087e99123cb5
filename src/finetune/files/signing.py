"""Signed, expiring links to a resume's PDF: ``/files/{id}.pdf?expires=…&signature=…``.

The signature is HMAC-SHA256 over the resume id and the expiry, keyed by a secret every worker
shares through the database, so any worker can verify a link another one issued.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

LINK_LIFETIME = timedelta(days=7)


class LinkSigner:
    def __init__(self, secret: bytes, public_url: str, lifetime: timedelta = LINK_LIFETIME) -> None:
        if len(secret) < 32:
            raise ValueError("the link-signing secret must be at least 32 bytes")
        self._secret = secret
        self._public_url = public_url.rstrip("/")
        self._lifetime = lifetime

    def _signature(self, resume_id: str, expires: int) -> str:
        message = f"{resume_id}:{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def url_for(self, resume_id: str, now: datetime | None = None) -> str:
        """An absolute link to the PDF, valid for the signer's lifetime from ``now``."""
        issued = now or datetime.now(UTC)
        expires = int((issued + self._lifetime).timestamp())
        query = urlencode({"expires": expires, "signature": self._signature(resume_id, expires)})
        return f"{self._public_url}/files/{resume_id}.pdf?{query}"

    def is_valid(
        self,
        resume_id: str,
        expires: str | None,
        signature: str | None,
        now: datetime | None = None,
    ) -> bool:
        """Whether ``expires``/``signature`` (raw query values) authorise ``resume_id`` now."""
        if not expires or not signature or not expires.isdigit() or len(expires) > 12:
            return False
        expires_at = int(expires)
        current = (now or datetime.now(UTC)).timestamp()
        if expires_at < current:
            return False
        return hmac.compare_digest(self._signature(resume_id, expires_at), signature)
