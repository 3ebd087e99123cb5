"""Display text for dates, locations and levels, and its inverse."""

from __future__ import annotations

import pytest

from finetune.documents.displaytext import (
    LANGUAGE_LEVEL_WORDS,
    SKILL_LEVEL_WORDS,
    date_range_shown,
    date_shown,
    format_date_range,
    format_iso_date,
    format_location,
    infer_level,
    parse_date_range,
    parse_display_date,
    parse_location,
)


@pytest.mark.parametrize(
    ("iso", "text"),
    [("2020-01-15", "Jan 2020"), ("2020-12", "Dec 2020"), ("2020", "2020"), ("2020-13", "2020-13")],
)
def test_format_iso_date(iso: str, text: str) -> None:
    """ISO dates show as month and year; text that is not an ISO date is shown unchanged."""
    assert format_iso_date(iso) == text


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Jan 2020", "2020-01"),
        ("September 2019", "2019-09"),
        ("sept. 2019", "2019-09"),
        ("2018", "2018"),
        ("2018-04-02", "2018-04"),
        ("Summer 2019", None),
        ("2020-13", None),
    ],
)
def test_parse_display_date(text: str, iso: str | None) -> None:
    """Month-year text reads back as ISO; seasons and impossible months are not guessed."""
    assert parse_display_date(text) == iso


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ("2020-01-01", "", "Jan 2020 – Present"),
        ("2013-12", "2014-12", "Dec 2013 – Dec 2014"),
        ("2016-08-24", "2016-08-24", "Aug 2016"),
        ("", "2014", "2014"),
        ("", "", ""),
    ],
)
def test_format_date_range(start: str, end: str, text: str) -> None:
    """Ranges show as ``start – end``, open ranges end in Present, equal ends show once."""
    assert format_date_range(start, end) == text


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("Jan 2020 – Present", ("2020-01", "")),
        ("Mar 2019 - Jun 2021", ("2019-03", "2021-06")),
        ("2013–2017", ("2013", "2017")),
        ("May 2018 to current", ("2018-05", "")),
        ("Aug 2016", ("2016-08", "2016-08")),
        ("", ("", "")),
        ("Summer 2019 – Fall 2019", None),
        ("Jan 2020 – sometime", None),
    ],
)
def test_parse_date_range(text: str, parsed: tuple[str, str] | None) -> None:
    """Display ranges read back as ISO start/end, or None when they are not dates."""
    assert parse_date_range(text) == parsed


@pytest.mark.parametrize(
    ("text", "range_shown", "shown"),
    [
        ("Sept 2021", "Sep 2021", "Sep 2021"),
        ("October 2019 - present", "Oct 2019 – Present", ""),
        ("2020 – 2022", "2020 – 2022", ""),
        ("Summer 2019", "", ""),
    ],
)
def test_shown_form_of_written_dates(text: str, range_shown: str, shown: str) -> None:
    """How the ISO form of a written date displays again: the test for "written differently"."""
    assert (date_range_shown(text), date_shown(text)) == (range_shown, shown)


def test_location_text_round_trips() -> None:
    """A location object shows as city, region, country (no street) and parses back."""
    location = {"address": "1 Main St", "city": "Austin", "region": "TX", "countryCode": "US"}
    assert format_location(location) == "Austin, TX, US"
    assert parse_location("Austin, TX, US") == {
        "city": "Austin",
        "region": "TX",
        "countryCode": "US",
    }
    assert parse_location("Portland, OR") == {"city": "Portland", "region": "OR"}
    assert format_location(parse_location("Remote")) == "Remote"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Master", 5),
        ("Native speaker", 5),
        ("Limited working proficiency", 2),
        ("Professional working proficiency", 3),
        ("Full professional proficiency", 4),
        ("conversational", 3),
        ("4/5", 4),
        ("3 out of 5", 3),
        ("Daily use", 0),
        ("", 0),
    ],
)
def test_infer_level(text: str, level: int) -> None:
    """Level text maps to 0–5, most specific phrase first; unknown text is 0."""
    assert infer_level(text) == level


def test_level_words_read_back_as_their_level() -> None:
    """The words we export for a bare 0–5 level infer back to the same level."""
    for words in (SKILL_LEVEL_WORDS, LANGUAGE_LEVEL_WORDS):
        assert all(infer_level(word) == level for level, word in words.items())
