"""Signed, expiring links to a resume's PDF: ``/files/{id}.pdf?expires=…&signature=…``.

The signature is HMAC-SHA256 over the resume id and the expiry, keyed by a secret every worker
shares through the database, so any worker can verify a link another one issued.

Query values are parsed strictly: ``expires`` is 1-12 ASCII digits and ``signature`` 64 lowercase
hex digits. ``str.isdigit`` and ``int`` would accept ``²`` or ``١٢`` (and ``int`` then fails or
reads another number), so both are matched against ASCII-only patterns instead.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from finetune.errors import ValidationError

LINK_LIFETIME = timedelta(days=7)
# Unix seconds up to the year 33658: longer cannot be an expiry we issued.
EXPIRES_PATTERN = "^[0-9]{1,12}$"
SIGNATURE_PATTERN = "^[0-9a-f]{64}$"
_EXPIRES = re.compile(EXPIRES_PATTERN)
_SIGNATURE = re.compile(SIGNATURE_PATTERN)


def check_link_query(expires: str | None, signature: str | None) -> None:
    """Raise ``ValidationError`` naming the parameter when a given value is not well formed
    (absent values are not errors: the owner's key needs neither)."""
    # fullmatch, not match: "$" would also accept a trailing newline.
    if expires is not None and not _EXPIRES.fullmatch(expires):
        raise ValidationError("expires must be a Unix time of 1-12 ASCII digits, as in pdf_url")
    if signature is not None and not _SIGNATURE.fullmatch(signature):
        raise ValidationError("signature must be 64 lowercase hexadecimal digits, as in pdf_url")


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
        """Whether ``expires``/``signature`` (raw query values) authorise ``resume_id`` now.

        Never raises: a malformed value is simply not a valid link.
        """
        if expires is None or signature is None:
            return False
        if not _EXPIRES.fullmatch(expires) or not _SIGNATURE.fullmatch(signature):
            return False
        expires_at = int(expires)
        current = (now or datetime.now(UTC)).timestamp()
        if expires_at < current:
            return False
        return hmac.compare_digest(self._signature(resume_id, expires_at), signature)
