"""Job-title similarity by canonical token overlap ("Sr. Dev" ~ "Senior Engineer")."""

from __future__ import annotations

import re
from collections.abc import Iterable

_HEADLINE_SPLIT_RE = re.compile(r"\s+[·|•–—]\s+|\s+-\s+")
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9+#]*", re.IGNORECASE)
_CANONICAL = {
    "sr": "senior", "snr": "senior", "jr": "junior", "dev": "engineer", "developer": "engineer",
    "programmer": "engineer", "eng": "engineer", "swe": "engineer", "mgr": "manager",
    "mgmt": "management", "admin": "administrator", "asst": "assistant", "assoc": "associate",
    "rep": "representative", "coord": "coordinator", "tech": "technician", "vp": "president",
    "rn": "nurse", "lpn": "nurse", "cpa": "accountant", "hr": "human", "ux": "experience",
    "ui": "interface", "qa": "quality", "ml": "learning", "ai": "intelligence",
}  # fmt: skip
_STOPWORDS = frozenset(
    ("a", "an", "and", "the", "of", "for", "to", "in", "at", "with", "on", "or", "i", "ii", "iii",
     "iv", "v", "level", "remote", "hybrid", "onsite")
)  # fmt: skip
# Seniority words count, but less than what the job is: a "Senior Nurse" applying to a "Nurse"
# role fits better than a "Senior Accountant".
_SENIORITY = frozenset(
    ("senior", "junior", "lead", "principal", "staff", "head", "chief", "entry", "mid", "associate")
)
_SENIORITY_WEIGHT = 0.5


def _stem(token: str) -> str:
    return (
        token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token
    )


def title_tokens(title: str) -> set[str]:
    """Canonical tokens of a title: lower case, abbreviations expanded, plurals folded."""
    tokens = set()
    for raw in _TOKEN_RE.findall(title.lower()):
        token = _CANONICAL.get(raw, raw)
        if token not in _STOPWORDS:
            tokens.add(_stem(token))
    return tokens


def _weight(token: str) -> float:
    return _SENIORITY_WEIGHT if token in _SENIORITY else 1.0


def title_similarity(job_title: str, candidates: Iterable[str]) -> float | None:
    """Best weighted share of the job title's tokens found in one candidate; None if no title."""
    wanted = title_tokens(job_title)
    if not wanted:
        return None
    total = sum(_weight(t) for t in wanted)
    best = 0.0
    for candidate in candidates:
        shared = wanted & title_tokens(candidate)
        best = max(best, sum(_weight(t) for t in shared) / total)
    return best


def headline_title(headline: str) -> str:
    """The title part of a headline such as "Backend Engineer · Python, Go" or "Nurse | ICU"."""
    return _HEADLINE_SPLIT_RE.split(headline, maxsplit=1)[0].strip()
