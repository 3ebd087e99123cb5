"""The skills vocabulary: canonical terms with aliases and implications, loaded from package data.

Each ``data/<field>.tsv`` file lists terms of one profession or domain (the file stem is the
term's ``field``); ``data/ignore.txt`` lists phrases that look like a term but are not one
("go-live", "R&D", "C-level"). The format is documented in ``docs/scoring.md``.

Matching is done by two precompiled trie-shaped regexes (one case-insensitive, one case-sensitive
for short or ambiguous aliases such as "Go", "R", "RN", "Excel"), so finding terms in a page of
text costs one regex scan, not one scan per term.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Literal, cast, get_args

from finetune.errors import ValidationError

TermKind = Literal["hard", "soft", "certification"]
_KINDS: tuple[str, ...] = get_args(TermKind)

# Aliases this short are matched case-sensitively even without the "=" marker: lower-case
# "go", "r" or "ml" are ordinary words or units far more often than skills.
_CASE_SENSITIVE_MAX_LEN = 2
_CASE_SENSITIVE_MARK = "="
_LIST_SEPARATOR = "|"
_SEPARATOR_RE = re.compile(r"[\s\-]+")
# A term never starts or ends inside a word, an ampersand pair (R&D, AT&T) or a dotted name
# (github.com, Node.js): this is what keeps "Java" out of "JavaScript" and "Excel" out of
# "excellent".
_BEFORE = r"(?<![\w&])(?<!\w\.)"
_AFTER = r"(?![\w])(?!&\w)(?!\.\w)"


@dataclass(frozen=True)
class Term:
    name: str
    kind: TermKind
    aliases: tuple[str, ...]
    implies: tuple[str, ...]
    field: str


def _normalize(text: str) -> str:
    """Collapse runs of spaces and hyphens ("machine-learning" = "machine  learning") and fold
    typographic apostrophes ("driver’s" = "driver's")."""
    return _SEPARATOR_RE.sub(" ", text.replace("’", "'")).strip()


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
        exact_aliases = {_normalize(a) for a in case_sensitive}
        for term in terms:
            if term.name in self._terms:
                raise ValidationError(f"vocabulary: term {term.name!r} is defined twice")
            self._terms[term.name] = term
            for alias in (term.name, *term.aliases):
                key = _normalize(alias)
                if key in exact_aliases or len(key) <= _CASE_SENSITIVE_MAX_LEN:
                    self._add(self._exact, key, term)
                else:
                    self._add(self._folded, key.lower(), term)
        for phrase in ignored:
            key = _normalize(phrase)
            if key in exact_aliases or len(key) <= _CASE_SENSITIVE_MAX_LEN:
                self._exact.setdefault(key, None)
            else:
                self._folded.setdefault(key.lower(), None)
        for term in self._terms.values():
            unknown = [name for name in term.implies if name not in self._terms]
            if unknown:
                raise ValidationError(f"vocabulary: {term.name!r} implies unknown {unknown}")
        folded_pattern = _BEFORE + "(?:" + _trie_pattern(self._folded) + ")" + _AFTER
        # Matching lower-cased text without IGNORECASE is about twice as fast; the IGNORECASE
        # twin serves the rare text whose lower-casing changes its length (e.g. "İ").
        self._lowered_re = re.compile(folded_pattern)
        self._folded_re = re.compile(folded_pattern, re.IGNORECASE)
        self._exact_re = re.compile(_BEFORE + "(?:" + _trie_pattern(self._exact) + ")" + _AFTER)

    def _add(self, index: dict[str, Term | None], key: str, term: Term) -> None:
        existing = index.get(key)
        if existing is not None and existing is not term:
            raise ValidationError(
                f"vocabulary: alias {key!r} names both {existing.name!r} and {term.name!r}"
            )
        index[key] = term

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms.values())

    def spans(self, text: str) -> list[tuple[int, int, Term]]:
        """Every term mention as (start, end, term), left to right, longest match first."""
        candidates: list[tuple[int, int, Term | None]] = []
        lowered = text.lower()
        if len(lowered) == len(text):
            folded_matches = self._lowered_re.finditer(lowered)
        else:
            folded_matches = self._folded_re.finditer(text)
        folded, exact = self._folded, self._exact
        for match in folded_matches:
            mention = match[0]
            # Most mentions are already an index key ("python", "machine learning"): a key is
            # its own normal form, so normalizing is only needed when the lookup misses.
            term = folded.get(mention, _MISSING)
            if term is _MISSING:
                term = folded[_normalize(mention).lower()]
            candidates.append((match.start(), match.end(), term))
        for match in self._exact_re.finditer(text):
            mention = match[0]
            term = exact.get(mention, _MISSING)
            if term is _MISSING:
                term = exact[_normalize(mention)]
            candidates.append((match.start(), match.end(), term))
        candidates.sort(key=lambda c: (c[0], -c[1]))
        found: list[tuple[int, int, Term]] = []
        covered_until = 0
        for start, end, term in candidates:
            if start < covered_until:
                continue
            covered_until = end
            if term is not None:  # an ignored phrase still covers its text
                found.append((start, end, term))
        return found

    def find(self, text: str) -> list[Term]:
        """Distinct terms mentioned in ``text``, in order of first appearance."""
        seen: dict[str, Term] = {}
        for _, _, term in self.spans(text):
            seen.setdefault(term.name, term)
        return list(seen.values())

    def get(self, name: str) -> Term | None:
        """A term by canonical name or alias (case-insensitive unless the alias is exact-case)."""
        if name in self._terms:
            return self._terms[name]
        key = _normalize(name)
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


def _split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(_LIST_SEPARATOR) if part.strip()]


def parse_terms(text: str, field: str) -> tuple[list[Term], set[str]]:
    """Parse one TSV vocabulary file: its terms and the aliases marked case-sensitive."""
    terms: list[Term] = []
    case_sensitive: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 2 or len(cells) > 4:
            raise ValidationError(f"vocabulary {field}.tsv line {number}: expected 2-4 tab columns")
        cells += [""] * (4 - len(cells))
        name_cell, kind, alias_cell, implies_cell = cells
        if kind not in _KINDS:
            raise ValidationError(f"vocabulary {field}.tsv line {number}: bad kind {kind!r}")
        names = [name_cell, *_split_list(alias_cell)]
        for alias in names:
            if alias.startswith(_CASE_SENSITIVE_MARK):
                case_sensitive.add(alias[1:])
        name, *aliases = [a.removeprefix(_CASE_SENSITIVE_MARK) for a in names]
        terms.append(
            Term(
                name=name,
                kind=cast(TermKind, kind),
                aliases=tuple(aliases),
                implies=tuple(_split_list(implies_cell)),
                field=field,
            )
        )
    return terms, case_sensitive


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
            for line in entry.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    ignored.append(line.strip().removeprefix(_CASE_SENSITIVE_MARK))
                    if line.strip().startswith(_CASE_SENSITIVE_MARK):
                        case_sensitive.add(ignored[-1])
    return Vocabulary(terms, case_sensitive=case_sensitive, ignored=ignored)
