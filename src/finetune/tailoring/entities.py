"""Capitalised phrases in resume text: likely names of employers, schools, titles and certificates.

Resume prose has no reliable grammar, so this works on runs of capitalised words ("Senior Data
Engineer", "Acme Corp", "University of Leeds") and leaves the judgement of what is new to the
verifier, which knows the base resume's words. Vocabulary terms are masked out beforehand by the
caller: skills are checked against the scorer's evidence, not as names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "\ue000"  # replaces vocabulary-term text so it neither joins nor starts a name phrase

_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’.&+-][A-Za-z0-9]+)*\+*")
# Words that may sit inside a name ("Bank of America", "AT & T"); "and"/"for" are left out on
# purpose, so "Acme Corp and Globex" is two names, each checked on its own. Keep in step with
# the connectors of _RUN_RE.
CONNECTORS = frozenset({"of", "&", "de", "la"})
_CAPITALISED = r"[A-Z][A-Za-z0-9]*(?:['’.&+-][A-Za-z0-9]+)*\+*"
_RUN_RE = re.compile(
    rf"(?<![A-Za-z0-9]){_CAPITALISED}(?:[ \t]+(?:(?:of|&|de|la)[ \t]+)*{_CAPITALISED})*"
)
_WORD_PART_RE = re.compile(r"[a-z0-9]+")
_SENTENCE_BREAK = frozenset(".!?:;•·|\n–—-(\"'/*>")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLE_NOUNS = _words(
    """engineer developer programmer architect manager director analyst scientist designer
    consultant specialist coordinator administrator officer accountant nurse teacher instructor
    professor lecturer intern assistant technician supervisor representative executive president
    vp ceo cto cfo coo cio chief head lead auditor controller clerk bookkeeper strategist planner
    dispatcher therapist pharmacist physician paralegal attorney lawyer recruiter editor writer
    marketer founder co-founder cofounder partner principal advisor adviser tutor counselor
    counsellor operator driver mechanic electrician chef cashier agent buyer trainer coach
    researcher fellow superintendent foreman owner associate secretary receptionist
    paraprofessional aide practitioner surgeon dentist hygienist pilot steward underwriter
    actuary economist statistician librarian journalist producer photographer"""
)
SENIORITY = _words(
    "senior sr sr. junior jr jr. lead principal staff chief head associate assistant"
)
SCHOOL_WORDS = _words(
    "university college institute school academy polytechnic conservatory seminary"
)
ORG_WORDS = _words(
    """inc inc. llc ltd ltd. corp corp. corporation company co co. gmbh plc group technologies
    labs systems bank hospital clinic agency partners holdings ventures foundation solutions
    consulting ag sa"""
)
MONTH_WORDS = _words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
# Words that open sentences and bullets in resume prose; at a sentence start they are not names.
COMMON_OPENERS = _words(
    """a an the i my our we this that these those in on at for with as by to and or from over
    across while after before during since when where through using including also currently
    results responsible key core strong proven seasoned passionate dedicated hands expert
    experience experienced skilled focus focused highlights summary profile background known
    lead head drive own manage build design develop create deliver launch improve reduce
    increase partner mentor coach support implement maintain migrate automate optimize
    optimise collaborate coordinate train oversee spearhead streamline establish architect
    plan run ship scale pilot write test teach care serve handle prepare review analyze analyse
    versatile creative motivated organized organised reliable adept detail team customer
    cross versed well highly deep solid broad extensive excellent"""
)
_LOWER_TITLE_RE = re.compile(
    r"\b(?:senior|sr\.?|junior|jr\.?|lead|principal|staff|chief)\s+(?:[a-z][a-z-]+\s+){0,2}"
    r"(?:" + "|".join(sorted(TITLE_NOUNS, key=len, reverse=True)) + r")\b"
)
_CERT_RE = re.compile(
    r"(?=[cClL])\b(certified|certifications?|certificates?|licensed|licen[cs]es?)\b", re.I
)
_ABBREVIATIONS = (("sr.", "senior"), ("sr", "senior"), ("jr.", "junior"), ("jr", "junior"))


def normalize(text: str) -> str:
    """Lower case, single spaces, "Sr."/"Jr." spelled out: the form phrases are compared in."""
    words = text.lower().replace("’", "'").split()
    spelled = dict(_ABBREVIATIONS)
    return " ".join(spelled.get(word, word) for word in words)


def word_set(text: str) -> frozenset[str]:
    """Lower-case words of ``text``, also split at hyphens and dots ("co-founded" → "co")."""
    lowered = text.lower()
    return frozenset(_TOKEN_RE.findall(lowered)) | frozenset(_WORD_PART_RE.findall(lowered))


@dataclass(frozen=True)
class Phrase:
    """A run of capitalised words, with the word before it (``at`` suggests an employer)."""

    words: tuple[str, ...]
    start: int
    end: int
    preceding: str
    sentence_initial: bool

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_BREAK


def _preceding_word(text: str, start: int) -> str:
    words = _TOKEN_RE.findall(text[max(0, start - 30) : start])
    return words[-1].lower() if words else ""


def phrases(text: str) -> list[Phrase]:
    """Runs of capitalised words, joined across connectors ("Bank of America", "AT & T")."""
    return [
        Phrase(
            tuple(match[0].split()),
            match.start(),
            match.end(),
            _preceding_word(text, match.start()),
            _starts_sentence(text, match.start()),
        )
        for match in _RUN_RE.finditer(text)
    ]


def is_common_opener(word: str) -> bool:
    """A word that opens a sentence without being a name ("Led", "Managing", "Currently")."""
    lowered = word.lower()
    return lowered in COMMON_OPENERS or lowered.endswith(("ed", "ing", "ly"))


def is_certification_word(word: str) -> bool:
    return bool(_CERT_RE.fullmatch(word))


def lowercase_titles(text: str) -> list[str]:
    """Job titles written in lower case with a seniority word: "a senior data engineer"."""
    return [m[0] for m in _LOWER_TITLE_RE.finditer(text)]


def certification_phrases(text: str) -> list[tuple[str, bool]]:
    """Certificate mentions as (phrase, next_to_term): "AWS Certified Solutions Architect".

    ``next_to_term`` is True when the words around the mention were masked vocabulary terms
    ("PMP certification"): the term itself is then checked as a skill.
    """
    matches = list(_CERT_RE.finditer(text))
    runs = phrases(text) if matches else []
    found: list[tuple[str, bool]] = []
    for match in matches:
        named = next((r for r in runs if r.start <= match.start() < r.end), None)
        if named is None:
            keyword = match[0].lower()
            if keyword.startswith(("certified", "licensed")):
                named = next((r for r in runs if 0 <= r.start - match.end() <= 4), None)
            else:
                named = next((r for r in runs if 0 <= match.start() - r.end <= 2), None)
        window = text[max(0, match.start() - 3) : match.end() + 3]
        if named is not None:
            span = text[min(named.start, match.start()) : max(named.end, match.end())]
            found.append((" ".join(span.split()), MASK in window))
        else:
            found.append((match[0], MASK in window))
    return found
