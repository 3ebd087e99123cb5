"""The vocabulary's data format: TSV term rows, alias markers and context rules.

The format is documented in ``docs/scoring.md`` (The skills vocabulary). This module only parses
and validates; matching lives in :mod:`finetune.tailoring.vocabulary`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal, cast, get_args

from finetune.errors import ValidationError

TermKind = Literal["hard", "soft", "certification"]
_KINDS: tuple[str, ...] = get_args(TermKind)

# Aliases this short are matched case-sensitively even without the "=" marker: lower-case
# "go", "r" or "ml" are ordinary words or units far more often than skills.
CASE_SENSITIVE_MAX_LEN = 2
CASE_SENSITIVE_MARK = "="
# An alias that counts only where its sentence passes the term's context rule.
GUARDED_MARK = "?"
_BLOCK_MARK = "!"
_PREFIX_MARK = "*"
_LIST_SEPARATOR = "|"
_COLUMNS = 5
SEPARATOR_RE = re.compile(r"[\s\-]+")


def normalize(text: str) -> str:
    """Collapse runs of spaces and hyphens ("machine-learning" = "machine  learning") and fold
    typographic apostrophes ("driver’s" = "driver's")."""
    return SEPARATOR_RE.sub(" ", text.replace("’", "'")).strip()


def _phrase_pattern(entry: str) -> str:
    """A context word or phrase as a regex: separators as in aliases, "*" as a word prefix, short
    or "="-marked entries case-sensitive."""
    exact = entry.startswith(CASE_SENSITIVE_MARK)
    entry = entry.removeprefix(CASE_SENSITIVE_MARK)
    prefix = entry.endswith(_PREFIX_MARK)
    words = normalize(entry.removesuffix(_PREFIX_MARK)).split(" ")
    body = r"[\s\-]+".join(re.escape(word).replace("'", "['’]") for word in words)
    body += r"\w*" if prefix else ""
    if exact or len(entry) <= CASE_SENSITIVE_MAX_LEN:
        return f"(?-i:{body})"
    return body


def _compile(entries: tuple[str, ...]) -> re.Pattern[str] | None:
    if not entries:
        return None
    alternatives = "|".join(_phrase_pattern(e) for e in entries)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class ContextRule:
    """When a guarded alias counts: one of ``needs`` (if any) and none of ``blocks`` occur in
    the sentence around it."""

    needs: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()

    # Compiled on first use: most rules never meet their alias in a given process.
    @functools.cached_property
    def _needs_re(self) -> re.Pattern[str] | None:
        return _compile(self.needs)

    @functools.cached_property
    def _blocks_re(self) -> re.Pattern[str] | None:
        return _compile(self.blocks)

    @classmethod
    def parse(cls, cell: str) -> ContextRule:
        entries = split_list(cell)
        return cls(
            needs=tuple(e for e in entries if not e.startswith(_BLOCK_MARK)),
            blocks=tuple(e[1:].strip() for e in entries if e.startswith(_BLOCK_MARK)),
        )

    def allows(self, sentence: str) -> bool:
        if self._blocks_re is not None and self._blocks_re.search(sentence):
            return False
        return self._needs_re is None or self._needs_re.search(sentence) is not None


@dataclass(frozen=True)
class Term:
    name: str
    kind: TermKind
    aliases: tuple[str, ...]
    implies: tuple[str, ...]
    field: str
    # Spellings (the name or aliases) that count only where ``context`` allows them.
    guarded: tuple[str, ...] = ()
    context: ContextRule | None = None


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(_LIST_SEPARATOR) if part.strip()]


def _strip_marks(spelling: str) -> tuple[str, bool, bool]:
    """The spelling without its leading markers, and whether it was "=" and "?" marked."""
    exact = guarded = False
    while spelling[:1] in (CASE_SENSITIVE_MARK, GUARDED_MARK) and len(spelling) > 1:
        exact |= spelling[0] == CASE_SENSITIVE_MARK
        guarded |= spelling[0] == GUARDED_MARK
        spelling = spelling[1:]
    return spelling, exact, guarded


def parse_terms(text: str, field: str) -> tuple[list[Term], set[str]]:
    """Parse one TSV vocabulary file: its terms and the spellings marked case-sensitive."""
    terms: list[Term] = []
    case_sensitive: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"vocabulary {field}.tsv line {number}"
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 2 or len(cells) > _COLUMNS:
            raise ValidationError(f"{where}: expected 2-{_COLUMNS} tab columns")
        cells += [""] * (_COLUMNS - len(cells))
        name_cell, kind, alias_cell, implies_cell, context_cell = cells
        if kind not in _KINDS:
            raise ValidationError(f"{where}: bad kind {kind!r}")
        spellings: list[str] = []
        guarded: list[str] = []
        for raw in [name_cell, *split_list(alias_cell)]:
            spelling, exact, is_guarded = _strip_marks(raw)
            spellings.append(spelling)
            if exact:
                case_sensitive.add(spelling)
            if is_guarded:
                guarded.append(spelling)
        if guarded and not context_cell:
            raise ValidationError(f"{where}: {guarded[0]!r} is marked '?' but has no context")
        if context_cell and not guarded:
            raise ValidationError(f"{where}: a context rule needs at least one '?' spelling")
        name, *aliases = spellings
        terms.append(
            Term(
                name=name,
                kind=cast(TermKind, kind),
                aliases=tuple(aliases),
                implies=tuple(split_list(implies_cell)),
                field=field,
                guarded=tuple(guarded),
                context=ContextRule.parse(context_cell) if context_cell else None,
            )
        )
    return terms, case_sensitive


def parse_ignored(text: str) -> tuple[list[str], set[str]]:
    """Phrases of ``ignore.txt`` and those marked case-sensitive."""
    phrases: list[str] = []
    case_sensitive: set[str] = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, exact, _ = _strip_marks(line.strip())
        phrases.append(phrase)
        if exact:
            case_sensitive.add(phrase)
    return phrases, case_sensitive
