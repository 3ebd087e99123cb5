"""How every ``finetune`` command fails: one line on stderr and an exit code, never a traceback.

Exit codes: 2 for what the operator gave (arguments, input files, ``FINETUNE_*`` configuration),
1 for a service that did not answer (the database), which a retry may fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from finetune.errors import FinetuneError, ServiceUnavailable

USAGE_ERROR = 2
UNAVAILABLE = 1


def fail(message: str, code: int = USAGE_ERROR) -> typer.Exit:
    """Print ``finetune: error: message`` on stderr; raise the returned Exit to stop."""
    typer.echo(f"finetune: error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn the project's errors and file errors into :func:`fail`."""
    try:
        yield
    except FinetuneError as exc:
        code = UNAVAILABLE if isinstance(exc, ServiceUnavailable) else USAGE_ERROR
        raise fail(exc.message, code) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise fail(f"{exc.filename}: {reason}" if exc.filename else reason) from None
