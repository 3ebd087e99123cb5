"""The skills vocabulary: canonical terms with aliases and implications, loaded from package data.

Each ``data/<field>.tsv`` file lists terms of one profession or domain (the file stem is the
term's ``field``); ``data/ignore.txt`` lists phrases that look like a term but are not one
("go-live", "R&D", "Core Web Vitals"). The format is parsed by
:mod:`finetune.tailoring.vocabulary_format` and documented in ``docs/scoring.md``.

Matching is done by two precompiled trie-shaped regexes (one case-insensitive, one case-sensitive
for short or ambiguous aliases such as "Go", "R", "RN", "Excel"), so finding terms in a page of
text costs one regex scan, not one scan per term. Guarded aliases ("ML", "GTM", "vitals") are then
checked against their sentence, and multi-word mentions are probed for a term that starts inside
them and runs past their end ("patient care plans").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from importlib import resources

from finetune.errors import ValidationError
from finetune.tailoring.vocabulary_format import (
    CASE_SENSITIVE_MAX_LEN,
    SEPARATOR_RE,
    ContextRule,
    Term,
    TermKind,
    normalize,
    parse_ignored,
    parse_terms,
)

__all__ = ["Term", "TermKind", "Vocabulary", "default_vocabulary", "parse_terms"]

# A term never starts or ends inside a word, an ampersand pair (R&D, AT&T) or a dotted name
# (github.com, Node.js): this is what keeps "Java" out of "JavaScript" and "Excel" out of
# "excellent".
_BEFORE = r"(?<![\w&])(?<!\w\.)"
_AFTER = r"(?![\w])(?!&\w)(?!\.\w)"
# The sentence a guarded alias is judged in ends at a line break or at . ; ! ? before a space.
_SENTENCE_END_RE = re.compile(r"[.;!?](?=\s)|\n")
_WORD_RE = re.compile(r"[^\s\-]+")
_TRAILING = ".,;:!?)]\"'"

Span = tuple[int, int, Term]
# A match before filtering; term None is an ignored phrase or a guarded alias out of context.
_Candidate = tuple[int, int, Term | None]
# Marks an index miss; None in an index is an ignored phrase.
_MISSING = Term(name="", kind="hard", aliases=(), implies=(), field="")

_Trie = dict[str, "_Trie"]
# Characters of a normalized alias that stand for a class of characters in text.
_CHAR_PATTERNS = {" ": r"[\s\-]+", "'": "['’]"}


def _trie_pattern(keys: Iterable[str]) -> str:
    """One regex alternation shaped as a trie; longer alternatives are tried before shorter ones."""
    trie: _Trie = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: _Trie) -> str:
        branches = []
        for char in sorted(c for c in node if c):
            piece = _CHAR_PATTERNS.get(char) or re.escape(char)
            branches.append(piece + render(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy optional: the longer alias is tried first, the boundary check backtracks to the
        # shorter one ("C++" before "C", "Golang" before "Go").
        return f"(?:{body})?" if "" in node else body

    # An empty alternation would match the empty string everywhere; "(?!)" never matches.
    return render(trie) if trie else "(?!)"


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end]: from the previous sentence end to the next one."""
    begin = text.rfind("\n", 0, start) + 1
    for found in _SENTENCE_END_RE.finditer(text, begin, start):
        begin = found.end()
    finish = _SENTENCE_END_RE.search(text, end)
    return text[begin : finish.start() if finish else len(text)]


class Vocabulary:
    """Terms, their alias index and the compiled matchers."""

    def __init__(
        self,
        terms: Iterable[Term],
        *,
        case_sensitive: Iterable[str] = (),
        ignored: Iterable[str] = (),
    ) -> None:
        self._terms: dict[str, Term] = {}
        self._exact: dict[str, Term | None] = {}
        self._folded: dict[str, Term | None] = {}
        # Index keys of guarded aliases, with the terms they may name and the rule each one's
        # sentence must pass, tried in order ("PLC" the teachers' community or the controller).
        self._exact_rules: dict[str, list[tuple[Term, ContextRule]]] = {}
        self._folded_rules: dict[str, list[tuple[Term, ContextRule]]] = {}
        exact_aliases = {normalize(a) for a in case_sensitive}
        for term in terms:
            if term.name in self._terms:
                raise ValidationError(f"vocabulary: term {term.name!r} is defined twice")
            self._terms[term.name] = term
            guarded = {normalize(a) for a in term.guarded}
            for alias in (term.name, *term.aliases):
                key = normalize(alias)
                exact = key in exact_aliases or len(key) <= CASE_SENSITIVE_MAX_LEN
                index, rules = (
                    (self._exact, self._exact_rules)
                    if exact
                    else (self._folded, self._folded_rules)
                )
                key = key if exact else key.lower()
                if term.context is not None and normalize(alias) in guarded:
                    self._add_guarded(index, rules, key, term, term.context)
                else:
                    shared = any(other is not term for other, _ in rules.get(key, ()))
                    self._add(index, key, term, shared=shared)
        for phrase in ignored:
            key = normalize(phrase)
            if key in exact_aliases or len(key) <= CASE_SENSITIVE_MAX_LEN:
                self._exact.setdefault(key, None)
            else:
                self._folded.setdefault(key.lower(), None)
        for term in self._terms.values():
            unknown = [name for name in term.implies if name not in self._terms]
            if unknown:
                raise ValidationError(f"vocabulary: {term.name!r} implies unknown {unknown}")
        self._folded_pattern = _BEFORE + "(?:" + _trie_pattern(self._folded) + ")" + _AFTER
        # Matching lower-cased text without IGNORECASE is about twice as fast; the IGNORECASE
        # twin (``_folded_re``) serves the rare text whose lower-casing changes its length.
        self._lowered_re = re.compile(self._folded_pattern)
        # First words of multi-word aliases: only they can start a mention that runs past the
        # end of the mention they start in.
        self._heads = frozenset(
            key.split(" ")[0].lower() for key in (*self._folded, *self._exact) if " " in key
        )
        self._exact_re = re.compile(_BEFORE + "(?:" + _trie_pattern(self._exact) + ")" + _AFTER)

    @functools.cached_property
    def _folded_re(self) -> re.Pattern[str]:
        """Compiled on first need only: texts such as "İstanbul" are rare."""
        return re.compile(self._folded_pattern, re.IGNORECASE)

    def _add(
        self, index: dict[str, Term | None], key: str, term: Term, *, shared: bool = False
    ) -> None:
        existing = index.get(key)
        if shared or (existing is not None and existing is not term):
            other = existing.name if existing is not None else "?"
            raise ValidationError(
                f"vocabulary: alias {key!r} names both {other!r} and {term.name!r}"
                " (an alias may name several terms only where every one guards it with '?')"
            )
        index[key] = term

    def _add_guarded(
        self,
        index: dict[str, Term | None],
        rules: dict[str, list[tuple[Term, ContextRule]]],
        key: str,
        term: Term,
        rule: ContextRule,
    ) -> None:
        existing = index.get(key)
        if existing is not None and existing is not term and key not in rules:
            self._add(index, key, term)  # the other term's alias is not guarded: refuse
        index.setdefault(key, term)
        choices = rules.setdefault(key, [])
        if all(chosen is not term for chosen, _ in choices):
            choices.append((term, rule))

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms.values())

    def _resolve(self, text: str, match: re.Match[str], folded: bool) -> _Candidate:
        """The term a match names, or None for an ignored phrase or an out-of-context alias."""
        mention = match[0]
        index, rules = (
            (self._folded, self._folded_rules) if folded else (self._exact, self._exact_rules)
        )
        # Most mentions are already an index key ("python", "machine learning"): a key is its
        # own normal form, so normalizing is only needed when the lookup misses.
        key = mention
        if key not in index:
            key = normalize(mention).lower() if folded else normalize(mention)
        term = index[key]
        if key in rules:
            sentence = _sentence_around(text, *match.span())
            term = next((t for t, rule in rules[key] if rule.allows(sentence)), None)
        return match.start(), match.end(), term

    def _scan(self, text: str) -> tuple[list[_Candidate], list[Span]]:
        """Longest-leftmost mentions that do not overlap (ignored ones included, as None), and the
        mentions that start inside one of them and end past it."""
        lowered = text.lower()
        # Offsets are only valid in the lower-cased copy when lower-casing keeps the length.
        folded_text, folded_re = (
            (lowered, self._lowered_re) if len(lowered) == len(text) else (text, self._folded_re)
        )
        exact_re, resolve = self._exact_re, self._resolve
        candidates = [resolve(text, m, True) for m in folded_re.finditer(folded_text)]
        candidates += [resolve(text, m, False) for m in exact_re.finditer(text)]
        heads = self._heads
        if not candidates:
            return [], []
        candidates.sort(key=lambda c: (c[0], -c[1]))
        primary: list[_Candidate] = []
        extra: list[_Candidate] = []
        covered = -1
        for candidate in candidates:
            if candidate[0] >= covered:
                primary.append(candidate)
                covered = candidate[1]
            elif candidate[1] > covered:
                extra.append(candidate)
        # Probe the inner word starts of multi-word mentions: the regex scan resumes after a
        # match, so "care plans" in "patient care plans" is only found this way.
        for start, end, term in primary:
            if term is None or end - start < 3:
                continue
            for separator in SEPARATOR_RE.finditer(text, start + 1, end - 1):
                inner = separator.end()
                word = _WORD_RE.match(folded_text, inner)
                head = word[0].lower().replace("’", "'") if word else ""
                if head not in heads and head.rstrip(_TRAILING) not in heads:
                    continue  # no multi-word alias starts with this word
                found = folded_re.match(folded_text, inner)
                if found is not None and found.end() > end:
                    extra.append(resolve(text, found, True))
                found = exact_re.match(text, inner)
                if found is not None and found.end() > end:
                    extra.append(resolve(text, found, False))
        return primary, self._partial_overlaps(primary, extra) if extra else []

    @staticmethod
    def _partial_overlaps(primary: list[_Candidate], extra: list[_Candidate]) -> list[Span]:
        """Extra mentions that are real terms, overlap no ignored phrase, and name a term other
        than the mention they start in."""
        blocked = [(start, end) for start, end, term in primary if term is None]
        starts = [start for start, _, _ in primary]
        kept: dict[tuple[int, int, str], Span] = {}
        for start, end, term in extra:
            if term is None or any(s < end and start < e for s, e in blocked):
                continue
            host = primary[bisect.bisect_right(starts, start) - 1][2]
            if host is not None and host.name != term.name:
                kept.setdefault((start, end, term.name), (start, end, term))
        return list(kept.values())

    def spans(self, text: str) -> list[Span]:
        """Term mentions as (start, end, term), left to right, never overlapping: at each
        position the longest alias wins. Use this to rewrite or mask text."""
        return [(start, end, term) for start, end, term in self._scan(text)[0] if term is not None]

    def mentions(self, text: str) -> list[Span]:
        """Every term mention, left to right: :meth:`spans` plus the mentions that start inside
        one of them and run past its end ("care plans" in "patient care plans")."""
        primary, overlaps = self._scan(text)
        found = [(start, end, term) for start, end, term in primary if term is not None]
        if not overlaps:
            return found
        # A mention inside an overlapping one is a part of it ("DevOps" in "Microsoft Azure
        # DevOps", where "Azure DevOps" overlaps "Microsoft Azure"), as inside a primary one.
        found = [
            span for span in found if not any(s <= span[0] and span[1] <= e for s, e, _ in overlaps)
        ]
        return sorted(found + overlaps, key=lambda s: (s[0], -s[1]))

    def find(self, text: str) -> list[Term]:
        """Distinct terms mentioned in ``text``, in order of first appearance."""
        seen: dict[str, Term] = {}
        for _, _, term in self.mentions(text):
            seen.setdefault(term.name, term)
        return list(seen.values())

    def get(self, name: str) -> Term | None:
        """A term by canonical name or alias (case-insensitive unless the alias is exact-case)."""
        if name in self._terms:
            return self._terms[name]
        key = normalize(name)
        return self._exact.get(key) or self._folded.get(key.lower())

    def implied(self, names: Iterable[str]) -> set[str]:
        """What the given terms evidence through ``implies``, transitively, minus the inputs."""
        start = set(names)
        result: set[str] = set()
        pending = [n for n in start if n in self._terms]
        while pending:
            for implied_name in self._terms[pending.pop()].implies:
                if implied_name not in result and implied_name not in start:
                    result.add(implied_name)
                    pending.append(implied_name)
        return result


@functools.cache
def default_vocabulary() -> Vocabulary:
    """The vocabulary shipped in ``finetune/tailoring/data`` (parsed and compiled once)."""
    data = resources.files("finetune.tailoring") / "data"
    terms: list[Term] = []
    case_sensitive: set[str] = set()
    ignored: list[str] = []
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".tsv"):
            file_terms, file_exact = parse_terms(
                entry.read_text(encoding="utf-8"), entry.name.removesuffix(".tsv")
            )
            terms += file_terms
            case_sensitive |= file_exact
        elif entry.name == "ignore.txt":
            phrases, exact = parse_ignored(entry.read_text(encoding="utf-8"))
            ignored += phrases
            case_sensitive |= exact
    return Vocabulary(terms, case_sensitive=case_sensitive, ignored=ignored)
