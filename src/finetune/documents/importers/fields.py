"""Recognisers for the pieces of a resume line: dates, contact details, places, titles, schools.

Everything here finds text that is already in the line and says what it is; nothing is
rewritten, so every value the parser stores is a substring of the extracted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_SEASON = r"(?:Spring|Summer|Fall|Autumn|Winter)"
_YEAR = r"(?:19|20)\d{2}"
_POINT = (
    rf"(?:{_MONTH},?\s+{_YEAR}|{_SEASON}\s+{_YEAR}|Q[1-4]\s+{_YEAR}"
    rf"|(?:0?[1-9]|1[0-2])/{_YEAR}|{_YEAR}[-/.](?:0[1-9]|1[0-2])|{_YEAR})"
)
_ONGOING = r"(?:Present|Current|Now|Today|Ongoing|Till date|To date)"
_SEPARATOR = r"\s*(?:–|—|-|−|to|until|through)\s*"
DATE_RANGE = re.compile(
    rf"(?<![\w/.-])(?:(?:Since|From)\s+{_POINT}|{_POINT}(?:{_SEPARATOR}(?:{_POINT}|{_ONGOING}))?)"
    r"(?![\w/])",
    re.IGNORECASE,
)
_WRAPPED_DATE = re.compile(rf"[(\[]\s*({DATE_RANGE.pattern})\s*[)\]]", re.IGNORECASE)

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{5,}\d(?![\w])")
URL = re.compile(
    r"(?:https?://|www\.)[^\s,;|·]+|(?<![@\w.])(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s,;|·]*"
    r"|(?<![@\w.])(?:[a-z0-9-]+\.)+(?-i:com|dev|io|org|net|me|co|app|ai|page|site|tech|info)\b",
    re.IGNORECASE,
)
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|"
    "NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_PLACE_WORDS = (
    "USA|United States|UK|United Kingdom|England|Scotland|Wales|Ireland|Canada|Australia|"
    "New Zealand|Germany|France|Spain|Portugal|Italy|Netherlands|Belgium|Switzerland|Austria|"
    "Sweden|Norway|Denmark|Finland|Poland|India|China|Japan|Singapore|Brazil|Mexico|Argentina|"
    "Nigeria|Kenya|South Africa|Ghana|Egypt|Israel|UAE|Philippines|Indonesia|Vietnam|Korea"
)
LOCATION = re.compile(
    rf"^(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*|\s+(?:de|del|la|upon|on|am|im)){{0,3}},\s*"
    rf"(?:{_US_STATES}|{_PLACE_WORDS}|[A-Z]{{2}})"
    r"(?:,\s*[A-Z][\w .]+)?(?:\s*\((?:remote|hybrid|on-?site)\))?"
    r"|Remote|Hybrid|On-?site|Remote\s*\([^)]*\))$"
)
GPA = re.compile(
    r"\b(?:GPA|CGPA|grade|honou?rs|cum laude|distinction|first class)\b"
    r"|^\d\.\d{1,2}(?:\s*/\s*\d(?:\.\d)?)?$",
    re.IGNORECASE,
)

# Strong separators between the parts of one line ("Title · Company | City"), then dashes, which
# also join the words of one name ("Solutions Architect – Associate").
_SEGMENT_SPLIT = re.compile(r"\s+[·|•◦▪‖]\s+|\s*\t\s*|\s{3,}")
_DASH_SPLIT = re.compile(r"\s+[—–]\s+|\s+-\s+")
_AT = re.compile(r"\s+(?:at|@)\s+")


def find_date(text: str) -> re.Match[str] | None:
    """The first date range (or single date) in ``text``; a range wins over a lone year."""
    matches = list(DATE_RANGE.finditer(text))
    for match in matches:
        if re.search(_SEPARATOR + r"\S", match.group(0)) or not match.group(0).isdigit():
            return match
    return matches[0] if matches else None


def is_date_only(text: str) -> bool:
    """The whole line is a date, give or take brackets and punctuation."""
    match = find_date(text)
    return match is not None and not text.replace(match.group(0), "").strip(" ()[],·|-–—:")


@dataclass
class Segments:
    """A header's text split into parts, with the date taken out."""

    date: str
    parts: list[str]
    date_line: int  # index of the header line the date came from, -1 without a date
    beside_date: list[str]  # the parts that share the date's line


def split_segments(lines: list[str], *, dashes_everywhere: bool = True) -> Segments:
    """Split header lines into parts on strong separators, lifting out the first date.

    Dashes separate parts too; without ``dashes_everywhere`` only on a line that has no other
    separator, so "Solutions Architect – Associate · Amazon" is two parts, not three."""
    date, date_line = "", -1
    parts: list[str] = []
    beside_date: list[str] = []
    for index, line in enumerate(lines):
        rest = line
        if not date:
            wrapped = _WRAPPED_DATE.search(line)
            match = find_date(line)
            if match:
                date, date_line = match.group(0).strip(), index
                span = wrapped.span() if wrapped and match.group(0) in wrapped.group(0) else None
                start, end = span or match.span()
                rest = f"{line[:start]}\t{line[end:]}"
        line_parts = [p for part in _parts(rest, dashes_everywhere) for p in _split_at(part)]
        parts.extend(line_parts)
        if index == date_line:
            beside_date = line_parts
    return Segments(date, parts, date_line, beside_date)


def _parts(line: str, dashes_everywhere: bool) -> list[str]:
    parts = [c for raw in _SEGMENT_SPLIT.split(line) if (c := _trim(raw))]
    if dashes_everywhere or len(parts) < 2:
        parts = [c for part in parts for raw in _DASH_SPLIT.split(part) if (c := _trim(raw))]
    return parts


def _trim(part: str) -> str:
    """Separator debris off the ends; brackets only when they do not pair up."""
    part = part.strip(" ,;:|·•–—-")
    if part.startswith("(") and part.endswith(")") and part.count("(") == 1:
        return part[1:-1].strip()
    if part.endswith(")") and part.count(")") > part.count("("):
        part = part[:-1]
    if part.startswith("(") and part.count("(") > part.count(")"):
        part = part[1:]
    return part.strip(" ,;:|·•–—-")


def _split_at(part: str) -> list[str]:
    """``Engineer at Acme`` → two parts, but ``University of X at Y`` stays whole."""
    pieces = _AT.split(part, maxsplit=1)
    if len(pieces) == 2 and title_score(pieces[0]) > 0 and all(p.strip() for p in pieces):
        return [pieces[0].strip(), pieces[1].strip()]
    return [part]


def split_list(text: str) -> list[str]:
    """``Python, SQL; Go · Rust`` → items; separators inside parentheses do not split."""
    items, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth <= 0 and char in ",;·•|":
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item.strip(" .") for item in items if item.strip(" .")]


_TITLE_WORDS = frozenset(
    re.findall(
        r"\S+",
        """engineer developer manager analyst nurse teacher coordinator director specialist
    assistant accountant consultant intern lead officer designer scientist architect administrator
    representative technician supervisor head vp president founder co-founder owner editor writer
    instructor professor lecturer researcher programmer handler operator clerk cashier driver
    therapist pharmacist physician doctor tutor trainer advisor adviser agent executive chef cook
    mechanic electrician planner buyer recruiter strategist producer marketer auditor controller
    bookkeeper paralegal attorney lawyer counsel secretary receptionist fellow apprentice principal
    chief cto ceo cfo coo cio associate volunteer member student researcher dentist surgeon
    technologist machinist welder carpenter estimator inspector dispatcher scheduler expert
    steward crew lifeguard barista server host mathematician statistician economist physicist
    chemist biologist senior junior sr. jr. staff""",
    )
)
_ORG_WORDS = frozenset(
    re.findall(
        r"\S+",
        """inc inc. llc ltd ltd. corp corp. corporation co co. company gmbh plc ag sa group labs lab
    technologies technology systems solutions software services partners associates agency bank
    hospital clinic center centre university college school institute academy foundation
    department council district county ministry logistics distribution consulting analytics
    insurance payments freight outfitters subscriptions studio studios media health healthcare
    medical manufacturing industries holdings capital ventures enterprises international global
    network society association church restaurant hotel store stores shop market airlines
    pharmaceuticals energy motors bakery firm office authority commission trust""",
    )
)
SCHOOL_WORDS = frozenset(
    ("university", "college", "institute", "school", "academy", "polytechnic", "conservatory")
)
_DEGREE = re.compile(
    r"\b(?:bachelor|master|doctor|doctorate|associate|diploma|certificate|degree|ph\.?\s?d|"
    r"mba|b\.?\s?sc|m\.?\s?sc|b\.?\s?a|m\.?\s?a|b\.?\s?s|m\.?\s?s|b\.?\s?eng|m\.?\s?eng|bba|"
    r"aas|a\.?\s?a|a\.?\s?s|j\.?\s?d|m\.?\s?d|ed\.?\s?d|ged|a-levels?|gcse"
    r"|high school diploma)\b\.?",
    re.IGNORECASE,
)
_DEGREE_START = re.compile(rf"^\s*(?:{_DEGREE.pattern})", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z.&'-]*", text.lower())


def title_score(text: str) -> int:
    """How much ``text`` reads like a job title rather than an organisation (may be negative).

    A title is often narrowed after a comma ("Department Supervisor, Garden Center",
    "Director, Sales"): when the words before the comma read as a title, they count."""
    score = _words_score(text)
    head = text.split(",", 1)[0]
    head_score = _words_score(head) if head != text else 0
    return max(score, head_score) if head_score > 0 else score


def _words_score(text: str) -> int:
    words = _words(text)
    if not words:
        return 0
    score = sum(w.rstrip("s") in _TITLE_WORDS or w in _TITLE_WORDS for w in words)
    score -= sum(w in _ORG_WORDS for w in words)
    last = words[-1]
    score += 2 if last in _TITLE_WORDS or last.rstrip("s") in _TITLE_WORDS else 0
    score -= 2 if last in _ORG_WORDS else 0
    return score


def is_school(text: str) -> bool:
    return any(w in SCHOOL_WORDS for w in _words(text)) and not is_degree(text)


def is_degree(text: str) -> bool:
    return bool(_DEGREE_START.match(text)) or bool(
        re.search(r"\b(?:bachelor|master|doctor|ph\.?d|mba|diploma)\b", text, re.IGNORECASE)
    )


def split_degree(text: str) -> tuple[str, str]:
    """``Bachelor of Science in Economics`` → (``Bachelor of Science``, ``Economics``)."""
    for pattern in (r"\s+in\s+", r",\s*", r"\s*[:–—-]\s+"):
        parts = re.split(pattern, text, maxsplit=1)
        if len(parts) == 2 and is_degree(parts[0]) and parts[1].strip():
            return parts[0].strip(), parts[1].strip()
    abbreviation = re.match(r"^((?:[A-Z][a-z]?\.?){2,4}|MBA|PhD|BBA|AAS)\s+(.+)$", text)
    if abbreviation and not re.search(r"\bof\b", abbreviation.group(2)):
        return abbreviation.group(1), abbreviation.group(2)
    return text, ""


_NETWORKS = {
    "linkedin": "LinkedIn",
    "github": "GitHub",
    "gitlab": "GitLab",
    "twitter": "Twitter",
    "x": "X",
    "stackoverflow": "Stack Overflow",
    "medium": "Medium",
    "dribbble": "Dribbble",
    "behance": "Behance",
    "kaggle": "Kaggle",
    "bitbucket": "Bitbucket",
    "orcid": "ORCID",
    "scholar": "Google Scholar",
}


def profile_network(url: str) -> tuple[str, str] | None:
    """(network, username) for a profile link such as ``linkedin.com/in/jdoe``; None otherwise."""
    bare = re.sub(r"^[a-z]+://", "", url, flags=re.IGNORECASE)
    host, _, path = bare.partition("/")
    labels = host.lower().removeprefix("www.").split(".")
    network = next((_NETWORKS[label] for label in labels[:-1] if label in _NETWORKS), None)
    if network is None:
        return None
    path_parts = [p for p in path.split("/") if p and p not in {"in", "u", "user", "users"}]
    return network, path_parts[0] if path_parts else ""


def as_href(url: str) -> str:
    """A link as written, with ``https://`` in front when it was written without a scheme."""
    return url if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE) else f"https://{url}"
