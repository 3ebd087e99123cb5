"""Years of experience from free-text resume dates."""

from __future__ import annotations

from datetime import date

import pytest

from finetune.documents.schema import ExperienceItem
from finetune.tailoring.dates import experience_years

TODAY = date(2025, 6, 15)


def years(*dates: str) -> float | None:
    return experience_years([ExperienceItem(date=d) for d in dates], today=TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 2020 - Dec 2021", 2.0),
        ("2018-03 – 2019-02", 1.0),
        ("03/2023 - Present", 28 / 12),
        ("September 2024 to current", 10 / 12),
        ("2021", 1.0),
    ],
)
def test_single_item_formats(text: str, expected: float) -> None:
    """Month names, ISO months, numeric months, "Present" and a bare year are understood."""
    assert years(text) == pytest.approx(expected)


def test_overlapping_jobs_count_once() -> None:
    """Two concurrent jobs do not double the years."""
    assert years("Jan 2020 - Dec 2021", "Jun 2021 - Dec 2022") == pytest.approx(3.0)


def test_no_readable_date_is_undeterminable() -> None:
    """Without any date, years are unknown rather than zero."""
    assert years("", "summer job") is None
    assert experience_years([], today=TODAY) is None
