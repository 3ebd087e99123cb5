"""Job-title similarity by canonical token overlap ("Sr. Dev" ~ "Senior Engineer")."""

from __future__ import annotations

import re
from collections.abc import Iterable

_HEADLINE_SPLIT_RE = re.compile(r"\s+[·|•–—]\s+|\s+-\s+")
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9+#]*", re.IGNORECASE)
_CANONICAL = {
    "sr": "senior", "snr": "senior", "jr": "junior", "dev": "engineer", "developer": "engineer",
    "programmer": "engineer", "eng": "engineer", "swe": "software engineer", "mgr": "manager",
    "mgmt": "management", "admin": "administrator", "asst": "assistant", "assoc": "associate",
    "rep": "representative", "coord": "coordinator", "tech": "technician", "vp": "president",
    "rn": "registered nurse", "lpn": "licensed practical nurse",
    "lvn": "licensed vocational nurse", "cna": "certified nursing assistant",
    "np": "nurse practitioner", "pa": "physician assistant", "crna": "nurse anesthetist",
    "cpa": "accountant", "hr": "human resources", "hrbp": "human resources business partner",
    "ux": "user experience", "ui": "user interface", "qa": "quality assurance",
    "ml": "machine learning", "ai": "artificial intelligence", "pm": "manager",
    "apm": "associate product manager", "tpm": "technical program manager",
    "ae": "account executive", "sdr": "sales development representative",
    "bdr": "business development representative", "sre": "site reliability engineer",
    "ea": "executive assistant", "er": "emergency", "ed": "emergency",
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
_QUALIFIER_RE = re.compile(r"\s+[-–—|]\s+|,\s*")


def _stem(token: str) -> str:
    return (
        token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token
    )


def title_tokens(title: str) -> set[str]:
    """Canonical tokens of a title: lower case, abbreviations expanded ("RN" → registered,
    nurse), plurals folded."""
    tokens = set()
    for raw in _TOKEN_RE.findall(title.lower()):
        for token in _CANONICAL.get(raw, raw).split():
            if token not in _STOPWORDS:
                tokens.add(_stem(token))
    return tokens


def _weights(job_title: str) -> dict[str, float]:
    """Each token of the job title with its weight: the role counts fully; seniority words and
    the qualifier after a dash or comma ("RN – Emergency Department", "PM, Payments") count half,
    as a candidate from another unit still holds the role."""
    role, *qualifier = _QUALIFIER_RE.split(job_title, maxsplit=1)
    role_tokens = title_tokens(role)
    weights = {t: _SENIORITY_WEIGHT if t in _SENIORITY else 1.0 for t in role_tokens}
    for token in title_tokens(" ".join(qualifier)) - role_tokens:
        weights[token] = _SENIORITY_WEIGHT
    return weights


def title_similarity(job_title: str, candidates: Iterable[str]) -> float | None:
    """Best weighted share of the job title's tokens found in one candidate; None if no title."""
    weights = _weights(job_title)
    if not weights:
        return None
    total = sum(weights.values())
    best = 0.0
    for candidate in candidates:
        shared = weights.keys() & title_tokens(candidate)
        best = max(best, sum(weights[t] for t in shared) / total)
    return best


def headline_title(headline: str) -> str:
    """The title part of a headline such as "Backend Engineer · Python, Go" or "Nurse | ICU"."""
    return _HEADLINE_SPLIT_RE.split(headline, maxsplit=1)[0].strip()


def core_title_tokens(title: str) -> set[str]:
    """A title's tokens without seniority words: what kind of role it is."""
    return title_tokens(title) - _SENIORITY
