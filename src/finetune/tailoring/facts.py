"""Checkable facts in resume text: quantities, dates, degrees, titles and capitalised names.

The truthfulness verifier extracts these from a proposed change and from the base resume and
compares the two sets. Extraction is deliberately shallow (regular expressions, no language
model): it must be fast, deterministic and easy to reason about, and it errs towards finding
a fact, because a missed fabrication is worse than a rejected rephrasing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

QuantityKind = Literal["count", "percent", "money", "multiple", "year", "magnitude"]

_MAGNITUDES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
# Each pattern opens with a one-character lookahead so the regex engine skips ahead quickly:
# these run over every proposed change and the whole base resume, inside a 20 ms budget.
_NUMBER_RE = re.compile(
    r"(?=[$€£¥\d])(?P<cur>[$€£¥])?\s?"
    r"(?<![\w.,/-])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?"
    r"(?:\s?(?P<mag>thousand|million|billion|bn|mm|mn|[kKmMbB])(?![\w]))?"
    r"(?P<unit>\s?%|\s?percent\b|\s?per\s?cent\b|x\b|×|\s?times\b|st\b|nd\b|rd\b|th\b)?"
    r"(?P<plus>\+)?"
    r"(?P<years>\s*(?:years?|yrs?)\b)?"
    r"(?![A-Za-z])",
)
_UNITS: dict[str, dict[str, float]] = {
    "word": {
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
        "dozen": 12,
    },
    "tens": {
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
    },
    "scale": {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9},
}
_WORD_VALUES: dict[str, float] = {w: v for group in _UNITS.values() for w, v in group.items()}
_NUMBER_WORD = "(?:" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True)) + r")\b"
_SPELLED_RE = re.compile(
    # Not right after a digit: the "million" of "2 million" belongs to the number.
    r"(?=[otfsenhmbdOTFSENHMBD])(?<![\d.,]\s)(?<!\d)\b"
    + _NUMBER_WORD
    + r"(?:(?:[\s-]|\s+and\s+)"
    + _NUMBER_WORD
    + r")*"
    r"(?P<unit>\s?%|\s?percent\b|\s?per\s?cent\b|\s?times\b)?"
    r"(?P<years>\s*(?:years?|yrs?)\b)?",
    re.IGNORECASE,
)
_PLURAL_MAGNITUDE_RE = re.compile(
    r"(?=[hmbtHMBT])\b(hundreds|thousands|millions|billions)\b", re.IGNORECASE
)
_MONTHS = {
    m[:3].lower(): n
    for n, m in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}
_MONTH_YEAR_RE = re.compile(
    r"(?=[jfmasondJFMASOND])\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_NUMERIC_MONTH_YEAR_RE = re.compile(
    r"(?=\d)\b(?:(?P<year1>(?:19|20)\d\d)[-/.](?P<month1>0?[1-9]|1[0-2])(?![\d])"
    r"|(?P<month2>0?[1-9]|1[0-2])[-/.](?P<year2>(?:19|20)\d\d))\b"
)


@dataclass(frozen=True)
class Quantity:
    """A number as a reader understands it: "$1.2M" and "$1,200,000" are the same money."""

    kind: QuantityKind
    value: float
    text: str
    # "8+ years": a duration, which may be derived from the resume's dates.
    is_years: bool = False


def _unit_kind(unit: str | None) -> QuantityKind:
    unit = (unit or "").strip().lower()
    if unit in ("%", "percent") or unit.startswith("per"):
        return "percent"
    if unit in ("x", "×", "times"):
        return "multiple"
    return "count"


def _spelled_value(words: str) -> float:
    total = 0.0
    current = 0.0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word == "and":
            continue
        value = _WORD_VALUES[word]
        if word in _UNITS["scale"]:
            current = max(current, 1) * value
            if value >= 1e3:
                total, current = total + current, 0.0
        else:
            current += value
    return total + current


def quantities(text: str) -> list[Quantity]:
    """Every number, percentage, amount of money, multiple and year mentioned in ``text``."""
    found: list[Quantity] = []
    for match in _NUMBER_RE.finditer(text):
        value = float(match["num"].replace(",", "") + (match["dec"] or ""))
        magnitude = (match["mag"] or "").lower()
        value *= _MAGNITUDES.get(magnitude, 1)
        kind = "money" if match["cur"] else _unit_kind(match["unit"])
        bare = not (match["cur"] or magnitude or match["unit"] or match["dec"] or match["plus"])
        if kind == "count" and bare and len(match["num"]) == 4 and 1950 <= value <= 2099:
            kind = "year"
        found.append(Quantity(kind, value, match[0].strip(), bool(match["years"])))
    for match in _SPELLED_RE.finditer(text):
        words = match[0][: match.start("unit") - match.start()] if match["unit"] else match[0]
        if match["years"]:
            words = words[: match.start("years") - match.start()]
        # A lone "one" is almost always "one of", "no one": not a claim of quantity.
        if words.strip().lower() == "one" and not match["unit"]:
            continue
        value = _spelled_value(words)
        found.append(
            Quantity(_unit_kind(match["unit"]), value, match[0].strip(), bool(match["years"]))
        )
    for match in _PLURAL_MAGNITUDE_RE.finditer(text):
        value = _WORD_VALUES[match[1].lower()[:-1]]
        found.append(Quantity("magnitude", value, match[0]))
    return found


def month_years(text: str) -> set[tuple[int, int]]:
    """(year, month) pairs: "March 2021", "Mar. 2021", "2021-03", "03/2021"."""
    pairs = {
        (int(m["year"]), _MONTHS[m["month"][:3].lower()]) for m in _MONTH_YEAR_RE.finditer(text)
    }
    for m in _NUMERIC_MONTH_YEAR_RE.finditer(text):
        year, month = (m["year1"], m["month1"]) if m["year1"] else (m["year2"], m["month2"])
        pairs.add((int(year), int(month)))
    return pairs


DegreeLevel = Literal["associate", "bachelor", "master", "doctorate"]

# (pattern, canonical degree, level). A canonical name equal to its level is the generic
# mention ("a master's degree"), which any degree of that level evidences.
_DEGREE_PATTERNS: tuple[tuple[str, str, DegreeLevel, bool], ...] = (
    (r"ph\.?\s?d\.?|d\.?phil\.?|doctor of philosophy", "phd", "doctorate", False),
    (r"ed\.?d\.?|doctor of education", "edd", "doctorate", False),
    (r"doctor of nursing practice|DNP", "dnp", "doctorate", False),
    (r"juris doctor|J\.?D\.?", "jd", "doctorate", False),
    (r"doctor of medicine|M\.D\.|MD", "md", "doctorate", False),
    (r"doctorates?|doctoral(?: degree)?", "doctorate", "doctorate", False),
    (r"mba|master of business administration", "mba", "master", False),
    (r"msn|master of science in nursing", "msn", "master", False),
    (r"mph|master of public health", "mph", "master", False),
    (r"m\.?eng\.?|master of engineering", "meng", "master", False),
    (r"m\.?ed\.?|master of education", "med", "master", False),
    (r"ll\.?m\.?|master of laws", "llm", "master", False),
    (r"m\.?sc\.?|master of science|M\.S\.|MS", "msc", "master", False),
    (r"master of arts|M\.A\.|MA", "ma", "master", False),
    (
        r"master(?:'s|’s)(?:\s+degree)?|masters?(?:'|’)?\s+degree|masters(?=\s+in\s)",
        "master",
        "master",
        False,
    ),
    (r"bsn|bachelor of science in nursing", "bsn", "bachelor", False),
    (r"bba|bachelor of business administration", "bba", "bachelor", False),
    (r"b\.?eng\.?|bachelor of engineering", "beng", "bachelor", False),
    (r"ll\.?b\.?|bachelor of laws", "llb", "bachelor", False),
    (r"b\.?sc\.?|bachelor of science|B\.S\.|BS", "bsc", "bachelor", False),
    (r"bachelor of arts|B\.A\.|BA", "ba", "bachelor", False),
    (r"bachelor(?:'s|’s|s)?(?:\s+degree)?|undergraduate degree", "bachelor", "bachelor", False),
    (
        r"associate'?s? degree|associate of (?:arts|science|applied science)",
        "associate",
        "associate",
        False,
    ),
    (r"A\.A\.S\.|AAS|A\.A\.|AA|A\.S\.|AS", "associate", "associate", True),
)
# Upper-case codes that are also ordinary abbreviations (US states, "MS Office", the word "as")
# only count as degrees when written in upper case and not after a comma ("Boston, MA").
_CASE_SENSITIVE_CODES = re.compile(r"^(?:MS|MA|BS|BA|MD|JD|DNP|AAS|AA|AS)$")
_NOT_A_DEGREE_AFTER = re.compile(r"\s+(?:Office|Word|Excel|Teams|Project|Access|SQL|Dynamics)\b")


@dataclass(frozen=True)
class Degree:
    canonical: str
    level: DegreeLevel
    text: str
    start: int
    end: int


def _degree_regex() -> re.Pattern[str]:
    parts = []
    for index, (pattern, *_rest) in enumerate(_DEGREE_PATTERNS):
        parts.append(f"(?P<d{index}>{pattern})")
    return re.compile(
        r"(?=[pdejmblauPDEJMBLAU])(?<![\w.])(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE
    )


_DEGREE_RE = _degree_regex()


def degrees(text: str) -> list[Degree]:
    """Degrees mentioned in ``text``, each with its canonical name and level."""
    found: list[Degree] = []
    for match in _DEGREE_RE.finditer(text):
        index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
        _, canonical, level, needs_degree_context = _DEGREE_PATTERNS[index]
        mention = match[0]
        if _CASE_SENSITIVE_CODES.match(mention.replace(".", "")) or needs_degree_context:
            if not mention.isupper() or text[: match.start()].rstrip().endswith(","):
                continue
            if _NOT_A_DEGREE_AFTER.match(text, match.end()):
                continue
        if needs_degree_context and not re.match(r"\s+(?:degree|in)\b", text[match.end() :]):
            continue
        found.append(Degree(canonical, level, mention, match.start(), match.end()))
    return found
