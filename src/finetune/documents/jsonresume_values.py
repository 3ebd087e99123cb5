"""The values inside a JSON Resume object, read with type checks and written back.

Text and lists are checked as they are read (a ValidationError names the field at fault) and
empty values are left out when writing. Dates and levels are where JSON Resume's own fields say
less than ours: its ISO dates cannot hold "Sept 2021 – present" or "Summer 2019" as written, and
its level text need not imply our 0–5 number ("Fluent" with 5). Two extra keys, which the schema
allows and themes ignore, carry the difference: ``displayDate`` (the date as the resume shows
it, written only when the ISO fields would show it otherwise) and ``levelNumber`` (written only
when the level text does not imply the number, or when there is no level text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from finetune.documents.displaytext import (
    date_range_shown,
    date_shown,
    format_date_range,
    format_iso_date,
    infer_level,
    parse_date_range,
    parse_display_date,
)
from finetune.documents.schema import join_bullets, split_bullets
from finetune.errors import ValidationError

Json = dict[str, Any]
DISPLAY_DATE = "displayDate"
LEVEL_NUMBER = "levelNumber"


def object_at(doc: Json, key: str, path: str) -> Json:
    value = doc.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(f"{path} must be an object, got {type(value).__name__}.")
    return value


def text(obj: Json, key: str, path: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{path}.{key} must be a string, got {type(value).__name__}.")
    return value


def strings(obj: Json, key: str, path: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        raise ValidationError(f"{path}.{key} must be a list of strings.")
    return list(value)


def text_or_legacy(obj: Json, key: str, legacy: str, path: str) -> str:
    """``key``, or its name in JSON Resume before v1.0 (work ``company``, ``website``, ``gpa``…)
    when only that one is given. The converter keeps the original key in ``ext``."""
    return text(obj, key, path) or text(obj, legacy, path)


def url(obj: Json, path: str) -> Json:
    return {"label": "", "href": text_or_legacy(obj, "url", "website", path)}


def put(out: Json, key: str, value: Any) -> None:
    if value:
        out[key] = value


def date_range(obj: Json, path: str) -> str:
    shown = format_date_range(text(obj, "startDate", path), text(obj, "endDate", path))
    return _as_displayed(obj, path, shown, date_range_shown)


def date(obj: Json, key: str, path: str) -> str:
    return _as_displayed(obj, path, format_iso_date(text(obj, key, path)), date_shown)


def _as_displayed(obj: Json, path: str, shown: str, reads_as: Callable[[str], str]) -> str:
    """``displayDate`` when it says the same date as the ISO fields (which show as ``shown``),
    else ``shown``: a stale ``displayDate`` never overrides the dates themselves."""
    display = text(obj, DISPLAY_DATE, path)
    return display if display.strip() and reads_as(display) == shown else shown


def put_date_range(out: Json, display: str) -> None:
    parsed = parse_date_range(display)
    if parsed:  # text we cannot read as dates ("Summer 2019") has no ISO form
        put(out, "startDate", parsed[0])
        put(out, "endDate", parsed[1])
    _put_displayed(out, display, date_range_shown(display))


def put_date(out: Json, key: str, display: str) -> None:
    put(out, key, parse_display_date(display) if display.strip() else None)
    _put_displayed(out, display, date_shown(display))


def _put_displayed(out: Json, display: str, shown: str) -> None:
    """The date as written, when the ISO fields alone would show it otherwise."""
    if display.strip() and display != shown:
        out[DISPLAY_DATE] = display


def level(item: Json, key: str, path: str, words: dict[int, str]) -> tuple[str, int]:
    """(description, 0–5 level) from the level text and the ``levelNumber`` we may have written.

    Beside ``levelNumber`` we write one of our own level ``words`` only for an empty description
    (a description equal to that word implies the same number, so it needs no ``levelNumber``).
    """
    written = text(item, key, path)
    number = item.get(LEVEL_NUMBER)
    if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= 5:
        return written, infer_level(written)  # no number of ours: a hand-made one stays in ext
    return ("" if number and written == words.get(number) else written), number


def put_level(out: Json, key: str, fields: Json, words: dict[int, str]) -> None:
    description, number = fields["description"], fields["level"]
    put(out, key, description or words.get(number))
    if number != (infer_level(description) if description else 0):
        out[LEVEL_NUMBER] = number


def bulleted(obj: Json, path: str) -> str:
    return join_bullets(text(obj, "summary", path), strings(obj, "highlights", path))


def put_bulleted(out: Json, summary: str) -> None:
    paragraph, bullets = split_bullets(summary)
    put(out, "summary", paragraph)
    put(out, "highlights", bullets)
