"""Display text for values JSON Resume stores in structured form: dates, locations, levels.

Our resume_data shows dates, locations and levels as people write them on a resume
("Jan 2020 – Present", "Portland, OR", "Advanced"); JSON Resume stores ISO dates, a location
object and free level text. These functions convert both ways. Formatting then parsing gives back
the same text, which is what lets the JSON Resume converter detect edited values.
"""

from __future__ import annotations

import re
from typing import Any

DATE_SEPARATOR = " – "
PRESENT = "Present"

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MONTH_NUMBER = {name.lower(): number for number, name in enumerate(_MONTHS, start=1)}
_MONTH_NUMBER.update(
    {
        "january": 1,
        "february": 2,
        "march": 3,
        "april": 4,
        "june": 6,
        "july": 7,
        "august": 8,
        "sept": 9,
        "september": 9,
        "october": 10,
        "november": 11,
        "december": 12,
    }
)
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
_RANGE_SEPARATOR = re.compile(r"\s+(?:[–—-]|to)\s+|\s*[–—]\s*", re.IGNORECASE)
_ONGOING = {"present", "current", "now", "today", "ongoing"}


def format_iso_date(iso: str) -> str:
    """``2020-01-15`` or ``2020-01`` → ``Jan 2020``; ``2020`` → ``2020``; other text unchanged."""
    match = _ISO_DATE.match(iso.strip())
    if not match:
        return iso.strip()
    year, month = match.group(1), match.group(2)
    if month and 1 <= int(month) <= 12:
        return f"{_MONTHS[int(month) - 1]} {year}"
    return year if not month else iso.strip()


def parse_display_date(text: str) -> str | None:
    """``Jan 2020``/``January 2020``/``2020-01`` → ``2020-01``; ``2020`` → ``2020``; else None."""
    text = text.strip()
    iso = _ISO_DATE.match(text)
    if iso:
        month = iso.group(2)
        if month is None:
            return iso.group(1)
        return f"{iso.group(1)}-{month}" if 1 <= int(month) <= 12 else None
    month_year = _MONTH_YEAR.match(text)
    if month_year:
        number = _MONTH_NUMBER.get(month_year.group(1).lower())
        if number:
            return f"{month_year.group(2)}-{number:02d}"
    return None


def format_date_range(start: str, end: str) -> str:
    """ISO start/end (either may be empty) → ``Jan 2020 – Present``, ``Jan 2020 – Mar 2021``."""
    start_text, end_text = format_iso_date(start), format_iso_date(end)
    if start_text and end_text:
        return start_text if start_text == end_text else f"{start_text}{DATE_SEPARATOR}{end_text}"
    if start_text:
        return f"{start_text}{DATE_SEPARATOR}{PRESENT}"
    return end_text


def parse_date_range(text: str) -> tuple[str, str] | None:
    """Inverse of :func:`format_date_range`: ISO (start, end), end empty while ongoing.

    A single date is both start and end. None when the text is not a date range we understand
    (e.g. "Summer 2019"), so callers can leave it out rather than guess.
    """
    text = text.strip()
    if not text:
        return "", ""
    parts = _RANGE_SEPARATOR.split(text, maxsplit=1)
    start = parse_display_date(parts[0])
    if start is None:
        return None
    if len(parts) == 1:
        return start, start
    if parts[1].strip().lower() in _ONGOING:
        return start, ""
    end = parse_display_date(parts[1])
    return (start, end) if end is not None else None


def date_range_shown(text: str) -> str:
    """What :func:`format_date_range` shows for the dates ``text`` says ("Sept 2021 – present" →
    "Sep 2021 – Present"); "" when ``text`` is not a date range we read."""
    parsed = parse_date_range(text)
    return format_date_range(*parsed) if parsed else ""


def date_shown(text: str) -> str:
    """What :func:`format_iso_date` shows for the date ``text`` says ("October 2019" →
    "Oct 2019"); "" when ``text`` is not a date we read."""
    iso = parse_display_date(text)
    return format_iso_date(iso) if iso else ""


_LOCATION_PARTS = ("city", "region", "countryCode")


def format_location(location: dict[str, Any]) -> str:
    """A JSON Resume location object → ``City, Region, CC`` (the street address stays private)."""
    parts = [location.get(key) for key in _LOCATION_PARTS]
    return ", ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())


def parse_location(text: str) -> dict[str, str]:
    """Inverse of :func:`format_location`: ``Portland, OR`` → ``{city, region}``."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) <= 2:
        return dict(zip(_LOCATION_PARTS, parts, strict=False))
    return {"city": ", ".join(parts[:-2]), "region": parts[-2], "countryCode": parts[-1]}


# Ordered most specific first: "limited working proficiency" must not match "professional".
_LEVEL_WORDS: list[tuple[str, int]] = [
    ("native", 5),
    ("bilingual", 5),
    ("mother tongue", 5),
    ("master", 5),
    ("expert", 5),
    ("full professional", 4),
    ("fluent", 4),
    ("advanced", 4),
    ("proficient", 4),
    ("professional working", 3),
    ("intermediate", 3),
    ("conversational", 3),
    ("competent", 3),
    ("limited", 2),
    ("basic", 2),
    ("elementary", 1),
    ("beginner", 1),
    ("novice", 1),
]
_LEVEL_NUMBER = re.compile(r"^([0-5])(?:\s*(?:/|of|out of)\s*5)?$")
SKILL_LEVEL_WORDS = {1: "Beginner", 2: "Basic", 3: "Intermediate", 4: "Advanced", 5: "Expert"}
LANGUAGE_LEVEL_WORDS = {
    1: "Elementary",
    2: "Limited working proficiency",
    3: "Professional working proficiency",
    4: "Full professional proficiency",
    5: "Native or bilingual proficiency",
}


def infer_level(text: str) -> int:
    """A 0–5 level from level text such as "Master", "Intermediate", "4/5"; 0 when unknown."""
    lowered = text.strip().lower()
    number = _LEVEL_NUMBER.match(lowered)
    if number:
        return int(number.group(1))
    for word, level in _LEVEL_WORDS:
        if re.search(rf"\b{word}\b", lowered):
            return level
    return 0
