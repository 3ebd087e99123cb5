"""Text rewrites the local engine builds from the resume's own words, never from the job's claims.

Everything here either reorders existing text, writes a skill the way the job writes it when the
resume names the very same skill differently ("k8s" → "Kubernetes"), or names next to a skill the
broader skill it is evidence of, as the job words it ("EKS" → "EKS (Kubernetes)"). Nothing takes
text from the job description except the spelling of skills the resume already evidences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from finetune.documents.schema import join_bullets, split_bullets
from finetune.tailoring.job_focus import JobFocus

_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_ALNUM_RE = re.compile(r"[^a-z0-9+#]")
_COMPOUND_RE = re.compile(r"[/,&+]\s*\w|\band\b", re.IGNORECASE)
_INFLECTED_RE = re.compile(r"[a-z](?:ed|ing)$", re.IGNORECASE)
_SENTENCE_BREAKS = ".!?:;•*\n"
# Words that start a new phrase after a noun: a gloss may sit before them.
_NEXT_WORD_RE = re.compile(
    r"(?:and|or|with|to|for|in|on|at|from|by|that|which|across|into|over|under|using|via|about"
    r"|during|through|per|as|after|before|within|while|when|where|including|so)\b"
)


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


def _same_letters(a: str, b: str) -> bool:
    return _ALNUM_RE.sub("", a.lower()) == _ALNUM_RE.sub("", b.lower())


def can_respell(mention: str, spelling: str, *, opens_sentence: bool = False) -> bool:
    """Whether ``spelling`` may stand in for ``mention`` inside a sentence without breaking it:
    the same letters written differently ("NodeJS" → "Node.js", "CI-CD" → "CI/CD"), or one
    name for one name ("Postgres" → "PostgreSQL", "k8s" → "Kubernetes"). Never an inflected
    word ("Precepted" is a verb, not "Preceptor"), a capitalised word opening a sentence (it
    may be an ordinary word), or an abbreviation expanded into several words ("REST
    endpoints" must not become "REST APIs endpoints")."""
    if mention == spelling:
        return False
    if _same_letters(mention, spelling):
        return True
    if " " in mention.strip() or " " in spelling:
        return False
    if _INFLECTED_RE.search(mention):
        return False
    return not (opens_sentence and mention[:1].isupper() and mention[1:].islower())


def can_respell_entry(entry: str, spelling: str) -> bool:
    """Whether a list entry may be replaced by the job's spelling: the same letters, one name
    for one name, or one holding the other's words ("Excel" → "Microsoft Excel"). Two
    different phrases ("Cohort analysis", "Product Analytics") stay as the person wrote them."""
    if _COMPOUND_RE.search(entry):
        return False  # "BLS/CPR", "NPV & IRR": one spelling would drop the other skill
    if _same_letters(entry, spelling):
        return True
    words, wanted = set(entry.lower().split()), set(spelling.lower().split())
    return (len(words) == 1 and len(wanted) == 1) or words <= wanted or wanted <= words


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t-")
    return not before or before[-1] in _SENTENCE_BREAKS


def respell(text: str, focus: JobFocus) -> str:
    """``text`` with the job's hard skills written the job's way wherever the resume names the
    same skill in other words and the swap reads naturally (see :func:`can_respell`)."""
    pieces: list[str] = []
    position = 0
    for start, end, term in focus.vocabulary.spans(text):
        name, mention = term.name, text[start:end]
        if name not in focus.weights or focus.kind(name) == "soft":
            continue
        if focus.is_literal(name, mention):
            continue
        spelling = focus.spelling(name, in_list=False)
        if can_respell(mention, spelling, opens_sentence=_opens_sentence(text, start)):
            pieces += [text[position:start], spelling]
            position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def _ends_phrase(after: str) -> bool:
    """Whether a mention followed by ``after`` ends its noun phrase, so a gloss can follow it:
    "services on EKS, cutting…" yes; "PostgreSQL queries" no (the gloss would split the phrase)."""
    rest = after.lstrip()
    if not rest or rest[0] in ",.;:!?)–—":
        return True
    if rest[0] == "(":
        return False
    return _NEXT_WORD_RE.match(rest) is not None


def _names_a_tool(text: str, start: int, end: int) -> bool:
    """Whether a mention is the name of a tool or system ("EKS", "Epic", "GitHub Actions"),
    which a category in brackets explains; a plain phrase ("steering committee") is not."""
    mention = text[start:end]
    if any(c.isdigit() or c in ".+#/" for c in mention) or mention.isupper():
        return True
    capitals = [i for i, c in enumerate(mention) if c.isupper()]
    return bool(capitals) and not (capitals == [0] and _opens_sentence(text, start))


def gloss(text: str, focus: JobFocus, wanted: set[str]) -> str:
    """Name, once, the broader job skill a tool is evidence of: "Charted in Epic" becomes
    "Charted in Epic (EHR)" when the job asks for an EHR and ``wanted`` holds it. Only names of
    tools get a gloss, only where their phrase ends; glossed names leave ``wanted``."""
    if not wanted:
        return text
    pieces: list[str] = []
    position = 0
    for start, end, term in focus.vocabulary.spans(text):
        if not _ends_phrase(text[end:]) or not _names_a_tool(text, start, end):
            continue
        if text.count("(", 0, start) > text.count(")", 0, start):
            continue  # inside brackets already: "(NPV (capex), IRR)" would nest
        choices = focus.ranked(name for name in term.implies if name in wanted)
        if not choices:
            continue
        wanted.discard(choices[0])
        pieces += [text[position:end], f" ({focus.spelling(choices[0], in_list=False)})"]
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def rewrite_entry(
    summary: str, rewrite: Callable[[str], str], relevance: Callable[[str], float]
) -> str:
    """An item summary with every line passed through ``rewrite`` and its bullets ordered by
    ``relevance`` (most relevant first); the leading paragraph stays first."""
    paragraph, bullets = split_bullets(summary)
    if not bullets:
        return rewrite(paragraph) if paragraph else summary
    # Rewritten in their new order, so the most relevant bullet is the one a gloss lands in.
    ordered = [rewrite(b) for b in stable_sort_by(bullets, relevance)]
    return join_bullets(rewrite(paragraph) if paragraph else "", ordered)
