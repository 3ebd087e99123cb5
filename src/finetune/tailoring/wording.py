"""Whether two spellings of a skill are the same words, the way a keyword search sees them.

An ATS matches words, not meanings: a search for "mentoring" finds "mentored", and one for
"account reconciliation" finds "account reconciliations", but a search for "Kubernetes" does not
find "k8s". :func:`form_key` reduces a mention to lower-case word stems (Snowball's English
stemmer), so equal keys mean "the same words, inflected differently", and :func:`says` tells
whether one mention contains another's words.
"""

from __future__ import annotations

import functools
import re

import snowballstemmer

# Words keep inner code punctuation: "c++", "ci/cd", "node.js", "c#".
_WORD_RE = re.compile(r"[a-z0-9+#]+(?:[./'][a-z0-9+#]+)*")
_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    # "Lexis+" and "Notepad++" are searched for as "Lexis" and "Notepad"; "C++" stays "c++".
    if len(word) > 3 and word.endswith("+"):
        word = word.rstrip("+")
    return str(_STEMMER.stemWord(word))


@functools.lru_cache(maxsize=8192)
def form_key(text: str) -> str:
    """``"Account Reconciliations"`` and ``"account reconciliation"`` → ``"account reconcili"``."""
    return " ".join(_stem(word) for word in _WORD_RE.findall(text.lower().replace("’", "'")))


def says(mention_form: str, wanted_form: str) -> bool:
    """Whether a mention (as a :func:`form_key`) contains the wanted words in a row, the way a
    keyword search finds "OSHA 10" in "OSHA 10-Hour" and "Excel" in "Microsoft Excel"."""
    return f" {wanted_form} " in f" {mention_form} "
