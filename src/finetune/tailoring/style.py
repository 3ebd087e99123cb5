"""What a tailored resume must not read like: stock phrases and keyword lists in prose.

Recruiters skip boilerplate ("results-driven", "proven track record") and distrust lines that
only list keywords. The verifier refuses a change that brings either into the resume (unless the
person's own base resume already says it), whichever engine proposed it, and the tests and the
quality benchmark check every tailored resume against the same rules.
"""

from __future__ import annotations

import re

from finetune.tailoring.vocabulary import Vocabulary

# Lower-case phrases; matched on word boundaries, case-insensitively.
STOCK_PHRASES: tuple[str, ...] = (
    # Fragments earlier versions of our own engine bolted onto people's prose.
    "skilled in",
    "key skills:",
    "core skills",
    "experience closest to this role",
    "with experience since",
    # Resume clichés.
    "results-driven",
    "results-oriented",
    "detail-oriented professional",
    "proven track record",
    "track record of success",
    "team player",
    "go-getter",
    "self-starter",
    "dynamic professional",
    "highly motivated",
    "passionate about",
    "synergy",
    "think outside the box",
    "hit the ground running",
    "seasoned professional",
    "best-in-class",
    "wealth of experience",
    "responsible for",
    "duties included",
    "excellent communication skills",
    "strong work ethic",
)
_STOCK_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in STOCK_PHRASES) + r")(?![\w-])",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[^\W_]+(?:[./+#'’-][^\W_]+)*[+#]*")
# A sentence that names this many terms and is mostly those terms is a keyword list.
_LIST_MIN_TERMS = 3
_LIST_TERM_SHARE = 0.6


def stock_phrases(text: str) -> list[str]:
    """The stock phrases ``text`` contains, lower-cased, in order of appearance."""
    return [match[0].lower() for match in _STOCK_RE.finditer(text)]


def new_stock_phrases(text: str, base_text: str) -> list[str]:
    """Stock phrases in ``text`` that the person's own ``base_text`` does not already use."""
    own = set(stock_phrases(base_text))
    return [phrase for phrase in stock_phrases(text) if phrase not in own]


def is_keyword_list(sentence: str, vocabulary: Vocabulary) -> bool:
    """Whether a sentence or line is mostly a list of skill terms ("Key skills: A, B, C.")."""
    spans = vocabulary.spans(sentence)
    if len(spans) < _LIST_MIN_TERMS:
        return False
    words = len(_WORD_RE.findall(sentence))
    term_words = sum(len(_WORD_RE.findall(sentence[start:end])) for start, end, _ in spans)
    return words > 0 and term_words / words >= _LIST_TERM_SHARE
