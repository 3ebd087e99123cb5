"""Getting one JSON object out of what a model actually wrote.

Models without server-side JSON enforcement wrap answers in code fences, add a sentence before or
after, leave trailing commas, or (reasoning models) think aloud in ``<think>`` blocks first. This
module recovers the first JSON object and tells truncated output apart from malformed output, so
the caller can retry with more tokens instead of giving up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


class MalformedJSON(ValueError):
    """No JSON object could be recovered from the text."""


class TruncatedJSON(MalformedJSON):
    """The text starts a JSON object that never closes: the output was cut off."""


def parse_json_object(text: str) -> dict[str, Any]:
    """The first JSON object in ``text``, repaired if needed; raises MalformedJSON/TruncatedJSON."""
    cleaned = _THINK_BLOCK.sub("", text)
    start = cleaned.find("{")
    if start < 0:
        raise MalformedJSON("the answer contains no JSON object")
    end = _matching_brace(cleaned, start)
    if end is None:
        raise TruncatedJSON("the JSON object in the answer never closes")
    candidate = cleaned[start : end + 1]
    for attempt in (candidate, _drop_trailing_commas(candidate)):
        try:
            value = json.loads(attempt)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    raise MalformedJSON("the JSON object in the answer is not valid JSON")


def _matching_brace(text: str, start: int) -> int | None:
    """Index of the brace closing the one at ``start``, skipping string contents."""
    depth = 0
    for index, char, structural in _characters(text, start):
        if not structural:
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index
    return None


def _drop_trailing_commas(text: str) -> str:
    """Remove commas directly before a closing bracket, outside strings."""
    out: list[str] = []
    for index, char, structural in _characters(text):
        if structural and char == "," and _next_significant(text, index + 1) in ("}", "]"):
            continue
        out.append(char)
    return "".join(out)


def _characters(text: str, start: int = 0) -> Iterator[tuple[int, str, bool]]:
    """Each character from ``start`` with its index and whether it is JSON structure: not inside
    a string literal, nor one of the quotes around it."""
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        structural = False
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        else:
            structural = True
        yield index, char, structural


def _next_significant(text: str, index: int) -> str:
    while index < len(text) and text[index].isspace():
        index += 1
    return text[index] if index < len(text) else ""
