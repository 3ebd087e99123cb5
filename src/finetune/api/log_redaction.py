"""Keep credentials out of the access log.

Keys are never accepted in the query string, but a client may still send one there by mistake
(``?api_key=ft_live_…``), and a signed PDF link carries its ``signature`` in the query. The
access log records every request's path with its query, so both would be written to disk
in clear. A filter on uvicorn's access logger masks them before any handler sees the record.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
REDACTED = "[REDACTED]"

# A key anywhere (any parameter name, percent-encoded or not), and the value of `signature=`.
_KEY = re.compile(r"ft_(?:live|test)_[0-9A-Za-z]+")
_SIGNATURE = re.compile(r"(?i)((?:^|[?&;])signature=)[^&;#\s]*")


def redact(text: str) -> str:
    """``text`` with key secrets and link signatures masked."""
    return _SIGNATURE.sub(rf"\g<1>{REDACTED}", _KEY.sub(REDACTED, text))


class RedactSecrets(logging.Filter):
    """Masks secrets in a record's message arguments (uvicorn passes the path as one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_access_log_redaction() -> None:
    """Add the filter to uvicorn's access logger once per process."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, RedactSecrets) for existing in logger.filters):
        logger.addFilter(RedactSecrets())
