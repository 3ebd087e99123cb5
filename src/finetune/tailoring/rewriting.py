"""Text rewrites the local engine builds from the resume's own words, never from the job's claims.

Everything here either reorders existing text, swaps an alias for the canonical spelling of the
same skill, or composes a short sentence out of facts already in the resume (its titles, its
dates, its skills). Nothing takes text from the job description except canonical skill names the
resume already evidences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from finetune.documents.schema import ExperienceItem, join_bullets, split_bullets
from finetune.tailoring.titles import title_similarity
from finetune.tailoring.vocabulary import Vocabulary

_SHORT_FORM_RE = re.compile(r"[A-Za-z0-9.+#]+")
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_HEADLINE_SPLIT_RE = re.compile(r"\s+[·|•–—]\s+|\s+-\s+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def stable_sort_by(items: Sequence[str], score: Callable[[str], float]) -> list[str]:
    """Highest score first; equal scores keep their original order (so ties never churn)."""
    return sorted(items, key=lambda item: -score(item))


def split_sentences(paragraph: str) -> list[str]:
    text = " ".join(paragraph.split())
    return [s for s in _SENTENCE_END_RE.split(text) if s] if text else []


def ensure_period(sentence: str) -> str:
    sentence = sentence.rstrip()
    return sentence if not sentence or sentence[-1] in ".!?" else sentence + "."


def canonicalize_aliases(text: str, vocabulary: Vocabulary, preferred: frozenset[str]) -> str:
    """Spell skills the way the job does: "k8s" becomes "Kubernetes" when the job says Kubernetes.

    ``preferred`` holds the canonical names the job spells out. Only short forms are replaced
    (see :func:`is_short_form`): an alias that is an ordinary word or phrase ("precepted",
    "IV antibiotics", "step-down") says something the canonical name does not, so it stays.
    """
    pieces: list[str] = []
    position = 0
    for start, end, term in vocabulary.spans(text):
        mention = text[start:end]
        if term.name in preferred and is_short_form(mention, term.name):
            pieces.append(text[position:start])
            pieces.append(term.name)
            position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def is_short_form(mention: str, name: str) -> bool:
    """Whether ``mention`` is a mere short or technical spelling of ``name``: one token with a
    digit, an inner capital, all capitals or code punctuation ("k8s", "JS", "ReactJS", "EHR",
    "node.js"), and not just ``name`` in another case."""
    if mention.lower() == name.lower() or not _SHORT_FORM_RE.fullmatch(mention):
        return False
    return (
        any(c.isdigit() for c in mention)
        or any(c in ".+#" for c in mention)
        or (mention.isupper() and len(mention) > 1)
        or any(c.isupper() for c in mention[1:])
    )


def reorder_summary(
    summary: str,
    score: Callable[[str], float],
    rewrite: Callable[[str], str] = lambda text: text,
) -> str:
    """An item summary with its bullets ordered by ``score`` and every line passed through
    ``rewrite``; the leading paragraph stays first."""
    paragraph, bullets = split_bullets(summary)
    if not bullets:
        return rewrite(paragraph) if paragraph else summary
    ordered = stable_sort_by([rewrite(b) for b in bullets], score)
    return join_bullets(rewrite(paragraph) if paragraph else "", ordered)


def headline_title(headline: str) -> str:
    """The title part of a headline such as "Backend Engineer · Python, Go" or "Nurse | ICU"."""
    return _HEADLINE_SPLIT_RE.split(headline, maxsplit=1)[0].strip()


def best_title(candidates: Sequence[str], position: str) -> str | None:
    """The candidate title closest to the target position (the earliest one on ties)."""
    titles = [c.strip() for c in candidates if c.strip()]
    scored = [
        (title_similarity(position, [title]) or 0.0, -index, title)
        for index, title in enumerate(titles)
    ]
    best = max(scored, key=lambda entry: entry[:2], default=None)
    return best[2] if best else None


def earliest_year(experience: Sequence[ExperienceItem]) -> str | None:
    """The first year any role's date mentions, as written in the resume; None if undated."""
    years = [match for item in experience for match in _YEAR_RE.findall(item.date)]
    return min(years) if years else None
