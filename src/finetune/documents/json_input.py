"""JSON from outside, parsed with a bound on nesting.

``json.loads`` recurses once per level: a 1 MiB body of ``[[[[…`` raises ``RecursionError``
(a 500 if nobody catches it), and a document just under the interpreter's limit still makes
every later recursive walk (validation, serialisation) run out of stack. No resume or request
of ours nests more than a handful of levels, so anything deeper than ``MAX_JSON_DEPTH`` is
refused as a ``ValidationError`` before any other code sees it.
"""

from __future__ import annotations

import json
from typing import Any

from finetune.errors import ValidationError

MAX_JSON_DEPTH = 64


def _too_deep(what: str) -> ValidationError:
    return ValidationError(f"{what} is nested too deeply (more than {MAX_JSON_DEPTH} levels)")


def check_depth(document: Any, what: str = "request body") -> None:
    """Raise ``ValidationError`` when arrays/objects nest more than ``MAX_JSON_DEPTH`` deep."""
    # Iterative on purpose: the point is to never recurse over untrusted structure.
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise _too_deep(what)
        pending.extend((child, depth + 1) for child in children)


def loads_bounded(data: str | bytes, what: str = "request body") -> Any:
    """``json.loads`` that refuses deep nesting with a ``ValidationError``.

    Invalid JSON still raises ``ValueError`` (or ``UnicodeDecodeError``), as ``json.loads``
    does, so callers keep their own message for it.
    """
    try:
        document = json.loads(data)
    except RecursionError as exc:
        raise _too_deep(what) from exc
    check_depth(document, what)
    return document
