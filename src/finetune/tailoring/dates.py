"""Years of professional experience read from a resume's free-text experience dates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from finetune.documents.schema import ExperienceItem

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_POINT_RE = re.compile(
    r"(?:(?P<month_name>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s*"
    r"|(?P<month>\d{1,2})\s*[/.-]\s*)?(?P<year>(?:19|20)\d{2})(?:-(?P<iso_month>\d{2}))?"
    r"|(?P<now>present|current|now|today|ongoing)",
    re.IGNORECASE,
)


def _months(item_date: str, today: date) -> tuple[int, int] | None:
    """(start, end) as month numbers since year 0, from "Jan 2019 - Present", "2018-03 – 2021"."""
    points: list[int] = []
    month_given = False
    for match in _POINT_RE.finditer(item_date):
        if match["now"]:
            points.append(today.year * 12 + today.month - 1)
            continue
        month = 1
        month_given = bool(match["month_name"] or match["month"] or match["iso_month"])
        if match["month_name"]:
            month = _MONTHS[match["month_name"][:3].lower()]
        elif match["month"] and 1 <= int(match["month"]) <= 12:
            month = int(match["month"])
        elif match["iso_month"] and 1 <= int(match["iso_month"]) <= 12:
            month = int(match["iso_month"])
        points.append(int(match["year"]) * 12 + month - 1)
    if not points:
        return None
    if len(points) == 1:
        # A lone year ("2021") stands for that year; a lone month for that month.
        return (points[0], points[0] + (1 if month_given else 12))
    start, end = points[0], points[-1]
    return (start, end + 1) if end >= start else None  # the end month counts in full


def experience_years(items: Iterable[ExperienceItem], *, today: date) -> float | None:
    """Years covered by the items' dates, overlaps counted once; None if no date is readable."""
    spans = sorted(s for s in (_months(i.date, today) for i in items) if s is not None)
    if not spans:
        return None
    total = 0
    current_start, current_end = spans[0]
    for start, end in spans[1:]:
        if start > current_end:
            total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    total += current_end - current_start
    return total / 12
